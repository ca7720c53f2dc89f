"""What every benchmark script shares: machine facts, a private server, its RESULTS.md section.

bench/ is a folder of scripts, not a package: a script run as ``python bench/NAME.py`` puts the
repository root on ``sys.path`` first and imports this module as ``bench.common``.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from graph.embedded import EmbeddedServer


def command_line(script: str, argv: Sequence[str] | None) -> str:
    """How a results section says it was produced: ``python bench/<script> ARGS``."""
    shown = sys.argv[1:] if argv is None else list(argv)
    return shlex.join(["python", f"bench/{script}", *shown])


def log(message: str) -> None:
    """A progress line, on stderr (stdout may carry results)."""
    print(message, file=sys.stderr, flush=True)


def cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def platform_facts() -> dict[str, str]:
    """CPUs usable by this process, the OS and Python: the line every section starts with."""
    return {
        "cpus": f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()} ({cpu_model()})",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: how busy the shared machine was."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def filesystem_of(path: Path) -> str:
    """The filesystem that holds ``path`` (its type, device and mount point)."""
    found, best = "unknown filesystem", ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            dev, mnt, kind = line.split()[:3]
            if str(path).startswith(mnt) and len(mnt) >= len(best):
                best, found = mnt, f"{kind} ({dev} on {mnt})"
    return found


def status_kib(field: str, pid: int | str = "self") -> int | None:
    """A ``/proc/<pid>/status`` memory field in KiB (``VmHWM``: the peak RSS, which unlike
    ``ru_maxrss`` is the process's own and not carried over across ``fork``)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


@contextlib.contextmanager
def embedded_server(prefix: str = "clew-bench-") -> Iterator[EmbeddedServer]:
    """A private server in a fresh short directory under /tmp, stopped and removed at the end."""
    root = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    server = EmbeddedServer(root / "data")
    try:
        server.start()
        yield server
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def write_section(path: Path, section: str, *, start: str, end: str, header: str) -> None:
    """Replace the section between ``start`` and ``end`` of ``path``: appended when absent, and
    the file created with ``header`` when missing. Other sections are left as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else header
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
