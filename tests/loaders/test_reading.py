from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from loaders.reading import LoadContext, RawRow, Rejected, iter_csv, iter_lines
from schema.ids import raw_hash


def test_lines_are_numbered_and_bad_utf8_is_rejected_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbffirst\r\nbad \xff byte\nthird\n")
    items = list(iter_lines(path))
    assert items[0] == RawRow(str(path), 1, "first")
    assert isinstance(items[1], Rejected)
    assert items[1].row.line == 2
    assert "not valid UTF-8" in items[1].reason
    assert "column 5" in items[1].reason
    assert items[2] == RawRow(str(path), 3, "third")


def test_csv_rows_keep_first_line_and_raw_text_across_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('id,note\n1,"two\nlines"\n2,plain\n', encoding="utf-8")
    items = list(iter_csv(path))
    assert [(r.line, f) for r, f in items if not isinstance(r, Rejected)] == [  # type: ignore[misc]
        (1, ["id", "note"]),
        (2, ["1", "two\nlines"]),
        (4, ["2", "plain"]),
    ]
    row, _ = items[1]  # type: ignore[misc]
    assert row.text == '1,"two\nlines"'


def test_csv_with_an_undecodable_line_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"id,name\n1,Ann\n2,B\xe9a\n3,Cat\n")
    items = list(iter_csv(path))
    good = [f for item in items if not isinstance(item, Rejected) for f in [item[1]]]
    bad = [item for item in items if isinstance(item, Rejected)]
    assert good == [["id", "name"], ["1", "Ann"], ["3", "Cat"]]
    assert [r.row.line for r in bad] == [3]


def test_provenance_from_context() -> None:
    context = LoadContext(source="pnc", load_batch="b1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))
    p = context.provenance(RawRow("f.csv", 7, "a,b"))
    assert (p.source, p.source_file, p.line, p.load_batch) == ("pnc", "f.csv", 7, "b1")
    assert p.raw_hash == raw_hash("a,b")
