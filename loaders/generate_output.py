"""Streaming writers for the synthetic region's files, which count the rows they write and the
line each row starts on (ground truth points at rows by file and line, as provenance does).

CSV is written with "\\n" line ends and no field holds a newline, so each row is one line;
JSON lines are compact, keys in the order given, non-ASCII kept.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

CsvCell = str | int | None


class _Out:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0
        self._lines = 0
        self._fh: IO[str] = path.open("w", encoding="utf-8", newline="")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._fh.close()


class CsvOut(_Out):
    """A CSV file with a header; ``write`` returns the line the row is on."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        super().__init__(path)
        self._writer = csv.writer(self._fh, lineterminator="\n")
        self._writer.writerow(header)
        self._lines = 1

    def write(self, row: Sequence[CsvCell]) -> int:
        self._writer.writerow(row)
        self.rows += 1
        self._lines += 1
        return self._lines

    def write_many(self, rows: Sequence[Sequence[CsvCell]]) -> None:
        self._writer.writerows(rows)
        self.rows += len(rows)
        self._lines += len(rows)

    def write_text(self, text: str, rows: int) -> None:
        """Rows already formatted as CSV lines (the hot path for calls)."""
        self._fh.write(text)
        self.rows += rows
        self._lines += rows


class JsonlOut(_Out):
    """A JSON lines file; ``write`` returns the line the object is on."""

    def write(self, value: dict[str, Any], *, record: bool = True) -> int:
        self._fh.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        self._fh.write("\n")
        self._lines += 1
        if record:
            self.rows += 1
        return self._lines


TRUTH_RECORDS_HEADER = ("file", "line", "key", "person_id", "note")


class TruthLog:
    """``truth/records.csv``: for each generated source row that describes a person, the
    person it truly is (``note`` says when the row was written with false or no details)."""

    def __init__(self, path: Path) -> None:
        self.out = CsvOut(path, TRUTH_RECORDS_HEADER)

    def add(self, file: str, line: int, key: str, person: int, note: str = "") -> None:
        self.out.write((file, line, key, f"P{person:07d}", note))

    def close(self) -> None:
        self.out.close()
