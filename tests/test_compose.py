"""The production stack's shape (compose.yaml, Dockerfile, .dockerignore), checked as text:
no Docker is needed, and a broken stack fails here before anyone deploys it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("neo4j", "redis", "api", "worker")
# ${NAME:?message}: required, no default. A secret may only arrive this way.
REQUIRED = re.compile(r"^\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}$")
SECRET_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|AUTH", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def test_the_four_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == set(SERVICES)


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_a_healthcheck_and_restarts(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    test = service["healthcheck"]["test"]
    assert test[0] in ("CMD", "CMD-SHELL")
    assert len(test) > 1
    assert service["restart"] in ("unless-stopped", "always", "on-failure")


@pytest.mark.parametrize("name", ["api", "worker"])
def test_clew_waits_for_healthy_stores(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    assert service["depends_on"] == {
        "neo4j": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert service["build"] == "."
    env = service["environment"]
    assert env["CLEW_GRAPH_URL"] == "neo4j://neo4j:7687"
    assert {"CLEW_NEO4J_USER", "CLEW_NEO4J_PASSWORD", "CLEW_REDIS_URL"} <= set(env)


def test_neo4j_has_gds_and_keeps_its_data(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "graph-data-science" in neo4j["environment"]["NEO4J_PLUGINS"]
    assert {v.split(":")[1] for v in neo4j["volumes"]} == {"/data", "/logs"}
    assert set(compose["volumes"]) >= {"neo4j-data", "neo4j-logs", "redis-data"}


def test_redis_persists_and_requires_a_password(compose: dict[str, Any]) -> None:
    redis = compose["services"]["redis"]
    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert "--requirepass" in command
    assert "redis-data:/data" in redis["volumes"]


def test_no_secret_is_written_down(compose: dict[str, Any]) -> None:
    for service in compose["services"].values():
        for key, value in (service.get("environment") or {}).items():
            if not SECRET_KEY.search(key):
                continue
            secret = str(value).split("/", 1)[1] if key == "NEO4J_AUTH" else str(value)
            assert REQUIRED.match(secret), f"{key} must come from a required variable"
    for text in _strings(compose):
        # user:password@ in a URL, with a literal password
        assert not re.search(r"://[^/\s@]*:[^/\s@$]+@", text), text


def test_published_ports_are_on_the_loopback(compose: dict[str, Any]) -> None:
    for service in compose["services"].values():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), port


def test_image_runs_unprivileged_from_pinned_dependencies() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM python:3.11-slim") == 2
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in ("root", "0")
    assert "pip install -c constraints.txt" in dockerfile
    assert 'ARG CLEW_EXTRAS=""' in dockerfile  # no torch unless a build asks for it


def test_build_context_leaves_out_secrets_and_clutter() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "tests"} <= ignored
