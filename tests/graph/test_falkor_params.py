from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

import pytest
from falkordb.helpers import stringify_param_value

from graph.falkor_params import params_header
from graph.params import encode_params
from schema.errors import QueryError


class Kind(enum.Enum):
    A = "a"


def client_header(params: dict[str, Any]) -> str:
    """What the falkordb client writes for the same, already-encoded parameters."""
    encoded = encode_params(params)
    return "CYPHER " + "".join(f"{k}={stringify_param_value(v)} " for k, v in encoded.items())


CASES: list[dict[str, Any]] = [
    {"s": "quote \" and backslash \\ and 'single'", "e": "", "u": "Zoë 李 🙂\n\t"},
    {"i": 0, "n": -(2**62), "f": 0.1 + 0.2, "g": 1e-300, "h": -0.0},
    {"rows": [{"id": "a", "x": None, "l": [1, 2], "m": {"k": "v"}}, {"id": "b"}]},
    {"t": (1, "x"), "d": date(2024, 1, 2), "w": datetime(2024, 1, 2, 3, 4, tzinfo=UTC)},
    {"e": Kind.A, "nested": [[{"a": [date(2020, 1, 1)]}]]},
]


@pytest.mark.parametrize("params", CASES)
def test_header_matches_the_client_for_clew_values(params: dict[str, Any]) -> None:
    # Booleans aside (written in Cypher's lower case), the text is the client's own.
    assert params_header(params) == client_header(params)


def test_booleans_sets_and_odd_keys() -> None:
    assert params_header({"b": True, "c": False}) == "CYPHER b=true c=false "
    assert params_header({"s": {"b", "a"}}) == 'CYPHER s=["a","b"] '
    odd = {"m": {"first name": 1, "ünï": 2}}
    assert params_header(odd) == "CYPHER m={`first name`:1,`ünï`:2} "
    with pytest.raises(QueryError, match="back-quote"):
        params_header({"m": {"a`b": 1}})
    assert params_header({}) == ""
    assert params_header(None) == ""


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"rows": [{"x": 1.0}, {"x": float("nan")}]}, r"rows\[1\]\.x is nan"),
        ({"when": datetime(2024, 1, 1)}, "without a time zone"),
        ({"m": {1: "x"}}, "non-string key"),
        ({"o": object()}, "cannot store"),
    ],
)
def test_errors_name_the_parameter(params: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        params_header(params)


def test_a_nul_character_is_refused_with_what_to_do() -> None:
    # FalkorDB reads NUL as the end of the query: sent, it fails with a parse error.
    with pytest.raises(QueryError, match="NUL"):
        params_header({"x": "a\x00b"})
    with pytest.raises(QueryError, match="NUL"):
        params_header({"rows": [{"name": "\x00"}]})
