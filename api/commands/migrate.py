"""``clew migrate [--dry-run]``: bring the graph's schema up to date."""

from __future__ import annotations

import typer

from api.console import out, state
from migrations import apply, discover, plan


def migrate(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the plan; change nothing."),
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
