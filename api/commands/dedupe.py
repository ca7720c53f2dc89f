"""``clew dedupe INPUT.csv --config COLUMNS.yaml --out OUTPUT.csv``: Clew's matching on any CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from algorithms.er.dedupe import DedupeConfig, dedupe, read_table, write_output
from api.console import out


def dedupe_csv(
    input_csv: Annotated[Path, typer.Argument(help="The CSV to deduplicate.", exists=True)],
    config: Annotated[
        Path, typer.Option("--config", help="YAML: id: COLUMN and columns: {name: kind}.")
    ],
    output: Annotated[Path, typer.Option("--out", help="Where to write the clustered CSV.")],
) -> None:
    """Cluster the records of any CSV, trained on the file itself without labels; write each
    record's cluster and the evidence for it."""
    settings = DedupeConfig.from_yaml(config)
    table = read_table(input_csv, settings)
    out.print(f"read {len(table):,} records from {input_csv} ({len(settings.columns)} columns)")
    result = dedupe(table)
    written = write_output(result, settings.id, output)
    link = result.link
    stats = result.clustering.stats
    threshold = link.model.threshold
    matches = int((link.pairs.weight >= threshold.weight).sum())
    out.print(
        f"{len(link.pairs):,} candidate pairs, {matches:,} "
        f"at or above the threshold (match probability {threshold.probability:g}, chosen "
        "without labels)"
    )
    out.print(
        f"{written:,} records in {stats.clusters:,} clusters ({stats.singletons:,} on their own, "
        f"largest {stats.largest_cluster}) in {sum(result.timings.values()):.1f} s; "
        f"written to {output}"
    )
