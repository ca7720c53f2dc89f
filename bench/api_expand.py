"""2-hop ``expand`` through the GraphQL API against the same store queries sent raw.

Issue 5, performance: a 2-hop ``expand`` (limit 200) on a graph of 1M people and about 4M
relationships, p50 and p99 through GraphQL against the same store queries sent raw; target p99
(API) at most 1.5x p99 (raw), and the throughput of 8 concurrent clients. Usage (from the
repository root)::

    .venv/bin/python bench/api_expand.py [--persons N] [--seed S] [--requests R] [--clients C]
                                         [--cache DIR | --no-cache] [--write] [--out FILE]

The graph (``bench/api_expand_graph.py``) is written into a private embedded server, migrated
first by the real migrations (so indexes are production's). It is kept under ``--cache``
(default ``~/.cache/clew-bench-api/n<N>-s<S>``) with a manifest, and reused while the manifest
matches; ``--no-cache`` builds it in a fresh directory under /tmp, removed at the end.

The request: ``expand(ids: [one visible person], hops: 2, limit: 200)`` selecting ``nodes { id
kind name }``, ``relationships { id type start end }``, ``collapsed``, ``pageInfo`` and
``truncated``, as an OFFICIAL analyst (a development token). The variants:

``api``
    ``clew serve`` (uvicorn, one worker, log level info to a file) in a child process, its
    lifespan opening the store and the durable read audit log on the same server; requests are
    HTTP/1.1 POSTs on a keep-alive connection (``http.client``: the lightest client, so that the
    client's own work counts as little as on the raw side).
``raw``
    The store queries the resolver issues for the same request (the seed lookup, the
    neighbours and neighbour counts of each hop, and the mentions of people not seen whole),
    recorded from the real resolver in an untimed pass (``create_app`` in-process over a store
    that notes every read), replayed in order with ``FalkorStore.read`` and the API's query
    timeout. The difference is the API's overhead: HTTP, identity and purpose, GraphQL parsing,
    validation and execution, the walk's Python between queries, visibility of the answer,
    the audit entry and the response.

Sequential latency: both variants take turns over rounds of the same seeds (the first variant
alternating), after a warm-up; p50/p99/mean are over every request. Throughput: ``--clients``
threads, each with its own connection, take seeds from one shared list until it is used up.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import redis
from starlette.testclient import TestClient

from api.auth.identity import Role
from api.auth.keys import load_or_create_dev_key
from api.auth.purpose import PURPOSE_HEADER
from api.auth.tokens import issue_token
from api.http.app import create_app, limits_of
from api.settings import Settings
from bench import common
from bench.api_expand_graph import GENERATOR, Built, Shape, build, seed_people
from bench.common import (
    command_line,
    embedded_server,
    load_average,
    log,
    platform_facts,
    status_kib,
)
from graph.embedded import EmbeddedServer
from graph.falkor import FalkorStore
from graph.results import Result
from graph.store import Params
from migrations import apply, discover
from schema.grading import Sensitivity

START: Final = "<!-- api_expand:start -->"
END: Final = "<!-- api_expand:end -->"
HEADER: Final = "# Benchmark results\n"
GRAPH: Final = "bench_expand"
AUDIT_KEYS: Final = ("bench:expand:audit:record", "bench:expand:audit:serve")
TARGET: Final = 1.5
WARMUP: Final = 50
ROUND: Final = 250
PURPOSE: Final = "OP-KESTREL associates of the missing child"
QUERY: Final = (
    "query Expand($ids: [ID!]!) { expand(ids: $ids, hops: 2, limit: 200) { __typename "
    "... on Subgraph { nodes { id kind name } relationships { id type start end } "
    "collapsed { entityId total } pageInfo { hasNextPage endCursor } truncated } "
    "... on Refused { message } ... on InvalidInput { message field } } }"
)

Call = tuple[str, Params, int | None]


class RecordingStore(FalkorStore):
    """A ``FalkorStore`` that notes every read (query, parameters, timeout) while ``log`` is a
    list: how the raw side learns what the resolver sends."""

    log: list[Call] | None = None

    def read(
        self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
    ) -> Result:
        if self.log is not None:
            self.log.append((query, dict(params or {}), timeout_ms))
        return super().read(query, params, timeout_ms=timeout_ms)


# -- the graph, cached ---------------------------------------------------------------------------


@contextlib.contextmanager
def graph_server(
    shape: Shape, cache: Path | None, log: Callable[[str], None]
) -> Iterator[tuple[EmbeddedServer, dict[str, Any]]]:
    """A running server holding the graph of ``shape`` and its manifest (built when no cache
    of the same shape and generator is there)."""
    if cache is None:
        with embedded_server("clew-bench-expand-") as server:
            yield server, _build(server, shape, log)
        return
    root = cache / f"n{shape.persons}-s{shape.seed}"
    wanted = {"persons": shape.persons, "seed": shape.seed, "generator": GENERATOR}
    path = root / "manifest.json"
    manifest = json.loads(path.read_text()) if path.exists() else {}
    fresh = {k: manifest.get(k) for k in wanted} != wanted
    if fresh:
        shutil.rmtree(root, ignore_errors=True)
    server = EmbeddedServer(root / "data")
    server.start()
    try:
        if fresh:
            manifest = _build(server, shape, log)
            path.write_text(json.dumps(manifest, indent=1))
        else:
            log(f"reusing the graph in {root}")
            manifest["reused"] = True
        yield server, manifest
    finally:
        server.stop()


def _build(server: EmbeddedServer, shape: Shape, log: Callable[[str], None]) -> dict[str, Any]:
    conn = server.connection()
    store = FalkorStore.connect(
        graph=GRAPH, unix_socket_path=str(conn.socket), password=conn.password
    )
    try:
        apply(store, discover())
        log(f"building the graph of {shape.persons:,} persons")
        built: Built = build(store, shape, time.perf_counter, log)
    finally:
        store.close()
    return {
        "persons": shape.persons,
        "seed": shape.seed,
        "generator": GENERATOR,
        **asdict(built),
        "built_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "reused": False,
    }


# -- the two sides -------------------------------------------------------------------------------


def body_of(seed: str) -> bytes:
    return json.dumps({"query": QUERY, "variables": {"ids": [seed]}}).encode()


def headers_of(token: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        PURPOSE_HEADER: PURPOSE,
    }


@dataclass(slots=True)
class Answers:
    """What the recording pass saw: answers' sizes and the queries behind each request."""

    calls: list[list[Call]]
    nodes: list[int]
    relationships: list[int]
    truncated: int
    collapsed: int


def record(settings: Settings, store: RecordingStore, seeds: Sequence[str], token: str) -> Answers:
    """Each request once through ``create_app`` in-process, noting the store reads it makes."""
    settings = settings.model_copy(update={"audit_key": AUDIT_KEYS[0]})
    out = Answers([], [], [], 0, 0)
    with TestClient(create_app(settings, store=store)) as client:
        for seed in seeds:
            store.log = []
            answer = client.post("/graphql", content=body_of(seed), headers=headers_of(token))
            calls, store.log = store.log, None
            got = _subgraph(answer.status_code, answer.content)
            out.calls.append(calls)
            out.nodes.append(len(got["nodes"]))
            out.relationships.append(len(got["relationships"]))
            out.truncated += bool(got["truncated"])
            out.collapsed += bool(got["collapsed"])
    return out


def _subgraph(status: int, body: bytes) -> dict[str, Any]:
    answer = json.loads(body) if status == 200 else {}
    got = (answer.get("data") or {}).get("expand") or {}
    if got.get("__typename") != "Subgraph":
        raise RuntimeError(f"expand answered {status}: {body[:500]!r}")
    return dict(got)


class ApiClient:
    """One keep-alive HTTP connection to the served API."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = headers_of(token)

    def send(self, body: bytes) -> None:
        self.conn.request("POST", "/graphql", body, self.headers)
        answer = self.conn.getresponse()
        data = answer.read()
        if answer.status != 200 or b'"Subgraph"' not in data:
            raise RuntimeError(f"expand answered {answer.status}: {data[:500]!r}")

    def metrics(self) -> dict[str, float]:
        """The app's own ``/metrics`` sums and counts (``name{labels}`` -> value)."""
        self.conn.request("GET", "/metrics")
        text = self.conn.getresponse().read().decode()
        pairs = (line.rsplit(" ", 1) for line in text.splitlines() if line[:1] not in ("#", ""))
        return {k: float(v) for k, v in pairs if k.split("{")[0].endswith(("_sum", "_count"))}

    def close(self) -> None:
        self.conn.close()


def replay(store: FalkorStore, calls: Sequence[Call]) -> None:
    for query, params, timeout_ms in calls:
        store.read(query, params, timeout_ms=timeout_ms)


@contextlib.contextmanager
def served(root: Path, settings: Settings) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """``clew serve`` on a free local port, for this server and graph; its log in ``root``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLEW_")}
    env.update(
        CLEW_DATA_DIR=str(settings.data_dir),
        CLEW_GRAPH_NAME=settings.graph_name,
        CLEW_AUDIT_KEY=AUDIT_KEYS[1],
    )
    command = [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with (root / "serve.log").open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                pass
            finally:
                probe.close()
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"clew serve did not start; see {root / 'serve.log'}")
            time.sleep(0.2)
        yield port, proc
    finally:
        proc.terminate()
        proc.wait(30)


# -- measuring -----------------------------------------------------------------------------------


def sequential(send: Callable[[int], None], indexes: Sequence[int]) -> list[float]:
    out = []
    for i in indexes:
        began = time.perf_counter()
        send(i)
        out.append(time.perf_counter() - began)
    return out


def concurrent(make: Callable[[], Callable[[int], None]], count: int, clients: int) -> float:
    """Requests 0..count-1 sent by ``clients`` threads, each with its own sender; seconds."""
    take = itertools.count()
    senders = [make() for _ in range(clients)]
    errors: list[BaseException] = []

    def work(send: Callable[[int], None]) -> None:
        try:
            while (i := next(take)) < count:
                send(i)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in senders]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - began


@dataclass(frozen=True, slots=True)
class Figures:
    p50_ms: float
    p99_ms: float
    mean_ms: float
    per_s: float


def figures(latencies: Sequence[float], per_s: float) -> Figures:
    ms = sorted(x * 1e3 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    return Figures(statistics.median(ms), p99, statistics.fmean(ms), per_s)


@dataclass(frozen=True, slots=True)
class Report:
    command: str
    shape: Shape
    manifest: Mapping[str, Any]
    requests: int
    clients: int
    measured: Measured
    facts: Mapping[str, str]
    seconds: float


@dataclass(frozen=True, slots=True)
class Inside:
    """The served app's own view of the sequential requests (its ``/metrics``, warm-up
    included): time from arrival to the audited response, and in store queries."""

    app_ms: float
    store_ms: float
    queries: float

    @classmethod
    def of(cls, metrics: Mapping[str, float]) -> Inside:
        key = 'clew_api_request_duration_seconds_{}{{operation="expand"}}'
        requests = metrics.get(key.format("count")) or 1.0
        store = "clew_api_store_query_duration_seconds_{}"
        return cls(
            app_ms=1e3 * metrics.get(key.format("sum"), 0.0) / requests,
            store_ms=1e3 * metrics.get(store.format("sum"), 0.0) / requests,
            queries=metrics.get(store.format("count"), 0.0) / requests,
        )


@dataclass(frozen=True, slots=True)
class Measured:
    answers: Answers
    raw: Figures
    api: Figures
    inside: Inside
    rss_kib: Mapping[str, int | None]


def measure(
    server: EmbeddedServer, shape: Shape, args: argparse.Namespace, log: Callable[[str], None]
) -> Measured:
    settings = Settings(data_dir=server.paths.root, graph_name=GRAPH)
    key = load_or_create_dev_key(settings.auth_config().key_dir)
    now = datetime.now(UTC)
    token = issue_token(
        key,
        user="bench",
        roles=[Role("analyst")],
        clearance=Sensitivity.OFFICIAL,
        expires=now + timedelta(hours=4),
        now=now,
    )
    seeds = seed_people(shape, args.requests)
    bodies = [body_of(s) for s in seeds]
    conn = server.connection()

    def connect(cls: type[FalkorStore]) -> FalkorStore:
        return cls.connect(
            graph=GRAPH,
            unix_socket_path=str(conn.socket),
            password=conn.password,
            default_timeout_ms=limits_of(settings).query_timeout_ms,
        )

    recording = connect(RecordingStore)
    assert isinstance(recording, RecordingStore)
    store = connect(FalkorStore)
    try:
        log(f"recording the store queries of {len(seeds):,} requests (untimed)")
        answers = record(settings, recording, seeds, token)
        latency: dict[str, list[float]] = {"raw": [], "api": []}
        rate: dict[str, float] = {}
        with served(server.paths.root, settings) as (port, proc):
            api = ApiClient(port, token)
            send = {
                "raw": lambda i: replay(store, answers.calls[i]),
                "api": lambda i: api.send(bodies[i]),
            }
            for name in send:
                sequential(send[name], range(min(WARMUP, len(seeds))))
            rounds = [range(lo, min(lo + ROUND, len(seeds))) for lo in range(0, len(seeds), ROUND)]
            for k, chunk in enumerate(rounds):
                for name in ("raw", "api") if k % 2 == 0 else ("api", "raw"):
                    latency[name] += sequential(send[name], chunk)
            log(f"sequential: {len(seeds):,} requests each; {args.clients} clients next")
            inside = api.metrics()
            api.close()

            opened: list[ApiClient] = []

            def make_api() -> Callable[[int], None]:
                client = ApiClient(port, token)
                opened.append(client)
                return lambda i: client.send(bodies[i])

            def make_raw() -> Callable[[int], None]:
                return lambda i: replay(store, answers.calls[i])

            for name, make in (("raw", make_raw), ("api", make_api)):
                rate[name] = len(seeds) / concurrent(make, len(seeds), args.clients)
            for client in opened:
                client.close()
            rss = {"api": status_kib("VmHWM", proc.pid)}
        rss["server"] = status_kib("VmHWM", server.status().pid or 0)
        with redis.Redis(unix_socket_path=str(conn.socket), password=conn.password) as r:
            r.delete(*AUDIT_KEYS, *(f"{k}:head" for k in AUDIT_KEYS))
    finally:
        recording.close()
        store.close()
    return Measured(
        answers=answers,
        raw=figures(latency["raw"], rate["raw"]),
        api=figures(latency["api"], rate["api"]),
        inside=Inside.of(inside),
        rss_kib=rss,
    )


# -- the section ---------------------------------------------------------------------------------


def render(r: Report) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    m, f = r.manifest, r.facts
    a, raw, api, inside = r.measured.answers, r.measured.raw, r.measured.api, r.measured.inside
    rss = r.measured.rss_kib
    ratio = api.p99_ms / raw.p99_ms
    verdict = "met" if ratio <= TARGET else "not met"
    queries = [len(c) for c in a.calls]
    built = (
        f"built in {m['node_s']:.0f} s (nodes) + {m['relationship_s']:.0f} s (relationships)"
        + (f" on {m['built_at']}, reused from the cache" if m.get("reused") else "")
    )
    lines = [
        START,
        "## api_expand: 2-hop `expand` through GraphQL vs the same store queries raw",
        "",
        f"`{r.command}` on {now}: {r.shape.persons:,} persons, {m['nodes']:,} entity nodes "
        f"and {m['relationships']:,} relationships (seed {r.shape.seed}; "
        f"{built}); {r.requests:,} requests per variant, from random visible persons, "
        f"`expand(hops: 2, limit: 200)`; {r.seconds:.0f} s in all.",
        "",
        f"- CPUs: {f['cpus']}; {f['os']}; Python {f['python']}; load average at the end "
        f"(1, 5, 15 min) {f['load']}",
        f"- Peak RSS (VmHWM): FalkorDB server {_mib(rss.get('server'))}, API process "
        f"(`clew serve`) {_mib(rss.get('api'))}",
        f"- Answers: {statistics.mean(a.nodes):.1f} entities (max {max(a.nodes)}) and "
        f"{statistics.mean(a.relationships):.1f} relationships on average; "
        f"{a.truncated / len(a.nodes):.0%} truncated, {a.collapsed / len(a.nodes):.0%} with "
        f"collapsed hubs; {statistics.mean(queries):.1f} store queries a request "
        f"({min(queries)}-{max(queries)})",
        "",
        "Variants: **api** = `clew serve` (uvicorn, one worker) in a child process, HTTP/1.1 "
        "keep-alive POSTs of the GraphQL query with an analyst's token (OFFICIAL) and "
        "`X-Clew-Purpose`, the audit appended durably to Redis; **raw** = the store queries "
        "that request made in the resolver (recorded from `create_app` in an untimed pass), "
        "replayed in order with `FalkorStore.read` in this process. Sequential: the variants "
        f"take turns over rounds of {ROUND} seeds after a warm-up of {WARMUP}; throughput: "
        f"{r.clients} threads, each with its own connection, sharing the list of seeds.",
        "",
        f"| variant | p50 ms | p99 ms | mean ms | sequential req/s | {r.clients} clients req/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, fig in (("raw", raw), ("**api**", api)):
        lines.append(
            f"| {name} | {fig.p50_ms:.2f} | {fig.p99_ms:.2f} | {fig.mean_ms:.2f} "
            f"| {1e3 / fig.mean_ms:.0f} | {fig.per_s:.0f} |"
        )
    lines += [
        "",
        f"**Target p99 api/raw <= {TARGET}: {verdict}** ({ratio:.2f}; p50 "
        f"{api.p50_ms / raw.p50_ms:.2f}). With {r.clients} clients the API serves "
        f"{api.per_s:.0f} requests/s against {raw.per_s:.0f} for the raw queries "
        f"({api.per_s / raw.per_s:.2f}x).",
        "",
        f"Where the API's time goes (sequential, means; the app's `/metrics`): "
        f"{api.mean_ms:.2f} ms at the client, of which {inside.app_ms:.2f} ms inside the app "
        f"(arrival to audited response) and {inside.store_ms:.2f} ms in its "
        f"{inside.queries:.1f} store queries (the raw replay of the same queries: "
        f"{raw.mean_ms:.2f} ms); so about {api.mean_ms - inside.app_ms:.2f} ms of HTTP and "
        f"uvicorn, and {inside.app_ms - inside.store_ms:.2f} ms of identity, GraphQL, the "
        "walk's Python between queries, visibility and the audit append.",
        END,
    ]
    return "\n".join(lines) + "\n"


def _mib(kib: int | None) -> str:
    return "?" if kib is None else f"{kib / 1024:.0f} MiB"


# -- entry point ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--persons", type=int, default=1_000_000, help="persons [1,000,000]")
    p.add_argument("--seed", type=int, default=7, help="the graph's random seed [7]")
    p.add_argument("--requests", type=int, default=2_000, help="requests per variant [2,000]")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients [8]")
    p.add_argument(
        "--cache",
        type=Path,
        default=Path.home() / ".cache" / "clew-bench-api",
        help="where built graphs are kept [~/.cache/clew-bench-api]",
    )
    p.add_argument("--no-cache", action="store_true", help="build in /tmp and remove it")
    p.add_argument("--write", action="store_true", help="record the results in --out")
    p.add_argument("--out", type=Path, default=Path("bench/RESULTS.md"), help="results file")
    args = p.parse_args(argv)
    if args.persons < 10 or args.requests < 1 or args.clients < 1:
        p.error("--persons must be at least 10, --requests and --clients at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = command_line("api_expand.py", argv)

    began = time.perf_counter()
    shape = Shape(args.persons, args.seed)
    with graph_server(shape, None if args.no_cache else args.cache, log) as (server, manifest):
        measured = measure(server, shape, args, log)
    report = Report(
        command=command,
        shape=shape,
        manifest=manifest,
        requests=args.requests,
        clients=args.clients,
        measured=measured,
        facts={**platform_facts(), "load": load_average()},
        seconds=time.perf_counter() - began,
    )
    section = render(report)
    if args.write:
        common.write_section(args.out, section, start=START, end=END, header=HEADER)
    print(section, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
