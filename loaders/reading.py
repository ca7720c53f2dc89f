"""The contract between a source's reader and the load pipeline.

A reader turns one file into a stream of ``Parsed`` rows (each with the records it yields) and
``Rejected`` rows (each with the reason), in file order, without holding the file in memory.
Nothing read is dropped silently: every row the reader consumed comes out as one or the other.
The pipeline (``clew load``) gives readers a ``LoadContext`` that says which source and load
batch the rows belong to, and writes what they yield to the graph and the reject file.

Reference data (airports, airlines) is read the same way into entities rather than records:
``ReferenceParsed`` carries them.

Line numbers are 1-based and point at the first physical line of the row (a CSV row with a
quoted newline spans several lines; an EDIFACT message spans many segments).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from schema.entities import Entity
from schema.grading import Grading, Sensitivity
from schema.ids import raw_hash
from schema.provenance import Provenance
from schema.records import Record


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read: where it is, and its exact text (for the reject file and the hash)."""

    file: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class LoadContext:
    """What a reader needs to know about the load it serves."""

    source: str
    load_batch: str
    loaded_at: datetime
    handling: Grading | None = None
    sensitivity: Sensitivity = Sensitivity.OFFICIAL

    def provenance(self, row: RawRow) -> Provenance:
        return Provenance(
            source=self.source,
            source_file=row.file,
            line=row.line,
            load_batch=self.load_batch,
            loaded_at=self.loaded_at,
            raw_hash=raw_hash(row.text),
            handling=self.handling,
            sensitivity=self.sensitivity,
        )


@dataclass(frozen=True, slots=True)
class Parsed:
    """A row that was read, with the records it yields (one row may yield several) and any
    warnings an analyst should see (an ambiguous date read one way, a value normalised)."""

    row: RawRow
    records: tuple[Record, ...]
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row that could not be read, and why, in words that say what to fix."""

    row: RawRow
    reason: str


ReadResult = Parsed | Rejected


class Reader(Protocol):
    """Reads one kind of source file (``clew load KIND``)."""

    @property
    def kind(self) -> str: ...

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]: ...


@dataclass(frozen=True, slots=True)
class ReferenceParsed:
    """A reference row that was read, with the entities it yields (possibly none)."""

    row: RawRow
    entities: tuple[Entity, ...]
    warnings: tuple[str, ...] = ()


ReferenceResult = ReferenceParsed | Rejected


class ReferenceReader(Protocol):
    """Reads one kind of reference file into entities (``clew load KIND``)."""

    @property
    def kind(self) -> str: ...

    def read(self, path: Path, context: LoadContext) -> Iterator[ReferenceResult]: ...


def iter_lines(path: Path) -> Iterator[RawRow | Rejected]:
    """The file's lines, decoded as UTF-8 (a byte-order mark is skipped); a line that is not
    valid UTF-8 is rejected with the offending bytes named, and reading goes on."""
    name = str(path)
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.end]
                yield Rejected(
                    RawRow(name, number, raw.decode("utf-8", errors="replace").rstrip("\r\n")),
                    f"not valid UTF-8 (bytes {bad!r} at column {exc.start + 1}); "
                    "re-export the file as UTF-8",
                )
                continue
            yield RawRow(name, number, text.rstrip("\r\n"))


def iter_csv(path: Path, *, delimiter: str = ",") -> Iterator[tuple[RawRow, list[str]] | Rejected]:
    """CSV rows with their raw text and first line number, streamed; quoted fields may span
    lines. Undecodable lines are rejected on their own and the rest of the file is read."""
    pending: list[RawRow] = []

    def physical() -> Iterator[str]:
        for item in iter_lines(path):
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            pending.append(item)
            yield item.text + "\n"

    rejected: list[Rejected] = []
    reader = csv.reader(physical(), delimiter=delimiter, strict=True)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            yield from rejected
            return
        except csv.Error as exc:
            yield from rejected
            rejected.clear()
            rows = pending[:]
            pending.clear()
            first = rows[0] if rows else RawRow(str(path), reader.line_num, "")
            yield Rejected(
                RawRow(first.file, first.line, "\n".join(r.text for r in rows)),
                f"malformed CSV: {exc}",
            )
            continue
        yield from rejected
        rejected.clear()
        rows = pending[:]
        pending.clear()
        if not rows:
            continue
        yield RawRow(rows[0].file, rows[0].line, "\n".join(r.text for r in rows)), fields
