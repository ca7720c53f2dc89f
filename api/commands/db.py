"""``clew db start | stop | status``: the embedded store's server."""

from __future__ import annotations

import typer
from rich.table import Table

from api.console import out, state
from graph.connect import EmbeddedTarget
from graph.embedded import EmbeddedServer, ServerStatus

app = typer.Typer(help="Start, stop and check the graph store.", no_args_is_help=True)


def _embedded(ctx: typer.Context) -> EmbeddedServer | None:
    target = state(ctx).settings.store_target()
    return EmbeddedServer(target.data_dir) if isinstance(target, EmbeddedTarget) else None


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n //= 1024
    return f"{n} TiB"


def print_status(status: ServerStatus) -> None:
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("store", "embedded FalkorDB")
    if status.running:
        state = "[green]running[/]"
    elif status.pid is not None:
        state = f"[yellow]starting[/] (pid {status.pid})"
    else:
        state = "[red]stopped[/]"
    table.add_row("state", state)
    if status.note:
        table.add_row("note", status.note)
    table.add_row("data dir", str(status.data_dir))
    table.add_row("socket", f"{status.socket} (owner only)")
    if status.running:
        table.add_row("pid", str(status.pid))
        table.add_row("version", status.version or "-")
        table.add_row("uptime", f"{status.uptime_s} s")
        table.add_row("memory", status.used_memory or "-")
        table.add_row(
            "append-only file",
            f"{_size(status.aof_size_bytes)}, last write {status.aof_status}, fsync always",
        )
        table.add_row("graphs", ", ".join(status.graphs) or "(none yet)")
    out.print(table)


@app.command()
def start(ctx: typer.Context) -> None:
    """Start the embedded store (or attach to the one already running)."""
    server = _embedded(ctx)
    if server is None:
        target = state(ctx).settings.store_target()
        out.print(
            f"CLEW_GRAPH_URL points at {target.describe()}; Clew starts only its embedded store."
        )
        raise typer.Exit(code=2)
    print_status(server.start())


@app.command()
def stop(ctx: typer.Context) -> None:
    """Stop the embedded store cleanly (its data stays in the data dir)."""
    server = _embedded(ctx)
    if server is None:
        out.print("CLEW_GRAPH_URL points at an external store; Clew stops only its embedded store.")
        raise typer.Exit(code=2)
    if server.stop():
        out.print(f"stopped the embedded store (data kept in {server.paths.root})")
    else:
        out.print(f"the embedded store was not running (data dir {server.paths.root})")


@app.command()
def status(ctx: typer.Context) -> None:
    """Show whether the store is up, where its data lives and what it holds."""
    server = _embedded(ctx)
    if server is not None:
        current = server.status()
        print_status(current)
        if not current.running:
            raise typer.Exit(code=1)
        return
    st = state(ctx)
    store = st.open_store()
    try:
        health = store.health()
    finally:
        store.close()
    out.print(
        f"{st.settings.store_target().describe()}: {health.engine} {health.version}, "
        f"{'healthy' if health.ok else 'UNHEALTHY'} ({health.detail})"
    )
    if not health.ok:
        raise typer.Exit(code=1)
