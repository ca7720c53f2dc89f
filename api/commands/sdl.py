"""``clew api sdl``: write the GraphQL schema's SDL to ``api/graphql/schema.graphql`` (or check
that it is current, ``--check``, as CI does through tests/api/graphql/test_sdl.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.console import err
from api.graphql.sdl import REGENERATE, SDL_PATH, sdl, write_sdl

app = typer.Typer(help="The GraphQL API's files.", no_args_is_help=True)


@app.command("sdl")
def export_sdl(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the SDL.")
    ] = SDL_PATH,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if the file is out of date.")
    ] = False,
) -> None:
    """Write the schema's SDL (the file clients and reviewers read)."""
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != sdl():
            err.print(f"{output} is out of date: run `{REGENERATE}`", markup=False)
            raise typer.Exit(code=1)
        err.print(f"{output} is current", markup=False)
        return
    changed = write_sdl(output)
    err.print(f"{'wrote' if changed else 'unchanged:'} {output}", markup=False)
