from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from graph.params import encode_params
from schema.errors import QueryError


class Colour(enum.Enum):
    RED = "red"


def test_temporal_values_become_iso_strings_in_utc() -> None:
    encoded = encode_params(
        {
            "d": date(2024, 2, 29),
            "t": datetime(2024, 2, 29, 23, 30, tzinfo=timezone(timedelta(hours=-2))),
            "u": datetime(2024, 1, 1, tzinfo=UTC),
        }
    )
    assert encoded == {"d": "2024-02-29", "t": "2024-03-01T01:30:00Z", "u": "2024-01-01T00:00:00Z"}


def test_containers_and_enums() -> None:
    encoded = encode_params(
        {"t": (1, 2), "s": {"b", "a"}, "e": Colour.RED, "m": {"k": [date(2020, 1, 1)]}}
    )
    assert encoded == {"t": [1, 2], "s": ["a", "b"], "e": "red", "m": {"k": ["2020-01-01"]}}


def test_errors_name_the_parameter_path() -> None:
    with pytest.raises(QueryError, match=r"rows\[1\]\.when is a datetime without a time zone"):
        encode_params(
            {"rows": [{"when": datetime(2024, 1, 1, tzinfo=UTC)}, {"when": datetime(2024, 1, 1)}]}
        )
    with pytest.raises(QueryError, match="x is nan"):
        encode_params({"x": float("nan")})


def test_empty() -> None:
    assert encode_params(None) == {}
