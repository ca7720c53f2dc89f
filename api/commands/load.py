"""``clew load KIND PATH... [--mapping FILE] [--dry-run]``: source files into the graph."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.auth.identity import parse_clearance
from api.console import err, out, state
from graph.store import GraphStore
from loaders.column_mapping import rejection_reason
from loaders.pipeline import LoadProgress, LoadSummary, run_load
from loaders.reading import LoadContext
from loaders.registry import KINDS, ReaderOptions, reader_for
from migrations import discover, plan
from schema.errors import ConfigError, MigrationError
from schema.grading import Grading, Sensitivity


def _aware(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"--undated-at {text!r} is not an ISO 8601 time") from exc
    if value.tzinfo is None:
        raise ConfigError("--undated-at needs a time zone (for example 2024-01-01T00:00:00Z)")
    return value


def require_migrated(store: GraphStore) -> None:
    # Without the indexes the migrations create, every MERGE scans its label: a load would
    # still be correct but quadratic, hours instead of seconds on a real file.
    current = plan(store, discover())
    if not current.up_to_date:
        raise MigrationError(
            f"the graph's schema is not up to date ({len(current.pending)} pending step(s), "
            f"{len(current.problems)} problem(s)): run `clew migrate` first"
        )


def print_summary(summary: LoadSummary) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    verb = "checked (dry run, nothing written)" if summary.dry_run else "loaded"
    table.add_row("kind", f"{summary.kind}: {len(summary.files)} file(s) {verb}")
    table.add_row(
        "rows read",
        f"{summary.read:,} in {summary.seconds:.1f} s ({summary.rows_per_s:,.0f} rows/s)",
    )
    if summary.entities or not summary.records:
        table.add_row("reference entities", f"{summary.entities:,}")
    if summary.records or not summary.entities:
        table.add_row("records", f"{summary.records:,}")
    if not summary.dry_run and summary.entities:
        e = summary.entities_written
        table.add_row("entities in the graph", f"{e.created:,} new, {e.updated:,} updated")
    if not summary.dry_run and (summary.edges_written or summary.edges_missing):
        line = f"{summary.edges_written:,} written"
        if summary.edges_missing:
            line += f", {summary.edges_missing:,} not written: an end is not in the graph"
        if summary.called_refreshed:
            line += f"; {summary.called_refreshed:,} CALLED recomputed from their calls"
        table.add_row("relationships", line)
    if not summary.dry_run and summary.records:
        w = summary.written
        table.add_row(
            "in the graph",
            f"{w.created:,} new, {w.updated:,} changed, {w.unchanged:,} unchanged "
            f"({summary.batches} durable batch{'es' if summary.batches != 1 else ''})",
        )
    table.add_row("rejected", f"{summary.rejected:,}")
    for reason, count in summary.reject_reasons[:10]:
        table.add_row("", f"{count:,} x {reason}")
    if summary.reject_file is not None:
        table.add_row("reject file", str(summary.reject_file))
    if summary.warnings:
        table.add_row("warnings", f"{summary.warnings:,}, for example:")
        for example in summary.warning_examples[:5]:
            table.add_row("", example)
    out.print(table)


def load(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
    paths: Annotated[list[Path], typer.Argument(help="Files to load, in order.")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="YAML column mapping for differing headers.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and check everything; write nothing.")
    ] = False,
    source: Annotated[
        str | None, typer.Option("--source", help="Source name the records carry.")
    ] = None,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="Reject file (JSON lines).")
    ] = None,
    undated_at: Annotated[
        str | None,
        typer.Option("--undated-at", help="calls: the time to file calls that have none under."),
    ] = None,
    airports: Annotated[
        Path | None,
        typer.Option("--airports", help="passengers, paxlst, pnrgov: OpenFlights airports.dat."),
    ] = None,
    countries: Annotated[
        Path | None,
        typer.Option("--countries", help="airports: OpenFlights countries.dat (ISO codes)."),
    ] = None,
    lenient_counts: Annotated[
        bool,
        typer.Option("--lenient-counts", help="paxlst, pnrgov: wrong segment counts only warn."),
    ] = False,
    marking: Annotated[
        str,
        typer.Option(
            "--marking",
            help="Protective marking of every record: OFFICIAL, OFFICIAL-SENSITIVE, SECRET, "
            "TOP-SECRET. Callers see the records only with that clearance.",
        ),
    ] = "OFFICIAL",
    handling: Annotated[
        str | None,
        typer.Option(
            "--handling",
            help="The source's grading and handling code ('1A P', 'B2 4'); a code with "
            "conditions (3x5x2 C, 5x5x5 2-5) hides the records from roles without "
            "records:read-conditional. Reports keep their own grading.",
        ),
    ] = None,
) -> None:
    """Load source files: records with provenance, durable batches, rejects to a file."""
    st = state(ctx)
    options = ReaderOptions(
        mapping=mapping,
        undated_at=_aware(undated_at),
        airports=airports,
        lenient_counts=lenient_counts,
        countries=countries,
    )
    reader = reader_for(kind, options)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"no such file: {', '.join(missing)}")
    now = datetime.now(UTC)
    batch = f"{kind}-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    reject_file = rejects or st.settings.data_dir / "rejects" / f"{batch}.jsonl"
    context = LoadContext(
        source=source or KINDS[kind].source,
        load_batch=batch,
        loaded_at=now,
        handling=_grading(handling),
        sensitivity=_marking(marking),
    )
    store = None if dry_run else st.open_store()
    try:
        if store is not None:
            require_migrated(store)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task(f"loading {kind}", total=None)

            def show(p: LoadProgress) -> None:
                bar.update(
                    task,
                    description=(
                        f"{kind}: {p.read:,} rows read, {p.records:,} records, "
                        f"{p.rejected:,} rejected, {p.rows_per_s:,.0f} rows/s"
                    ),
                )

            summary = run_load(
                reader,
                paths,
                context,
                store=store,
                batch_size=st.settings.batch_size,
                reject_file=reject_file,
                on_progress=show,
            )
    finally:
        if store is not None:
            store.close()
    print_summary(summary)


def _marking(text: str) -> Sensitivity:
    try:
        return parse_clearance(text)
    except ValueError as exc:
        raise ConfigError(f"--marking: {exc}") from None


def _grading(text: str | None) -> Grading | None:
    if text is None:
        return None
    try:
        return Grading.parse(text)
    except ValueError as exc:
        raise ConfigError(f"--handling: {rejection_reason(exc)}") from None
