"""The read audit log on Redis: append-only, hash-chained, durable (entries: ``schema.audit``).

Where: the embedded server, or any Redis (in production the one that carries the arq queue);
``open_audit_log`` takes the same URLs as the graph store (``embedded``, ``redis://``,
``rediss://``, ``unix://``). Only stream, string and script commands are used, so a plain Redis
does as well as FalkorDB.

Layout (``key`` defaults to ``clew:audit``)::

    clew:audit        a stream: entry seq N has the id "N-0" and one field, "entry", holding the
                      entry's canonical JSON (hash included)
    clew:audit:head   "<seq>:<hash>" of the newest entry, written with it

Why a stream rather than a list: an entry's id is its seq, so ``XRANGE`` finds entry N, or the
page after entry N, without counting from an end (a list addresses by position, which shifts when
an entry is removed); Redis refuses an ``XADD`` whose id is not above the newest, so even a
faulty writer cannot insert into the middle or append out of order; ``XDEL`` leaves the
other ids where they were, so a removal shows as a gap; and the stream can later be followed
(``XREAD BLOCK``) to ship entries to an archive.

Why a head record: a hash chain shows what was changed, removed or moved inside it, but not that
its newest entries were cut off. The head, written in the same script as each entry, says where
the log should end. (Someone who can rewrite Redis can rewrite the head too; recording
``clew audit verify``'s last seq and hash somewhere else closes that gap.)

Atomic appends: the hash is sha256, which Redis's Lua cannot compute, so an append is
compare-and-set. The writer seals the entry on the head it last saw (seq + 1, prev_hash = head's
hash) and a Lua script appends it only if the head is still that one, and moves the head, in one
atomic step; otherwise it returns the current head and the writer seals again on it. That orders
appends across any number of API workers and hosts; within one process a lock keeps the threads
from colliding at all (the class is thread-safe: the redis-py client pools connections).

Durability: each append is pipelined with ``WAITAOF 1 0``, as ``graph.falkor`` does for graph
writes, and returns only once the server confirms the entry reached its append-only file. With
``durable=False`` (CLEW_DURABLE=false) that confirmation is skipped.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlsplit

import redis
from pydantic import ValidationError

from graph.connect import (
    NEO4J_SCHEMES,
    EmbeddedTarget,
    FalkorTarget,
    parse_store_url,
    running_embedded,
)
from graph.falkor import WAITAOF_TIMEOUT_MS
from graph.redis_calls import aof_enabled, client_kwargs, command
from schema.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditEvent,
    AuditPage,
    AuditProblem,
    ProblemKind,
    VerifyReport,
    entry_hash,
)
from schema.errors import AuditError, ConfigError, DurabilityError, StoreUnavailable

DEFAULT_KEY: Final = "clew:audit"
FIELD: Final = b"entry"
MAX_ATTEMPTS: Final = 200
VERIFY_PAGE: Final = 1_000
MAX_SCAN: Final = 10_000
"""Entries one ``read`` looks at before it returns a page (possibly short) with a cursor."""

# KEYS: the stream, its head. ARGV: the head the entry was sealed on, the entry's seq, its hash,
# its JSON. Replies {"ok", new head}, {"moved", current head} or {"nohead", ""}.
_APPEND: Final = f"""
local head = redis.call('GET', KEYS[2])
if not head then
  if redis.call('EXISTS', KEYS[1]) == 1 then return {{'nohead', ''}} end
  head = '0:{GENESIS_HASH}'
end
if head ~= ARGV[1] then return {{'moved', head}} end
redis.call('XADD', KEYS[1], ARGV[2] .. '-0', 'entry', ARGV[4])
local new = ARGV[2] .. ':' .. ARGV[3]
redis.call('SET', KEYS[2], new)
return {{'ok', new}}
"""


@dataclass(frozen=True, slots=True)
class Head:
    """The newest entry's seq and hash (seq 0 and the genesis hash for an empty log)."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, raw: bytes | str) -> Head:
        text = raw.decode() if isinstance(raw, bytes) else raw
        seq, sep, hash_ = text.partition(":")
        if not sep or not seq.isdigit():
            raise AuditError(f"the audit log's head record is not '<seq>:<hash>': {text[:80]!r}")
        return cls(int(seq), hash_)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


GENESIS: Final = Head(0, GENESIS_HASH)


def _seq_of(stream_id: bytes | str) -> int:
    text = stream_id.decode() if isinstance(stream_id, bytes) else stream_id
    return int(text.split("-", 1)[0])


def _bound(seq: int | None, default: str) -> str:
    return default if seq is None else f"({seq}-0"


class AuditLog:
    """The audit log under ``key`` on one Redis server."""

    def __init__(
        self, client: redis.Redis, *, key: str = DEFAULT_KEY, location: str, durable: bool = True
    ) -> None:
        self._redis = client
        self.key = key
        self.head_key = f"{key}:head"
        self.location = location
        self._durable = durable
        self._lock = threading.Lock()
        self._head: Head | None = None  # the head this process last saw; the script checks it

    @classmethod
    def connect(
        cls,
        *,
        key: str = DEFAULT_KEY,
        unix_socket_path: str | None = None,
        host: str = "localhost",
        port: int = 6379,
        username: str | None = None,
        password: str | None = None,
        ssl: bool = False,
        durable: bool = True,
        socket_timeout_s: float = 60.0,
    ) -> AuditLog:
        """Connect and check the server answers and, when ``durable``, can confirm fsyncs."""
        kwargs, location = client_kwargs(
            unix_socket_path=unix_socket_path,
            host=host,
            port=port,
            username=username,
            password=password,
            ssl=ssl,
            socket_timeout_s=socket_timeout_s,
        )
        client = redis.Redis(**kwargs)
        try:
            client.ping()
            if durable and not aof_enabled(client):
                raise StoreUnavailable(
                    f"Redis at {location} has its append-only file off, so audit entries could "
                    "be lost in a crash; turn on appendonly there or set CLEW_DURABLE=false"
                )
        except StoreUnavailable:
            client.close()
            raise
        except redis.RedisError as exc:
            client.close()
            raise _unavailable(exc, location) from exc
        return cls(client, key=key, location=location, durable=durable)

    def close(self) -> None:
        self._redis.close()

    def __enter__(self) -> AuditLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- appending --------------------------------------------------------------------------

    def head(self) -> Head:
        """The newest entry's seq and hash, from the head record."""
        raw, exists = self._raw_head()
        if raw is not None:
            return Head.parse(raw)
        if exists:
            raise AuditError(
                f"the audit log {self.key!r} has entries but no head record "
                f"{self.head_key!r}; run `clew audit verify`"
            )
        return GENESIS

    def _raw_head(self) -> tuple[bytes | None, bool]:
        """The head record and whether the stream exists, read together (MULTI)."""
        try:
            pipe = self._redis.pipeline(transaction=True)
            command(pipe, "GET", self.head_key)
            command(pipe, "EXISTS", self.key)
            raw, exists = pipe.execute()
        except redis.RedisError as exc:
            raise _unavailable(exc, self.location) from exc
        return raw, bool(exists)

    def append(self, event: AuditEvent) -> AuditEntry:
        """Number, chain and store ``event``; return the entry once it is durable."""
        with self._lock:
            # Seal on the head last seen here; the script answers with the real one if it moved.
            head = self._head or GENESIS
            for attempt in range(MAX_ATTEMPTS):
                entry, stored = event.sealed(head.seq + 1, head.hash)
                status, value = self._try_append(head, entry, stored)
                if status == "ok":
                    self._head = Head(entry.seq, entry.hash)
                    return entry
                if status == "nohead":
                    self._head = None
                    raise AuditError(
                        f"the audit log {self.key!r} has entries but no head record "
                        f"{self.head_key!r}; run `clew audit verify`"
                    )
                head = Head.parse(value)  # another writer appended first: seal again on its entry
                if attempt >= 2:
                    time.sleep(random.uniform(0, 0.002 * attempt))  # noqa: S311 - jitter only
            self._head = None
            raise AuditError(
                f"could not append to the audit log {self.key!r}: {MAX_ATTEMPTS} attempts "
                "collided with other writers"
            )

    def _try_append(self, head: Head, entry: AuditEntry, stored: bytes) -> tuple[str, bytes]:
        try:
            pipe = self._redis.pipeline(transaction=False)
            command(
                pipe,
                "EVAL",
                _APPEND,
                2,
                self.key,
                self.head_key,
                str(head),
                entry.seq,
                entry.hash,
                stored,
            )
            if self._durable:
                command(pipe, "WAITAOF", 1, 0, WAITAOF_TIMEOUT_MS)
            replies = pipe.execute(raise_on_error=False)
        except redis.RedisError as exc:
            raise _unavailable(exc, self.location) from exc
        if isinstance(replies[0], Exception):
            raise AuditError(
                f"the audit log {self.key!r} refused entry {entry.seq}: {replies[0]}; "
                "run `clew audit verify`"
            ) from replies[0]
        status, value = replies[0]
        status = status.decode() if isinstance(status, bytes) else str(status)
        if status == "ok" and self._durable:
            confirm = replies[1]
            if isinstance(confirm, Exception) or int(confirm[0]) < 1:
                raise DurabilityError(
                    f"Redis at {self.location} appended audit entry {entry.seq} but did not "
                    f"confirm it reached disk within {WAITAOF_TIMEOUT_MS} ms ({confirm!r})"
                )
        return status, value

    # -- reading ----------------------------------------------------------------------------

    def _range(self, start: str, end: str, count: int, *, reverse: bool) -> list[Any]:
        args = ("XREVRANGE", self.key, end, start) if reverse else ("XRANGE", self.key, start, end)
        try:
            return list(command(self._redis, *args, "COUNT", count) or ())
        except redis.RedisError as exc:
            raise _unavailable(exc, self.location) from exc

    def read(
        self,
        *,
        after_seq: int | None = None,
        before_seq: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        user: str | None = None,
        limit: int = 100,
        newest_first: bool = True,
        max_scan: int = MAX_SCAN,
    ) -> AuditPage:
        """Entries with ``after_seq < seq < before_seq``, ``since <= at < until`` and of ``user``,
        at most ``limit``, newest first or oldest first.

        Filters are applied while scanning, and one call looks at no more than ``max_scan``
        entries: a page can be short and still have a ``next`` cursor (pass it as ``before_seq``
        newest first, as ``after_seq`` oldest first). Entries are returned as stored; use
        ``verify`` to check them.
        """
        if limit < 1 or max_scan < 1:
            raise ConfigError("an audit log read needs a limit and a scan of at least 1")
        start, end = _bound(after_seq, "-"), _bound(before_seq, "+")
        found: list[AuditEntry] = []
        scanned = 0
        while scanned < max_scan:
            page = self._range(
                start, end, min(max(limit, 100), max_scan - scanned), reverse=newest_first
            )
            if not page:
                return AuditPage(entries=tuple(found), next=None)
            for stream_id, fields in page:
                scanned += 1
                seq = _seq_of(stream_id)
                entry = self._load(seq, fields)
                if (
                    (user is None or entry.user == user)
                    and (since is None or entry.at >= since)
                    and (until is None or entry.at < until)
                ):
                    found.append(entry)
                    if len(found) == limit:
                        return AuditPage(entries=tuple(found), next=seq)
                if newest_first:
                    end = f"({seq}-0"
                else:
                    start = f"({seq}-0"
        last = _seq_of(end[1:]) if newest_first else _seq_of(start[1:])
        return AuditPage(entries=tuple(found), next=last)

    def _load(self, seq: int, fields: dict[bytes, bytes]) -> AuditEntry:
        try:
            return AuditEntry.model_validate_json(fields.get(FIELD, b""))
        except ValidationError as exc:
            raise AuditError(
                f"audit entry {seq} cannot be read ({exc.error_count()} problems); "
                "run `clew audit verify`"
            ) from exc

    def entries(
        self, page_size: int = VERIFY_PAGE, *, up_to: int | None = None
    ) -> Iterator[tuple[int, bytes | None]]:
        """The stored entries up to seq ``up_to`` (all when None), oldest first, as (seq from
        its stream id, its raw JSON)."""
        start, end = "-", "+" if up_to is None else f"{up_to}-0"
        while True:
            page = self._range(start, end, page_size, reverse=False)
            for stream_id, fields in page:
                yield _seq_of(stream_id), fields.get(FIELD)
            if len(page) < page_size:
                return
            start = f"({_seq_of(page[-1][0])}-0"

    # -- verifying --------------------------------------------------------------------------

    def verify(self, *, page_size: int = VERIFY_PAGE, max_problems: int = 100) -> VerifyReport:
        """Read the whole log in pages, recompute every hash and link, and compare the last entry
        with the head record. One problem is reported per entry at most; after a problem the
        check carries on from that entry, so each tampered place is reported once or twice
        (the entry, and the link after it), not every entry after it."""
        # The head is read first and the scan stops at it, so entries that API workers append
        # meanwhile are neither checked nor taken for entries added around the head.
        raw_head, _ = self._raw_head()
        head: Head | None = None
        check = _Verifier()
        if raw_head is not None:
            try:
                head = Head.parse(raw_head)
            except AuditError as exc:
                check.bad_head(str(exc))
        for seq, raw in self.entries(page_size, up_to=head.seq if head else None):
            check.entry(seq, raw)
        if raw_head is None:
            check.no_head()
        elif head is not None:
            check.head(head)
        return check.report(max_problems)


class _Verifier:
    """The checks of ``AuditLog.verify``, one stored entry at a time (see ``ProblemKind``)."""

    def __init__(self) -> None:
        self.problems: list[AuditProblem] = []
        self.checked = 0
        self.expected = 1
        self.prev: str | None = GENESIS_HASH  # None after an unreadable entry: no link to check
        self.first: AuditEntry | None = None
        self.last: AuditEntry | None = None
        self.first_seq: int | None = None
        self.last_seq: int | None = None
        self.head_seq: int | None = None

    def _problem(self, seq: int, kind: ProblemKind, detail: str) -> None:
        self.problems.append(AuditProblem(seq=seq, kind=kind, detail=detail))

    def entry(self, seq: int, raw: bytes | None) -> None:
        self.checked += 1
        self.first_seq = self.first_seq or seq
        self.last_seq = seq
        prev, self.prev = self.prev, None
        if seq > self.expected:
            # Stream ids are seqs, so a gap in them is a removal. The link from here is broken
            # by it, and not reported a second time.
            missing = (
                f"{self.expected}" if seq == self.expected + 1 else f"{self.expected}-{seq - 1}"
            )
            self._problem(
                self.expected, ProblemKind.REMOVED, f"entries {missing} are missing before {seq}"
            )
            prev = None
        self.expected = seq + 1
        fields: Any = None
        with contextlib.suppress(ValueError):  # not JSON: reported just below
            fields = json.loads(raw) if raw is not None else None
        if not isinstance(fields, dict):
            self._problem(seq, ProblemKind.MALFORMED, f"stream id {seq}-0 holds no JSON entry")
            return
        stored_seq, stored_hash = fields.get("seq"), fields.get("hash")
        self.prev = stored_hash if isinstance(stored_hash, str) else None
        try:
            recomputed: str | None = entry_hash(fields)
        except ValueError:
            recomputed = None
        if recomputed != stored_hash:
            self._problem(
                seq, ProblemKind.ALTERED, f"entry {stored_seq} does not match its hash: altered"
            )
        elif stored_seq != seq:
            self._problem(
                seq,
                ProblemKind.REORDERED,
                f"entry {stored_seq} is stored where entry {seq} belongs",
            )
        elif prev is not None and fields.get("prev_hash") != prev:
            self._problem(
                seq,
                ProblemKind.CHAIN,
                f"entry {seq}'s prev_hash is not the hash of the entry before it: "
                f"entry {seq - 1} or {seq} was replaced",
            )
        else:
            try:
                entry = AuditEntry.model_validate(fields)
            except ValidationError as exc:
                self._problem(
                    seq, ProblemKind.MALFORMED, f"entry {seq} has bad fields: {exc.errors()[0]}"
                )
            else:
                self.first = self.first or entry
                self.last = entry

    def bad_head(self, detail: str) -> None:
        self._problem(0, ProblemKind.HEAD, detail)

    def no_head(self) -> None:
        if self.checked:
            self._problem(self.last_seq or 0, ProblemKind.HEAD, "the head record is missing")

    def head(self, head: Head) -> None:
        last = self.last_seq or 0
        self.head_seq = head.seq
        if head.seq > last:
            gone = f"{last + 1}" if head.seq == last + 1 else f"{last + 1}-{head.seq}"
            self._problem(
                last + 1,
                ProblemKind.REMOVED,
                f"entries {gone} are missing from the end (the head says {head.seq})",
            )
        elif head.hash != self.prev:
            self._problem(
                last, ProblemKind.HEAD, f"the head names another hash for entry {last}: replaced"
            )

    def report(self, max_problems: int) -> VerifyReport:
        return VerifyReport(
            checked=self.checked,
            first_seq=self.first_seq,
            last_seq=self.last_seq,
            first_at=self.first.at if self.first else None,
            last_at=self.last.at if self.last else None,
            last_hash=self.prev,
            head_seq=self.head_seq,
            problems=tuple(self.problems[:max_problems]),
            problem_count=len(self.problems),
        )


def _unavailable(exc: Exception, location: str) -> StoreUnavailable:
    if isinstance(exc, redis.AuthenticationError):
        return StoreUnavailable(f"Redis at {location} refused the credentials: {exc}")
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError):
        return StoreUnavailable(f"no Redis at {location} for the audit log ({exc})")
    return StoreUnavailable(f"Redis at {location} failed an audit log command: {exc}")


def open_audit_log(
    url: str, *, data_dir: Path, key: str = DEFAULT_KEY, durable: bool = True
) -> AuditLog:
    """The audit log on the server a URL names (``embedded``, ``redis://``, ``rediss://``,
    ``unix://``, as in ``graph.connect``); the embedded server is not started here."""
    if urlsplit(url.strip()).scheme.lower() in NEO4J_SCHEMES:
        raise ConfigError(
            f"the audit log needs Redis, and {url!r} names Neo4j: give it a redis://, rediss:// "
            "or unix:// URL (the Redis that carries the job queue)"
        )
    target = parse_store_url(url, data_dir=data_dir, graph="clew")
    if isinstance(target, EmbeddedTarget):
        conn = running_embedded(target.data_dir)
        return AuditLog.connect(
            key=key, unix_socket_path=str(conn.socket), password=conn.password, durable=durable
        )
    if isinstance(target, FalkorTarget):
        return AuditLog.connect(
            key=key,
            unix_socket_path=target.unix_socket_path,
            host=target.host,
            port=target.port,
            username=target.username,
            password=target.password,
            ssl=target.ssl,
            durable=durable,
        )
    raise ConfigError(f"the audit log needs Redis, not {target.describe()}")
