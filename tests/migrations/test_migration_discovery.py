"""Finding step modules in a package: temporary packages, no store."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from migrations.steps import discover
from schema.errors import MigrationError

StepPackage = Callable[[dict[str, str]], str]


def step_source(version: int, name: str) -> str:
    return textwrap.dedent(
        f"""
        from migrations.ops import CreateIndex
        from migrations.step import Step
        from schema.specs import IndexSpec

        STEP = Step(
            version={version},
            name={name!r},
            description="test step",
            ops=(CreateIndex(spec=IndexSpec(label="L{version}", properties=("p",))),),
        )
        """
    )


@pytest.fixture
def step_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[StepPackage]:
    """Write a package of modules (name -> source) and return its importable name."""
    made: list[str] = []

    def write(modules: dict[str, str]) -> str:
        package = f"clew_test_steps_{uuid.uuid4().hex}"
        root = tmp_path / package
        root.mkdir()
        (root / "__init__.py").write_text("")
        for module, source in modules.items():
            (root / f"{module}.py").write_text(source)
        made.append(package)
        return package

    monkeypatch.syspath_prepend(str(tmp_path))
    yield write
    for name in list(sys.modules):
        if any(name == p or name.startswith(p + ".") for p in made):
            del sys.modules[name]


def test_shipped_steps_are_found() -> None:
    steps = discover()
    assert steps
    assert [s.version for s in steps] == list(range(1, len(steps) + 1))


def test_finds_steps_in_version_order_and_skips_private_modules(
    step_package: StepPackage,
) -> None:
    package = step_package(
        {
            "m0002_second": step_source(2, "second"),
            "m0001_first": step_source(1, "first"),
            "m0010_tenth": step_source(3, "tenth").replace("version=3", "version=10"),
            "_helpers": "X = 1\n",
        }
    )
    with pytest.raises(MigrationError, match="step version 3 is missing"):
        discover(package)
    package = step_package(
        {
            "m0002_second": step_source(2, "second"),
            "m0001_first": step_source(1, "first"),
            "_helpers": "X = 1\n",
        }
    )
    assert [s.module_name for s in discover(package)] == ["m0001_first", "m0002_second"]


def test_empty_package_has_no_steps(step_package: StepPackage) -> None:
    assert discover(step_package({})) == ()


def test_refuses_duplicate_versions(step_package: StepPackage) -> None:
    package = step_package({"m0001_a": step_source(1, "a"), "m0001_b": step_source(1, "b")})
    with pytest.raises(MigrationError, match="two steps have version 1: m0001 a and m0001 b"):
        discover(package)


def test_refuses_a_gap(step_package: StepPackage) -> None:
    package = step_package({"m0001_a": step_source(1, "a"), "m0003_c": step_source(3, "c")})
    with pytest.raises(MigrationError, match=r"step version 2 is missing \(next is m0003 c\)"):
        discover(package)


def test_refuses_a_misnamed_module(step_package: StepPackage) -> None:
    package = step_package({"m0001_a": step_source(1, "a"), "m2_b": step_source(2, "b")})
    with pytest.raises(MigrationError, match=r"m2_b is not named like a step"):
        discover(package)


def test_refuses_a_module_without_step(step_package: StepPackage) -> None:
    package = step_package({"m0001_a": "STEPS = 1\n"})
    with pytest.raises(MigrationError, match=r"m0001_a defines no STEP"):
        discover(package)


@pytest.mark.parametrize(
    ("module", "version", "name"),
    [("m0001_first", 2, "first"), ("m0001_first", 1, "other")],
)
def test_refuses_version_or_name_unlike_the_module(
    step_package: StepPackage, module: str, version: int, name: str
) -> None:
    package = step_package({module: step_source(version, name)})
    with pytest.raises(MigrationError, match="must match the module's"):
        discover(package)
