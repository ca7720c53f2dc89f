"""The API's settings: defaults, origins, introspection by mode, the audit log's place."""

from __future__ import annotations

import pytest

from api.http.app import limits_of
from api.settings import Settings
from schema.errors import ConfigError


def test_api_defaults() -> None:
    s = Settings.from_env({})
    assert (s.api_host, s.api_port, s.api_workers) == ("127.0.0.1", 8765, 1)
    limits = limits_of(s)
    assert (limits.max_depth, limits.max_aliases, limits.max_cost) == (10, 15, 10_000)
    assert limits.max_page_size == 200
    assert limits.query_timeout_ms == s.query_timeout_ms
    assert s.api_cors_origins == ()
    assert s.audit_key == "clew:audit"


def test_introspection_follows_the_auth_mode_unless_set() -> None:
    assert Settings.from_env({}).api_introspection_enabled is True
    assert Settings.from_env({"CLEW_AUTH_MODE": "production"}).api_introspection_enabled is False
    forced = Settings.from_env({"CLEW_AUTH_MODE": "production", "CLEW_API_INTROSPECTION": "true"})
    assert forced.api_introspection_enabled is True


def test_the_audit_log_defaults_to_the_graph_store_server() -> None:
    assert (
        Settings.from_env({"CLEW_GRAPH_URL": "redis://g:6379"}).audit_log_url() == "redis://g:6379"
    )
    s = Settings.from_env({"CLEW_GRAPH_URL": "bolt://n", "CLEW_AUDIT_URL": "redis://q:6379"})
    assert s.audit_log_url() == "redis://q:6379"


def test_cors_origins_are_a_comma_separated_list() -> None:
    s = Settings.from_env({"CLEW_API_CORS_ORIGINS": "https://a.example, http://localhost:3000/"})
    assert s.api_cors_origins == ("https://a.example", "http://localhost:3000")


@pytest.mark.parametrize("origins", ["*", "a.example"])
def test_a_wildcard_or_bare_host_is_not_an_origin(origins: str) -> None:
    with pytest.raises(ConfigError, match="CLEW_API_CORS_ORIGINS"):
        Settings.from_env({"CLEW_API_CORS_ORIGINS": origins})


def test_a_bad_port_names_its_variable() -> None:
    with pytest.raises(ConfigError, match="CLEW_API_PORT"):
        Settings.from_env({"CLEW_API_PORT": "0"})
