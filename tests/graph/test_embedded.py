"""The embedded FalkorDB server: lifecycle, access, and durability through crashes."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.connect import EmbeddedTarget, open_store
from graph.embedded import EmbeddedServer
from graph.falkor import FalkorStore
from schema.errors import ServerError, StoreUnavailable
from schema.specs import UniqueSpec

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def data_dir() -> Iterator[Path]:
    root = Path(os.path.realpath("/tmp")) / f"clew-emb-{os.getpid()}-{os.urandom(3).hex()}"
    yield root / "data"
    server = EmbeddedServer(root / "data")
    if server.is_running():
        server.stop()
    shutil.rmtree(root, ignore_errors=True)


def connect(server: EmbeddedServer, graph: str = "g") -> FalkorStore:
    conn = server.connection()
    return FalkorStore.connect(
        graph=graph, unix_socket_path=str(conn.socket), password=conn.password
    )


def clew(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLEW_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_start_status_stop(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    assert not server.is_running()
    status = server.start()
    assert status.running
    assert status.pid is not None
    assert status.version
    assert "FalkorDB" in status.version
    assert status.aof_status == "ok"
    assert server.status().pid == status.pid
    assert server.stop() is True
    assert not server.is_running()
    assert not server.paths.socket.exists()
    assert server.stop() is False


def test_access_is_owner_only(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    server.start()

    def mode(p: Path) -> int:
        return stat.S_IMODE(p.stat().st_mode)

    assert mode(server.paths.root) == 0o700
    assert mode(server.paths.run_dir) == 0o700
    assert mode(server.paths.secret) == 0o600
    assert mode(server.paths.config) == 0o600
    assert mode(server.paths.socket) & 0o077 == 0
    config = server.paths.config.read_text()
    assert "port 0" in config  # no TCP listener at all
    assert "appendfsync always" in config


def test_wrong_password_is_refused(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    server.start()
    with pytest.raises(StoreUnavailable, match="refused the credentials"):
        FalkorStore.connect(graph="g", unix_socket_path=str(server.paths.socket), password="guess")


def test_data_survives_a_clean_restart(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    server.start()
    store = connect(server)
    store.upsert_nodes("Person", [{"id": f"p{i}", "name": f"n{i}"} for i in range(100)])
    store.close()
    server.stop()
    server.start()
    store = connect(server)
    assert store.read("MATCH (n:Person) RETURN count(n)").single() == 100
    store.close()


def test_a_restart_waits_for_a_long_replay_of_the_append_only_file(data_dir: Path) -> None:
    # Redis answers only between every 1,024 replayed commands: a few heavy ones keep it silent
    # for longer than the start timeout, and it must still be waited for, not reported hung.
    server = EmbeddedServer(data_dir)
    server.start()
    store = connect(server)
    for batch in range(100):
        store.write("UNWIND range(1, 4000) AS i CREATE (:N {i: i, batch: $b})", {"b": batch})
    store.close()
    server.stop()
    impatient = EmbeddedServer(data_dir, start_timeout_s=0.3)
    impatient.start()
    store = connect(impatient)
    assert store.read("MATCH (n:N) RETURN count(n)").single() == 400_000
    store.close()


def test_a_clean_stop_compacts_a_grown_append_only_file(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir, compact_on_stop_bytes=256 * 1024)
    server.start()
    store = connect(server)
    # The file holds the commands, their rows and all: 8 batches of 1,000 rows, over 1 MB.
    note = "x" * 200
    for _ in range(8):
        rows = [{"i": i, "note": note} for i in range(1000)]
        store.write("UNWIND $rows AS r CREATE (:N {i: r.i, note: r.note})", {"rows": rows})
    store.close()
    aof = data_dir / "falkordb" / "appendonlydir"
    grown = sum(f.stat().st_size for f in aof.glob("*.incr.aof"))
    assert grown > 1 << 20, grown
    server.stop()
    incr = sum(f.stat().st_size for f in aof.glob("*.incr.aof"))
    base = sum(f.stat().st_size for f in aof.glob("*.base.rdb"))
    assert incr < 256 * 1024, incr  # the writes now live in the snapshot
    assert base > 0
    server.start()
    store = connect(server)
    assert store.read("MATCH (n:N) RETURN count(n)").single() == 8_000
    store.close()


def test_a_stopped_store_gives_one_clear_error(data_dir: Path) -> None:
    target = EmbeddedTarget(data_dir=data_dir, graph="g")
    with pytest.raises(StoreUnavailable, match=r"not running.*clew db start"):
        open_store(target)


def test_stale_pid_and_socket_are_recovered(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    first = server.start()
    server.kill()
    assert server.paths.pidfile.exists()  # left behind by the crash
    status = server.status()
    assert not status.running
    assert "stale" in status.note
    second = server.start()
    assert second.running
    assert second.pid != first.pid
    assert "stale" in second.note


def test_a_second_process_attaches_to_the_running_server(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    pid = server.start().pid
    result = clew(data_dir, "db", "start")
    assert result.returncode == 0, result.stderr
    assert "already running; attached" in result.stdout
    assert str(pid) in result.stdout
    assert server.status().pid == pid


def test_concurrent_starts_share_one_server(data_dir: Path) -> None:
    env = {**os.environ, "CLEW_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "api", "db", "start"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert sum("attached" in out for out, _ in outputs) == 2
    pids = {
        line.split()[1]
        for out, _ in outputs
        for line in out.splitlines()
        if line.startswith("pid ")
    }
    assert pids == {str(EmbeddedServer(data_dir).status().pid)}


def test_a_data_dir_too_deep_for_a_socket_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 90)
    with pytest.raises(ServerError, match="too deep"):
        EmbeddedServer(deep).start()


LOADER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from graph.embedded import EmbeddedServer
    from graph.falkor import FalkorStore

    server = EmbeddedServer(Path(sys.argv[1]))
    conn = server.connection()
    store = FalkorStore.connect(
        graph="load", unix_socket_path=str(conn.socket), password=conn.password
    )
    batches, size = int(sys.argv[2]), int(sys.argv[3])
    for b in range(batches):
        rows = [{"id": f"r{b}-{i}", "batch": b, "name": f"Name {i}"} for i in range(size)]
        store.upsert_nodes("Record", rows, batch_size=size)
        print(f"ack {b}", flush=True)
    """
)


def run_loader(data_dir: Path, batches: int, size: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", LOADER, str(data_dir), str(batches), str(size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
    )


def test_kill_9_during_a_load_loses_no_acknowledged_batch(data_dir: Path) -> None:
    batches, size = 200, 500
    server = EmbeddedServer(data_dir)
    server.start()
    setup = connect(server, "load")
    setup.apply_schema(UniqueSpec(label="Record", property="id"))
    setup.close()

    loader = run_loader(data_dir, batches, size)
    assert loader.stdout is not None
    acked: list[int] = []
    for line in loader.stdout:
        acked.append(int(line.split()[1]))
        if len(acked) == 20:
            server.kill()
            break
    rest, errors = loader.communicate(timeout=60)
    acked += [int(line.split()[1]) for line in rest.splitlines() if line.startswith("ack")]
    assert loader.returncode != 0, "the loader should have failed when its server died"
    assert "StoreUnavailable" in errors
    assert len(acked) < batches

    status = server.start()
    assert "stale" in status.note
    store = connect(server, "load")
    present = store.read("MATCH (r:Record) RETURN r.batch, count(r)").rows
    per_batch = {int(b): int(n) for b, n in present}
    for b in acked:
        assert per_batch.get(b) == size, f"acknowledged batch {b} lost rows after kill -9"
    # A batch is one statement: it is there whole or not at all.
    assert all(n == size for n in per_batch.values())

    # Re-running the whole load converges on exactly one clean load.
    again = run_loader(data_dir, batches, size)
    _, errors = again.communicate(timeout=600)
    assert again.returncode == 0, errors
    assert store.read("MATCH (r:Record) RETURN count(r)").single() == batches * size
    assert store.read("MATCH (r:Record) RETURN count(DISTINCT r.id)").single() == batches * size
    store.close()


def test_a_running_server_that_does_not_answer_is_never_doubled(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    pid = server.start().pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        with pytest.raises(ServerError, match="running but not answering"):
            EmbeddedServer(data_dir, start_timeout_s=0.5).start()
    finally:
        os.kill(pid, signal.SIGCONT)
    assert server.status().pid == pid
