"""``clew audit verify | show`` on the embedded server of a private data dir."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.cli import main
from graph.audit_log import AuditLog, open_audit_log
from graph.embedded import EmbeddedServer
from graph.redis_calls import command
from schema.audit import AuditEvent, Outcome, ReturnedIds, entry_hash

T0 = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


@pytest.fixture
def log(data_dir: Path) -> Iterator[AuditLog]:
    """The default audit log on a running embedded server, with 12 entries."""
    EmbeddedServer(data_dir).start()
    with open_audit_log("embedded", data_dir=data_dir) as opened:
        for i in range(1, 13):
            refused = i == 5
            opened.append(
                AuditEvent(
                    at=T0 + timedelta(hours=i),
                    user="analyst.a" if i % 2 else "analyst.b",
                    roles=("analyst",),
                    purpose="OP-KESTREL",
                    operation="PersonNetwork",
                    query="query PersonNetwork { person { id } }",
                    returned=ReturnedIds.of([] if refused else [f"person-{i}"]),
                    outcome=Outcome.REFUSED if refused else Outcome.OK,
                    error_code="FORBIDDEN" if refused else None,
                    duration_ms=2.0,
                )
            )
        yield opened


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_verify_passes_then_fails_after_tampering(
    log: AuditLog, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0, out
    assert "entries checked  12" in out
    assert "OK" in out
    assert "2026-11-23 05:00:00 UTC" in out  # entry 1
    sid, fields = command(log._redis, "XRANGE", log.key, "7-0", "7-0")[0]
    entry = json.loads(fields[b"entry"])
    entry["user"] = "analyst.c"
    entry["hash"] = entry_hash(entry)  # re-hashed, so only the link to entry 8 shows it
    command(log._redis, "XDEL", log.key, sid)
    # An attacker cannot put it back at 7-0 (ids only grow), so the stream is rebuilt.
    rest = command(log._redis, "XRANGE", log.key, "-", "+")
    command(log._redis, "DEL", log.key)
    for other_id, other in rest:
        if other_id == b"8-0":
            command(log._redis, "XADD", log.key, "7-0", "entry", json.dumps(entry))
        command(log._redis, "XADD", log.key, other_id, "entry", other[b"entry"])
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 1
    assert "BROKEN at seq 8 (chain)" in out


def test_verify_reports_a_removed_entry(log: AuditLog, capsys: pytest.CaptureFixture[str]) -> None:
    command(log._redis, "XDEL", log.key, "3-0", "12-0")
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 1
    assert "BROKEN at seq 3 (removed)" in out
    assert "2 problems in all" in out
    assert "missing from the end" in out


def test_show_filters_and_limits(log: AuditLog, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "show", "--limit", "3")
    assert code == 0, out
    assert "3 entries" in out
    lines = [line for line in out.splitlines() if "analyst." in line]
    assert [line.split()[1] for line in lines] == ["12", "11", "10"]
    code, out, _ = run(
        capsys, "audit", "show", "--user", "analyst.b", "--until", "2026-11-23T10:00"
    )
    assert "2 entries" in out  # entries 2 and 4 (6 arrives at 10:00)
    code, out, _ = run(capsys, "audit", "show", "--since", "2026-11-23T09:00Z", "--limit", "50")
    assert "8 entries" in out
    assert "refused FORBIDDEN" in out


def test_bad_dates_and_a_stopped_store_are_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "audit", "verify")
    assert code == 1
    assert "clew db start" in err
    EmbeddedServer(data_dir).start()
    code, _, err = run(capsys, "audit", "show", "--since", "yesterday")
    assert code == 1
    assert "--since 'yesterday'" in err
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert "entries checked  0" in out
