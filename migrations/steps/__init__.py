"""Clew's migration steps, one module each: ``mNNNN_<name>.py`` defining ``STEP``.

To change the graph schema, declare the change in ``schema.graph_schema`` and add the next
module here; never edit a step that has been applied anywhere (the ledger's checksum refuses it).
"""

from __future__ import annotations

import importlib
import pkgutil

from migrations.step import MODULE_NAME, Step, check_sequence
from schema.errors import MigrationError


def discover(package: str = __name__) -> tuple[Step, ...]:
    """The steps in ``package``, in version order.

    Refuses a module that looks like a step but is misnamed, a step module without a ``Step``
    named ``STEP``, a step whose version or name differs from its module's, duplicate versions
    and gaps.
    """
    pkg = importlib.import_module(package)
    steps: list[Step] = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        match = MODULE_NAME.match(info.name)
        if match is None:
            raise MigrationError(
                f"{package}.{info.name} is not named like a step (mNNNN_name, e.g. "
                "m0002_add_vehicle_index); helpers belong in modules whose names start with '_'"
            )
        module = importlib.import_module(f"{package}.{info.name}")
        step = getattr(module, "STEP", None)
        if not isinstance(step, Step):
            raise MigrationError(f"{module.__name__} defines no STEP (a migrations.step.Step)")
        if step.module_name != info.name:
            raise MigrationError(
                f"{module.__name__} holds step {step.label()}: its version and name must match "
                f"the module's ({step.module_name} != {info.name})"
            )
        steps.append(step)
    return check_sequence(steps)
