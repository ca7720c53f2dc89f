"""``clew migrate [--dry-run]``: bring the graph's schema up to date."""

from __future__ import annotations

from typing import Annotated

import typer

from api.console import out, state
from migrations import apply, discover, plan


def migrate(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan; change nothing.")
    ] = False,
) -> None:
    """Apply pending migration steps, in order, recording each in the graph's ledger."""
    st = state(ctx)
    store = st.open_store()
    try:
        steps = discover()
        if dry_run:
            out.print(plan(store, steps).describe())
            return
        report = apply(store, steps)
        out.print(report.describe())
    finally:
        store.close()
