"""``clew query CYPHER [--write]``: run Cypher against the store and print the result."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from api.console import out, state
from graph.results import EdgeValue, NodeValue, PathValue, Result
from schema.errors import ConfigError


def _plain(value: Any) -> Any:
    if isinstance(value, NodeValue):
        return {"labels": list(value.labels), "properties": _plain(dict(value.properties))}
    if isinstance(value, EdgeValue):
        return {"type": value.type, "properties": _plain(dict(value.properties))}
    if isinstance(value, PathValue):
        return {
            "nodes": [_plain(n) for n in value.nodes],
            "edges": [_plain(e) for e in value.edges],
        }
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if isinstance(value, NodeValue):
        label = ":".join(value.labels)
        name = value.properties.get("name") or value.properties.get("id", "")
        return f"(:{label} {name})"
    if isinstance(value, EdgeValue):
        return f"[:{value.type}]"
    if isinstance(value, str):
        return value
    return json.dumps(_plain(value), ensure_ascii=False, default=str)


def _parse_params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise ConfigError(f"--param {pair!r}: write NAME=VALUE (VALUE as JSON, or plain text)")
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    return params


def print_result(result: Result, as_json: bool) -> None:
    if as_json:
        out.print_json(data=[_plain(r) for r in result.records()])
        return
    table = Table(*result.columns)
    for row in result.rows:
        table.add_row(*(_cell(v) for v in row))
    out.print(table)
    c = result.counters
    changes = {
        "nodes created": c.nodes_created,
        "nodes deleted": c.nodes_deleted,
        "relationships created": c.relationships_created,
        "relationships deleted": c.relationships_deleted,
        "properties set": c.properties_set,
    }
    done = ", ".join(f"{v} {k}" for k, v in changes.items() if v)
    out.print(f"{len(result)} row{'s' if len(result) != 1 else ''}" + (f"; {done}" if done else ""))


def query(
    ctx: typer.Context,
    cypher: Annotated[str, typer.Argument(help="The Cypher to run.")],
    write: Annotated[
        bool, typer.Option("--write", help="Allow the query to change the graph.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print rows as JSON.")] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE (JSON), repeatable.")
    ] = None,
    timeout_ms: Annotated[
        int | None, typer.Option("--timeout", help="Time limit in milliseconds.")
    ] = None,
) -> None:
    """Run Cypher: read-only unless --write; prints a table, or JSON with --json."""
    params = _parse_params(param or [])
    store = state(ctx).open_store()
    try:
        run = store.write if write else store.read
        print_result(run(cypher, params, timeout_ms=timeout_ms), as_json)
    finally:
        store.close()
