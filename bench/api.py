"""Server CPU per request of Clew's GraphQL endpoint against a plain Starlette JSON endpoint.

Issue 5, performance: a GraphQL query may cost at most twice the CPU of a plain Starlette JSON
endpoint that returns the same 100-field payload (``clew/peer <= 2.0``). Usage (from the
repository root)::

    .venv/bin/python bench/api.py [--requests N] [--repeats R] [--quick] [--profile]
                                  [--write] [--out bench/RESULTS.md]

The script starts its own embedded server (``appendfsync always``, as Clew runs it) in a fresh
directory under /tmp, removes it at the end, and drives the ASGI applications in-process (direct
ASGI calls on one event loop: no network, no HTTP client, so that what is measured is the
server's own work). Every request carries the same bearer token (a development token of an
analyst) and ``X-Clew-Purpose``, and the same JSON body. The variants:

``peer``
    A plain Starlette app with one route that authenticates as Clew does
    (``caller_from_headers``: the token's claims, times and purpose are checked, so both sides
    pay for identity; its verifier, built by ``build_verifier`` as Clew's is, remembers a
    verified token, so after the first request neither side checks the Ed25519 signature again)
    and returns the payload, a prepared dict of 100 scalars, as a ``JSONResponse``.
``clew``
    ``api.http.create_app`` as ``clew serve`` builds it, its lifespan opening the store and the
    read audit log on the embedded server (durable: every entry waits for ``WAITAOF``), and its
    schema built by ``build_schema`` with the production limits, extensions and caches, rooted at
    a benchmark-only ``Query`` that adds one field, ``payload``, returning an object of the same
    100 scalars (this script defines it: production modules hold no benchmark code). The query
    selects all 100 fields. Everything a production request does is timed: security headers,
    identity, parsing (cached), validation (cached), the cost limit, execution, the audit entry
    (built, sealed, appended to Redis in a worker thread), metrics and the request log line.
``clew_memory``
    As ``clew``, with the audit log replaced by an in-memory one that seals each entry on the
    previous one (hash chain included) and keeps only the last: the difference from ``clew`` is
    what the round trip to Redis costs the API process.
``execute``
    ``schema.execute`` of the same query on clew's schema, nothing around it (no HTTP, identity,
    audit or response): what strawberry and graphql-core cost by themselves.

Per-request CPU is ``time.process_time`` (every thread of this process: the audit append runs
in the worker thread pool) over N sequential requests, divided by N; the Redis server's own CPU
is not counted (it is another process, shared by any deployment). The variants take turns in
rounds, in an order that rotates each round, after an untimed warm-up of each; the figure is the
median over rounds of the per-round ratio ``clew/peer``. The object graph built before the clock
starts is frozen out of the garbage collector's reach (``gc.freeze``); collections caused by the
requests themselves are part of their cost.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import json
import pstats
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

# Run as a script, this file's folder comes first on sys.path, and this file, named api.py,
# would stand for the `api` package: the repository root goes before it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import graphql
import redis
import starlette
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message

from api.auth.identity import Role
from api.auth.keys import load_or_create_dev_key
from api.auth.purpose import PURPOSE_HEADER
from api.auth.tokens import TokenVerifier, build_verifier, caller_from_headers, issue_token
from api.graphql.schema import Query, build_schema
from api.http.app import create_app, limits_of
from api.settings import Settings
from bench import common
from bench.common import command_line, embedded_server, load_average, log, platform_facts
from graph.audit_log import AuditLog
from schema.audit import GENESIS_HASH, AuditEntry, AuditEvent
from schema.errors import AuthError
from schema.grading import Sensitivity

START: Final = "<!-- api:start -->"
END: Final = "<!-- api:end -->"
HEADER: Final = (
    "# Benchmark results\n\n"
    "Each benchmark measures its variants interleaved in one run on one machine: the ratios "
    "between them are the figures that count; absolute rates vary with the machine.\n"
)
VARIANTS: Final = ("peer", "clew", "clew_memory", "execute")
TARGET: Final = 2.0
FIELDS: Final = 100
DEFAULT_REQUESTS: Final = 2_000
QUICK_REQUESTS: Final = 300
WARMUP: Final = 50
PURPOSE: Final = "OP-KESTREL associates of the missing child"
CLIENT: Final = ("203.0.113.7", 50000)


# -- the payload, on both sides -----------------------------------------------------------------


def field_names() -> list[str]:
    return [f"f{i:03d}" for i in range(FIELDS)]


def make_payload() -> dict[str, Any]:
    """100 scalars of the kinds an entity carries: strings, integers, floats, booleans."""
    payload: dict[str, Any] = {}
    for i, name in enumerate(field_names()):
        kind = i % 4
        if kind == 0:
            payload[name] = f"value {i} of a record field"
        elif kind == 1:
            payload[name] = i * 1_000 + 7
        elif kind == 2:
            payload[name] = i + 0.25
        else:
            payload[name] = i % 3 == 0
    return payload


def payload_type(payload: dict[str, Any]) -> type:
    """A strawberry object type with one field per payload key, of the value's type."""
    annotations = {name: type(value) for name, value in payload.items()}
    cls = type("BenchPayload", (), {"__annotations__": annotations, "__module__": __name__})
    return strawberry.type(cls, description="Benchmark only: 100 scalar fields.")


def bench_query(payload: dict[str, Any]) -> type:
    """Clew's ``Query`` plus ``payload``, which returns one prepared object (as the peer returns
    one prepared dict)."""
    kind = payload_type(payload)
    instance = kind(**payload)

    def resolve_payload() -> Any:
        return instance

    resolve_payload.__annotations__["return"] = kind
    namespace = {
        "__module__": __name__,
        "payload": strawberry.field(resolver=resolve_payload, description="Benchmark only."),
    }
    return strawberry.type(type("BenchQuery", (Query,), namespace))


def graphql_body() -> bytes:
    query = "query Payload { payload { " + " ".join(field_names()) + " } }"
    return json.dumps({"query": query, "operationName": "Payload"}).encode()


def peer_app(verifier: TokenVerifier, payload: dict[str, Any]) -> Starlette:
    """A plain Starlette JSON endpoint that checks identity and purpose as Clew does."""

    async def endpoint(request: Request) -> Response:
        try:
            caller_from_headers(verifier, request.headers, datetime.now(UTC))
        except AuthError as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.http_status)
        return JSONResponse(payload)

    return Starlette(routes=[Route("/payload", endpoint, methods=["POST"])])


# -- the in-memory audit log ----------------------------------------------------------------------


class MemoryAuditLog(AuditLog):
    """Seals each entry on the previous one, as ``AuditLog.append`` does, and keeps the last;
    nothing is sent anywhere (its Redis client is never used, so never connects)."""

    def __init__(self) -> None:
        super().__init__(
            redis.Redis(unix_socket_path="/nonexistent"),
            key="bench:memory",
            location="memory",
            durable=False,
        )
        self.last: AuditEntry | None = None

    def append(self, event: AuditEvent) -> AuditEntry:
        last = self.last
        entry = event.seal(
            1 if last is None else last.seq + 1, GENESIS_HASH if last is None else last.hash
        )
        self.last = entry
        return entry

    def close(self) -> None:
        return None


# -- driving an ASGI app in-process -------------------------------------------------------------


@dataclass(slots=True)
class Target:
    """One variant: an ASGI app, the state its lifespan gave, and the request to send."""

    name: str
    app: ASGIApp
    state: dict[str, Any]
    path: str
    headers: list[tuple[bytes, bytes]]
    body: bytes
    scope: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": self.headers,
            "client": CLIENT,
            "server": ("bench", 80),
        }

    async def call(self) -> tuple[int, bytes]:
        """One request, as a server would pass it: a fresh scope with a copy of the lifespan
        state (uvicorn copies it per request), the body in one message."""
        body = self.body
        delivered = False
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        scope = dict(self.scope)
        scope["state"] = dict(self.state)
        await self.app(scope, receive, send)
        return status, b"".join(chunks)


def request_headers(token: str, length: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"host", b"bench"),
        (b"user-agent", b"clew-bench/1"),
        (b"content-type", b"application/json"),
        (b"content-length", str(length).encode()),
        (b"authorization", f"Bearer {token}".encode()),
        (PURPOSE_HEADER.lower().encode(), PURPOSE.encode()),
    ]


class ExecuteOnly:
    """``schema.execute`` of the query alone (the clew schema, its extensions and caches): no
    HTTP, identity, audit or response; what strawberry and graphql-core cost by themselves."""

    def __init__(self, schema: Any, body: bytes) -> None:
        self.name = "execute"
        self.schema = schema
        self.query = json.loads(body)["query"]

    async def call(self) -> tuple[int, bytes]:
        result = await self.schema.execute(self.query, operation_name="Payload")
        return (500 if result.errors else 200), b""


# -- measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    round: int
    variant: str
    cpu_ms: float
    wall_ms: float


def _order(round_: int) -> tuple[str, ...]:
    shift = round_ % len(VARIANTS)
    return VARIANTS[shift:] + VARIANTS[:shift]


async def _timed(target: Target | ExecuteOnly, n: int) -> tuple[float, float]:
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(n):
        status, _body = await target.call()
        if status != 200:
            raise RuntimeError(f"{target.name} answered {status}")
    return (time.process_time() - cpu0) * 1e3 / n, (time.perf_counter() - wall0) * 1e3 / n


async def measure(
    targets: dict[str, Target | ExecuteOnly],
    requests: int,
    repeats: int,
    log: Callable[[str], None],
) -> list[Sample]:
    for target in targets.values():
        await _timed(target, WARMUP)
    samples = []
    for r in range(repeats):
        for name in _order(r):
            cpu_ms, wall_ms = await _timed(targets[name], requests)
            samples.append(Sample(r, name, cpu_ms, wall_ms))
        done = {s.variant: s.cpu_ms for s in samples if s.round == r}
        log(
            f"round {r + 1}/{repeats}: "
            + ", ".join(f"{v} {done[v]:.3f} ms" for v in VARIANTS)
            + f" -> clew/peer {done['clew'] / done['peer']:.2f}"
        )
    return samples


@dataclass(frozen=True, slots=True)
class Profile:
    requests: int
    total_s: float
    top: list[tuple[str, int, float, float]]


async def profile_clew(target: Target | ExecuteOnly, requests: int, top: int = 15) -> Profile:
    """cProfile of ``requests`` GraphQL requests (event loop thread only: the audit append runs
    in a worker thread, which cProfile does not follow)."""
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        await target.call()
    profiler.disable()
    total = time.perf_counter() - began
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    return Profile(
        requests=requests,
        total_s=total,
        top=[(_where(key), nc, tt, ct) for key, (_cc, nc, tt, ct, _callers) in rows],
    )


def _where(key: tuple[str, int, str]) -> str:
    filename, line, name = key
    if filename == "~":
        return name
    parts = Path(filename).parts
    for anchor in ("site-packages", "main"):
        if anchor in parts:
            parts = parts[parts.index(anchor) + 1 :]
            break
    return f"{'/'.join(parts[-3:])}:{line}({name})"


# -- reporting ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    cpu: dict[str, float]
    wall: dict[str, float]
    ratio: list[float]
    ratio_memory: list[float]
    ratio_execute: list[float]
    audit_share: list[float]


def summarise(samples: list[Sample]) -> Summary:
    rounds = sorted({s.round for s in samples})
    by = {(s.round, s.variant): s for s in samples}
    cpu = {v: statistics.median(by[r, v].cpu_ms for r in rounds) for v in VARIANTS}
    wall = {v: statistics.median(by[r, v].wall_ms for r in rounds) for v in VARIANTS}
    return Summary(
        cpu=cpu,
        wall=wall,
        ratio=[by[r, "clew"].cpu_ms / by[r, "peer"].cpu_ms for r in rounds],
        ratio_memory=[by[r, "clew_memory"].cpu_ms / by[r, "peer"].cpu_ms for r in rounds],
        ratio_execute=[by[r, "execute"].cpu_ms / by[r, "peer"].cpu_ms for r in rounds],
        audit_share=[
            (by[r, "clew"].cpu_ms - by[r, "clew_memory"].cpu_ms) / by[r, "clew"].cpu_ms
            for r in rounds
        ],
    )


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    m, lo, hi = statistics.median(values), min(values), max(values)
    return f"{fmt.format(m)} ({fmt.format(lo)}-{fmt.format(hi)})"


def machine_facts() -> dict[str, str]:
    return {
        **platform_facts(),
        "load": load_average(),
        "packages": f"strawberry-graphql {_version('strawberry-graphql')}, graphql-core "
        f"{graphql.__version__}, Starlette {starlette.__version__}, PyJWT {_version('PyJWT')}",
    }


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


@dataclass(frozen=True, slots=True)
class Report:
    command: str
    requests: int
    repeats: int
    seconds: float
    summary: Summary
    facts: dict[str, str]
    profile: Profile | None


def render(r: Report) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    f, s = r.facts, r.summary
    ratio = statistics.median(s.ratio)
    verdict = "met" if ratio <= TARGET else "not met"
    lines = [
        START,
        "## api: GraphQL request vs a plain Starlette JSON endpoint (server CPU per request)",
        "",
        f"`{r.command}` on {now}: {r.requests:,} sequential requests per variant and round, "
        f"{r.repeats} round(s), the variants in rotating order after a warm-up of {WARMUP}; "
        f"ASGI calls in-process (no network, no HTTP client); {r.seconds:.0f} s in all.",
        "",
        f"- CPUs: {f['cpus']}; {f['os']}; Python {f['python']}; load average at the end "
        f"(1, 5, 15 min) {f['load']}",
        f"- {f['packages']}; FalkorDB's embedded Redis (`appendfsync always`) holds the audit log",
        "",
        "Variants, each request a POST with the same bearer token (Ed25519 JWT), "
        "`X-Clew-Purpose` and JSON body: **peer** = a plain Starlette route that checks the "
        "token and purpose with `caller_from_headers` (its verifier, like clew's, remembers a "
        "verified token: the signature is checked once, the expiry on every request) and "
        f"returns {FIELDS} scalars as a "
        "`JSONResponse`; **clew** = `create_app` as `clew serve` builds it (security headers, "
        "identity, strawberry with the production extensions, caches and limits, the audit "
        "entry sealed and appended durably to Redis, metrics, the log line), its schema rooted "
        f"at a benchmark-only `Query` with a `payload` field of the same {FIELDS} scalars, all "
        "selected; **clew_memory** = as clew, the audit log an in-memory one that seals the "
        "chain and sends nothing; **execute** = `schema.execute` of the same query on clew's "
        "schema (extensions and caches included) with no HTTP, identity, audit or response: "
        "strawberry and graphql-core alone. CPU is `time.process_time` (all threads of the "
        "process) per request; figures are medians over rounds, ratios are medians of the "
        "per-round ratios (min-max).",
        "",
        "| variant | CPU ms/request | wall ms/request | CPU / peer |",
        "|---|---:|---:|---:|",
        f"| peer | {s.cpu['peer']:.3f} | {s.wall['peer']:.3f} | 1.00 |",
        f"| **clew** | **{s.cpu['clew']:.3f}** | {s.wall['clew']:.3f} | **{_spread(s.ratio)}** |",
        f"| clew_memory | {s.cpu['clew_memory']:.3f} | {s.wall['clew_memory']:.3f} "
        f"| {_spread(s.ratio_memory)} |",
        f"| execute | {s.cpu['execute']:.3f} | {s.wall['execute']:.3f} "
        f"| {_spread(s.ratio_execute)} |",
        "",
        f"**Target clew/peer <= {TARGET} (audit included): {verdict}** ({ratio:.2f}).",
        "",
        "**The audit write's share**: the durable append to Redis (round trip, `WAITAOF`, "
        "reply) costs the API process "
        f"{s.cpu['clew'] - s.cpu['clew_memory']:.3f} ms of CPU a request, "
        f"{_spread(s.audit_share, '{:.0%}')} of clew's CPU; its wall time "
        f"({s.wall['clew'] - s.wall['clew_memory']:.3f} ms a request here) is mostly the "
        "wait for the fsync, which other requests overlap under concurrency. Building and "
        "sealing the entry (assembled from already valid parts without re-validation, then "
        "canonical JSON and sha256) and the hop to the worker thread that appends it are in "
        "both clew variants.",
    ]
    if r.profile is not None:
        p = r.profile
        lines += [
            "",
            f"cProfile of {p.requests:,} clew requests (event-loop thread; "
            f"{p.total_s * 1e3 / p.requests:.2f} ms a request under the profiler). Top "
            "functions by own time:",
            "",
            "| function | calls | own s | cumulative s |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| `{name}` | {nc:,} | {tt:.3f} | {ct:.3f} |" for name, nc, tt, ct in p.top]
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Replace the api section of ``path`` (created with its header when missing)."""
    common.write_section(path, section, start=START, end=END, header=HEADER)


# -- entry point --------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def started(app: Starlette) -> AsyncIterator[dict[str, Any]]:
    """The app's lifespan, run as a server runs it; the state it yields."""
    async with app.router.lifespan_context(app) as state:
        yield dict(state or {})


async def run(
    settings: Settings, args: argparse.Namespace, log: Callable[[str], None]
) -> tuple[list[Sample], Profile | None]:
    payload = make_payload()
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
    query = bench_query(payload)
    schema = build_schema(limits_of(settings), query=query)
    clew = create_app(settings, schema=schema)
    memory = create_app(
        settings,
        audit_log=MemoryAuditLog(),
        schema=build_schema(limits_of(settings), query=query),
    )
    peer = peer_app(build_verifier(settings.auth_config()), payload)
    gql, plain = graphql_body(), b'{"want": "payload"}'
    async with started(clew) as clew_state, started(memory) as memory_state:
        targets: dict[str, Target | ExecuteOnly] = {
            "peer": Target("peer", peer, {}, "/payload", request_headers(token, len(plain)), plain),
            "clew": Target(
                "clew", clew, clew_state, "/graphql", request_headers(token, len(gql)), gql
            ),
            "clew_memory": Target(
                "clew_memory",
                memory,
                memory_state,
                "/graphql",
                request_headers(token, len(gql)),
                gql,
            ),
        }
        await check(targets, payload)
        targets["execute"] = ExecuteOnly(schema, gql)
        gc.collect()
        gc.freeze()
        try:
            samples = await measure(targets, args.requests, args.repeats, log)
            ratio = statistics.median(summarise(samples).ratio)
            profile = None
            if args.profile or ratio > TARGET:
                profile = await profile_clew(targets["clew"], args.requests)
        finally:
            gc.unfreeze()
    return samples, profile


async def check(targets: dict[str, Target | ExecuteOnly], payload: dict[str, Any]) -> None:
    """Every variant answers 200 with the payload (checked before timing)."""
    for name, target in targets.items():
        status, body = await target.call()
        if status != 200:
            raise RuntimeError(f"{name} answered {status}: {body[:500]!r}")
        answer = json.loads(body)
        got = answer if name == "peer" else (answer.get("data") or {}).get("payload")
        if got != payload:
            raise RuntimeError(f"{name} did not answer with the payload: {body[:500]!r}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument(
        "--requests", type=int, help=f"requests per variant and round [{DEFAULT_REQUESTS:,}]"
    )
    p.add_argument("--repeats", type=int, default=7, help="rounds [7]")
    p.add_argument("--quick", action="store_true", help=f"{QUICK_REQUESTS} requests, 3 rounds")
    p.add_argument(
        "--profile", action="store_true", help="cProfile the clew side even when the target is met"
    )
    p.add_argument("--write", action="store_true", help="record the results in --out")
    p.add_argument("--out", type=Path, default=Path("bench/RESULTS.md"), help="results file")
    args = p.parse_args(argv)
    if args.requests is None:
        args.requests = QUICK_REQUESTS if args.quick else DEFAULT_REQUESTS
    if args.quick:
        args.repeats = min(args.repeats, 3)
    if args.requests < 1 or args.repeats < 1:
        p.error("--requests and --repeats must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = command_line("api.py", argv)

    began = time.perf_counter()
    with embedded_server("clew-bench-api-") as server:
        settings = Settings(data_dir=server.paths.root, graph_name="bench_api")
        samples, profile = asyncio.run(run(settings, args, log))
    report = Report(
        command=command,
        requests=args.requests,
        repeats=args.repeats,
        seconds=time.perf_counter() - began,
        summary=summarise(samples),
        facts=machine_facts(),
        profile=profile,
    )
    section = render(report)
    if args.write:
        write_section(args.out, section)
    print(section, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
