"""The ``clew`` command line.

Every ``ClewError`` becomes one red line on stderr and exit status 1: a stopped store, a bad
query or a bad setting is something to act on, not a traceback to read.
"""

from __future__ import annotations

import sys

import typer

from api.commands import (
    audit,
    db,
    dedupe,
    demo,
    generate,
    load,
    migrate,
    query,
    resolve,
    sdl,
    serve,
    token,
)
from api.console import err
from schema.errors import ClewError

app = typer.Typer(
    name="clew",
    help="Clew: an entity-resolved intelligence graph for analysts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(sdl.app, name="api")
app.add_typer(audit.app, name="audit")
app.add_typer(db.app, name="db")
app.add_typer(resolve.app, name="resolve")
app.add_typer(token.app, name="token")
app.command("migrate")(migrate.migrate)
app.command("query")(query.query)
app.command("load")(load.load)
app.command("generate")(generate.generate)
app.command("demo")(demo.demo)
app.command("dedupe")(dedupe.dedupe_csv)
app.command("serve")(serve.serve)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; a ``ClewError`` is one line, not a traceback."""
    try:
        app(args=argv, prog_name="clew")
    except SystemExit as exc:  # click ends every run, clean or not, with SystemExit
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except ClewError as exc:
        err.print(f"[red]error:[/] {exc}", soft_wrap=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
