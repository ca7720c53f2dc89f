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
CLEW_AUDIT_URL             the Redis that holds the read audit log (``embedded``, the graph store's
                           ``redis://``, ``rediss://``, ``unix://``)              server
CLEW_AUDIT_KEY             the audit log's stream key                             ``clew:audit``
CLEW_API_HOST              ``clew serve``: the address to listen on               ``127.0.0.1``
CLEW_API_PORT              ``clew serve``: the port                               ``8765``
CLEW_API_WORKERS           ``clew serve``: worker processes                       ``1``
CLEW_API_MAX_DEPTH         deepest selection a GraphQL query may nest             ``10``
CLEW_API_MAX_ALIASES       aliases one GraphQL document may use                   ``15``
CLEW_API_MAX_TOKENS        tokens (names, punctuation) one document may hold      ``2000``
CLEW_API_MAX_COST          a query's estimated cost (``api.graphql.cost``)        ``10000``
CLEW_API_MAX_PAGE_SIZE     most items one list or connection returns (``first``)  ``200``
CLEW_API_MAX_BODY_BYTES    largest request body accepted                          ``1048576``
CLEW_API_INTROSPECTION     schema introspection (``__schema``, ``__type``) on     ``true`` in
                                                                                 development,
                                                                                 else ``false``
CLEW_API_CORS_ORIGINS      comma-separated origins whose pages may call the API   none
=========================  ====================================================  ==============

The API serves GraphiQL at ``/graphql`` only in development auth mode. The audit log needs Redis:
with a Neo4j store, set ``CLEW_AUDIT_URL`` (the Redis that carries the job queue).

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
from graph.audit_log import DEFAULT_KEY as DEFAULT_AUDIT_KEY
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
    audit_url: str | None = None
    audit_key: str = Field(default=DEFAULT_AUDIT_KEY, min_length=1)
    api_host: str = Field(default="127.0.0.1", min_length=1)
    api_port: int = Field(default=8765, ge=1, le=65_535)
    api_workers: int = Field(default=1, ge=1, le=64)
    api_max_depth: int = Field(default=10, ge=1, le=100)
    api_max_aliases: int = Field(default=15, ge=0, le=1_000)
    api_max_tokens: int = Field(default=2_000, ge=10, le=1_000_000)
    api_max_cost: int = Field(default=10_000, ge=1)
    api_max_page_size: int = Field(default=200, ge=1, le=10_000)
    api_max_hops: int = Field(default=3, ge=1, le=6, description="expand: the most hops")
    api_hub_degree: int = Field(
        default=100,
        ge=1,
        description="expand: more visible neighbours than this and a node "
        "is summarised by kind instead of expanded",
    )
    api_hop_budget: int = Field(
        default=1_000, ge=1, le=100_000, description="expand and paths: entities per hop"
    )
    api_max_body_bytes: int = Field(default=1_048_576, ge=1_024)
    api_introspection: bool | None = None
    api_cors_origins: tuple[str, ...] = ()

    @field_validator("api_cors_origins", mode="before")
    @classmethod
    def _origins(cls, v: object) -> object:
        # The environment gives one string: "https://a.example, https://b.example".
        if isinstance(v, str):
            return tuple(o.strip().rstrip("/") for o in v.split(",") if o.strip())
        return v

    @field_validator("api_cors_origins")
    @classmethod
    def _origins_are_origins(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for origin in v:
            if origin == "*" or not origin.startswith(("https://", "http://")):
                raise ValueError(
                    f"{origin!r} is not an origin: list scheme://host[:port] of each page "
                    "that may call the API ('*' is refused: the API serves restricted data)"
                )
        return v

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

    def audit_log_url(self) -> str:
        """Where the read audit log lives: ``CLEW_AUDIT_URL``, else the graph store's server."""
        return self.audit_url or self.graph_url

    @property
    def api_introspection_enabled(self) -> bool:
        """Introspection as set, else on in development and off in production."""
        if self.api_introspection is not None:
            return self.api_introspection
        return self.auth_mode == "development"

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
