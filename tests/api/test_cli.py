"""The ``clew`` CLI against a real embedded server (settings come from CLEW_* variables)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.cli import main
from graph.embedded import EmbeddedServer
from graph.falkor import FalkorStore

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def running(data_dir: Path) -> Path:
    EmbeddedServer(data_dir).start()
    return data_dir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_status_of_a_stopped_store(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "status")
    assert code == 1
    assert "stopped" in out
    assert str(data_dir) in out


def test_start_status_stop(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "db", "start")
    assert code == 0
    assert "running" in out
    assert str(data_dir) in out
    assert "fsync always" in out
    code, out, _ = run(capsys, "db", "status")
    assert code == 0
    assert "running" in out
    code, out, _ = run(capsys, "db", "stop")
    assert code == 0
    assert "stopped the embedded store" in out
    code, out, _ = run(capsys, "db", "stop")
    assert "was not running" in out


def test_migrate_twice_applies_nothing_the_second_time(
    running: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "migrate", "--dry-run")
    assert code == 0
    assert "pending" in out
    assert "m0001" in out
    code, out, _ = run(capsys, "query", "MATCH (m:ClewMigration) RETURN count(m)")
    assert "│ 0 " in out or " 0 " in out  # the dry run changed nothing
    code, out, _ = run(capsys, "migrate")
    assert code == 0
    assert "applied 5 step(s)" in out
    code, out, _ = run(capsys, "migrate")
    assert code == 0
    assert "nothing applied" in out


def test_query_table_json_params_and_write(
    running: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "query",
        "--write",
        "CREATE (n:Person {id: $id, name: $name}) RETURN n.id",
        "-p",
        "id=p1",
        "-p",
        'name="Ann O\'Neill"',
    )
    assert code == 0
    assert "p1" in out
    assert "1 nodes created" in out
    code, out, _ = run(capsys, "query", "--json", "MATCH (n:Person) RETURN n, n.name AS name")
    assert code == 0
    rows = json.loads(out)
    assert rows == [
        {
            "n": {"labels": ["Person"], "properties": {"id": "p1", "name": "Ann O'Neill"}},
            "name": "Ann O'Neill",
        }
    ]


def test_a_read_that_writes_is_one_clear_error(
    running: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "query", "CREATE (n:Person {id: 'x'})")
    assert code == 1
    assert "send it as a write" in err
    assert "Traceback" not in err + out


def test_a_bad_query_says_what_the_engine_said(
    running: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "query", "MATCH (n RETURN n")
    assert code == 1
    assert err.startswith("error:")
    assert "Invalid input" in err


def test_a_bad_param_is_explained(running: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "RETURN $x", "-p", "novalue")
    assert code == 1
    assert "NAME=VALUE" in err


def test_a_stopped_server_is_one_line_not_a_traceback(data_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for args in (["query", "RETURN 1"], ["migrate"]):
        result = subprocess.run(
            [sys.executable, "-m", "api", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=60,
            check=False,
        )
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "not running" in lines[0]
        assert "clew db start" in lines[0]


def test_a_bad_setting_is_one_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLEW_GRAPH_URL", "mongodb://x")
    code, _, err = run(capsys, "query", "RETURN 1")
    assert code == 1
    assert "unknown scheme" in err


def test_db_start_refuses_an_external_store(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLEW_GRAPH_URL", "redis://localhost:1")
    code, out, _ = run(capsys, "db", "start")
    assert code == 2
    assert "starts only its embedded store" in out


# -- clew load -------------------------------------------------------------------------------

SHARED = REPO.parent / "shared" / "data"
COMPANIES = SHARED / "companies_house" / "basic_company_data_sample" / "companies-sample.csv"


@pytest.mark.skipif(not COMPANIES.exists(), reason="../shared/data is absent")
def test_load_companies_twice(running: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "migrate")
    code, out, _ = run(capsys, "load", "companies", str(COMPANIES))
    assert code == 0, out
    assert "11 new, 0 changed, 0 unchanged" in out
    code, out, _ = run(capsys, "load", "companies", str(COMPANIES))
    assert "0 new, 0 changed, 11 unchanged" in out
    code, out, _ = run(capsys, "query", "--json", "MATCH (r:CompanyRecord) RETURN count(r) AS n")
    assert json.loads(out) == [{"n": 11}]


def test_load_rejects_and_dry_run(
    running: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("nominal_ref,surname\nN1,Smith\n,NoRef\n", encoding="utf-8")
    code, out, _ = run(capsys, "load", "people", str(path), "--dry-run")
    assert code == 0
    assert "dry run, nothing written" in out
    code, out, _ = run(capsys, "query", "--json", "MATCH (r:Record) RETURN count(r) AS n")
    assert json.loads(out) == [{"n": 0}]
    rejects = tmp_path / "rejects.jsonl"
    code, out, err = run(capsys, "load", "people", str(path))
    assert code == 1
    assert "run `clew migrate` first" in err
    run(capsys, "migrate")
    code, out, _ = run(capsys, "load", "people", str(path), "--rejects", str(rejects))
    assert code == 0
    assert "1 new" in out
    assert str(rejects) in out
    assert json.loads(rejects.read_text(encoding="utf-8"))["line"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "horses", "x.csv"], "the kinds are: people"),
        (["load", "people", "/nonexistent.csv"], "no such file"),
    ],
)
def test_load_refuses_clearly(
    running: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 1
    assert message in err


def test_load_mapping_does_not_apply_to_fixed_formats(
    running: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "c.csv"
    data.write_text("x\n", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {}\n", encoding="utf-8")
    code, _, err = run(capsys, "load", "companies", str(data), "--mapping", str(mapping))
    assert code == 1
    assert "fixed format" in err


ROWS = 50_000


def test_killed_load_then_reload_gives_the_same_graph_as_one_clean_load(
    running: Path, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    rows = [
        f"N{i},Surname{i % 977},Forename{i % 131},{1950 + i % 50}-0{1 + i % 9}"
        # Enough rows that the load is still going when it is killed, even on a quiet machine
        # where the loader writes 10k rows/s.
        for i in range(ROWS)
    ]
    path.write_text(
        "nominal_ref,surname,forenames,dob\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "CLEW_BATCH_SIZE": "1000"}

    def clew_load(graph: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "api", "load", "people", str(path)],
            env={**env, "CLEW_GRAPH_NAME": graph},
            cwd=REPO,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    server = EmbeddedServer(running)
    conn = server.connection()
    store = FalkorStore.connect(
        graph="crashy", unix_socket_path=str(conn.socket), password=conn.password
    )

    def state(graph: str) -> set[tuple[str, str]]:
        other = FalkorStore.connect(
            graph=graph, unix_socket_path=str(conn.socket), password=conn.password
        )
        try:
            return set(other.read("MATCH (r:Record) RETURN r.id, r.raw_hash").rows)
        finally:
            other.close()

    def count() -> int:
        return int(store.read("MATCH (r:Record) RETURN count(r)").single())

    for graph in ("crashy", "clean"):
        migrated = subprocess.run(
            [sys.executable, "-m", "api", "migrate"],
            env={**env, "CLEW_GRAPH_NAME": graph},
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stderr
    killed = clew_load("crashy")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and count() < 2_000:
        time.sleep(0.1)
    killed.kill()  # SIGKILL: no clean-up, mid-file
    killed.communicate(timeout=30)
    partial = count()
    store.close()
    assert 2_000 <= partial < ROWS, partial

    for graph in ("crashy", "clean"):
        proc = clew_load(graph)
        _, errors = proc.communicate(timeout=300)
        assert proc.returncode == 0, errors
    assert state("crashy") == state("clean")
    assert len(state("clean")) == ROWS


def test_demo_generates_once_and_loads_idempotently(
    running: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "migrate")
    code, out, _ = run(capsys, "demo", "--persons", "600")
    assert code == 0, out
    assert "generating a region of 600 people" in out
    assert "reports" in out
    assert "calls" in out
    # It ends with where the API serves, a token and a query worth running.
    assert "/graphql" in out
    assert "X-Clew-Purpose" in out
    assert "Worth a first look:" in out
    token = out.split("12 hours):", 1)[1].split()[0]
    assert token.count(".") == 2
    first = json.loads(run(capsys, "query", "--json", "MATCH (r:Record) RETURN count(r) AS n")[1])
    code, out, _ = run(capsys, "demo", "--persons", "600")
    assert code == 0
    assert "generating" not in out
    again = json.loads(run(capsys, "query", "--json", "MATCH (r:Record) RETURN count(r) AS n")[1])
    assert again == first
    assert first[0]["n"] > 1_000


def test_a_bad_marking_or_handling_code_is_one_line_that_lists_the_valid_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = tmp_path / "people.csv"
    rows.write_text("id,surname\n1,x\n", encoding="utf-8")
    code, _, err = run(capsys, "load", "people", str(rows), "--dry-run", "--marking", "restricted")
    assert code == 1
    assert "--marking" in err
    assert "OFFICIAL_SENSITIVE" in err
    code, _, err = run(capsys, "load", "people", str(rows), "--dry-run", "--handling", "1Z Q")
    assert code == 1
    assert "--handling: 'Z' is not a 3x5x2 intelligence assessment" in err
    assert "pydantic" not in err
