"""``clew audit verify | show``: check the read audit log's hash chain, and look through it.

The log lives on Redis (``graph.audit_log``): by default on the graph store's own server when
that is FalkorDB (the embedded one included), otherwise where ``--url`` says.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

import typer
from rich.table import Table

from api.console import out, state
from graph.audit_log import DEFAULT_KEY, AuditLog, open_audit_log
from schema.audit import AuditEntry, VerifyReport
from schema.errors import ConfigError

app = typer.Typer(help="Check and read the read audit log.", no_args_is_help=True)

Url = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The Redis holding the log: embedded, redis://, rediss:// or unix:// "
        "(default: the graph store's server).",
    ),
]
Key = Annotated[str, typer.Option("--key", help="The log's stream key.")]
SHOWN_PROBLEMS = 10


def _open(ctx: typer.Context, url: str | None, key: str) -> AuditLog:
    settings = state(ctx).settings
    return open_audit_log(
        url or settings.graph_url, data_dir=settings.data_dir, key=key, durable=settings.durable
    )


def _when(text: str | None, option: str) -> datetime | None:
    """A date or date-time from the command line; without an offset it is taken as UTC."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ConfigError(
            f"{option} {text!r}: write a date (2026-11-23) or a time (2026-11-23T09:30Z)"
        ) from exc
    if len(text.strip()) == 10:
        value = datetime.combine(value.date(), time())
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _at(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "-"


def print_report(log: AuditLog, report: VerifyReport) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("audit log", f"{log.key} on {log.location}")
    table.add_row("entries checked", str(report.checked))
    if report.checked:
        table.add_row("first", f"{report.first_seq} at {_at(report.first_at)}")
        table.add_row("last", f"{report.last_seq} at {_at(report.last_at)}")
        table.add_row("last hash", report.last_hash or "-")
    if report.ok:
        table.add_row("result", "[green]OK[/]: every entry matches its hash and the chain is whole")
    else:
        first = report.first_problem
        assert first is not None
        table.add_row(
            "result",
            f"[red]BROKEN[/] at seq {first.seq} ({first.kind.value}): {first.detail}"
            f"{f'; {report.problem_count} problems in all' if report.problem_count > 1 else ''}",
        )
    out.print(table)
    if report.problem_count > 1:
        problems = Table("seq", "problem", "detail")
        for p in report.problems[:SHOWN_PROBLEMS]:
            problems.add_row(str(p.seq), p.kind.value, p.detail)
        out.print(problems)
        if report.problem_count > SHOWN_PROBLEMS:
            out.print(f"... and {report.problem_count - SHOWN_PROBLEMS} more")


@app.command()
def verify(ctx: typer.Context, url: Url = None, key: Key = DEFAULT_KEY) -> None:
    """Recompute every entry's hash and the chain; exit status 1 if anything is wrong."""
    with _open(ctx, url, key) as log:
        report = log.verify()
        print_report(log, report)
    if not report.ok:
        raise typer.Exit(code=1)


def _row(entry: AuditEntry) -> tuple[str, ...]:
    outcome = entry.outcome.value + (f" {entry.error_code}" if entry.error_code else "")
    return (
        str(entry.seq),
        _at(entry.at),
        entry.user,
        ", ".join(entry.roles),
        entry.purpose or "-",
        entry.operation,
        outcome,
        str(entry.returned.count),
        f"{entry.duration_ms:.1f}",
        entry.client_address or "-",
    )


@app.command()
def show(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's requests.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date or time (UTC unless given).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Before this date or time (UTC unless given).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many entries.")] = 20,
    url: Url = None,
    key: Key = DEFAULT_KEY,
) -> None:
    """The newest entries, newest first (as stored: `clew audit verify` checks them)."""
    start, end = _when(since, "--since"), _when(until, "--until")
    found: list[AuditEntry] = []
    with _open(ctx, url, key) as log:
        cursor: int | None = None
        while len(found) < limit:
            page = log.read(
                before_seq=cursor, since=start, until=end, user=user, limit=limit - len(found)
            )
            found.extend(page.entries)
            if page.next is None:
                break
            cursor = page.next
    table = Table(
        "seq", "at", "user", "roles", "purpose", "operation", "outcome", "ids", "ms", "client"
    )
    for entry in found:
        table.add_row(*_row(entry))
    out.print(table)
    out.print(f"{len(found)} entr{'y' if len(found) == 1 else 'ies'}")
