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

import math
import re
from collections.abc import Mapping
from typing import Any

from graph.params import encode_params, encode_value
from schema.errors import QueryError

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(name: str) -> str:
    if _PLAIN_KEY.match(name):
        return name
    if "`" in name:
        # FalkorDB 4.16 cannot parse an escaped back-quote in a name (``a``b``).
        raise QueryError(
            f"the parameter key {name!r} holds a back-quote, which FalkorDB cannot take"
        )
    return "`" + name + "`"


def _literal(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is int:
        out.append(str(value))
    elif kind is float:
        if not math.isfinite(value):
            raise ValueError("non-finite")
        out.append(repr(value))
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is dict:
        out.append("{")
        first = True
        for k, v in value.items():
            if type(k) is not str:
                raise ValueError("key")
            if not first:
                out.append(",")
            first = False
            out.append(_key(k))
            out.append(":")
            _literal(v, out)
        out.append("}")
    elif kind is list or kind is tuple:
        out.append("[")
        first = True
        for v in value:
            if not first:
                out.append(",")
            first = False
            _literal(v, out)
        out.append("]")
    else:
        # Dates, datetimes, enums, sets, other mappings and subclasses: normalise, then write.
        _literal(encode_value(value), out)


def params_header(params: Mapping[str, Any] | None) -> str:
    """``CYPHER a=1 b="x" `` for ``{"a": 1, "b": "x"}``; empty for no parameters.

    Raises ``QueryError`` naming the parameter for a value that cannot be stored.
    """
    if not params:
        return ""
    out = ["CYPHER "]
    try:
        for name, value in params.items():
            out.append(_key(name))
            out.append("=")
            _literal(value, out)
            out.append(" ")
    except (ValueError, TypeError):
        encode_params(params)  # raises the error that names the parameter and says why
        raise
    return "".join(out)
