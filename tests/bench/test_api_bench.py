"""Smoke test of bench/api.py: a few requests per variant, a real embedded server, no timings."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from tests.bench.support import load_script

bench = load_script("api")
main = cast(Callable[[Sequence[str] | None], int], bench.main)
START = cast(str, bench.START)
END = cast(str, bench.END)


def test_api_bench_writes_its_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text("# Benchmark results\n\nSomething another benchmark wrote.\n")
    args = ["--requests", "5", "--repeats", "2", "--profile", "--write", "--out", str(out)]

    assert main(args) == 0
    assert main(args) == 0  # a second run replaces the section instead of adding one

    text = out.read_text()
    assert "Something another benchmark wrote." in text
    assert text.count(START) == 1
    assert text.count(END) == 1
    section = text[text.index(START) : text.index(END)]
    assert "--requests 5 --repeats 2" in section
    # | **clew** | **2.345** | 3.456 | **14.61 (13.54-18.15)** |
    assert re.search(
        r"^\| \*\*clew\*\* \| \*\*\d+\.\d{3}\*\* \| \d+\.\d{3} \| \*\*\d+\.\d\d "
        r"\(\d+\.\d\d-\d+\.\d\d\)\*\* \|",
        section,
        re.MULTILINE,
    ), section
    assert re.search(r"^\| clew_memory \| \d+\.\d{3} \|", section, re.MULTILINE), section
    assert "Target clew/peer <= 2.0" in section
    assert "The audit write's share" in section
    assert "cProfile of 5 clew requests" in section


def test_without_write_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    assert main(["--requests", "2", "--repeats", "1", "--out", str(out)]) == 0
    assert not out.exists()
