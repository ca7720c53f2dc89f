"""``clew resolve`` keeps the table's preparation in the data folder, and an incremental run
extends it (its summary says so)."""

from __future__ import annotations

from pathlib import Path

import pytest

from algorithms.er.prepared_cache import FILE_NAME
from graph.store import GraphStore
from tests.algorithms.er.test_resolve import region_records, write
from tests.api.test_resolve_command import graph, run

__all__ = ["graph"]


def test_an_incremental_run_extends_the_kept_preparation(
    graph: GraphStore, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "migrate")[0] == 0
    records, data = region_records()
    late = {s.id for s in data["subscribers"][30:]}
    write(graph, [r for r in records if r[0].id not in late])
    code, out, err = run(capsys, "resolve")
    assert code == 0, err
    folder = data_dir / "resolution"
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert (folder / FILE_NAME).is_file()
    assert "kept for the next incremental run" in out

    write(graph, [r for r in records if r[0].id in late])
    code, out, err = run(capsys, "resolve", "--incremental")
    assert code == 0, err
    assert "extended the saved preparation" in out
    joined = next(line for line in out.splitlines() if "joined existing people" in line)
    assert joined.split()[-1] == "10"

    (folder / FILE_NAME).write_bytes(b"damaged")
    code, out, err = run(capsys, "resolve", "--incremental")
    assert code == 0, err
    assert "prepared from scratch (unreadable" in out
