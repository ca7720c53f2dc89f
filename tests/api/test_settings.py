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


# --- API auth ---------------------------------------------------------------------------------


def test_auth_defaults_to_development_keys_in_the_data_dir() -> None:
    config = Settings.from_env({"CLEW_DATA_DIR": "/srv/clew"}).auth_config()
    assert config.mode == "development"
    assert config.key_dir == Path("/srv/clew/keys")
    assert (config.issuer, config.audience) == ("clew", "clew-api")
    assert config.public_key_file is None
    assert config.jwks_url is None


def test_production_with_a_key_file_or_a_jwks() -> None:
    config = Settings.from_env(
        {
            "CLEW_AUTH_MODE": "production",
            "CLEW_JWT_PUBLIC_KEY": "/etc/clew/idp.pem",
            "CLEW_JWT_ISSUER": "https://sts.force.example",
            "CLEW_JWT_AUDIENCE": "api://clew",
        }
    ).auth_config()
    assert config.mode == "production"
    assert config.public_key_file == Path("/etc/clew/idp.pem")
    assert (config.issuer, config.audience) == ("https://sts.force.example", "api://clew")
    jwks = Settings.from_env(
        {"CLEW_AUTH_MODE": "production", "CLEW_JWKS_URL": "https://sts.force.example/keys"}
    ).auth_config()
    assert jwks.jwks_url == "https://sts.force.example/keys"


@pytest.mark.parametrize(
    "env",
    [
        {"CLEW_AUTH_MODE": "production"},
        {
            "CLEW_AUTH_MODE": "production",
            "CLEW_JWT_PUBLIC_KEY": "/k.pem",
            "CLEW_JWKS_URL": "https://idp/keys",
        },
    ],
)
def test_production_needs_exactly_one_key(env: dict[str, str]) -> None:
    settings = Settings.from_env(env)  # commands that serve no API still run
    with pytest.raises(ConfigError, match=r"CLEW_JWT_PUBLIC_KEY .*or CLEW_JWKS_URL"):
        settings.auth_config()


def test_development_does_not_take_a_configured_key() -> None:
    with pytest.raises(ConfigError, match="CLEW_JWKS_URL set, but CLEW_AUTH_MODE is development"):
        Settings.from_env({"CLEW_JWKS_URL": "https://idp/keys"}).auth_config()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CLEW_AUTH_MODE": "staging"}, "CLEW_AUTH_MODE"),
        ({"CLEW_JWKS_URL": "http://idp.example/keys"}, "CLEW_JWKS_URL"),
        ({"CLEW_JWKS_URL": "file:///etc/keys.json"}, "CLEW_JWKS_URL"),
    ],
)
def test_bad_auth_values_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)


def test_a_local_jwks_may_be_plain_http() -> None:
    env = {"CLEW_AUTH_MODE": "production", "CLEW_JWKS_URL": "http://127.0.0.1:8080/keys"}
    assert Settings.from_env(env).auth_config().jwks_url == "http://127.0.0.1:8080/keys"
