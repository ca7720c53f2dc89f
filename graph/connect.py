"""From a store URL to an open ``GraphStore``.

One setting chooses the store (``api.settings`` reads it from ``CLEW_GRAPH_URL``):

=============================================  ===========================================
``embedded`` (the default)                     the embedded FalkorDB server of the data dir
``redis://[user:password@]host:port``          a FalkorDB server over TCP (``rediss://``: TLS)
``unix:///path/to/falkordb.sock``              a FalkorDB server over a unix socket
``bolt://host:7687``, ``neo4j://host:7687``    Neo4j (``+s`` variants for TLS; ``neo4j://``
                                               routes across a cluster or Aura)
=============================================  ===========================================

Nothing here reads the environment: targets are built from typed arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from graph.embedded import Connection, EmbeddedServer
from graph.falkor import FalkorStore
from graph.store import GraphStore
from schema.errors import ConfigError, StoreUnavailable

NEO4J_SCHEMES = frozenset({"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"})


@dataclass(frozen=True, slots=True)
class EmbeddedTarget:
    data_dir: Path
    graph: str

    def describe(self) -> str:
        return f"embedded FalkorDB in {self.data_dir}, graph {self.graph!r}"


@dataclass(frozen=True, slots=True)
class FalkorTarget:
    graph: str
    host: str = "localhost"
    port: int = 6379
    unix_socket_path: str | None = None
    username: str | None = None
    password: str | None = None
    ssl: bool = False

    def describe(self) -> str:
        where = self.unix_socket_path or f"{self.host}:{self.port}"
        return f"FalkorDB at {where}, graph {self.graph!r}"


@dataclass(frozen=True, slots=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str
    database: str

    def describe(self) -> str:
        return f"Neo4j at {self.uri}, database {self.database!r}"


StoreTarget = EmbeddedTarget | FalkorTarget | Neo4jTarget


def parse_store_url(
    url: str,
    *,
    data_dir: Path,
    graph: str,
    neo4j_user: str = "neo4j",
    neo4j_password: str | None = None,
    neo4j_database: str = "neo4j",
) -> StoreTarget:
    """The target a store URL names; ``ConfigError`` says what is wrong with a bad one."""
    url = url.strip()
    if url in ("", "embedded"):
        return EmbeddedTarget(data_dir=data_dir, graph=graph)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("redis", "rediss"):
        graph_from_path = parts.path.strip("/") or graph
        try:
            port = parts.port or 6379
        except ValueError as exc:
            raise ConfigError(f"the store URL {url!r} has a bad port") from exc
        return FalkorTarget(
            graph=graph_from_path,
            host=parts.hostname or "localhost",
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            ssl=scheme == "rediss",
        )
    if scheme == "unix":
        query = parse_qs(parts.query)
        if not parts.path:
            raise ConfigError(f"the store URL {url!r} names no socket path")
        return FalkorTarget(
            graph=query.get("graph", [graph])[0],
            unix_socket_path=parts.path,
            password=query.get("password", [None])[0],
        )
    if scheme in NEO4J_SCHEMES:
        user = unquote(parts.username) if parts.username else neo4j_user
        password = unquote(parts.password) if parts.password else neo4j_password
        if not password:
            raise ConfigError(
                f"no password for Neo4j at {parts.hostname}: set CLEW_NEO4J_PASSWORD "
                "(or put it in the URL)"
            )
        netloc = parts.hostname or "localhost"
        if parts.port:
            netloc += f":{parts.port}"
        database = parts.path.strip("/") or neo4j_database
        return Neo4jTarget(
            uri=f"{scheme}://{netloc}", user=user, password=password, database=database
        )
    raise ConfigError(
        f"the store URL {url!r} has an unknown scheme {scheme or '(none)'!r}: use 'embedded', "
        "redis://, rediss://, unix://, bolt:// or neo4j:// (with +s for TLS)"
    )


def running_embedded(data_dir: Path) -> Connection:
    """How to reach the embedded server of ``data_dir``, which must be running: it is not
    started here, and a stopped one is a ``StoreUnavailable`` that says how to start it."""
    server = EmbeddedServer(data_dir)
    if not server.is_running():
        raise StoreUnavailable(
            f"the embedded store is not running (data dir {data_dir}); "
            "start it with `clew db start`"
        )
    return server.connection()


def open_store(
    target: StoreTarget,
    *,
    durable: bool = True,
    timeout_ms: int | None = None,
) -> GraphStore:
    """Connect to the target's store. The embedded server is not started here: a stopped one
    gives ``StoreUnavailable`` that says how to start it."""
    if isinstance(target, EmbeddedTarget):
        conn = running_embedded(target.data_dir)
        return FalkorStore.connect(
            graph=target.graph,
            unix_socket_path=str(conn.socket),
            password=conn.password,
            durable=durable,
            default_timeout_ms=timeout_ms,
        )
    if isinstance(target, FalkorTarget):
        return FalkorStore.connect(
            graph=target.graph,
            unix_socket_path=target.unix_socket_path,
            host=target.host,
            port=target.port,
            username=target.username,
            password=target.password,
            ssl=target.ssl,
            durable=durable,
            default_timeout_ms=timeout_ms,
        )
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore.connect(
        target.uri,
        user=target.user,
        password=target.password,
        database=target.database,
        default_timeout_ms=timeout_ms,
    )
