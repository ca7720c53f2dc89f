"""Parameter values, made the same on every engine before they are sent.

Clew stores temporal values as ISO-8601 strings (see ``graph.store``): a ``date`` becomes
``"2024-03-01"``, an aware ``datetime`` becomes UTC ``"2024-03-01T10:15:00Z"``; a naive datetime is
refused, because a time without a zone cannot be placed on a timeline shared by sources from
different systems. Tuples and sets travel as lists; enums as their values. Non-finite floats are
refused: neither engine stores them faithfully and FalkorDB cannot even parse them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

from schema.errors import QueryError


def encode_value(value: Any, path: str = "") -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(
                f"parameter {path or 'value'} is {value}: only finite numbers can be stored"
            )
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise QueryError(
                f"parameter {path or 'value'} is a datetime without a time zone; "
                "give it one (UTC if the source does not say)"
            )
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return encode_value(value.value, path)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise QueryError(f"parameter {path or 'value'} has a non-string key {k!r}")
            out[k] = encode_value(v, f"{path}.{k}" if path else k)
        return out
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return [encode_value(v, f"{path}[{i}]") for i, v in enumerate(items)]
    raise QueryError(
        f"parameter {path or 'value'} has type {type(value).__name__}, which a graph cannot store"
    )


def encode_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Encode every parameter; raise ``QueryError`` naming the first one that cannot be stored."""
    if not params:
        return {}
    return {name: encode_value(value, name) for name, value in params.items()}
