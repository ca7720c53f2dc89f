"""Smoke test of bench/api_expand.py: a tiny graph, a real server and ``clew serve``, no timings."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from tests.bench.support import load_script

bench = load_script("api_expand")
graph = load_script("api_expand_graph")
main = cast(Callable[[Sequence[str] | None], int], bench.main)
START = cast(str, bench.START)
END = cast(str, bench.END)


def test_api_expand_bench_caches_its_graph_and_writes_its_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    stale = f"{START}\nan earlier run\n{END}\n"
    out.write_text(f"# Benchmark results\n\nSomething another benchmark wrote.\n\n{stale}")
    cache = tmp_path / "c"
    args = ["--persons", "300", "--requests", "12", "--clients", "2", "--cache", str(cache)]

    assert main([*args, "--out", str(out)]) == 0
    assert out.read_text().endswith(stale)  # nothing written without --write
    manifest = json.loads((cache / "n300-s7" / "manifest.json").read_text())
    assert manifest["persons"] == 300
    assert manifest["relationships"] > 900  # about 4 a person, less duplicate pairs
    assert main([*args, "--write", "--out", str(out)]) == 0  # the cached graph, reused

    text = out.read_text()
    assert "Something another benchmark wrote." in text
    assert text.count(START) == 1
    assert text.count(END) == 1
    assert "an earlier run" not in text
    section = text[text.index(START) : text.index(END)]
    assert "--persons 300 --requests 12 --clients 2" in section
    assert "reused from the cache" in section
    # | **api** | 21.37 | 49.76 | 23.48 | 43 | 58 |
    assert re.search(r"^\| \*\*api\*\*( \| \d+(\.\d\d)?){5} \|$", section, re.MULTILINE), section
    assert re.search(r"^\| raw( \| \d+(\.\d\d)?){5} \|$", section, re.MULTILINE), section
    assert re.search(r"Target p99 api/raw <= 1\.5: (met|not met)\*\* \(\d+\.\d\d", section)


def test_without_a_cache_the_graph_is_built_in_tmp_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    args = ["--persons", "100", "--requests", "3", "--clients", "1", "--no-cache"]
    assert main([*args, "--out", str(out)]) == 0
    assert not out.exists()


def test_the_graph_is_a_function_of_its_shape() -> None:
    shape = graph.Shape(1_000, 3)
    first, again = graph.edge_sets(shape), graph.edge_sets(graph.Shape(1_000, 3))
    assert [len(e.a) for e in first] == [len(e.a) for e in again]
    assert all((e.a == f.a).all() and (e.b == f.b).all() for e, f in zip(first, again, strict=True))
    assert graph.seed_people(shape, 5) == graph.seed_people(graph.Shape(1_000, 3), 5)
    assert sum(len(e.a) for e in first) > 3_500  # about 4 relationships a person
    called = next(e for e in first if e.type == "CALLED")
    assert not (called.a == called.b).any()  # no phone calls itself
