"""A realistic synthetic region (``clew generate --persons N --seed S --out DIR``): every source
Clew reads, in the documented layouts, with the ground truth written beside it.

``generate_region`` writes, under ``out_dir``:

==================  ============  ================================================================
file                kind          made by
==================  ============  ================================================================
people.csv          people        ``generate_people``: nominal records, 1 in 20 duplicated
missing.csv         missing       ``generate_people``: missing episodes of children
subscribers.csv     subscribers   ``generate_phones``: who holds each number (burners with false
                                  or no details, children's phones in a parent's name)
calls.csv           calls         ``generate_phones``: heavy-tailed call graph, planted calls
companies.csv       companies     ``generate_companies``: BasicCompanyData CSV
officers.jsonl      officers      ``generate_companies``: appointments
psc.jsonl           psc           ``generate_companies``: PSC snapshot lines and totals
passengers.csv      passengers    ``generate_travel``: households and crews flying together
reports.jsonl       reports       ``generate_reports``: graded free-text intelligence
truth/              (none)        ``generate_truth``: who every record truly is, the groups,
                                  networks and paths planted (see that module)
manifest.json       (none)        seed, persons, rows per file
==================  ============  ================================================================

The people (``generate_population``) and what is planted among them (``generate_plants``) are
decided first, as numpy arrays and a small plan; each file is then streamed, so memory stays at
the arrays (tens of MB for a million people) however large the files.

The same ``persons`` and ``seed`` give byte-identical files: each part draws from its own
numpy stream spawned from the seed, nothing iterates a set or reads the clock, and no time of
generation is written (the summary's ``seconds`` is returned, not stored).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from loaders.generate_companies import write_companies
from loaders.generate_output import TruthLog
from loaders.generate_people import write_people
from loaders.generate_phones import write_calls, write_subscribers
from loaders.generate_plants import build_plan
from loaders.generate_population import REFERENCE_DATE, build_population
from loaders.generate_reports import write_reports
from loaders.generate_travel import write_passengers
from loaders.generate_truth import write_truth

SOURCES = {
    "people.csv": "people",
    "missing.csv": "missing",
    "subscribers.csv": "subscribers",
    "calls.csv": "calls",
    "companies.csv": "companies",
    "officers.jsonl": "officers",
    "psc.jsonl": "psc",
    "passengers.csv": "passengers",
    "reports.jsonl": "reports",
}
"""Each source file written and the ``clew load`` kind that reads it."""

_STREAMS = ("population", "plan", "people", "subscribers", "calls", "companies", "travel",
            "reports")  # fmt: skip
MIN_PERSONS = 500


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    """What ``generate_region`` wrote: rows per file (relative to ``out_dir``; for CSV the
    rows after the header, for the PSC snapshot the lines before its totals line) and how long
    it took."""

    out_dir: Path
    persons: int
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The summary as lines of text, for the command line."""
        width = max(len(name) for name in self.rows)
        out = [f"{self.persons:,} persons, seed {self.seed}, written to {self.out_dir}"]
        out += [f"  {name:<{width}}  {count:>12,}" for name, count in self.rows.items()]
        out.append(f"in {self.seconds:.1f} s")
        return out


def generate_region(
    out_dir: Path, persons: int, seed: int, *, calls_per_person: float = 4.0
) -> GenerationSummary:
    """Write a synthetic region of ``persons`` people into ``out_dir`` (created if needed;
    files of the same names are overwritten)."""
    if persons < MIN_PERSONS:
        raise ValueError(f"a region needs at least {MIN_PERSONS} persons, not {persons}")
    began = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    truth_dir = out_dir / "truth"
    truth_dir.mkdir(exist_ok=True)
    streams = dict(
        zip(
            _STREAMS,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(_STREAMS))),
            strict=True,
        )
    )
    pop = build_population(streams["population"], persons)
    plan = build_plan(streams["plan"], pop, persons)
    rows: dict[str, int] = {}
    truth = TruthLog(truth_dir / "records.csv")
    try:
        people, written = write_people(out_dir, streams["people"], pop, plan, truth)
        rows.update(written)
        rows.update(write_subscribers(out_dir, streams["subscribers"], pop, plan, truth))
        rows.update(write_calls(out_dir, streams["calls"], pop, plan, calls_per_person))
        rows.update(write_companies(out_dir, streams["companies"], pop, plan, truth))
        rows.update(write_passengers(out_dir, streams["travel"], pop, plan, truth))
        rows.update(write_reports(out_dir, streams["reports"], pop, plan, people.nominal, truth))
    finally:
        truth.close()
    rows["truth/records.csv"] = truth.out.rows
    rows.update(write_truth(truth_dir, pop, plan, people))
    manifest = {
        "persons": persons,
        "seed": seed,
        "reference_date": REFERENCE_DATE.isoformat(),
        "calls_per_person": calls_per_person,
        "sources": SOURCES,
        "rows": rows,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return GenerationSummary(out_dir, persons, seed, rows, time.perf_counter() - began)
