"""Smoke test of bench/store_write.py: tiny sizes, a real embedded server, no timing checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from tests.bench.support import load_script

bench = load_script("store_write")
main = cast(Callable[[Sequence[str] | None], int], bench.main)
START = cast(str, bench.START)
END = cast(str, bench.END)


def test_store_write_bench_writes_its_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nSomething another benchmark wrote.\n")
    args = ["--rows", "60", "--batch-size", "25", "60", "--repeats", "2", "--out", str(out)]

    assert main(args) == 0
    assert main(args) == 0  # a second run replaces the section instead of adding one

    text = out.read_text()
    assert text.startswith("# Benchmark results")
    assert "Something another benchmark wrote." in text
    assert text.count(START) == 1
    assert text.count(END) == 1
    section = text[text.index(START) : text.index(END)]
    assert "--rows 60 --batch-size 25 60" in section
    for kind in ("nodes", "edges"):
        for batch in ("25", "60"):
            # | nodes | 25 | store | raw | **ratio (min-max)** | ...
            assert re.search(
                rf"^\| {kind} \| {batch} \| [\d,]+ \| [\d,]+ \| \*\*\d+\.\d\d "
                r"\(\d+\.\d\d-\d+\.\d\d\)\*\* \|",
                section,
                re.MULTILINE,
            ), section
    assert "Target store/raw >= 0.8" in section
    assert "Durability" in section
