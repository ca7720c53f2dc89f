"""Parameters as FalkorDB takes them: a ``CYPHER name=value ...`` header before the query.

FalkorDB has no separate parameter channel; the client writes every parameter as a Cypher
literal in a header. This module encodes Clew's parameter conventions (``graph.params``) and
writes that header in one walk over the values. It is the hot path of every batched load: the
two-pass way (``encode_params``, then the client's own ``stringify_param_value``) cost a quarter
of the store's write throughput (bench/RESULTS.md), so exact-type checks come first and only an
unusual value (a date, an enum, a set, a subclass) or a failure takes the general path, which
also produces the error message that names the offending parameter.

Map keys that are not plain identifiers are back-quoted (the client wrote them bare, which
breaks the header); a key holding a back-quote is refused, as FalkorDB cannot parse one.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from graph.params import encode_params, encode_value
from schema.errors import QueryError

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@functools.lru_cache(maxsize=4096)  # the same few property names, millions of times in a load
def _key(name: str) -> str:
    if _PLAIN_KEY.match(name):
        return name
    if "`" in name:
        # FalkorDB 4.16 cannot parse an escaped back-quote in a name (``a``b``).
        raise QueryError(
            f"the parameter key {name!r} holds a back-quote, which FalkorDB cannot take"
        )
    return "`" + name + "`"


def _literal(value: Any) -> str:
    # Exact types first, most frequent first: this runs for every value of every row of a load.
    kind = type(value)
    if kind is str:
        text: str = value
        if "\x00" in text:
            raise QueryError(
                "a text parameter holds a NUL character, which FalkorDB reads as the end of "
                "the query: remove it"
            )
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if kind is int:
        return str(value)
    if kind is dict:
        # _key refuses a key that is not a string (TypeError), sending us to the general path.
        return "{" + ",".join([f"{_key(k)}:{_literal(v)}" for k, v in value.items()]) + "}"
    if kind is list or kind is tuple:
        return "[" + ",".join([_literal(v) for v in value]) + "]"
    if kind is float:
        if not math.isfinite(value):
            raise ValueError("non-finite")
        return repr(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is datetime:
        zone = value.tzinfo
        if zone is None:
            raise ValueError("naive")
        stamp: str = (value if zone is UTC else value.astimezone(UTC)).isoformat()
        return '"' + stamp[:-6] + 'Z"'  # an aware UTC isoformat ends "+00:00"
    if kind is date:
        day: str = value.isoformat()
        return '"' + day + '"'
    # Enums, sets, other mappings and subclasses: normalise, then write.
    return _literal(encode_value(value))


def params_header(params: Mapping[str, Any] | None) -> str:
    """``CYPHER a=1 b="x" `` for ``{"a": 1, "b": "x"}``; empty for no parameters.

    Raises ``QueryError`` naming the parameter for a value that cannot be stored.
    """
    if not params:
        return ""
    try:
        return "CYPHER " + "".join([f"{_key(k)}={_literal(v)} " for k, v in params.items()])
    except (ValueError, TypeError):
        encode_params(params)  # raises the error that names the parameter and says why
        raise
