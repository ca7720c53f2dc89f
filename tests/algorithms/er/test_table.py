"""RecordTable and ColumnKind: validation, construction from rows, concatenation."""

from __future__ import annotations

import pytest

from algorithms.er.table import Column, ColumnKind, RecordTable
from schema.errors import ClewError, ResolutionError, UnknownColumnKind


def test_unknown_kind_lists_the_known_kinds() -> None:
    with pytest.raises(UnknownColumnKind) as caught:
        ColumnKind.parse("shoe_size", column="shoes")
    error = caught.value
    assert isinstance(error, ResolutionError)
    assert isinstance(error, ClewError)
    assert error.kind == "shoe_size"
    assert error.known == tuple(k.value for k in ColumnKind)
    assert "shoes" in str(error)
    assert "forename" in str(error)
    assert "date_of_birth" in str(error)


def test_kinds_parse_by_name_and_have_configuration_aliases() -> None:
    assert ColumnKind.parse(" Date_Of_Birth ") is ColumnKind.DATE_OF_BIRTH
    assert ColumnKind["forename"] is ColumnKind.FORENAME
    assert len(list(ColumnKind)) == 12


def test_column_kind_given_as_text_is_parsed() -> None:
    assert Column("surname", ["x"]).kind is ColumnKind.SURNAME  # type: ignore[arg-type]
    with pytest.raises(UnknownColumnKind):
        Column("nonsense", ["x"])  # type: ignore[arg-type]


def test_columns_must_have_one_cell_per_record() -> None:
    with pytest.raises(ResolutionError, match="2 cells for 3 record ids"):
        RecordTable(["a", "b", "c"], {"s": Column(ColumnKind.SURNAME, ["x", "y"])})
    with pytest.raises(ResolutionError, match="dataset"):
        RecordTable(["a"], {"s": Column(ColumnKind.SURNAME, ["x"])}, dataset=["d1", "d2"])


def test_only_phones_emails_and_identifiers_may_hold_several_values() -> None:
    RecordTable(["a"], {"p": Column(ColumnKind.PHONE, [("1", "2")])})
    with pytest.raises(ResolutionError, match="multi-valued"):
        RecordTable(["a"], {"s": Column(ColumnKind.SURNAME, [("x", "y")])})


def test_from_rows_reads_blank_cells_as_missing_and_lists_as_tuples() -> None:
    rows = [
        {"id": 1, "name": " Smith ", "tel": ["0770", " ", "0771"], "ds": "a"},
        {"id": 2, "name": "", "tel": None, "ds": "b"},
    ]
    table = RecordTable.from_rows(
        rows, id_column="id", kinds={"name": "surname", "tel": "phone"}, dataset_column="ds"
    )
    assert list(table.ids) == ["1", "2"]
    assert list(table.columns["name"].values) == ["Smith", None]
    assert list(table.columns["tel"].values) == [("0770", "0771"), None]
    assert table.is_link
    with pytest.raises(UnknownColumnKind):
        RecordTable.from_rows(rows, id_column="id", kinds={"name": "nom"})


def test_concat_puts_new_records_after_the_old() -> None:
    old = RecordTable(["a"], {"s": Column(ColumnKind.SURNAME, ["x"])})
    new = RecordTable(["b", "c"], {"s": Column(ColumnKind.SURNAME, ["y", None])})
    both = old.concat(new)
    assert list(both.ids) == ["a", "b", "c"]
    assert list(both.columns["s"].values) == ["x", "y", None]
    with pytest.raises(ResolutionError, match="columns"):
        old.concat(RecordTable(["b"], {"t": Column(ColumnKind.SURNAME, ["y"])}))
