from __future__ import annotations

from pathlib import Path

import pytest

from graph.connect import EmbeddedTarget, FalkorTarget, Neo4jTarget, parse_store_url
from schema.errors import ConfigError

DATA = Path("/var/lib/clew")


def parse(url: str, **kw: str) -> object:
    return parse_store_url(url, data_dir=DATA, graph="clew", **kw)


def test_embedded_is_the_default() -> None:
    assert parse("") == EmbeddedTarget(data_dir=DATA, graph="clew")
    assert parse("embedded") == EmbeddedTarget(data_dir=DATA, graph="clew")


def test_redis_urls() -> None:
    assert parse("redis://:s%40cret@db.internal:6380/intel") == FalkorTarget(
        graph="intel", host="db.internal", port=6380, password="s@cret"
    )
    assert parse("rediss://user:pw@h") == FalkorTarget(
        graph="clew", host="h", port=6379, username="user", password="pw", ssl=True
    )
    assert parse("unix:///run/falkordb.sock?graph=g2") == FalkorTarget(
        graph="g2", unix_socket_path="/run/falkordb.sock"
    )


def test_neo4j_urls() -> None:
    assert parse("neo4j+s://a.databases.neo4j.io", neo4j_password="pw") == Neo4jTarget(
        uri="neo4j+s://a.databases.neo4j.io", user="neo4j", password="pw", database="neo4j"
    )
    assert parse("bolt://bob:pw@localhost:7687/intel") == Neo4jTarget(
        uri="bolt://localhost:7687", user="bob", password="pw", database="intel"
    )


def test_neo4j_needs_a_password() -> None:
    with pytest.raises(ConfigError, match="CLEW_NEO4J_PASSWORD"):
        parse("bolt://localhost:7687")


@pytest.mark.parametrize("url", ["http://x", "mysql://x", "redis://h:notaport"])
def test_bad_urls_say_what_is_wrong(url: str) -> None:
    with pytest.raises(ConfigError):
        parse(url)


def test_describe_hides_credentials() -> None:
    target = parse("redis://:topsecret@h:1/g")
    assert isinstance(target, FalkorTarget)
    assert "topsecret" not in target.describe()
