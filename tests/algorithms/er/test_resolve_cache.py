"""Runs that keep the table's preparation: an incremental run that extends it finds the persons
one that prepares from scratch finds; a saved preparation that does not fit is not used."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from algorithms.er.entity_explain import latest_model, model_version
from algorithms.er.prepared import Prepared
from algorithms.er.prepared_cache import FILE_NAME, load_prepared, save_prepared
from algorithms.er.resolve import ResolutionSummary, run_resolution
from graph.store import GraphStore
from tests.algorithms.er.test_resolve import T0, person_of, region_records, write
from tests.algorithms.er.test_resolve_incremental import persons


def _saved(folder: Path, store: GraphStore) -> tuple[Prepared, str]:
    model = latest_model(store)
    assert model is not None
    version = model_version(model)
    saved = load_prepared(folder, version)
    assert isinstance(saved, Prepared)
    return saved, version


def _reversed(folder: Path, store: GraphStore) -> None:
    saved, version = _saved(folder, store)
    save_prepared(folder, saved.take(np.arange(saved.n)[::-1]), version)


def _one_short(folder: Path, store: GraphStore) -> None:
    saved, version = _saved(folder, store)
    save_prepared(folder, saved.take(np.arange(saved.n - 1)), version)


def _corrupt(folder: Path, store: GraphStore) -> None:
    path = folder / FILE_NAME
    path.write_bytes(path.read_bytes()[:1000])


def _another_model(folder: Path, store: GraphStore) -> None:
    saved, _ = _saved(folder, store)
    save_prepared(folder, saved, "another-version")


def _missing(folder: Path, store: GraphStore) -> None:
    (folder / FILE_NAME).unlink()


def _untouched(folder: Path, store: GraphStore) -> None:
    pass


Tamper = Callable[[Path, GraphStore], None]


def _late_run(store: GraphStore, folder: Path | None, tamper: Tamper) -> ResolutionSummary:
    """The incremental test's story (``test_resolve_incremental``): a full run, twelve records
    late, an incremental run for them; the saved preparation tampered with in between."""
    records, data = region_records()
    late = {s.id for s in [data["subscribers"][0], *data["subscribers"][30:]]}
    write(store, [r for r in records if r[0].id not in late])
    first = run_resolution(store, now=T0, run_id="full1", cache_dir=folder)
    if folder is not None:
        assert "kept for the next incremental run" in first.preparation
        assert (folder / FILE_NAME).is_file()
        tamper(folder, store)
    write(store, [r for r in records if r[0].id in late])
    inc = run_resolution(
        store, mode="incremental", now=T0 + timedelta(hours=1), run_id="inc1", cache_dir=folder
    )
    assert (inc.records, inc.joined, inc.created, inc.merged, inc.entities) == (11, 11, 0, 0, 41)
    for i in range(30, 40):
        assert person_of(store, data["subscribers"][i].id) == person_of(
            store, data["nominals"][i].id
        )
    return inc


@pytest.mark.parametrize("tamper", [_untouched, _reversed], ids=["as saved", "reordered"])
def test_incremental_from_the_saved_preparation_finds_the_same_persons(
    store: GraphStore, tmp_path: Path, tamper: Tamper
) -> None:
    folder = tmp_path / "resolution"
    inc = _late_run(store, folder, tamper)
    assert inc.preparation.startswith("extended the saved preparation")
    assert inc.preparation.endswith("kept for the next incremental run")
    with_cache = persons(store)
    # A full run over everything finds the same persons: nothing for it to change.
    full = run_resolution(store, now=T0 + timedelta(hours=2), run_id="full2")
    assert persons(store) == with_cache
    assert full.created == full.merged == full.split == full.rewired == 0
    # The incremental run kept the extended preparation for every mention now resolved.
    saved = load_prepared(folder, inc.rule_version)
    assert isinstance(saved, Prepared)
    assert saved.n == full.mentions


def test_without_a_folder_nothing_is_kept(store: GraphStore) -> None:
    inc = _late_run(store, None, _untouched)
    assert inc.preparation == "prepared from scratch (no folder to keep it in); not kept"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_one_short, "other mentions"),
        (_corrupt, "unreadable"),
        (_another_model, "another model"),
        (_missing, "no prepared table saved"),
    ],
    ids=["other mentions", "corrupt", "another model", "missing"],
)
def test_a_saved_preparation_that_does_not_fit_is_not_used(
    store: GraphStore, tmp_path: Path, tamper: Tamper, reason: str
) -> None:
    folder = tmp_path / "resolution"
    inc = _late_run(store, folder, tamper)
    assert inc.preparation.startswith("prepared from scratch (")
    assert reason in inc.preparation
    # And it keeps a good one for the next run.
    saved = load_prepared(folder, inc.rule_version)
    assert isinstance(saved, Prepared)
