"""Rows/s of ``GraphStore`` batched upserts against the raw FalkorDB client, side by side.

Issue 2, item 9: the interface may cost at most 20% (store/raw >= 0.8) with durability on, and
the report states what durability costs. Usage (from the repository root)::

    .venv/bin/python bench/store_write.py [--rows N] [--batch-size B ...] [--repeats R]
                                          [--quick] [--profile] [--out bench/RESULTS.md]

The script starts its own embedded server (``appendfsync always``, as Clew runs it) in a fresh
directory under /tmp, and removes it at the end. For each repeat and batch size, every variant
loads the same N person-like nodes, then N CALLED-like edges between them, into its own fresh
graph with the unique constraint on ``id`` that a real load has (created before the clock
starts). The variants take turns batch by batch, in an order that rotates every batch and
reverses every cycle, so that the background load of a shared machine falls on all of them
alike; a variant's time is the sum of its batches' times. The variants, on the same server:

``store``
    ``FalkorStore.upsert_nodes`` / ``upsert_edges`` with ``durable=True``, called once per batch
    with the rows as Python values (``date``, ``datetime``): its own checks and encoding are
    timed, being part of the interface's cost.
``raw``
    The falkordb client's own ``GRAPH.QUERY`` command (its parameter header, ``--compact``, reply
    parsed by ``QueryResult``, exactly as ``Graph.query`` does) with ``WAITAOF 1 0`` pipelined on
    the same connection: one round trip per batch, as the store does. (``query()`` followed by a
    separate ``WAITAOF`` would add a round trip per batch and flatter the store.) The rows are
    the store's final rows, encoded once by ``graph.params.encode_params`` before timing, and the
    Cypher is the store's own (``graph.cypher``).
``raw_nowait``
    ``Graph.query`` with the same rows and Cypher, no ``WAITAOF`` (the server still fsyncs every
    write before replying, under ``appendfsync always``).
``everysec``
    As ``raw_nowait`` under ``appendfsync everysec`` (``CONFIG SET`` before each of its batches
    and back to ``always`` after, untimed): what a load costs without per-write durability.

Automatic AOF rewrites are turned off while measuring (one would fork the server in the middle
of whichever batch it fell in); the graphs are deleted and the AOF rewritten between rounds,
untimed. The data set is frozen out of the garbage collector's reach (``gc.freeze``), so that a
collection costs the same whichever variant's allocation triggers it. The figure that counts is
the ratio measured in the same run; absolute rows/s vary with the machine and its load.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import os
import pstats
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from falkordb import FalkorDB
from falkordb.query_result import QueryResult

if __package__ in (None, ""):
    # Run as a script: the shared helpers are imported as ``bench.common`` from the repository.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common
from bench.common import (
    command_line,
    embedded_server,
    filesystem_of,
    log,
    platform_facts,
    status_kib,
)
from graph import cypher
from graph.embedded import EmbeddedServer
from graph.falkor import WAITAOF_TIMEOUT_MS, FalkorStore
from graph.falkor_params import params_header
from graph.params import encode_params
from schema.ids import make_id
from schema.specs import UniqueSpec

START: Final = "<!-- store_write:start -->"
END: Final = "<!-- store_write:end -->"
HEADER: Final = (
    "# Benchmark results\n\n"
    "Each benchmark measures its variants interleaved in one run on one machine: the ratios "
    "between them are the figures that count; absolute rates vary with the machine.\n"
)
VARIANTS: Final = ("store", "raw", "raw_nowait", "everysec")
KINDS: Final = ("nodes", "edges")
TARGET: Final = 0.8
LABEL: Final = "Person"
REL: Final = "CALLED"
DEFAULT_ROWS: Final = 100_000
QUICK_ROWS: Final = 10_000
DEFAULT_BATCHES: Final = (1_000, 10_000)

_FIRST = ("Amira", "Ben", "Chloe", "Dawit", "Ewa", "Farid", "Grace", "Hamza", "Ioana", "Jonas")
_LAST = ("Ahmed", "Brown", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Haddad", "Ivanova")
_NATIONALITY = ("GB", "IE", "FR", "PL", "RO", "AL", "VN", "NG", "ER", "SD")
_TOWNS = ("Leeds", "Hull", "Derby", "Luton", "Tirana", "Hanoi", "Lagos", "Asmara", "Iasi")


# -- data --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Dataset:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]


def make_dataset(n: int, seed: int = 7) -> Dataset:
    """``n`` person-like nodes (9 keys with ``id``) and ``n`` call edges between them."""
    rng = random.Random(seed)
    base = datetime(2023, 1, 1, tzinfo=UTC)
    ids = [make_id("person", "bench", i) for i in range(n)]
    nodes = [
        {
            "id": ids[i],
            "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            "dob": date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45)),
            "gender": rng.choice(("female", "male", "unknown")),
            "nationality": rng.choice(_NATIONALITY),
            "place_of_birth": rng.choice(_TOWNS),
            "risk_score": round(rng.random(), 4),
            "confidence": rng.choice((0.5, 0.7, 0.9, 1.0)),
            "source": f"src_{rng.randrange(20):02d}",
        }
        for i in range(n)
    ]
    edges = []
    for k in range(n):
        start = ids[k]
        end = ids[(k + 1 + rng.randrange(max(n - 1, 1))) % n] if n > 1 else ids[0]
        first = base + timedelta(seconds=rng.randrange(300 * 86_400))
        edges.append(
            {
                "id": make_id("called", start, end, k),
                "start": start,
                "end": end,
                "props": {
                    "count": rng.randrange(1, 500),
                    "duration_s": round(rng.expovariate(1 / 120), 1),
                    "first_seen": first,
                    "last_seen": first + timedelta(seconds=rng.randrange(60 * 86_400)),
                },
            }
        )
    return Dataset(nodes=nodes, edges=edges)


def _chunks(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


# -- the variants ------------------------------------------------------------------------------


class Bench:
    """One embedded server, the data set cut into batches, and the timed writes."""

    def __init__(self, server: EmbeddedServer, data: Dataset) -> None:
        conn = server.connection()
        self.socket = str(conn.socket)
        self.password = conn.password
        self.server = server
        self.data = data
        self.raw_db: Any = FalkorDB(unix_socket_path=self.socket, password=self.password)
        self.admin: Any = self.raw_db.connection
        self.rows = {"nodes": data.nodes, "edges": data.edges}
        # The rows the store ends up sending, encoded once, outside any timing.
        self.encoded = {
            kind: encode_params({"rows": rows})["rows"] for kind, rows in self.rows.items()
        }
        self.queries = {
            "nodes": cypher.upsert_nodes(LABEL),
            "edges": cypher.upsert_edges(REL, LABEL, LABEL),
        }

    def store(self, graph: str) -> FalkorStore:
        return FalkorStore.connect(
            graph=graph, unix_socket_path=self.socket, password=self.password, durable=True
        )

    def prepare(self, graph: str) -> None:
        s = self.store(graph)
        try:
            s.apply_schema(UniqueSpec(label=LABEL, property="id"))
        finally:
            s.close()

    def run_store(self, graph: str, batch: int) -> dict[str, float]:
        """One whole store load, nodes then edges, each in one call (for the profile)."""
        s = self.store(graph)
        try:
            t0 = time.perf_counter()
            n = s.upsert_nodes(LABEL, self.data.nodes, batch_size=batch)
            t1 = time.perf_counter()
            e = s.upsert_edges(
                REL, self.data.edges, start_label=LABEL, end_label=LABEL, batch_size=batch
            )
            t2 = time.perf_counter()
        finally:
            s.close()
        _expect(n.written, len(self.data.nodes), "store nodes")
        _expect(e.written, len(self.data.edges), "store edges")
        return {"nodes": t1 - t0, "edges": t2 - t1}

    def cleanup(self, graphs: Sequence[str]) -> None:
        """Delete the graphs and rewrite the AOF, so that the next round starts alike."""
        for graph in graphs:
            with contextlib.suppress(Exception):  # a graph that was never written
                self.admin.execute_command("GRAPH.DELETE", graph)
        self.admin.bgrewriteaof()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            info = self.admin.info("persistence")
            if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
                return
            time.sleep(0.05)
        raise RuntimeError("the AOF rewrite between rounds did not finish")


class Lane:
    """One variant writing into its own graph, one timed batch at a time."""

    def __init__(self, bench: Bench, variant: str, graph: str, batch: int) -> None:
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}")
        self.bench = bench
        self.variant = variant
        self.graph = graph
        self.batch = batch
        bench.prepare(graph)
        self.store = bench.store(graph)
        self.raw = bench.raw_db.select_graph(graph)
        self.conn = bench.raw_db.connection
        source = bench.rows if variant == "store" else bench.encoded
        self.batches = {kind: _chunks(rows, batch) for kind, rows in source.items()}
        self.seconds = dict.fromkeys(KINDS, 0.0)
        self.written = dict.fromkeys(KINDS, 0)

    def step(self, kind: str, index: int) -> None:
        """Write batch ``index`` of ``kind``, adding its time to the lane's total."""
        rows = self.batches[kind][index]
        if self.variant == "everysec":
            self.bench.admin.config_set("appendfsync", "everysec")
        try:
            t0 = time.perf_counter()
            written = self._send(kind, rows)
            self.seconds[kind] += time.perf_counter() - t0
        finally:
            if self.variant == "everysec":
                self.bench.admin.config_set("appendfsync", "always")
        self.written[kind] += written

    def _send(self, kind: str, rows: list[dict[str, Any]]) -> int:
        if self.variant == "store":
            if kind == "nodes":
                return self.store.upsert_nodes(LABEL, rows, batch_size=self.batch).written
            return self.store.upsert_edges(
                REL, rows, start_label=LABEL, end_label=LABEL, batch_size=self.batch
            ).written
        query = self.bench.queries[kind]
        if self.variant == "raw":
            # Graph.query's own command, with WAITAOF in the same pipeline, as the store sends.
            command = [
                "GRAPH.QUERY",
                self.graph,
                self.raw._build_params_header({"rows": rows}) + query,
                "--compact",
            ]
            pipe = self.conn.pipeline(transaction=False)
            pipe.execute_command(*command)
            pipe.execute_command("WAITAOF", 1, 0, WAITAOF_TIMEOUT_MS)
            replies = pipe.execute()
            result = QueryResult(self.raw, replies[0])
            if int(replies[1][0]) < 1:
                raise RuntimeError(f"WAITAOF did not confirm the write: {replies[1]!r}")
        else:
            result = self.raw.query(query, {"rows": rows})
        return int(result.result_set[0][0])

    def check(self) -> None:
        for kind in KINDS:
            _expect(self.written[kind], len(self.bench.rows[kind]), f"{self.variant} {kind}")

    def close(self) -> None:
        self.store.close()


def _expect(got: int, want: int, what: str) -> None:
    if got != want:
        raise RuntimeError(f"{what}: {got} rows written, {want} expected")


# -- measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    variant: str
    kind: str
    batch: int
    repeat: int
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def _order(step: int) -> tuple[str, ...]:
    """The variants in an order that rotates every step and reverses every len(VARIANTS)
    steps, so each variant takes each place, after each other variant, equally often."""
    k = step % len(VARIANTS)
    order = VARIANTS[k:] + VARIANTS[:k]
    return tuple(reversed(order)) if (step // len(VARIANTS)) % 2 else order


def measure(
    bench: Bench,
    batches: Sequence[int],
    repeats: int,
    log: Callable[[str], None],
) -> list[Sample]:
    """For each repeat and batch size, every variant loads the same rows into its own fresh
    graph, interleaved batch by batch (nodes, then edges): a variant's total is the sum of
    its batches' times, so the machine's background load falls on all variants alike."""
    samples: list[Sample] = []
    for repeat in range(repeats):
        for size in batches:
            tag = uuid.uuid4().hex[:6]
            lanes: dict[str, Lane] = {}
            try:
                for variant in VARIANTS:
                    graph = f"bench_{variant}_{size}_{repeat}_{tag}"
                    lanes[variant] = Lane(bench, variant, graph, size)
                step = repeat
                for kind in KINDS:
                    for index in range(len(lanes["store"].batches[kind])):
                        for variant in _order(step):
                            lanes[variant].step(kind, index)
                        step += 1
                for lane in lanes.values():
                    lane.check()
            finally:
                for lane in lanes.values():
                    lane.close()
                bench.cleanup([lane.graph for lane in lanes.values()])
            for lane in lanes.values():
                for kind in KINDS:
                    rows = len(bench.rows[kind])
                    samples.append(
                        Sample(lane.variant, kind, size, repeat, rows, lane.seconds[kind])
                    )
            rates = {
                v: "/".join(f"{len(bench.rows[k]) / lanes[v].seconds[k]:,.0f}" for k in KINDS)
                for v in VARIANTS
            }
            log(
                f"repeat {repeat + 1}/{repeats} batch {size:>6,}: "
                + "  ".join(f"{v} {r}" for v, r in rates.items())
                + " rows/s (nodes/edges)"
            )
    return samples


@dataclass(frozen=True, slots=True)
class Profile:
    """Where the client's time went in one profiled store load."""

    batch: int
    total_s: float
    encode_s: float
    top: list[tuple[str, int, float, float]]  # function, calls, own s, cumulative s


def profile_store(bench: Bench, batch: int, top: int = 8) -> Profile:
    """cProfile of one store load (nodes then edges), client side (the server's work shows as
    time waiting in ``recv_into``)."""
    graph = f"bench_profile_{uuid.uuid4().hex[:6]}"
    bench.prepare(graph)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        bench.run_store(graph, batch)
        profiler.disable()
    finally:
        bench.cleanup([graph])
    stats = pstats.Stats(profiler)
    table: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    encode_s = sum(
        ct
        for (file, _, func), (_, _, _, ct, _) in table.items()
        if file.endswith(os.path.join("graph", "falkor_params.py")) and func == "params_header"
    )
    rows = sorted(table.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return Profile(
        batch=batch,
        total_s=float(stats.total_tt),  # type: ignore[attr-defined]
        encode_s=encode_s,
        top=[(_where(key), nc, tt, ct) for key, (_, nc, tt, ct, _) in rows],
    )


def _where(key: tuple[str, int, str]) -> str:
    file, line, func = key
    if file == "~":
        return func
    parts = Path(file).parts
    short = "/".join(
        parts[parts.index("site-packages") + 1 :] if "site-packages" in parts else parts[-2:]
    )
    return f"{short}:{line} {func}"


def time_encoding(data: Dataset) -> dict[str, float]:
    """Seconds the store's own parameter writing (``params_header``: it encodes dates, checks
    values and writes the header in one pass) takes over all the rows of each kind (best of 3)."""
    out = {}
    for kind, rows in (("nodes", data.nodes), ("edges", data.edges)):
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            params_header({"rows": rows})
            best = min(best, time.perf_counter() - t0)
        out[kind] = best
    return out


# -- reporting ---------------------------------------------------------------------------------


def _rates(samples: list[Sample], variant: str, kind: str, batch: int) -> dict[int, float]:
    return {
        s.repeat: s.rate
        for s in samples
        if s.variant == variant and s.kind == kind and s.batch == batch
    }


def _paired(a: dict[int, float], b: dict[int, float]) -> list[float]:
    return [a[r] / b[r] for r in sorted(a) if r in b]


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    batch: int
    median: dict[str, float]
    ratio: list[float]  # store / raw, per repeat
    durable: list[float]  # raw (always + WAITAOF) / everysec, per repeat
    wait: list[float]  # raw / raw_nowait, per repeat


def summarise(samples: list[Sample], batches: Sequence[int]) -> list[Case]:
    cases = []
    for kind in KINDS:
        for batch in batches:
            rates = {v: _rates(samples, v, kind, batch) for v in VARIANTS}
            cases.append(
                Case(
                    kind=kind,
                    batch=batch,
                    median={v: statistics.median(r.values()) for v, r in rates.items()},
                    ratio=_paired(rates["store"], rates["raw"]),
                    durable=_paired(rates["raw"], rates["everysec"]),
                    wait=_paired(rates["raw"], rates["raw_nowait"]),
                )
            )
    return cases


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def machine_facts(bench: Bench) -> dict[str, str]:
    store = bench.store("bench_health")
    try:
        health = store.health()
    finally:
        store.close()
    info = bench.admin.info("server")
    memory = bench.admin.info("memory")
    hwm = status_kib("VmHWM", pid=bench.server.status().pid or 0)
    return {
        **platform_facts(),
        "server": f"FalkorDB {health.version} on Redis {info.get('redis_version')}",
        "data_dir": f"{bench.server.paths.root} on {filesystem_of(bench.server.paths.root)}",
        "used_memory_peak": str(memory.get("used_memory_peak_human")),
        "peak_rss": "unknown" if hwm is None else f"{hwm / 1024:.0f} MiB",
        "fsync": fsync_latency(bench.server.paths.db_dir),
    }


def fsync_latency(directory: Path, rounds: int = 30) -> str:
    """How long an ``fdatasync`` takes in ``directory`` after a 256 KiB append."""
    path = directory / "fsync-probe.bin"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times = []
    try:
        for _ in range(rounds):
            os.write(fd, b"x" * 262_144)
            t0 = time.perf_counter()
            os.fdatasync(fd)
            times.append(time.perf_counter() - t0)
    finally:
        os.close(fd)
        path.unlink()
    return (
        f"an fdatasync after a 256 KiB append there takes {statistics.median(times) * 1e3:.2f} ms"
    )


@dataclass(frozen=True, slots=True)
class Report:
    command: str
    rows: int
    repeats: int
    seconds: float
    cases: list[Case]
    facts: dict[str, str]
    encode_s: dict[str, float]
    profile: Profile | None


def render(r: Report) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    f = r.facts
    lines = [
        START,
        "## store_write: GraphStore batched upserts vs the raw client",
        "",
        f"`{r.command}` on {now}: {r.rows:,} node rows then {r.rows:,} edge rows per run, "
        f"{r.repeats} repeat(s) per variant and batch size, each on a fresh graph with the "
        f"unique constraint on `id`; the variants take turns batch by batch (rotating order); "
        f"{r.seconds:.0f} s in all.",
        "",
        f"- CPUs: {f['cpus']}; {f['os']}; Python {f['python']}",
        f"- {f['server']}; data dir {f['data_dir']}; {f['fsync']}",
        f"- Server memory: `used_memory_peak_human` {f['used_memory_peak']}, "
        f"peak RSS (VmHWM) {f['peak_rss']}",
        "",
        "Variants: **store** = `FalkorStore.upsert_nodes/upsert_edges`, durable, given Python "
        "rows (its encoding and checks timed); **raw** = the falkordb client's own "
        "`GRAPH.QUERY` with `WAITAOF 1 0` in the same pipeline (one round trip per batch, as "
        "the store), the store's Cypher and its rows pre-encoded; **raw_nowait** = "
        "`Graph.query`, no `WAITAOF`; **everysec** = `Graph.query` under `appendfsync "
        "everysec` (the others run under `appendfsync always`). Rates are medians in rows/s; "
        "ratios are medians of the per-repeat pairs (min-max).",
        "",
        "| rows | batch | store | raw | **store/raw** | raw_nowait | everysec "
        "| raw/everysec | raw/raw_nowait |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in r.cases:
        m = c.median
        lines.append(
            f"| {c.kind} | {c.batch:,} | {m['store']:,.0f} | {m['raw']:,.0f} "
            f"| **{_spread(c.ratio)}** | {m['raw_nowait']:,.0f} | {m['everysec']:,.0f} "
            f"| {_spread(c.durable)} | {_spread(c.wait)} |"
        )
    worst = min(r.cases, key=lambda c: statistics.median(c.ratio))
    met = sum(statistics.median(c.ratio) >= TARGET for c in r.cases)
    verdict = "met" if met == len(r.cases) else "not met"
    costs = [round(1 - statistics.median(c.durable), 2) or 0.0 for c in r.cases]
    gap_s = {
        kind: statistics.median(
            r.rows / c.median["store"] - r.rows / c.median["raw"] for c in r.cases if c.kind == kind
        )
        for kind in KINDS
    }
    lines += [
        "",
        f"**Target store/raw >= {TARGET} with durability on: {verdict}** ({met} of "
        f"{len(r.cases)} cases; lowest {worst.kind} at batch {worst.batch:,}: "
        f"{statistics.median(worst.ratio):.2f}).",
        "",
        "**Durability** (`appendfsync always` + `WAITAOF` against `everysec` without it, raw "
        f"client both sides) costs {min(costs):.0%} to {max(costs):.0%} of the rows/s in these "
        "cases (1 - raw/everysec); raw/raw_nowait is the share due to the `WAITAOF` round "
        "itself, the rest is the fsync on every write.",
        "",
        "Where the interface's time goes: the store's load takes longer than the raw one by "
        + ", ".join(f"{gap_s[kind]:.2f} s for {kind}" for kind in KINDS)
        + " (median over batch sizes); the store's parameter header (`params_header`, which "
        "also encodes dates and checks every value) over the same rows takes "
        + ", ".join(f"{r.encode_s[kind]:.2f} s for {kind}" for kind in KINDS)
        + " (best of 3), while the raw variants send rows encoded beforehand (their client "
        "still writes its header inside the timing).",
    ]
    if r.profile is not None:
        p = r.profile
        lines += [
            "",
            f"Client-side cProfile of one store load (batch {p.batch:,}): {p.total_s:.2f} s, "
            f"of which `params_header` {p.encode_s:.2f} s ({p.encode_s / p.total_s:.0%}); "
            "time in `recv_into` is the wait for the server. Top functions by own time:",
            "",
            "| function | calls | own s | cumulative s |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| `{name}` | {nc:,} | {tt:.3f} | {ct:.3f} |" for name, nc, tt, ct in p.top]
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace the store_write section of ``path`` (created with its header when missing)."""
    common.write_section(path, section, start=START, end=END, header=HEADER)


# -- entry point -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--rows", type=int, help=f"node rows (and edge rows) per run [{DEFAULT_ROWS:,}]")
    p.add_argument(
        "--batch-size",
        type=int,
        nargs="+",
        default=list(DEFAULT_BATCHES),
        help="batch sizes to measure [1000 10000]",
    )
    p.add_argument("--repeats", type=int, default=5, help="runs per variant and batch size [5]")
    p.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS:,} rows, for a quick look")
    p.add_argument(
        "--profile",
        action="store_true",
        help="cProfile one store load even when the target is met",
    )
    p.add_argument("--out", type=Path, default=Path("bench/RESULTS.md"), help="results file")
    args = p.parse_args(argv)
    if args.rows is None:
        args.rows = QUICK_ROWS if args.quick else DEFAULT_ROWS
    if args.rows < 1 or args.repeats < 1 or min(args.batch_size) < 1:
        p.error("--rows, --repeats and --batch-size must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = command_line("store_write.py", argv)

    began = time.perf_counter()
    data = make_dataset(args.rows)
    encode_s = time_encoding(data)
    profile: Profile | None = None
    with embedded_server("clew-bench-") as server:
        bench = Bench(server, data)
        bench.admin.config_set("auto-aof-rewrite-percentage", 0)
        gc.collect()
        gc.freeze()
        try:
            samples = measure(bench, args.batch_size, args.repeats, log)
            cases = summarise(samples, args.batch_size)
            if args.profile or any(statistics.median(c.ratio) < TARGET for c in cases):
                profile = profile_store(bench, max(args.batch_size))
            facts = machine_facts(bench)
        finally:
            gc.unfreeze()
            bench.admin.config_set("appendfsync", "always")
            bench.admin.config_set("auto-aof-rewrite-percentage", 100)
            bench.admin.close()
    report = Report(
        command=command,
        rows=args.rows,
        repeats=args.repeats,
        seconds=time.perf_counter() - began,
        cases=cases,
        facts=facts,
        encode_s=encode_s,
        profile=profile,
    )
    section = render(report)
    write_section(args.out, section)
    print(section, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
