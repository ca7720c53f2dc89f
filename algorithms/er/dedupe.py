"""Deduplicate any CSV: the column config, the run, and the output rows with their evidence.

``clew dedupe INPUT.csv --config COLUMNS.yaml --out OUTPUT.csv`` lets a user try Clew's matching
on a file it has never seen. The config names the id column and the kind of each column to
match on; everything else (comparisons, blocking, the model, the threshold) follows from the
kinds, trained on the file itself without labels::

    id: customer_id
    columns:
      first_name: forename
      last_name: surname
      dob: date_of_birth
      mobile: phone
      postcode: postcode
    # optional: link two files' records rather than deduplicate (pairs only across values)
    # dataset: source_file

Each output row is the input id, its ``cluster_id`` (the smallest id in the cluster, so it is
stable for the same input), ``cluster_size``, and the evidence for its place: the record it is
most strongly linked to inside its cluster, that link's probability, and the comparisons that
agreed (``surname: exact (+7.9)``) and disagreed. A singleton's evidence is its best candidate
outside any cluster, if any, so a near miss can be seen.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from algorithms.er.cluster import Clustering, cluster_pairs
from algorithms.er.link import LinkResult, link
from algorithms.er.table import ColumnKind, RecordTable
from schema.errors import ResolutionError

OUTPUT_COLUMNS = (
    "cluster_id",
    "cluster_size",
    "linked_to",
    "match_probability",
    "agreeing",
    "disagreeing",
)
"""The columns ``clew dedupe`` adds after the id column."""


class DedupeConfig(BaseModel):
    """The column config of ``clew dedupe`` (YAML)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="the column that names each record")
    columns: dict[str, ColumnKind] = Field(min_length=1, description="column name -> kind")
    dataset: str | None = Field(
        default=None, description="link rather than deduplicate: pairs only across its values"
    )

    @field_validator("columns", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if isinstance(value, dict):
            # Parsed here so that an unknown kind raises UnknownColumnKind, listing the kinds.
            return {str(k): ColumnKind.parse(str(v), column=str(k)) for k, v in value.items()}
        return value

    @classmethod
    def from_yaml(cls, path: Path) -> DedupeConfig:
        """Read and check a config file; raises ``ResolutionError`` saying what to fix."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ResolutionError(f"{path}: cannot read the column config ({exc})") from exc
        if not isinstance(data, dict):
            raise ResolutionError(
                f"{path}: the column config must be a mapping with id: and columns:"
            )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}"
                for e in exc.errors()
            )
            raise ResolutionError(f"{path}: {problems}") from exc


@dataclass(frozen=True, slots=True)
class DedupeResult:
    """A dedupe run: the table, the scored pairs and model, the clusters, seconds per stage."""

    table: RecordTable
    link: LinkResult
    clustering: Clustering
    timings: dict[str, float]

    @property
    def clusters(self) -> int:
        return int(self.clustering.size.size)


def read_table(path: Path, config: DedupeConfig) -> RecordTable:
    """The CSV's records as a table; raises ``ResolutionError`` naming missing columns or a
    repeated id."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or ()]
        wanted = [config.id, *config.columns, *([config.dataset] if config.dataset else [])]
        missing = [c for c in wanted if c not in header]
        if missing:
            raise ResolutionError(
                f"{path}: no column(s) {', '.join(map(repr, missing))}; "
                f"the file has {', '.join(map(repr, header))}"
            )
        rows = ({k.strip(): v for k, v in row.items() if k is not None} for row in reader)
        table = RecordTable.from_rows(
            rows, id_column=config.id, kinds=config.columns, dataset_column=config.dataset
        )
    seen: set[str] = set()
    for record_id in table.ids:
        if record_id in seen:
            raise ResolutionError(
                f"{path}: id {record_id!r} appears more than once in {config.id!r}"
            )
        seen.add(record_id)
    return table


def dedupe(table: RecordTable) -> DedupeResult:
    """Train, score and cluster ``table`` without labels."""
    started = time.perf_counter()
    result = link(table)
    linked = time.perf_counter()
    pairs = result.pairs
    clustering = cluster_pairs(
        len(table), pairs.left, pairs.right, pairs.weight, result.model.threshold.weight
    )
    done = time.perf_counter()
    return DedupeResult(
        table, result, clustering, {"link": linked - started, "cluster": done - linked}
    )


def output_rows(result: DedupeResult, id_column: str) -> Iterator[dict[str, str]]:
    """One row per record, in input order: id, cluster and evidence (``OUTPUT_COLUMNS``)."""
    table, pairs, labels = result.table, result.link.pairs, result.clustering.labels
    ids = list(table.ids)
    cluster_key = _cluster_keys(ids, labels)
    sizes = result.clustering.size
    best = _best_links(len(ids), pairs.left, pairs.right, pairs.weight, labels)
    params = result.link.model.comparisons
    for i, record_id in enumerate(ids):
        row = {
            id_column: record_id,
            "cluster_id": cluster_key[int(labels[i])],
            "cluster_size": str(int(sizes[labels[i]])),
            "linked_to": "",
            "match_probability": "",
            "agreeing": "",
            "disagreeing": "",
        }
        at = int(best[i])
        if at >= 0:
            other = int(pairs.right[at]) if int(pairs.left[at]) == i else int(pairs.left[at])
            row["linked_to"] = ids[other]
            row["match_probability"] = f"{float(pairs.probability[at]):.4f}"
            agree, disagree = _evidence(params, pairs.levels[at], pairs.tf[at])
            row["agreeing"], row["disagreeing"] = "; ".join(agree), "; ".join(disagree)
        yield row


def write_output(result: DedupeResult, id_column: str, out: Path) -> int:
    """Write the output CSV; returns the rows written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[id_column, *OUTPUT_COLUMNS])
        writer.writeheader()
        for row in output_rows(result, id_column):
            writer.writerow(row)
            written += 1
    return written


def _cluster_keys(ids: Sequence[str], labels: np.ndarray[Any, Any]) -> list[str]:
    """Each cluster's smallest member id: a name that does not depend on numbering."""
    keys: dict[int, str] = {}
    for record_id, label in zip(ids, labels.tolist(), strict=True):
        known = keys.get(label)
        if known is None or record_id < known:
            keys[label] = record_id
    return [keys[c] for c in range(len(keys))]


def _best_links(
    n: int,
    left: np.ndarray[Any, Any],
    right: np.ndarray[Any, Any],
    weight: np.ndarray[Any, Any],
    labels: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """For each record, the row of its strongest pair: inside its cluster when it has one
    there, otherwise its strongest candidate anywhere (-1 when it has none)."""
    best = np.full(n, -1, dtype=np.int64)
    if left.size == 0:
        return best
    inside = labels[left] == labels[right]
    # Rank pairs so that in-cluster pairs come before any other, then by weight: the last
    # write per record (ascending order) is its best.
    order = np.lexsort((weight, inside))
    ends = np.concatenate([left[order], right[order]])
    rows = np.concatenate([order, order])
    rank = np.concatenate([np.arange(order.size), np.arange(order.size)])
    by_rank = np.argsort(rank, kind="stable")
    best[ends[by_rank]] = rows[by_rank]
    return best


def _evidence(
    params: Sequence[Any], levels: np.ndarray[Any, Any], tf: np.ndarray[Any, Any]
) -> tuple[list[str], list[str]]:
    agree: list[str] = []
    disagree: list[str] = []
    for c, comparison in enumerate(params):
        level = int(levels[c])
        if level < 0:
            continue
        lp = comparison.levels[level]
        contribution = float(np.log2(lp.m / lp.u)) + float(tf[c])
        text = f"{comparison.name}: {lp.label} ({contribution:+.1f})"
        if contribution > 0:
            agree.append(text)
        elif contribution < 0:
            disagree.append(text)
    return agree, disagree
