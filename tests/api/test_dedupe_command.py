"""``clew dedupe`` end to end: a CSV, a column config, an output file and a summary."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from api.cli import main
from tests.algorithms.er.support import COLUMNS, write_people


def test_dedupe_writes_clusters_and_says_how_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    truth = write_people(tmp_path / "people.csv", people=300)
    (tmp_path / "columns.yaml").write_text(COLUMNS, encoding="utf-8")
    out = tmp_path / "out" / "clusters.csv"
    code = main(
        [
            "dedupe",
            str(tmp_path / "people.csv"),
            "--config",
            str(tmp_path / "columns.yaml"),
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(truth)
    clusters = len({row["cluster_id"] for row in rows})
    assert f"{len(truth):,} records in {clusters:,} clusters" in printed.out


def test_dedupe_with_an_unknown_kind_is_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in.csv").write_text("ref,name\n1,Smith\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("id: ref\ncolumns:\n  name: moniker\n", encoding="utf-8")
    code = main(
        ["dedupe", str(tmp_path / "in.csv"), "--config", str(tmp_path / "c.yaml"), "--out", "x"]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "moniker" in err
    assert "surname" in err
    assert "Traceback" not in err
