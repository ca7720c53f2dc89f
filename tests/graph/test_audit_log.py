"""The audit log on the real embedded server: appends (also concurrent), reads, and verification
that finds an altered, removed, reordered or cut-off entry at the right seq."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis

from graph.audit_log import AuditLog, open_audit_log
from graph.embedded import EmbeddedServer
from graph.redis_calls import command
from schema.audit import GENESIS_HASH, AuditEvent, ProblemKind, ReturnedIds, entry_hash
from schema.errors import AuditError, ConfigError

T0 = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def event(i: int, user: str | None = None) -> AuditEvent:
    return AuditEvent(
        at=T0 + timedelta(seconds=i),
        user=user or f"analyst.{i % 3}",
        roles=("analyst",),
        purpose="OP-KESTREL",
        operation="PersonNetwork",
        query="query PersonNetwork($id: ID!) { person(id: $id) { id } }",
        variables={"id": f"person-{i}", "n": i},
        returned=ReturnedIds.of([f"person-{i}", f"phone-{i}"]),
        duration_ms=1.5,
    )


def open_log(server: EmbeddedServer, key: str) -> AuditLog:
    conn = server.connection()
    return AuditLog.connect(key=key, unix_socket_path=str(conn.socket), password=conn.password)


@pytest.fixture
def key() -> str:
    return f"test:audit:{uuid.uuid4().hex[:12]}"


@pytest.fixture
def log(falkordb_server: EmbeddedServer, key: str) -> Iterator[AuditLog]:
    with open_log(falkordb_server, key) as opened:
        yield opened
        command(opened._redis, "DEL", opened.key, opened.head_key)


@pytest.fixture
def raw(log: AuditLog) -> redis.Redis:
    """A client of the same server, as someone tampering with the log would hold."""
    return log._redis


def fill(log: AuditLog, n: int = 50) -> None:
    for i in range(1, n + 1):
        log.append(event(i))


def stored(raw: redis.Redis, key: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (sid.decode(), json.loads(fields[b"entry"]))
        for sid, fields in command(raw, "XRANGE", key, "-", "+")
    ]


def rewrite(
    raw: redis.Redis,
    key: str,
    change: Callable[[list[tuple[str, dict[str, Any]]]], list[tuple[str, dict[str, Any]]]],
) -> None:
    """Rebuild the stream with ``change`` applied: a stream cannot be edited in place."""
    entries = change(stored(raw, key))
    pipe = raw.pipeline(transaction=True)
    command(pipe, "DEL", key)
    for sid, fields in entries:
        command(pipe, "XADD", key, sid, "entry", json.dumps(fields))
    pipe.execute()


def test_appends_chain_from_genesis_and_verify(log: AuditLog, raw: redis.Redis) -> None:
    first = log.append(event(1))
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    second = log.append(event(2))
    assert (second.seq, second.prev_hash) == (2, first.hash)
    for i in range(3, 51):
        log.append(event(i))
    ids = [sid for sid, _ in stored(raw, log.key)]
    assert ids == [f"{i}-0" for i in range(1, 51)]
    report = log.verify(page_size=7)
    assert report.ok, report.problems
    assert (report.checked, report.first_seq, report.last_seq, report.head_seq) == (50, 1, 50, 50)
    assert report.first_at == T0 + timedelta(seconds=1)
    assert report.last_at == T0 + timedelta(seconds=50)
    assert report.last_hash == log.head().hash


def test_concurrent_appends_keep_seqs_contiguous_and_the_chain_intact(
    falkordb_server: EmbeddedServer, log: AuditLog, raw: redis.Redis
) -> None:
    # Threads 0 and 1 share one client (the in-process lock); 2 and 3 have their own, as other
    # API workers would (the compare-and-set script).
    own = [open_log(falkordb_server, log.key) for _ in range(2)]
    logs = [log, log, *own]
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(15):
                logs[t].append(event(100 * t + i, user=f"worker.{t}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for other in own:
        other.close()
    assert not errors
    entries = stored(raw, log.key)
    assert [e["seq"] for _, e in entries] == list(range(1, 61))
    assert sorted(e["variables"]["n"] for _, e in entries) == sorted(
        100 * t + i for t in range(4) for i in range(15)
    )
    report = log.verify()
    assert report.ok, report.problems
    assert report.checked == 60


def test_an_altered_entry_is_found_at_its_seq(log: AuditLog, raw: redis.Redis) -> None:
    fill(log)

    def alter(entries: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        entries[16][1]["user"] = "someone.else"
        return entries

    rewrite(raw, log.key, alter)
    report = log.verify()
    assert not report.ok
    problem = report.first_problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (17, ProblemKind.ALTERED)
    assert report.problem_count == 1
    assert report.checked == 50


def test_an_altered_and_rehashed_entry_breaks_the_next_link(
    log: AuditLog, raw: redis.Redis
) -> None:
    fill(log)

    def alter(entries: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        fields = entries[16][1]
        fields["returned"] = {"count": 0, "ids": [], "digest": None}
        fields["hash"] = entry_hash(fields)
        return entries

    rewrite(raw, log.key, alter)
    problem = log.verify().first_problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (18, ProblemKind.CHAIN)


def test_a_removed_entry_is_found_at_its_seq(log: AuditLog, raw: redis.Redis) -> None:
    fill(log)
    assert command(raw, "XDEL", log.key, "30-0") == 1
    report = log.verify()
    problem = report.first_problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (30, ProblemKind.REMOVED)
    assert report.problem_count == 1
    assert report.checked == 49


def test_swapped_entries_are_found_at_the_first_seq(log: AuditLog, raw: redis.Redis) -> None:
    fill(log)

    def swap(entries: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
        (a, x), (b, y) = entries[19], entries[20]
        entries[19], entries[20] = (a, y), (b, x)
        return entries

    rewrite(raw, log.key, swap)
    report = log.verify()
    problem = report.first_problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (20, ProblemKind.REORDERED)
    assert "entry 21" in problem.detail


def test_entries_cut_off_the_end_are_found_by_the_head(log: AuditLog, raw: redis.Redis) -> None:
    fill(log)
    command(raw, "XDEL", log.key, "49-0", "50-0")
    problem = log.verify().first_problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (49, ProblemKind.REMOVED)


def test_a_log_without_its_head_refuses_appends(log: AuditLog, raw: redis.Redis) -> None:
    fill(log, 3)
    command(raw, "DEL", log.head_key)
    problem = log.verify().first_problem
    assert problem is not None
    assert problem.kind is ProblemKind.HEAD
    other = AuditLog(raw, key=log.key, location="test")
    with pytest.raises(AuditError, match="no head record"):
        other.append(event(4))


def test_a_head_moved_back_cannot_insert_into_the_middle(log: AuditLog, raw: redis.Redis) -> None:
    fill(log, 5)
    second = stored(raw, log.key)[1][1]
    command(raw, "SET", log.head_key, f"2:{second['hash']}")
    fresh = AuditLog(raw, key=log.key, location="test")
    with pytest.raises(AuditError, match="refused entry 3"):
        fresh.append(event(6))
    assert len(stored(raw, log.key)) == 5


def test_a_malformed_entry_is_reported(log: AuditLog, raw: redis.Redis) -> None:
    fill(log, 3)
    rewrite(raw, log.key, lambda es: es)  # same content, still intact
    assert log.verify().ok
    command(raw, "XDEL", log.key, "3-0")
    command(raw, "XADD", log.key, "4-0", "entry", "not json")
    command(raw, "SET", log.head_key, "4:" + "0" * 64)
    problem = log.verify().first_problem
    assert problem is not None
    assert (problem.seq, problem.kind) == (3, ProblemKind.REMOVED)
    assert [p.kind for p in log.verify().problems][1] is ProblemKind.MALFORMED


def test_read_newest_first_in_pages_with_filters(log: AuditLog) -> None:
    fill(log, 30)
    page = log.read(limit=5)
    assert [e.seq for e in page.entries] == [30, 29, 28, 27, 26]
    page = log.read(limit=5, before_seq=page.next)
    assert [e.seq for e in page.entries] == [25, 24, 23, 22, 21]
    mine = log.read(user="analyst.1", limit=3)
    assert [e.seq for e in mine.entries] == [28, 25, 22]
    window = log.read(since=T0 + timedelta(seconds=10), until=T0 + timedelta(seconds=13))
    assert [e.seq for e in window.entries] == [12, 11, 10]
    assert window.next is None
    oldest = log.read(after_seq=27, newest_first=False)
    assert [e.seq for e in oldest.entries] == [28, 29, 30]
    short = log.read(user="nobody", max_scan=10)
    assert (short.entries, short.next) == ((), 21)


def test_an_empty_log_verifies_and_reads_empty(log: AuditLog) -> None:
    report = log.verify()
    assert report.ok
    assert (report.checked, report.last_seq) == (0, None)
    assert log.read().entries == ()


def test_open_audit_log_on_the_embedded_server(falkordb_server: EmbeddedServer, key: str) -> None:
    with open_audit_log("embedded", data_dir=falkordb_server.paths.root, key=key) as opened:
        assert opened.append(event(1)).seq == 1
        assert opened.verify().ok
        command(opened._redis, "DEL", opened.key, opened.head_key)
    with pytest.raises(ConfigError, match="needs Redis"):
        open_audit_log("bolt://localhost:7687", data_dir=Path("/tmp"), key=key)


def test_verify_while_appending_reports_no_false_problems(log: AuditLog) -> None:
    fill(log, 20)
    done = threading.Event()

    def keep_appending() -> None:
        for i in range(21, 61):
            log.append(event(i))
        done.set()

    writer = threading.Thread(target=keep_appending)
    writer.start()
    reports = []
    while not done.is_set():
        reports.append(log.verify(page_size=8))
    writer.join()
    reports.append(log.verify())
    assert all(r.ok for r in reports), [r.problems for r in reports if not r.ok]
    assert reports[-1].last_seq == 60
