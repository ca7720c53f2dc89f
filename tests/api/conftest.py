"""Fixtures for the command tests: a private data dir with the CLEW_* settings pointing at it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedServer


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh CLEW_DATA_DIR (graph ``cli``, wide console); its server is stopped afterwards."""
    root = Path("/tmp") / f"clew-api-{os.getpid()}-{os.urandom(3).hex()}"
    monkeypatch.setenv("CLEW_DATA_DIR", str(root))
    monkeypatch.setenv("CLEW_GRAPH_NAME", "cli")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("CLEW_GRAPH_URL", raising=False)
    yield root
    server = EmbeddedServer(root)
    if server.is_running():
        server.stop()
    shutil.rmtree(root, ignore_errors=True)
