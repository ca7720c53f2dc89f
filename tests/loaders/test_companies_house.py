from __future__ import annotations

import json
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from loaders.ch_companies import CompaniesReader
from loaders.ch_officers import OfficersReader
from loaders.ch_psc import PscReader
from loaders.companies_house import (
    BadRow,
    Fields,
    iter_json_values,
    key_name,
    parse_date,
    parse_partial_date,
    sniff_json,
)
from loaders.reading import RawRow, Reader, Rejected
from schema.base import PartialDate


def values(path: Path) -> list[tuple[int, object]]:
    """(line, value) per value; (line, "REJECTED: reason") per rejected row."""
    out: list[tuple[int, object]] = []
    for item in iter_json_values(path):
        if isinstance(item, Rejected):
            out.append((item.row.line, f"REJECTED: {item.reason}"))
        else:
            row, value = item
            out.append((row.line, value))
    return out


def test_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n\n{"b": 2}\n', encoding="utf-8")
    assert values(path) == [(1, {"a": 1}), (3, {"b": 2})]


def test_array_one_element_a_line_with_trailing_commas(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[\n{"a": 1},\n{"b": 2},\n{"c": 3}\n]\n', encoding="utf-8")
    assert values(path) == [(2, {"a": 1}), (3, {"b": 2}), (4, {"c": 3})]


def test_pretty_printed_array_keeps_each_elements_text(tmp_path: Path) -> None:
    items = [{"a": {"b": [1, 2]}}, {"c": "d"}]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    results = list(iter_json_values(path))
    assert [(r.line, v) for r, v in results] == [(2, items[0]), (10, items[1])]  # type: ignore[misc]
    row, _ = results[1]  # type: ignore[misc]
    assert row.text == '{\n    "c": "d"\n  }'


def test_one_pretty_printed_object_and_one_line_array(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{\n  "a": [\n    1\n  ]\n}', encoding="utf-8")
    assert values(path) == [(1, {"a": [1]})]
    path.write_text('[{"a": 1}, {"b": 2}]\n', encoding="utf-8")
    results = list(iter_json_values(path))
    assert [(r.row.line if isinstance(r, Rejected) else r[0].text) for r in results] == [
        '{"a": 1}',
        '{"b": 2}',
    ]


def test_truncated_line_is_rejected_and_the_next_line_still_read(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n{"b": {"c": 2\n{"d": 3}\n{"e": "cut sh\n{"f": 4}\n', "utf-8")
    got = values(path)
    assert got[0] == (1, {"a": 1})
    assert got[1] == (
        2,
        "REJECTED: truncated JSON: the value at line 2, column 1 is not closed before line 3 "
        "(Expecting ',' delimiter)",
    )
    assert got[2] == (3, {"d": 3})
    assert got[3] == (4, "REJECTED: truncated JSON: a string is not closed at the end of line 4")
    assert got[4] == (5, {"f": 4})


def test_malformed_value_inside_a_pretty_printed_array(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('[\n  {\n    "a": 1\n    "b": 2\n  },\n  {"c": 3}\n]\n', "utf-8")
    got = values(path)
    assert got[0] == (2, "REJECTED: malformed JSON: Expecting ',' delimiter at line 4, column 5")
    assert got[1] == (5, "REJECTED: malformed JSON: Expecting value at line 5, column 3")
    assert got[2] == (6, {"c": 3})


def test_value_unclosed_at_end_of_file(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"a": 1}\n{"b": [1,\n', "utf-8")
    got = values(path)
    assert got[0] == (1, {"a": 1})
    assert got[1] == (2, "REJECTED: truncated JSON: Expecting value at the end of the file")


def test_undecodable_line_rejects_the_value_it_is_in(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(b'{"a": 1}\n\xff{"b": 2}\n{\n "c": "\xe9t\xe9",\n "d": 1\n}\n{"e": 5}\n')
    got = values(path)
    assert got[0] == (1, {"a": 1})
    assert got[1][0] == 2
    assert "not valid UTF-8" in str(got[1][1])
    assert got[2][0] == 4
    assert "not valid UTF-8" in str(got[2][1])
    assert got[3] == (
        3,
        "REJECTED: JSON value spans undecodable line(s) 4; re-export as UTF-8",
    )
    assert got[4] == (7, {"e": 5})


def test_a_value_past_the_limit_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{\n"a": "' + "x" * 50 + '",\n"b": 1,\n"c": 2\n}\n{"d": 1}\n', "utf-8")
    got = [
        (i.row.line, i.reason) if isinstance(i, Rejected) else (i[0].line, i[1])
        for i in iter_json_values(path, limit=40)
    ]
    assert got[0][0] == 1
    assert "longer than 40 characters" in str(got[0][1])
    assert got[-1] == (6, {"d": 1})


def test_json_lines_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    line = json.dumps({"company_number": "01234567", "data": {"name": "x" * 200}})
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(20_000):
            fh.write(line + "\n")
    assert path.stat().st_size > 4_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_json_values(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < 1_000_000


def test_text_that_is_not_json_is_rejected_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("CompanyName, CompanyNumber\n! LTD,08209948\n", "utf-8")
    assert values(path) == [
        (1, "REJECTED: malformed JSON: Expecting value at line 1, column 1"),
        (2, "REJECTED: malformed JSON: Expecting value at line 2, column 1"),
    ]


def test_sniff_json(tmp_path: Path) -> None:
    path = tmp_path / "x"
    for text, expected in [("\ufeff  [\n", True), ('\n{"a"', True), (" CompanyName,", False)]:
        path.write_text(text, encoding="utf-8")
        assert sniff_json(path) is expected


def test_key_names_meet_across_shapes() -> None:
    assert key_name(" RegAddress.AddressLine1") == "regaddressaddressline1"
    assert key_name("reg_address_address_line1") == "regaddressaddressline1"
    assert key_name(" PreviousName_10.CONDATE") == "previousname10condate"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/08/1864", date(1864, 8, 27)),
        ("1864-08-27", date(1864, 8, 27)),
        ("1864-08-27T00:00:00", date(1864, 8, 27)),
        ("18640827", date(1864, 8, 27)),
        ("", None),
        (None, None),
    ],
)
def test_dates(text: str | None, expected: date | None) -> None:
    assert parse_date(text, label="d") == expected


@pytest.mark.parametrize("text", ["31/02/2020", "2020-13-01", "12 Jan 2020", "1864-08-27T10:00:00"])
def test_bad_dates_say_what_was_expected(text: str) -> None:
    with pytest.raises(BadRow, match=r"IncorporationDate .* is not a date"):
        parse_date(text, label="IncorporationDate")


def test_partial_birth_dates() -> None:
    assert parse_partial_date("196207  ", label="d") == PartialDate(year=1962, month=7)
    assert parse_partial_date({"month": 12, "year": 1961}, label="d") == PartialDate(
        year=1961, month=12
    )
    assert parse_partial_date("  ", label="d") is None
    with pytest.raises(BadRow, match="not a year and month"):
        parse_partial_date("196213", label="d")
    with pytest.raises(BadRow, match="as numbers"):
        parse_partial_date({"year": "1961"}, label="d")


def test_fields_name_the_path_of_a_wrong_type() -> None:
    fields = Fields({"data": {"identification": {"registration_number": 123}}})
    with pytest.raises(BadRow, match=r"data\.identification\.registration_number should be text"):
        fields.obj("data").obj("identification").text("registration_number")
    with pytest.raises(BadRow, match="expected a JSON object, not a list"):
        Fields([])
    assert Fields({"a": "  "}).text("a") is None
    assert Fields({}).obj("x").text("y") is None


def test_rejected_rows_keep_their_text(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": tru}, {"b": 1}\n', "utf-8")
    (item,) = list(iter_json_values(path))
    assert isinstance(item, Rejected)
    assert item.row == RawRow(str(path), 1, '{"a": tru}, {"b": 1}')


def test_the_readers_meet_the_reader_contract() -> None:
    readers: list[Reader] = [CompaniesReader(), PscReader(), OfficersReader()]
    assert [r.kind for r in readers] == ["companies", "psc", "officers"]
