"""Smoke test of bench/load.py: a tiny region, a real embedded server, no timing checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

from tests.bench.support import load_script

bench = load_script("load")
main = cast(Callable[[Sequence[str] | None], int], bench.main)
START = cast(str, bench.START)
END = cast(str, bench.END)
SOURCES = cast(dict[str, str], bench.SOURCES)

_RATIO = r"\*\*\d+\.\d\d \(\d+\.\d\d-\d+\.\d\d\)\*\*"


def test_load_bench_writes_its_section(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    out.write_text(
        "# Benchmark results\n\n<!-- store_write:start -->\nkept\n<!-- store_write:end -->\n"
    )
    args = ["--persons", "500", "--repeats", "1", "--no-profile", "--out", str(out)]

    assert main(args) == 0

    text = out.read_text()
    assert text.startswith("# Benchmark results")
    assert "<!-- store_write:start -->\nkept\n<!-- store_write:end -->" in text
    assert text.count(START) == 1
    assert text.count(END) == 1
    assert text.index("<!-- store_write:end -->") < text.index(START)
    section = text[text.index(START) : text.index(END)]
    assert "--persons 500 --repeats 1 --no-profile" in section
    for name, kind in SOURCES.items():
        # | `people.csv` | people | rows | records | statements | ... | **ratio (min-max)** |
        assert re.search(
            rf"^\| `{re.escape(name)}` \| {kind} \| [\d,]+ \| [\d,]+ \| [\d,]+ "
            rf"\| [\d,]+ \| [\d,]+ \| [\d,]+ \| {_RATIO} \|$",
            section,
            re.MULTILINE,
        ), section
    assert re.search(rf"^\| \*\*region\*\* \| all \|.* \| {_RATIO} \|$", section, re.MULTILINE)
    assert re.search(r"\*\*Target loader/raw >= 0\.5: (met|not met)\*\*", section)
    assert "peak RSS (`VmHWM`)" in section
    assert "used_memory_peak_human" in section
