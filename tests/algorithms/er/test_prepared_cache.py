"""The preparation saved and loaded: the same preparation back, and a miss (never an error)
for another model's file, a damaged one, or none."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from algorithms.er.prepared import Prepared, prepare
from algorithms.er.prepared_cache import FILE_NAME, CacheMiss, load_prepared, save_prepared
from algorithms.er.table import Column, ColumnKind, RecordTable
from tests.algorithms.er.test_extend import assert_same_preparation, split, varied


@pytest.fixture(scope="module")
def table() -> RecordTable:
    return varied(300)


def test_saved_and_loaded_is_the_same_preparation(table: RecordTable, tmp_path: Path) -> None:
    prepared = prepare(table)
    path = save_prepared(tmp_path / "cache", prepared, "v1")
    assert path.name == FILE_NAME
    assert (path.stat().st_mode & 0o777) == 0o600
    loaded = load_prepared(tmp_path / "cache", "v1")
    assert isinstance(loaded, Prepared)
    assert_same_preparation(loaded, prepared)
    # And it extends as the original does.
    old, new = split(table, 250)
    again = load_prepared(save_prepared(tmp_path, prepare(old), "v1").parent, "v1")
    assert isinstance(again, Prepared)
    assert_same_preparation(again.extend(new), prepare(table))


def test_odd_strings_survive(tmp_path: Path) -> None:
    # A NUL in a value, an empty column, a link table's datasets.
    table = RecordTable(
        ["a", "b\x00", "c"],
        {
            "name": Column(ColumnKind.SURNAME, ["smith\x00", None, "jones"]),
            "phone": Column(ColumnKind.PHONE, [("07700 900001", "07700 900002"), None, None]),
            "none": Column(ColumnKind.EMAIL, [None, None, None]),
        },
        ["x", "y", "x"],
    )
    prepared = prepare(table)
    loaded = load_prepared(save_prepared(tmp_path, prepared, "v1").parent, "v1")
    assert isinstance(loaded, Prepared)
    assert_same_preparation(loaded, prepared)


def test_another_models_file_is_a_miss(table: RecordTable, tmp_path: Path) -> None:
    save_prepared(tmp_path, prepare(table), "v1")
    got = load_prepared(tmp_path, "v2")
    assert isinstance(got, CacheMiss)
    assert "another model" in got.reason


def test_no_file_is_a_miss(tmp_path: Path) -> None:
    assert isinstance(load_prepared(tmp_path / "nothing", "v1"), CacheMiss)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip"])
def test_a_damaged_file_is_a_miss(table: RecordTable, tmp_path: Path, damage: str) -> None:
    path = save_prepared(tmp_path, prepare(table), "v1")
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a zip file at all")
    else:
        # A byte changed inside the stored arrays: the zip's checksum catches it.
        at = len(data) // 3
        path.write_bytes(data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :])
    got = load_prepared(tmp_path, "v1")
    assert isinstance(got, CacheMiss)
    assert got.reason


def test_a_pickled_array_is_not_run(table: RecordTable, tmp_path: Path) -> None:
    path = save_prepared(tmp_path, prepare(table), "v1")
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["ids"] = np.array([object()], dtype=object)
    np.savez(path, **arrays, allow_pickle=True)
    assert isinstance(load_prepared(tmp_path, "v1"), CacheMiss)
