"""Clew's settings: read from the environment once, here, into one typed object.

Everything below ``api`` receives typed arguments built from this object; nothing else in Clew
reads the environment.

=========================  ====================================================  ==============
variable                   meaning                                               default
=========================  ====================================================  ==============
CLEW_DATA_DIR              where the embedded store, keys and logs live           the user data
                                                                                 dir (``clew``)
CLEW_GRAPH_URL             which store: ``embedded``, ``redis://``, ``unix://``,  ``embedded``
                           ``bolt://``, ``neo4j://`` (see ``graph.connect``)
CLEW_GRAPH_NAME            the graph's name on a FalkorDB server                  ``clew``
CLEW_NEO4J_USER            Neo4j user (when not in the URL)                       ``neo4j``
CLEW_NEO4J_PASSWORD        Neo4j password (when not in the URL)                   none
CLEW_NEO4J_DATABASE        Neo4j database                                         ``neo4j``
CLEW_DURABLE               confirm each write reached disk before acknowledging   ``true``
CLEW_QUERY_TIMEOUT_MS      server-side time limit for queries, milliseconds       ``60000``
CLEW_BATCH_SIZE            rows per write batch in loads and write-backs          ``5000``
CLEW_AUTH_MODE             API tokens: ``development`` (keys generated in the     ``development``
                           data dir, ``clew token create``) or ``production``
CLEW_JWT_PUBLIC_KEY        production: PEM public key file that verifies tokens   none
CLEW_JWKS_URL              production: the identity provider's JWKS (https)       none
CLEW_JWT_ISSUER            the ``iss`` a token must name                          ``clew``
CLEW_JWT_AUDIENCE          the ``aud`` a token must name                          ``clew-api``
=========================  ====================================================  ==============

Production needs exactly one of ``CLEW_JWT_PUBLIC_KEY`` and ``CLEW_JWKS_URL``; development takes
neither (``auth_config`` says so when it is asked, so that commands with no API to serve still
run).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from api.auth.config import (
    DEFAULT_AUDIENCE,
    DEFAULT_ISSUER,
    DEV_KEY_DIR,
    AuthConfig,
    AuthMode,
    check_jwks_url,
)
from graph.connect import StoreTarget, parse_store_url
from schema.errors import ConfigError

_ENV_PREFIX = "CLEW_"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("clew")))
    graph_url: str = "embedded"
    graph_name: str = "clew"
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str = "neo4j"
    durable: bool = True
    query_timeout_ms: int = Field(default=60_000, ge=1)
    batch_size: int = Field(default=5_000, ge=1, le=1_000_000)
    auth_mode: AuthMode = "development"
    jwt_public_key: Path | None = None
    jwks_url: str | None = None
    jwt_issuer: str = Field(default=DEFAULT_ISSUER, min_length=1)
    jwt_audience: str = Field(default=DEFAULT_AUDIENCE, min_length=1)

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().absolute()

    @field_validator("jwt_public_key")
    @classmethod
    def _absolute_key(cls, v: Path | None) -> Path | None:
        return None if v is None else v.expanduser().absolute()

    @field_validator("jwks_url")
    @classmethod
    def _jwks_url(cls, v: str | None) -> str | None:
        return None if v is None else check_jwks_url(v)

    @field_validator("graph_name")
    @classmethod
    def _graph_name(cls, v: str) -> str:
        if not v or not all(c.isalnum() or c in "_-" for c in v):
            raise ValueError("use letters, digits, '_' and '-'")
        return v

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build the settings from ``CLEW_*`` variables; a bad value is a ``ConfigError`` that
        names the variable."""
        env = os.environ if environ is None else environ
        values = {
            name: env[_ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if _ENV_PREFIX + name.upper() in env and env[_ENV_PREFIX + name.upper()] != ""
        }
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = "; ".join(
                f"{_ENV_PREFIX}{str(err['loc'][0]).upper()}: {err['msg']}" for err in exc.errors()
            )
            raise ConfigError(f"bad setting: {problems}") from exc

    def store_target(self) -> StoreTarget:
        return parse_store_url(
            self.graph_url,
            data_dir=self.data_dir,
            graph=self.graph_name,
            neo4j_user=self.neo4j_user,
            neo4j_password=self.neo4j_password,
            neo4j_database=self.neo4j_database,
        )

    def auth_config(self) -> AuthConfig:
        """How API tokens are verified (and, in development, issued); a mode and key settings
        that do not fit together are a ``ConfigError`` naming the variables."""
        configured = [
            name
            for name, value in (
                ("CLEW_JWT_PUBLIC_KEY", self.jwt_public_key),
                ("CLEW_JWKS_URL", self.jwks_url),
            )
            if value is not None
        ]
        if self.auth_mode == "production" and len(configured) != 1:
            raise ConfigError(
                "CLEW_AUTH_MODE=production verifies tokens against the identity provider's key: "
                "set one of CLEW_JWT_PUBLIC_KEY (a PEM public key file) or CLEW_JWKS_URL"
                + (", not both" if configured else "")
            )
        if self.auth_mode == "development" and configured:
            raise ConfigError(
                f"{' and '.join(configured)} set, but CLEW_AUTH_MODE is development, which "
                "verifies tokens with the generated development key: set "
                "CLEW_AUTH_MODE=production to use the configured key"
            )
        return AuthConfig(
            mode=self.auth_mode,
            issuer=self.jwt_issuer,
            audience=self.jwt_audience,
            key_dir=self.data_dir / DEV_KEY_DIR,
            public_key_file=self.jwt_public_key,
            jwks_url=self.jwks_url,
        )
