"""The load pipeline: a reader's rows into the graph in durable batches, rejects to a file.

``run_load`` streams: it holds one batch of records at a time, whatever the file's size. Each
batch is written as one statement per record kind, durable before the next is read, so a load
killed part-way keeps every batch it finished and a reload converges on the same graph (record
ids are deterministic and unchanged rows are left untouched). Rejected rows go to a JSON-lines
reject file (file, line, reason, raw text) and the load goes on; every row read is counted as
loaded or rejected, and the summary says how many of each and why.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph.records import RecordWrite, write_entities, write_records
from graph.store import GraphStore
from loaders.reading import LoadContext, Parsed, Reader, ReferenceReader, Rejected

_NUMBERS = re.compile(r"\d+")


def reason_class(reason: str) -> str:
    """A reject reason without its particulars (numbers, quoted values), for counting."""
    head = reason.split(":", 1)[0] if ":" in reason[:80] else reason[:80]
    return _NUMBERS.sub("N", re.sub(r"'[^']*'|\"[^\"]*\"", "…", head)).strip()


@dataclass
class LoadProgress:
    """Running totals, passed to the progress callback after every batch and at the end."""

    read: int = 0
    records: int = 0
    rejected: int = 0
    warnings: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rows_per_s(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.read / elapsed if elapsed > 0 else 0.0


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What a load did."""

    kind: str
    files: tuple[str, ...]
    read: int
    records: int
    entities: int
    entities_written: RecordWrite
    rejected: int
    warnings: int
    written: RecordWrite
    batches: int
    seconds: float
    dry_run: bool
    reject_file: Path | None
    reject_reasons: tuple[tuple[str, int], ...]
    warning_examples: tuple[str, ...]

    @property
    def rows_per_s(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


class _Rejects:
    """The reject file, opened on the first reject (no reject, no file)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fh: IO[str] | None = None

    def write(self, rejected: Rejected) -> None:
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
        entry = {
            "file": rejected.row.file,
            "line": rejected.row.line,
            "reason": rejected.reason,
            "raw": rejected.row.text,
        }
        self._fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()


def run_load(
    reader: Reader | ReferenceReader,
    paths: Iterable[Path],
    context: LoadContext,
    *,
    store: GraphStore | None,
    batch_size: int = 5_000,
    reject_file: Path | None = None,
    on_progress: Callable[[LoadProgress], None] | None = None,
) -> LoadSummary:
    """Read every path with ``reader`` and write its records; ``store=None`` is a dry run
    (everything is read and checked, nothing is written to the graph)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    progress = LoadProgress()
    rejects = _Rejects(reject_file)
    reasons: Counter[str] = Counter()
    warnings: list[str] = []
    batch: dict[str, list[dict[str, Any]]] = defaultdict(list)
    entity_batch: dict[str, list[dict[str, Any]]] = defaultdict(list)
    entities = 0
    entities_written = RecordWrite()
    pending = 0
    written = RecordWrite()
    batches = 0
    files: list[str] = []

    def flush() -> None:
        nonlocal pending, written, entities_written, batches
        if store is not None:
            for label, rows in batch.items():
                written = written + write_records(store, label, rows)
            for label, rows in entity_batch.items():
                entities_written = entities_written + write_entities(store, label, rows)
        batch.clear()
        entity_batch.clear()
        if pending:
            batches += 1
        pending = 0
        if on_progress is not None:
            on_progress(progress)

    try:
        for path in paths:
            files.append(str(path))
            for item in reader.read(path, context):
                progress.read += 1
                if isinstance(item, Rejected):
                    progress.rejected += 1
                    reasons[reason_class(item.reason)] += 1
                    rejects.write(item)
                    continue
                if item.warnings:
                    progress.warnings += len(item.warnings)
                    if len(warnings) < 20:
                        warnings.extend(
                            f"{item.row.file}:{item.row.line}: {w}" for w in item.warnings
                        )
                if isinstance(item, Parsed):
                    for record in item.records:
                        batch[record.label].append(record.node_properties())
                        progress.records += 1
                        pending += 1
                else:
                    for entity in item.entities:
                        entity_batch[entity.label].append(entity.node_properties())
                        entities += 1
                        pending += 1
                if pending >= batch_size:
                    flush()
        flush()
    finally:
        rejects.close()
    return LoadSummary(
        kind=reader.kind,
        files=tuple(files),
        read=progress.read,
        records=progress.records,
        entities=entities,
        entities_written=entities_written,
        rejected=progress.rejected,
        warnings=progress.warnings,
        written=written,
        batches=batches,
        seconds=time.monotonic() - progress.started,
        dry_run=store is None,
        reject_file=reject_file if progress.rejected and reject_file is not None else None,
        reject_reasons=tuple(reasons.most_common()),
        warning_examples=tuple(warnings[:20]),
    )
