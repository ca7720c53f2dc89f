"""The load pipeline: a reader's rows into the graph in durable batches, rejects to a file.

``run_load`` streams: it holds one batch of records at a time, whatever the file's size. Each
batch writes its records (one statement per record kind), then the keyed entities and the
relationships the records assert (``loaders.entities``: one statement per label and per
relationship type), then recomputes the CALLED aggregates of the phone pairs its calls touched;
batches are written on a background thread while the next one is read (at most one in flight,
written in order, each statement durable when the store returns), so a load killed part-way
keeps every batch it finished and a reload converges on the same graph (record ids are
deterministic and unchanged rows are left untouched). Rejected rows go to a JSON-lines
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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph.called import refresh_called
from graph.records import (
    RecordWrite,
    write_edges,
    write_entities,
    write_records,
    write_referenced,
)
from graph.store import GraphStore
from loaders.mapping import writes_for
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
    edges_written: int
    edges_missing: int
    called_refreshed: int
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


def _merge(rows: dict[str, dict[str, Any]], entity_id: str, props: dict[str, Any]) -> None:
    """One row per entity in a batch; a later record's known values win, absent ones do not."""
    row = rows.setdefault(entity_id, {})
    row.update({k: v for k, v in props.items() if v is not None and v != []})


def _add_edge(rows: dict[str, dict[str, Any]], row: dict[str, Any]) -> None:
    """One row per relationship in a batch, with the records of every row that asserted it."""
    known = rows.get(row["id"])
    if known is None:
        rows[row["id"]] = row
        return
    ids = list(known["props"].get("record_ids", ()))
    ids += [r for r in row["props"].get("record_ids", ()) if r not in ids]
    known["props"] = {**known["props"], **row["props"], "record_ids": ids}


@dataclass
class _Batch:
    """One batch's writes: record rows by label, entity rows by label and id, relationship rows
    by (type, start label, end label) and id, and the phone pairs whose CALLED to recompute."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    # Entities by label and id: one row each per batch, however many records name them.
    entities: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    referenced: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    edges: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    called: set[tuple[str, str]] = field(default_factory=set)
    rows: int = 0


@dataclass
class _Written:
    """What the store reported for the batches written so far."""

    records: RecordWrite = field(default_factory=RecordWrite)
    entities: RecordWrite = field(default_factory=RecordWrite)
    edges: int = 0
    edges_missing: int = 0
    called: int = 0
    batches: int = 0

    def add(self, other: _Written) -> None:
        self.records = self.records + other.records
        self.entities = self.entities + other.entities
        self.edges += other.edges
        self.edges_missing += other.edges_missing
        self.called += other.called
        self.batches += other.batches


def _write_batch(store: GraphStore, batch: _Batch) -> _Written:
    """Records, then the entities they name, then the relationships between them: each step's
    ends exist before the next is written; every statement is durable when it returns."""
    out = _Written(batches=1)
    for label, rows in batch.records.items():
        out.records = out.records + write_records(store, label, rows)
    for label, by_id in batch.entities.items():
        out.entities = out.entities + write_entities(store, label, list(by_id.values()))
    for label, by_id in batch.referenced.items():
        described = batch.entities.get(label, {})
        fresh = [row for i, row in by_id.items() if i not in described]
        write_referenced(store, label, fresh)
    for (rel_type, start, end), edges in batch.edges.items():
        done, missing = write_edges(store, rel_type, start, end, list(edges.values()))
        out.edges += done
        out.edges_missing += missing
    if batch.called:
        out.called += refresh_called(store, sorted(batch.called))
    return out


class _Writer:
    """Writes batches on one background thread while the reader parses the next: at most one
    batch is in flight, and it is written in full (and durable) before the next one starts, so
    the order of writes is the order of batches.

    Parsing is Python work and a write is mostly the server's: overlapping them is what lets a
    load approach the server's own write rate (bench/load.py). The store is only ever used by
    the writer thread while a load runs.
    """

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clew-load-writer")
        self._in_flight: Future[_Written] | None = None
        self.written = _Written()

    def submit(self, batch: _Batch) -> None:
        self.wait()
        self._in_flight = self._pool.submit(_write_batch, self._store, batch)

    def wait(self) -> None:
        """Until the batch in flight is written; re-raises its error."""
        if self._in_flight is not None:
            future, self._in_flight = self._in_flight, None
            self.written.add(future.result())

    def close(self) -> None:
        # A failing load still lets the batch in flight finish: no half-sent statement.
        self._pool.shutdown(wait=True)


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
    writer = _Writer(store) if store is not None else None
    current = _Batch()
    entities = 0
    dry_batches = 0
    files: list[str] = []

    def flush() -> None:
        nonlocal current, dry_batches
        if current.rows:
            if writer is not None:
                writer.submit(current)
            else:
                dry_batches += 1
        current = _Batch()
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
                batch = current
                if isinstance(item, Parsed):
                    for record in item.records:
                        batch.records[record.label].append(record.node_properties())
                        progress.records += 1
                        batch.rows += 1
                        writes = writes_for(record)
                        for entity in writes.entities:
                            _merge(
                                batch.entities[entity.label], entity.id, entity.node_properties()
                            )
                        for entity in writes.referenced:
                            named = batch.referenced[entity.label]
                            if entity.id not in named:
                                named[entity.id] = entity.node_properties()
                        for edge in writes.edges:
                            key = (edge.rel_type, edge.start_label, edge.end_label)
                            _add_edge(batch.edges[key], edge.upsert_row())
                        batch.called.update(writes.called_pairs)
                else:
                    for entity in item.entities:
                        _merge(batch.entities[entity.label], entity.id, entity.node_properties())
                        entities += 1
                        batch.rows += 1
                if batch.rows >= batch_size:
                    flush()
        flush()
        if writer is not None:
            writer.wait()
    finally:
        rejects.close()
        if writer is not None:
            writer.close()
    written = writer.written if writer is not None else _Written(batches=dry_batches)
    return LoadSummary(
        kind=reader.kind,
        files=tuple(files),
        read=progress.read,
        records=progress.records,
        entities=entities,
        entities_written=written.entities,
        edges_written=written.edges,
        edges_missing=written.edges_missing,
        called_refreshed=written.called,
        rejected=progress.rejected,
        warnings=progress.warnings,
        written=written.records,
        batches=written.batches,
        seconds=time.monotonic() - progress.started,
        dry_run=store is None,
        reject_file=reject_file if progress.rejected and reject_file is not None else None,
        reject_reasons=tuple(reasons.most_common()),
        warning_examples=tuple(warnings[:20]),
    )
