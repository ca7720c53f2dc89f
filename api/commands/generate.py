"""``clew generate --persons N --seed S --out DIR``: a synthetic region with its ground truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.console import out
from loaders.generate import MIN_PERSONS, SOURCES, generate_region
from schema.errors import ConfigError


def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the region into.")],
    persons: Annotated[int, typer.Option("--persons", help="People in the region.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="The same seed writes the same files.")] = 1,
) -> None:
    """Write every source of a synthetic region, with its ground truth in DIR/truth/."""
    if persons < MIN_PERSONS:
        raise ConfigError(f"--persons must be at least {MIN_PERSONS}")
    summary = generate_region(out_dir, persons, seed)
    for line in summary.lines():
        out.print(line)
    out.print("Load it with, for each file:")
    for name, kind in SOURCES.items():
        out.print(f"  clew load {kind} {out_dir / name}")
