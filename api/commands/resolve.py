"""``clew resolve``: resolve the graph's person mentions into people, explain a person, decide.

- ``clew resolve`` (``--full``, the default): every mention resolved again, the model trained
  afresh; ``clew resolve --incremental``: only the mentions not resolved yet, against the
  persons the graph holds, with the last run's model (``algorithms.er.resolve`` says how the
  two can differ); either with a progress bar and a summary that names the mode;
- ``clew resolve explain ENTITY_ID``: each member of a person, and the comparisons behind its
  strongest link inside the person;
- ``clew resolve decide A B same|different --by USER --reason TEXT``: an analyst's judgement on
  two mentions, honoured by every later run.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from algorithms.er.decisions import decide
from algorithms.er.entity_explain import EntityExplanation, explain_entity
from algorithms.er.resolve import STAGES, ResolutionSummary, run_resolution
from api.commands.load import require_migrated
from api.console import out, state
from graph.store import GraphStore

app = typer.Typer(
    help="Resolve person mentions into people; explain a person; record a decision.",
    invoke_without_command=True,
    no_args_is_help=False,
)


class Verdict(StrEnum):
    SAME = "same"
    DIFFERENT = "different"


def resolve_store(
    store: GraphStore,
    *,
    mode: Literal["full", "incremental"] = "full",
    show_progress: bool = True,
    cache_dir: Path | None = None,
) -> ResolutionSummary:
    """A run on ``store``, with a progress bar by stage; the table's preparation is kept in
    ``cache_dir`` for the next incremental run (none kept when it is None)."""
    now = datetime.now(UTC)
    run_id = f"resolve-{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    with Progress(
        TextColumn("{task.description:<8}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=out,
        disable=not show_progress,
        transient=True,
    ) as bar:
        tasks = {s: bar.add_task(s, total=1) for s in STAGES}

        def tick(stage: str, done: int, total: int) -> None:
            bar.update(tasks[stage], completed=done, total=total)

        return run_resolution(
            store, mode=mode, now=now, run_id=run_id, on_progress=tick, cache_dir=cache_dir
        )


def print_summary(s: ResolutionSummary) -> None:
    title = f"{s.mode} resolution {s.run_id}"
    table = Table(show_header=False, box=None, pad_edge=False, title=title)
    table.add_column(style="bold")
    table.add_column(justify="right")
    new = "new " if s.mode == "incremental" else ""
    rows: list[tuple[str, int]] = [
        (f"{new}records", s.records),
        (f"{new}mentions", s.mentions),
        ("candidate pairs", s.candidate_pairs),
        ("matches", s.matches),
        ("people", s.entities),
        ("created", s.created),
        ("merged", s.merged),
        ("split", s.split),
        ("unchanged", s.unchanged),
        ("retired", s.retired),
        ("records rewired", s.rewired),
        ("decisions honoured", s.decisions),
        ("decisions overridden by later ones", s.decisions_overridden),
        ("nominal-ref links an analyst overrode", s.nominal_links_dropped),
    ]
    if s.mode == "incremental":
        rows.insert(5, ("joined existing people", s.joined))
        rows.append(("links deferred to a full run", s.deferred))
    for name, value in rows:
        table.add_row(name, f"{value:,}")
    table.add_row("rule version", s.rule_version)
    if s.preparation:
        table.add_row("preparation", s.preparation)
    table.add_row("seconds", f"{s.seconds:.1f}")
    out.print(table)


def resolution_dir(data_dir: Path) -> Path:
    """Where runs keep the table's preparation (``algorithms.er.prepared_cache``): the user's
    data folder, readable by the user alone (it holds every mention's values)."""
    folder = data_dir / "resolution"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


@app.callback()
def resolve(
    ctx: typer.Context,
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental/--full",
            help="Resolve only mentions not resolved yet, with the last run's model "
            "(--full, the default: everything again, the model trained afresh).",
        ),
    ] = False,
) -> None:
    """Resolve the graph's person mentions into people (a full run unless --incremental)."""
    if ctx.invoked_subcommand is not None:
        return
    st = state(ctx)
    store = st.open_store()
    try:
        require_migrated(store)
        summary = resolve_store(
            store,
            mode="incremental" if incremental else "full",
            cache_dir=resolution_dir(st.settings.data_dir),
        )
    finally:
        store.close()
    print_summary(summary)


@app.command("explain")
def explain(
    ctx: typer.Context,
    entity_id: Annotated[str, typer.Argument(help="A Person id (a retired one is followed).")],
) -> None:
    """Show each member of a person and the evidence for its strongest link."""
    store = state(ctx).open_store()
    try:
        explained = explain_entity(store, entity_id)
    finally:
        store.close()
    print_explanation(explained)


def print_explanation(e: EntityExplanation) -> None:
    out.print(
        f"[bold]{e.name}[/] {e.entity_id} ({len(e.members)} mentions, model {e.rule_version})"
    )
    members = Table("mention", "kind", "name", "born", "rule", "score", "decided by")
    for m in e.members:
        members.add_row(
            m.mention_id,
            m.label,
            m.name or "",
            m.date_of_birth or "",
            m.rule or "",
            "" if m.score is None else f"{m.score:.3f}",
            m.decided_by or "",
        )
    out.print(members)
    for m in e.members:
        if m.best is None:
            continue
        other = m.best.right_id if m.best.left_id == m.mention_id else m.best.left_id
        table = Table(
            "comparison",
            "this",
            "other",
            "level",
            "weight",
            title=f"{m.mention_id} ~ {other}: p={m.best.probability:.3f}",
        )
        for c in m.best.comparisons:
            table.add_row(
                c.comparison,
                c.left_value or "",
                c.right_value or "",
                c.label,
                f"{c.weight + c.tf_adjustment:+.2f}",
            )
        # The rows below make the column add up to the pair's score: a household's shared
        # surname, address, postcode and phone count once, and the prior is what any pair of
        # mentions starts from.
        best = m.best
        if best.dependence_adjustment:
            table.add_row(
                "counted once", "", "", "dependent group", f"{best.dependence_adjustment:+.2f}"
            )
        table.add_row("prior", "", "", "", f"{best.prior_weight:+.2f}")
        table.add_row("total", "", "", f"p={best.probability:.3f}", f"{best.total_weight:+.2f}")
        out.print(table)


@app.command("decide")
def decide_pair(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="A mention id (record id, or record id#subjectN).")],
    b: Annotated[str, typer.Argument(help="The other mention id.")],
    verdict: Annotated[Verdict, typer.Argument(help="same or different")],
    by: Annotated[str, typer.Option("--by", help="Who decides.")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
) -> None:
    """Record that two mentions are the same person, or different people."""
    store = state(ctx).open_store()
    try:
        require_migrated(store)
        d = decide(
            store,
            a,
            b,
            same=verdict is Verdict.SAME,
            by=by,
            reason=reason,
            now=datetime.now(UTC),
        )
    finally:
        store.close()
    out.print(f"recorded {d.judgement.value} for {d.left_id} / {d.right_id} by {d.decided_by}")
    out.print("run `clew resolve` to apply it")
