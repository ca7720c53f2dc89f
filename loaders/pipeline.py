"""The load pipeline: a reader's rows into the graph in durable batches, rejects to a file.

``run_load`` streams: it holds one batch of records at a time, whatever the file's size. Each
batch writes its records (one statement per record kind), then the keyed entities and the
relationships the records assert (``loaders.entities``: one statement per label and per
relationship type), then recomputes the CALLED aggregates of the phone pairs its calls touched;
every statement is durable before the next batch is read, so a load
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
    # Entities by label and id: one row each per batch, however many records name them.
    entity_batch: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    referenced_batch: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    edge_batch: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = defaultdict(dict)
    called: set[tuple[str, str]] = set()
    entities = 0
    entities_written = RecordWrite()
    edges_written = edges_missing = called_refreshed = 0
    pending = 0
    written = RecordWrite()
    batches = 0
    files: list[str] = []

    def flush() -> None:
        nonlocal pending, written, entities_written, batches
        nonlocal edges_written, edges_missing, called_refreshed
        # Records, then the entities they name, then the relationships between them: each
        # step's ends exist before the next is written.
        if store is not None:
            for label, rows in batch.items():
                written = written + write_records(store, label, rows)
            for label, by_id in entity_batch.items():
                entities_written = entities_written + write_entities(
                    store, label, list(by_id.values())
                )
            for label, by_id in referenced_batch.items():
                fresh = {i: r for i, r in by_id.items() if i not in entity_batch.get(label, {})}
                write_referenced(store, label, list(fresh.values()))
            for (rel_type, start, end), edges in edge_batch.items():
                done, missing = write_edges(store, rel_type, start, end, list(edges.values()))
                edges_written += done
                edges_missing += missing
            if called:
                called_refreshed += refresh_called(store, sorted(called))
        batch.clear()
        entity_batch.clear()
        referenced_batch.clear()
        edge_batch.clear()
        called.clear()
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
                        writes = writes_for(record)
                        for entity in writes.entities:
                            _merge(entity_batch[entity.label], entity.id, entity.node_properties())
                        for entity in writes.referenced:
                            referenced_batch[entity.label].setdefault(
                                entity.id, entity.node_properties()
                            )
                        for edge in writes.edges:
                            key = (edge.rel_type, edge.start_label, edge.end_label)
                            _add_edge(edge_batch[key], edge.upsert_row())
                        called.update(writes.called_pairs)
                else:
                    for entity in item.entities:
                        _merge(entity_batch[entity.label], entity.id, entity.node_properties())
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
        edges_written=edges_written,
        edges_missing=edges_missing,
        called_refreshed=called_refreshed,
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
