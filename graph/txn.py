"""Composing several statements into one, so that FalkorDB commits them together.

FalkorDB has no multi-statement transactions, but it applies each query atomically: a query that
fails part-way is undone in full. A transaction is therefore sent as one query: the statements in
order, each followed by ``WITH count(*) AS _clew_tN``, which closes the statement's variable scope
and leaves exactly one row, so the next statement runs once whatever the previous one matched,
and sees its writes. (``CALL { ... }`` subqueries would isolate scopes too, but FalkorDB 4.16 does
not let a subquery see the writes of an earlier subquery in the same query.)

Parameters are renamed per statement (``$rows`` in the second statement becomes ``$t1_rows``) so
that statements cannot collide. A statement in a transaction may not ``RETURN``: transactions
return no rows on any engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from schema.errors import QueryError

_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)


def _segments(query: str) -> Iterator[tuple[bool, int, str]]:
    """Split ``query`` into (is_code, brace_depth, text); literals, quoted names and comments are
    not code."""
    i = 0
    n = len(query)
    depth = 0
    start = 0
    while i < n:
        c = query[i]
        literal_end = -1
        if c in "'\"`":
            j = i + 1
            while j < n and query[j] != c:
                j += 2 if query[j] == "\\" and c != "`" else 1
            literal_end = j + 1
        elif query.startswith("//", i):
            j = query.find("\n", i)
            literal_end = n if j < 0 else j
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            literal_end = n if j < 0 else j + 2
        if literal_end >= 0:
            if start < i:
                yield True, depth, query[start:i]
            yield False, depth, query[i:literal_end]
            i = start = literal_end
            continue
        if c in "{}":
            if start < i:
                yield True, depth, query[start:i]
            yield True, depth, c
            depth += 1 if c == "{" else -1
            i += 1
            start = i
            continue
        i += 1
    if start < n:
        yield True, depth, query[start:]


def rename_parameters(query: str, prefix: str) -> str:
    """Prefix every ``$name`` outside literals, quoted names and comments."""
    out = []
    for is_code, _depth, text in _segments(query):
        out.append(re.sub(r"\$(?=[A-Za-z_])", "$" + prefix, text) if is_code else text)
    return "".join(out)


def returns_rows(query: str) -> bool:
    """Whether the statement has a top-level RETURN (one inside a subquery does not count)."""
    return any(
        is_code and depth == 0 and _RETURN.search(text) for is_code, depth, text in _segments(query)
    )


def compose(statements: Sequence[tuple[str, Mapping[str, Any]]]) -> tuple[str, dict[str, Any]]:
    """One query and its parameters that run ``statements`` in order, all or nothing."""
    parts: list[str] = []
    params: dict[str, Any] = {}
    for index, (query, statement_params) in enumerate(statements):
        if returns_rows(query):
            raise QueryError(
                "a statement in a transaction cannot RETURN rows; run it with write() instead",
                query=query,
            )
        prefix = f"t{index}_"
        statement = rename_parameters(query.strip().rstrip(";"), prefix)
        parts.append(f"{statement} WITH count(*) AS _clew_t{index}")
        params.update({prefix + name: value for name, value in statement_params.items()})
    parts.append("RETURN 0")
    return " ".join(parts), params
