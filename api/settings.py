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
=========================  ====================================================  ==============
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().absolute()

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
