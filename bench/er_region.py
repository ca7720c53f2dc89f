"""The synthetic region's person mentions and Clew's side on them (``bench/er.py``'s helper).

The region is ``clew generate``'s (made on first use, untimed, kept in the cache folder) with its
ground truth (``truth/records.csv``: the true person of every record, and of every subject of a
report). Every person-describing record is read with the loaders' readers and turned into
mentions (``algorithms.er.person_mentions``), untimed; the mentions and each one's true person
are kept beside the region (``mentions.pickle``) so that each measuring process reads them in
seconds. Both sides get the same mentions.

Clew's side is what ``clew resolve`` runs: ``link`` on ``MentionTable.table()`` with its
defaults, then ``cluster_pairs`` at the model's threshold with the police-nominal must-links
(``deterministic_links``).

The incremental figure (``run_incremental_region``): ``HELD_OUT`` mentions drawn at random are
held out, a full run on the rest (untimed) gives the model and the existing clusters and saves
its preparation to disk, and the timed step resolves the held-out mentions against them as
``clew resolve --incremental`` does, with the stored model and no retraining: the saved
preparation loaded and extended with the new mentions; its clusters are then compared with a
full run on every mention.
"""

from __future__ import annotations

import csv
import gc
import pickle
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from bench.er_scores import truth_scores

REGION_FILES: Final = {
    "people": "people.csv",
    "missing": "missing.csv",
    "subscribers": "subscribers.csv",
    "officers": "officers.jsonl",
    "psc": "psc.jsonl",
    "passengers": "passengers.csv",
    "reports": "reports.jsonl",
}


def region_dir(cache: Path, persons: int, seed: int) -> Path:
    """The generated region (made on first use, untimed)."""
    from loaders.generate import generate_region

    folder = cache / f"region-{persons}-{seed}"
    if not (folder / "truth" / "records.csv").exists():
        generate_region(folder, persons, seed)
    return folder


def read_region(folder: Path) -> tuple[Any, NDArray[Any]]:
    """The region's mentions (``MentionTable``) and each mention's true person, read once and
    then kept beside the region."""
    kept = folder / "mentions.pickle"
    if kept.exists():
        with kept.open("rb") as f:
            # Our own file, written below from the generated region.
            mentions, truth = pickle.load(f)  # noqa: S301
        return mentions, truth
    mentions, truth = _read_region(folder)
    with kept.with_suffix(".tmp").open("wb") as f:
        pickle.dump((mentions, truth), f, protocol=pickle.HIGHEST_PROTOCOL)
    kept.with_suffix(".tmp").replace(kept)
    return mentions, truth


def _read_region(folder: Path) -> tuple[Any, NDArray[Any]]:
    from algorithms.er.person_mentions import read_mentions
    from loaders.reading import LoadContext, Parsed
    from loaders.registry import KINDS as LOADERS
    from loaders.registry import ReaderOptions, reader_for

    props: list[tuple[str, dict[str, Any]]] = []
    where: dict[str, tuple[str, int]] = {}
    when = datetime(2024, 6, 1, tzinfo=UTC)
    for kind, name in REGION_FILES.items():
        ctx = LoadContext(source=LOADERS[kind].source, load_batch="bench", loaded_at=when)
        for item in reader_for(kind, ReaderOptions()).read(folder / name, ctx):
            if isinstance(item, Parsed):
                for record in item.records:
                    props.append((record.label, record.node_properties()))
                    where[record.id] = (name, item.row.line)
    mentions = read_mentions(props)
    truth: dict[tuple[str, int], list[tuple[str, str]]] = {}
    with (folder / "truth" / "records.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            truth.setdefault((row["file"], int(row["line"])), []).append(
                (row["key"], row["person_id"])
            )
    labels = []
    for i, m in enumerate(mentions.mentions):
        found = truth.get(where[m.record_id], [])
        if "#subject" in m.mention_id:
            tail = "#subject" + m.mention_id.split("#subject")[1]
            found = [c for c in found if c[0].endswith(tail)]
        labels.append(found[0][1] if found else f"unknown-{i}")
    return mentions, np.array(labels)


def run_clew_region(mentions: Any, truth: NDArray[Any]) -> dict[str, Any]:
    from algorithms.er.cluster import cluster_pairs
    from algorithms.er.link import link
    from algorithms.er.person_mentions import deterministic_links

    began = time.perf_counter()
    table = mentions.table()
    result = link(table)
    pairs = result.pairs
    must = deterministic_links(mentions.mentions)
    clustering = cluster_pairs(
        len(table), pairs.left, pairs.right, pairs.weight, result.model.threshold.weight, must
    )
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "clusters": truth_scores(truth, clustering.labels).__dict__,
        "candidates": result.blocking.candidate_pairs,
        "stages": result.timings | {"cluster": seconds - result.timings["total"]},
    }


HELD_OUT: Final = 10_000
"""New mentions resolved incrementally against the rest."""


def run_incremental_region(mentions: Any, truth: NDArray[Any], seed: int = 7) -> dict[str, Any]:
    """``HELD_OUT`` mentions drawn at random are held out; a full run on the rest (untimed)
    gives the model and the existing clusters, and saves its preparation (``prepared_cache``)
    to a temporary folder; then the timed step resolves the held-out ones against them as
    ``clew resolve --incremental`` does, less the graph's reads and writes: the preparation
    loaded from disk, the new mentions' table built and the preparation extended with it
    (``extend_for``), ``candidate_pairs(new_from=...)``, ``score_pairs``, the affected mentions,
    and ``assign_incremental`` over the new pairs and the full run's pairs among the affected
    existing mentions (the same model scored them, blocking the existing table). The result is
    compared with a full run on every mention (untimed): pairs of mentions that each puts in one
    cluster, one against the other, and each against the truth."""
    from algorithms.er.cluster import cluster_pairs
    from algorithms.er.entity_explain import model_version
    from algorithms.er.incremental import affected_mentions, assign_incremental
    from algorithms.er.link import candidate_pairs, extend_for, link, score_pairs
    from algorithms.er.person_mentions import MentionTable, deterministic_links
    from algorithms.er.prepared import Prepared
    from algorithms.er.prepared_cache import load_prepared, save_prepared
    from algorithms.er.settings import LinkSettings

    everyone = mentions.mentions
    held = min(HELD_OUT, len(everyone) // 2)
    new = np.sort(np.random.default_rng(seed).choice(len(everyone), held, replace=False))
    order = np.concatenate([np.setdiff1d(np.arange(len(everyone)), new), new])
    ordered = [everyone[i] for i in order.tolist()]
    n_old = len(ordered) - held
    base = link(MentionTable(ordered[:n_old]).table())
    model, threshold = base.model, base.model.threshold.weight
    existing = cluster_pairs(
        n_old,
        base.pairs.left,
        base.pairs.right,
        base.pairs.weight,
        threshold,
        deterministic_links(ordered[:n_old]),
    ).labels
    version = model_version(model)
    folder = tempfile.TemporaryDirectory(prefix="clew-bench-prepared-")
    save_prepared(Path(folder.name), base.prepared, version)
    base_pairs = base.pairs
    # The full run's preparation is on disk: the timed step reads it from there, not memory.
    del base
    gc.collect()

    began = time.perf_counter()
    loaded = load_prepared(Path(folder.name), version)
    if not isinstance(loaded, Prepared):
        raise RuntimeError(f"the saved preparation did not load: {loaded.reason}")
    loaded_s = time.perf_counter() - began
    prepared = extend_for(model, loaded, MentionTable(ordered[n_old:]).table())
    table = prepared.table
    settings = LinkSettings(
        max_block_size=model.max_block_size,
        max_name_block_size=model.max_name_block_size,
        hub_limits=model.hub_limits,
        region=model.region,
    )
    extended_s = time.perf_counter() - began - loaded_s
    found = candidate_pairs(
        table, model.blocking_rules, new_from=n_old, settings=settings, prepared=prepared
    )
    scored = score_pairs(model, table, found.left, found.right, prepared=prepared)
    paired_s = time.perf_counter() - began - loaded_s - extended_s
    must = deterministic_links(ordered)
    left, right = scored.left.astype(np.int64), scored.right.astype(np.int64)
    affected = affected_mentions(existing, held, left, right, scored.weight, threshold, must)
    among = np.zeros(n_old, dtype=bool)
    among[affected[affected < n_old]] = True
    inside = among[base_pairs.left] & among[base_pairs.right]
    assignment = assign_incremental(
        existing,
        held,
        np.concatenate([left, base_pairs.left[inside]]),
        np.concatenate([right, base_pairs.right[inside]]),
        np.concatenate([scored.weight, base_pairs.weight[inside]]),
        threshold,
        must,
    )
    seconds = time.perf_counter() - began
    summary = {
        "new_pairs": int(left.size),
        "affected": int(affected.size),
        "joined": assignment.joined,
        "created": assignment.created,
        "merged": len(assignment.merged),
    }
    labels = assignment.labels
    # The full run below needs the memory the runs above hold.
    del base_pairs, loaded, prepared, found, scored, left, right, inside, among, assignment
    folder.cleanup()
    gc.collect()

    full = link(table)
    full_labels = cluster_pairs(
        len(table),
        full.pairs.left,
        full.pairs.right,
        full.pairs.weight,
        full.model.threshold.weight,
        must,
    ).labels
    ordered_truth = truth[order]
    return {
        "seconds": seconds,
        "stages": {
            "load_cache": loaded_s,
            "extend": extended_s,
            "block_and_score": paired_s,
            "assign": seconds - loaded_s - extended_s - paired_s,
        },
        "held_out": held,
        "existing": n_old,
        **summary,
        "agreement": truth_scores(full_labels, labels).__dict__,
        "incremental": truth_scores(ordered_truth, labels).__dict__,
        "full": truth_scores(ordered_truth, full_labels).__dict__,
    }
