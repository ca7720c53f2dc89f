"""Shared fixtures: a real embedded FalkorDB server for the whole run, a clean store per test.

Store-backed tests take the ``store`` fixture, which is parametrised over the engines: FalkorDB
always, Neo4j as well when ``NEO4J_URI`` is set (with ``NEO4J_USER``/``NEO4J_PASSWORD``), so the
same tests hold both engines to one contract.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedServer
from graph.falkor import FalkorStore
from graph.store import GraphStore

ENGINES = ["falkordb"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])


def short_tmpdir(prefix: str) -> Path:
    """A private directory with a short path (unix socket paths are limited to ~100 bytes)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))


@pytest.fixture(scope="session")
def falkordb_server() -> Iterator[EmbeddedServer]:
    root = short_tmpdir("clew-test-")
    server = EmbeddedServer(root / "data")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def connect_falkor(server: EmbeddedServer, graph: str) -> FalkorStore:
    conn = server.connection()
    return FalkorStore.connect(
        graph=graph, unix_socket_path=str(conn.socket), password=conn.password
    )


def _neo4j_store() -> GraphStore:
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore.connect(
        os.environ["NEO4J_URI"],
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """A clean store: a fresh graph on the shared FalkorDB server, or a cleared Neo4j database."""
    if request.param == "falkordb":
        server: EmbeddedServer = request.getfixturevalue("falkordb_server")
        s: GraphStore = connect_falkor(server, f"test_{uuid.uuid4().hex[:12]}")
    else:
        s = _neo4j_store()
    s.clear()
    try:
        yield s
    finally:
        s.clear()
        s.close()
