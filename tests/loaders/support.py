"""What the loader tests share: where the real samples are, and line accounting."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from loaders.reading import LoadContext, Parsed, Reader, ReadResult, Rejected
from schema.records import PassengerRecord

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
"""../shared/data beside the checkout: real public samples, never copied into the repository."""

needs_data = pytest.mark.skipif(not DATA.exists(), reason="shared sample data not present")


def accounted(path: Path, results: Iterable[ReadResult]) -> None:
    """Every line lies in exactly one result's row, or is blank or JSON punctuation."""
    lines = path.read_bytes().splitlines()
    seen: list[int] = []
    for r in results:
        seen.extend(range(r.row.line, r.row.line + r.row.text.count("\n") + 1))
    assert len(seen) == len(set(seen))
    rest = [n for n in range(1, len(lines) + 1) if n not in set(seen)]
    assert all(lines[n - 1].strip(b" \t\r[],") == b"" for n in rest), rest


def read_by_line(
    reader: Reader, path: Path, context: LoadContext
) -> tuple[dict[int, Parsed], dict[int, Rejected]]:
    """A file's results by line: those parsed and those rejected (nothing else)."""
    results: list[ReadResult] = list(reader.read(path, context))
    parsed = {r.row.line: r for r in results if isinstance(r, Parsed)}
    rejected = {r.row.line: r for r in results if isinstance(r, Rejected)}
    assert len(parsed) + len(rejected) == len(results)
    return parsed, rejected


def passenger_records(results: Iterable[ReadResult]) -> list[PassengerRecord]:
    """The passenger records of a reader's results, in order."""
    return [
        r
        for item in results
        if isinstance(item, Parsed)
        for r in item.records
        if isinstance(r, PassengerRecord)
    ]


def messages_accounted(path: Path, results: list[ReadResult]) -> None:
    """Each EDIFACT message in the file is one result (its records, or its reject); the other
    results are envelope warnings without records."""
    messages = [r for r in results if r.row.text.startswith("UNH")]
    assert len(messages) == path.read_bytes().count(b"UNH+")
    assert all(isinstance(r, Parsed) and not r.records for r in results if r not in messages)
