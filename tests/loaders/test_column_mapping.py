from __future__ import annotations

from pathlib import Path

import pytest

from loaders.column_mapping import (
    CellError,
    Cells,
    ColumnMapping,
    ColumnMappingError,
    HeaderError,
    Layout,
    check_mapping,
    iter_table,
    load_column_mapping,
    resolve_header,
)
from loaders.normalise import DateOrder
from loaders.reading import Rejected
from schema.errors import ClewError

LAYOUT = Layout("things", required=("ref", "name"), optional=("dob", "phones", "when"))


def write(tmp_path: Path, text: str, name: str = "mapping.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_mapping_with_every_option(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
columns:
  ref: "PNC ID"
  name: "Family Name"
date_order: mdy
default_country: ie
delimiter: ";"
timezone: Europe/London
ignore: ["Notes"]
""",
    )
    mapping = load_column_mapping(path, LAYOUT)
    assert mapping.columns == {"ref": "PNC ID", "name": "Family Name"}
    assert mapping.date_order is DateOrder.MDY
    assert mapping.default_country == "IE"
    assert mapping.delimiter == ";"
    assert mapping.zone is not None
    assert mapping.header_for("ref") == "PNC ID"
    assert mapping.header_for("dob") == "dob"


def test_empty_mapping_is_the_documented_layout(tmp_path: Path) -> None:
    mapping = load_column_mapping(write(tmp_path, ""), LAYOUT)
    assert mapping == ColumnMapping()
    assert mapping.delimiter == ","
    assert mapping.zone is None


def test_unknown_documented_name_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "columns:\n  surname: Family Name\n  nmae: X\n")
    with pytest.raises(ColumnMappingError) as info:
        load_column_mapping(path, LAYOUT)
    message = str(info.value)
    assert "'nmae', 'surname' not documented for 'things'" in message
    assert "known: ref, name, dob, phones, when" in message
    assert isinstance(info.value, ClewError)
    assert info.value.problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("date_order: dym\n", "date_order"),
        ("default_country: XX\n", "not a region"),
        ("delimiter: ';;'\n", "not a delimiter"),
        ("timezone: Mars/Olympus\n", "not an IANA time zone"),
        ("columns:\n  ref: A\n  name: a\n", "both mapped to"),
        ("columns:\n  ref: ' '\n", "blank header"),
        ("columns:\n  ref: Notes\nignore: [notes]\n", "both mapped and ignored"),
        ("colums:\n  ref: A\n", "Extra inputs"),
        ("- a\n- b\n", "must be a mapping"),
        ("columns: [\n", "cannot be read"),
    ],
)
def test_invalid_mappings_say_why(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ColumnMappingError, match=problem):
        load_column_mapping(write(tmp_path, text), LAYOUT)


def test_several_problems_are_reported_together() -> None:
    with pytest.raises(ColumnMappingError) as info:
        ColumnMapping.for_layout({"columns": {"x": "y"}, "delimiter": ""}, LAYOUT)
    assert len(info.value.problems) == 2


def test_a_mapping_built_in_code_is_checked_against_the_layout() -> None:
    mapping = ColumnMapping(columns={"nope": "X"})
    with pytest.raises(ColumnMappingError, match="not documented"):
        check_mapping(mapping, LAYOUT)


# --- headers ------------------------------------------------------------------------------------


def test_headers_match_without_case_or_spaces() -> None:
    mapping = ColumnMapping(columns={"ref": "PNC ID"})
    header = resolve_header("f", [" pnc id", "NAME ", "dob"], LAYOUT, mapping)
    assert header.positions == {"ref": 0, "name": 1, "dob": 2}


def test_header_problems_are_reported_together() -> None:
    with pytest.raises(HeaderError) as info:
        resolve_header("f.csv", ["name", "name", "extra"], LAYOUT, ColumnMapping())
    problems = info.value.problems
    assert any("repeats 'name'" in p for p in problems)
    assert any("no 'ref' column" in p for p in problems)
    assert any("'extra'" in p and "ignore" in p for p in problems)


def test_missing_mapped_header_names_both() -> None:
    mapping = ColumnMapping(columns={"ref": "PNC ID"})
    with pytest.raises(HeaderError, match="no 'PNC ID' column \\(mapped from 'ref'\\)"):
        resolve_header("f", ["name"], LAYOUT, mapping)


def test_ignored_columns_are_allowed() -> None:
    header = resolve_header("f", ["ref", "name", "Notes"], LAYOUT, ColumnMapping(ignore=("notes",)))
    assert header.positions == {"ref": 0, "name": 1}


# --- rows ---------------------------------------------------------------------------------------


def test_table_rows_by_documented_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "PNC ID;name\n\nA1;Ann\nA2;Bob;extra\n\nA3; Cat  Dog \n",
        "t.csv",
    )
    mapping = ColumnMapping(columns={"ref": "PNC ID"}, delimiter=";")
    items = list(iter_table(path, LAYOUT, mapping))
    assert isinstance(items[1], Rejected)
    assert items[1].row.line == 4
    assert "has 3 fields where the header has 2" in items[1].reason
    good = [i for i in items if not isinstance(i, Rejected)]
    assert [(row.line, cells.text("ref"), cells.text("name")) for row, cells in good] == [
        (3, "A1", "Ann"),
        (6, "A3", "Cat Dog"),
    ]


def test_undecodable_header_raises(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"ref,n\xffame\nA1,Ann\n")
    with pytest.raises(HeaderError, match="header line cannot be read"):
        list(iter_table(path, LAYOUT, ColumnMapping()))


def test_empty_file_raises(tmp_path: Path) -> None:
    with pytest.raises(HeaderError, match="empty"):
        list(iter_table(write(tmp_path, "\n\n", "t.csv"), LAYOUT, ColumnMapping()))


def test_cells_read_values_and_name_the_column_in_errors() -> None:
    mapping = ColumnMapping(columns={"dob": "Date of Birth"}, date_order=DateOrder.DMY)
    cells = Cells(
        {"ref": " A1 ", "name": "", "dob": "03/04/2020", "phones": "07700 900123 | ;020 7946 0000"},
        mapping,
    )
    assert cells.text("name") is None
    assert cells.required("ref") == "A1"
    assert cells.partial_date("dob") is not None
    assert cells.phones("phones") == ("+447700900123", "+442079460000")
    assert any(w.startswith("phones: ") for w in cells.warnings)
    with pytest.raises(CellError, match=r"^name: required but blank$"):
        cells.required("name")
    bad = Cells({"dob": "04/13/2020"}, mapping)
    with pytest.raises(CellError, match=r"^dob \('Date of Birth'\): '04/13/2020' is not a day"):
        bad.partial_date("dob")
