"""``clew demo``: a synthetic region (generated once) and reference data, loaded and summarised.

``make run`` calls it, so that a new user finds a graph with something in it. Loading is
idempotent: a second run reads everything again and leaves the graph as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Final

import typer
from rich.table import Table

from api.commands.demo_guide import guide
from api.commands.load import require_migrated
from api.commands.resolve import resolution_dir, resolve_store
from api.console import out, state
from loaders.generate import SOURCES, generate_region
from loaders.pipeline import LoadSummary, run_load
from loaders.reading import LoadContext
from loaders.registry import KINDS, ReaderOptions, reader_for
from schema.errors import ConfigError
from schema.grading import Sensitivity

DEMO_MARKINGS: Final = {
    "subscribers": Sensitivity.OFFICIAL_SENSITIVE,
    "calls": Sensitivity.OFFICIAL_SENSITIVE,
}
"""Communications data is marked OFFICIAL-SENSITIVE, as forces mark it; everything else in the
demo is OFFICIAL (reports keep their own gradings, about a third with conditional handling)."""


def demo(
    ctx: typer.Context,
    persons: Annotated[int, typer.Option("--persons", help="People in the region.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="The region's seed.")] = 1,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference", help="A folder with OpenFlights airports/airlines/countries.dat."
        ),
    ] = None,
) -> None:
    """Generate (once) and load a demo region, plus reference data when a folder is given."""
    st = state(ctx)
    region = st.settings.data_dir / "demo" / f"region-{persons}-{seed}"
    if not (region / "manifest.json").exists():
        out.print(f"generating a region of {persons:,} people into {region} ...")
        generate_region(region, persons, seed)
    loads: list[tuple[str, list[Path], ReaderOptions]] = []
    if reference is not None:
        airports = reference / "airports.dat"
        if not airports.is_file():
            raise ConfigError(f"{reference} has no airports.dat (OpenFlights reference data)")
        countries = reference / "countries.dat"
        loads.append(
            (
                "airports",
                [airports],
                ReaderOptions(countries=countries if countries.is_file() else None),
            )
        )
        if (reference / "airlines.dat").is_file():
            loads.append(("airlines", [reference / "airlines.dat"], ReaderOptions()))
    loads += [(kind, [region / name], ReaderOptions()) for name, kind in SOURCES.items()]

    now = datetime.now(UTC)
    store = st.open_store()
    summaries: list[LoadSummary] = []
    try:
        require_migrated(store)
        for kind, paths, options in loads:
            context = LoadContext(
                source=KINDS[kind].source,
                load_batch=f"demo-{now:%Y%m%dT%H%M%SZ}",
                loaded_at=now,
                sensitivity=DEMO_MARKINGS.get(kind, Sensitivity.OFFICIAL),
            )
            reject_file = st.settings.data_dir / "rejects" / f"demo-{kind}.jsonl"
            summaries.append(
                run_load(
                    reader_for(kind, options),
                    paths,
                    context,
                    store=store,
                    batch_size=st.settings.batch_size,
                    reject_file=reject_file,
                )
            )
        resolved = resolve_store(store, cache_dir=resolution_dir(st.settings.data_dir))
        lines = guide(store, st.settings)
    finally:
        store.close()

    table = Table(
        "kind",
        "rows read",
        "loaded",
        "new",
        "unchanged",
        "relationships",
        "rejected",
        title="demo load",
    )
    for s in summaries:
        loaded = s.records + s.entities
        new = s.written.created if s.records else s.entities_written.created
        table.add_row(
            s.kind,
            f"{s.read:,}",
            f"{loaded:,}",
            f"{new:,}",
            f"{s.written.unchanged:,}",
            f"{s.edges_written:,}",
            f"{s.rejected:,}",
        )
    out.print(table)
    out.print(f"region files and their ground truth: {region}")
    out.print(
        f"{resolved.records:,} records ({resolved.mentions:,} mentions) "
        f"became {resolved.entities:,} people"
    )
    for line in lines:
        out.print(line, markup=False, highlight=False, soft_wrap=True)
