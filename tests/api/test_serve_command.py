"""``clew serve`` starts uvicorn on the app factory and answers; ``clew api sdl --check``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2

from api.auth.identity import Role
from api.auth.keys import development_signing_key
from api.auth.tokens import issue_token
from api.settings import Settings
from graph.embedded import EmbeddedServer

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_starts_and_answers(data_dir: Path) -> None:
    EmbeddedServer(data_dir).start()
    settings = Settings.from_env()
    now = datetime.now(UTC)
    token = issue_token(
        development_signing_key(settings.auth_config()),
        user="ann",
        roles=[Role.ANALYST],
        expires=now + timedelta(minutes=5),
        now=now,
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--port", str(port)],
        cwd=REPO,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert server.poll() is None, "clew serve exited"
            assert time.monotonic() < deadline, "clew serve did not answer within 20 s"
            time.sleep(0.1)
        assert httpx2.get(f"{base}/readyz", timeout=5).status_code == 200
        answer = httpx2.post(
            f"{base}/graphql",
            json={"query": "{ me { user purpose { reference } } }"},
            headers={"Authorization": f"Bearer {token}", "X-Clew-Purpose": "OP-KESTREL"},
            timeout=5,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["me"] == {
            "user": "ann",
            "purpose": {"reference": "OP-KESTREL"},
        }
        assert "server" not in answer.headers  # no advertising of the server software
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    # Structured logs: the request line is JSON, and names no token.
    request_lines = [line for line in output.splitlines() if '"graphql request"' in line]
    assert request_lines, output
    assert token not in output


def test_serve_says_when_the_store_is_stopped(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "api", "serve", "--port", str(free_port())],
        cwd=REPO,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "clew db start" in done.stderr
