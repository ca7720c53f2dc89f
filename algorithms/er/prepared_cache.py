"""A table's preparation kept on disk, so that an incremental run need not read it again.

``prepare`` normalises every cell of every mention; on a region of a million people that is
most of an incremental run (thirteen seconds of eighteen). A full or incremental run therefore
saves its ``Prepared`` (``save_prepared``), and the next incremental run loads it
(``load_prepared``) and ``Prepared.extend``s it with the new mentions alone.

One file, ``prepared.npz`` in the folder given (the caller decides where: nothing here reads
the environment): numeric arrays as they are, strings as UTF-8 text in byte arrays (joined by
NUL, or as JSON where a string holds a NUL), no pickle,
so that a file in the data folder cannot run code when read (``allow_pickle=False``). It is
written to a temporary file and renamed over the old one, so a reader sees the old file or
the new one, never half of one. It names the model version it was prepared for and the
record (mention) ids in order; a file made for another model, or any file that cannot be read
back whole, is a miss (``CacheMiss``, with the reason), never an error: the caller prepares
from scratch.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, cast

import numpy as np
from numpy.typing import NDArray

from algorithms.er.features import Encoded
from algorithms.er.prepared import Prepared
from algorithms.er.table import MULTI_VALUED, Column, ColumnKind, RecordTable

FILE_NAME: Final = "prepared.npz"
FORMAT: Final = 1
"""Bumped whenever what is saved, or how ``prepare`` encodes, changes meaning."""


@dataclass(frozen=True, slots=True)
class CacheMiss:
    """Why no preparation was loaded: no file, another model's, or one not readable whole."""

    reason: str


def save_prepared(folder: Path, prepared: Prepared, model_version: str) -> Path:
    """Write ``prepared`` (made for the model ``model_version``) to ``folder`` atomically."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    table = prepared.table
    arrays: dict[str, NDArray[Any]] = {}
    _put_strings(arrays, "ids", table.ids)
    if table.dataset is not None:
        _put_strings(arrays, "dataset", table.dataset)
    columns: list[dict[str, Any]] = []
    for at, (name, column) in enumerate(table.columns.items()):
        e = prepared.raw[name]
        p = f"c{at}."
        # Cells as codes into the distinct ones (-1: missing); a multi-valued cell as its
        # values each led by a unit separator (a tuple's hash is not kept, a string's is: this
        # way each cell is hashed once). A single-valued column's cells are strings or None
        # (``RecordTable`` checks).
        cells = cast("Sequence[str | None]", column.values)
        if column.kind in MULTI_VALUED:
            values = column.values
            if any(_US in v for c in values if isinstance(c, tuple) for v in c) or any(
                c.startswith(_US) if isinstance(c, str) else c == () for c in values
            ):
                raise ValueError(f"column {name!r} has a value this file cannot hold")
            cells = [_US + _US.join(c) if isinstance(c, tuple) else c for c in values]
        distinct = [c for c in dict.fromkeys(cells) if c is not None]
        position: dict[str | None, int] = dict(zip(distinct, range(len(distinct)), strict=True))
        position[None] = -1
        arrays[p + "cell_codes"] = np.fromiter(
            map(position.__getitem__, cells), dtype=np.int32, count=len(cells)
        )
        _put_strings(arrays, p + "cells", distinct)
        arrays[p + "cell_multi"] = np.fromiter(
            (c.startswith(_US) for c in distinct), dtype=np.bool_, count=len(distinct)
        )
        arrays[p + "lengths"] = np.diff(e.offsets).astype(np.int32)
        arrays[p + "slots"] = e.slots
        _put_strings(arrays, p + "values", e.values)
        arrays[p + "hubs"] = prepared.hubs.get(name, np.empty(0, dtype=np.int64))
        for k, a in e.attrs.items():
            arrays[p + "attr." + k] = a
        for k, t in e.texts.items():
            _put_strings(arrays, p + "text." + k, t.tolist())
        for k, v in e.keys.items():
            _put_strings(arrays, p + "key." + k, v.tolist())
        if e.related is not None:
            arrays[p + "related"] = e.related
        columns.append(
            {
                "name": name,
                "kind": column.kind.value,
                "hubs": name in prepared.hubs,
                "attrs": list(e.attrs),
                "texts": list(e.texts),
                "keys": list(e.keys),
                "related": e.related is not None,
            }
        )
    meta = {
        "format": FORMAT,
        "model_version": model_version,
        "records": len(table),
        "columns": columns,
    }
    arrays["meta"] = _json(meta)
    with tempfile.NamedTemporaryFile(
        dir=folder, prefix=".prepared-", suffix=".npz", delete=False
    ) as f:
        tmp = Path(f.name)
    try:
        # Typed as if each array could be ``allow_pickle``: the keywords are array names here.
        savez: Any = np.savez
        savez(tmp, **arrays)
        os.chmod(tmp, 0o600)
        target = folder / FILE_NAME
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def load_prepared(folder: Path, model_version: str) -> Prepared | CacheMiss:
    """The preparation saved in ``folder`` for ``model_version``, or why there is none."""
    path = folder / FILE_NAME
    if not path.is_file():
        return CacheMiss("no prepared table saved")
    try:
        # Opened here, so that it is closed whatever ``np.load`` makes of it.
        with path.open("rb") as f, np.load(f, allow_pickle=False) as data:
            meta = _unjson(data["meta"])
            if meta.get("format") != FORMAT:
                return CacheMiss(f"saved in format {meta.get('format')}, not {FORMAT}")
            if meta.get("model_version") != model_version:
                return CacheMiss("saved for another model")
            return _read(data, meta)
    except (
        OSError,
        KeyError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        zipfile.BadZipFile,
    ) as e:
        return CacheMiss(f"unreadable ({type(e).__name__}: {e})")


def _read(data: Mapping[str, NDArray[Any]], meta: Mapping[str, Any]) -> Prepared | CacheMiss:
    ids = _strings(data, "ids")
    n = int(meta["records"])
    if len(ids) != n:
        return CacheMiss("record ids do not match the record count")
    dataset = _strings(data, "dataset") if "dataset" in data else None
    columns: dict[str, Column] = {}
    raw: dict[str, Encoded] = {}
    hubs: dict[str, NDArray[np.int64]] = {}
    for at, c in enumerate(meta["columns"]):
        p = f"c{at}."
        name, kind = str(c["name"]), ColumnKind(c["kind"])
        codes = data[p + "cell_codes"]
        if codes.size != n:
            return CacheMiss(f"column {name!r} has {codes.size} cells for {n} records")
        # The distinct cells, then None for missing (code -1 picks the last).
        cells = _objects([*_strings(data, p + "cells"), None])
        for at_multi in np.flatnonzero(data[p + "cell_multi"]).tolist():
            cells[at_multi] = tuple(str(cells[at_multi]).split(_US)[1:])
        columns[name] = Column(kind, cells[codes].tolist())
        values = _strings(data, p + "values")
        lengths = data[p + "lengths"]
        if lengths.size != n:
            return CacheMiss(f"column {name!r} has {lengths.size} lengths for {n} records")
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        slots = data[p + "slots"]
        if int(offsets[-1]) != slots.size:
            return CacheMiss(f"column {name!r}: lengths do not match the values of records")
        first = np.full(n, -1, dtype=np.int32)
        has = lengths > 0
        first[has] = slots[offsets[:-1][has]]
        e = Encoded(
            kind,
            offsets,
            slots,
            first,
            values,
            np.bincount(slots, minlength=len(values)).astype(np.int64),
            attrs={k: data[p + "attr." + k] for k in c["attrs"]},
            texts={k: _objects(_strings(data, p + "text." + k)) for k in c["texts"]},
            related=data[p + "related"] if c["related"] else None,
            strings=_objects(values),
            keys={k: _objects(_strings(data, p + "key." + k)) for k in c["keys"]},
        )
        problem = _check(e, n)
        if problem:
            return CacheMiss(f"column {name!r}: {problem}")
        raw[name] = e
        if c["hubs"]:
            hubs[name] = data[p + "hubs"]
    table = RecordTable.trusted(ids, columns, dataset)
    return Prepared.assemble(table, raw, hubs)


def _check(e: Encoded, n: int) -> str | None:
    """What is inconsistent in ``e`` (a file cut short, or written by other code), if anything."""
    values = len(e.values)
    if e.slots.size and (int(e.slots.min()) < 0 or int(e.slots.max()) >= values):
        return "value codes out of range"
    if any(a.shape[0] != values for a in e.attrs.values()):
        return "per-value arrays do not match the values"
    return None


_NUL: Final = "\x00"
_US: Final = "\x1f"


def _put_strings(arrays: dict[str, NDArray[Any]], name: str, values: Sequence[str]) -> None:
    # Joined by NUL and split again on load: ten times faster than JSON both ways. A NUL in a
    # value (never seen, but possible) sends that list to JSON.
    joined = _NUL.join(values)
    if len(values) and joined.count(_NUL) == len(values) - 1:
        arrays[name] = np.frombuffer(joined.encode(), dtype=np.uint8)
    else:
        arrays[name + ".json"] = _json(list(values))


def _strings(data: Mapping[str, NDArray[Any]], name: str) -> list[str]:
    if name + ".json" in data:
        values = _unjson(data[name + ".json"])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"{name} is not a list of strings")
        return values
    return data[name].tobytes().decode().split(_NUL)


def _json(value: Any) -> NDArray[np.uint8]:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def _unjson(array: NDArray[Any]) -> Any:
    return json.loads(array.tobytes().decode())


def _objects(values: Sequence[Any]) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
