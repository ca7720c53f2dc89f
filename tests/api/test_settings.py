from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings
from graph.connect import EmbeddedTarget, Neo4jTarget
from schema.errors import ConfigError


def test_defaults() -> None:
    s = Settings.from_env({})
    assert s.graph_url == "embedded"
    assert s.durable is True
    assert s.data_dir.is_absolute()
    assert isinstance(s.store_target(), EmbeddedTarget)


def test_values_from_the_environment() -> None:
    s = Settings.from_env(
        {
            "CLEW_DATA_DIR": "/srv/clew",
            "CLEW_GRAPH_URL": "bolt://db:7687",
            "CLEW_NEO4J_PASSWORD": "pw",
            "CLEW_DURABLE": "false",
            "CLEW_QUERY_TIMEOUT_MS": "1500",
            "UNRELATED": "x",
        }
    )
    assert s.data_dir == Path("/srv/clew")
    assert s.durable is False
    assert s.query_timeout_ms == 1500
    assert s.store_target() == Neo4jTarget(
        uri="bolt://db:7687", user="neo4j", password="pw", database="neo4j"
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CLEW_QUERY_TIMEOUT_MS": "soon"}, "CLEW_QUERY_TIMEOUT_MS"),
        ({"CLEW_BATCH_SIZE": "0"}, "CLEW_BATCH_SIZE"),
        ({"CLEW_DURABLE": "perhaps"}, "CLEW_DURABLE"),
        ({"CLEW_GRAPH_NAME": "a b"}, "CLEW_GRAPH_NAME"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)
