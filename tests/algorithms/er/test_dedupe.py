"""``clew dedupe``'s engine: a CSV it has never seen, only a column config."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from algorithms.er.dedupe import OUTPUT_COLUMNS, DedupeConfig, dedupe, read_table, write_output
from schema.errors import ResolutionError, UnknownColumnKind
from tests.algorithms.er.support import COLUMNS, write_people


def config(path: Path, text: str) -> DedupeConfig:
    path.write_text(text, encoding="utf-8")
    return DedupeConfig.from_yaml(path)


def test_an_unseen_csv_is_clustered_close_to_the_truth(tmp_path: Path) -> None:
    truth = write_people(tmp_path / "people.csv")
    settings = config(tmp_path / "columns.yaml", COLUMNS)
    result = dedupe(read_table(tmp_path / "people.csv", settings))
    out = tmp_path / "out.csv"
    assert write_output(result, settings.id, out) == len(truth)

    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["ref", *OUTPUT_COLUMNS]
    cluster = {row["ref"]: row["cluster_id"] for row in rows}
    ids = sorted(cluster)
    same_true = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if truth[a] == truth[b]}
    same_found = {
        (a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if cluster[a] == cluster[b]
    }
    precision = len(same_true & same_found) / len(same_found)
    recall = len(same_true & same_found) / len(same_true)
    assert precision > 0.9, precision
    assert recall > 0.8, recall
    merged = [row for row in rows if int(row["cluster_size"]) > 1]
    assert all(row["linked_to"] and row["agreeing"] for row in merged)
    assert all(cluster[row["linked_to"]] == row["cluster_id"] for row in merged)


def test_an_unknown_kind_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UnknownColumnKind, match="forename") as caught:
        config(tmp_path / "c.yaml", "id: ref\ncolumns:\n  Last Name: family_name\n")
    assert "family_name" in str(caught.value)


def test_missing_columns_and_repeated_ids_are_named(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("ref,Last Name\n1,Smith\n1,Jones\n", encoding="utf-8")
    with pytest.raises(ResolutionError, match=r"no column.*'First Name'"):
        read_table(path, config(tmp_path / "c.yaml", "id: ref\ncolumns:\n  First Name: forename\n"))
    with pytest.raises(ResolutionError, match="'1' appears more than once"):
        read_table(path, config(tmp_path / "d.yaml", "id: ref\ncolumns:\n  Last Name: surname\n"))


def test_a_config_that_is_not_a_mapping_says_what_it_needs(tmp_path: Path) -> None:
    with pytest.raises(ResolutionError, match="id: and columns:"):
        config(tmp_path / "c.yaml", "- ref\n")
    with pytest.raises(ResolutionError, match="columns"):
        config(tmp_path / "c.yaml", "id: ref\n")
