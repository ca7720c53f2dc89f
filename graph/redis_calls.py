"""Typed wrappers for the few redis-py calls whose stubs say "maybe awaitable".

redis-py 5 types its sync and async clients with one signature (``Awaitable[Any] | Any``), and
``execute_command`` is untyped; these wrappers pin the sync reading in one place.
"""

from __future__ import annotations

from typing import Any, cast

import redis
from redis.client import Pipeline


def client_kwargs(
    *,
    unix_socket_path: str | None,
    host: str,
    port: int,
    username: str | None,
    password: str | None,
    ssl: bool,
    socket_timeout_s: float | None,
) -> tuple[dict[str, Any], str]:
    """redis-py connection arguments for a unix socket or a TCP address, and the location to
    name in messages."""
    kwargs: dict[str, Any] = {
        "username": username,
        "password": password,
        "socket_timeout": socket_timeout_s,
        "socket_connect_timeout": 5.0,
    }
    if unix_socket_path:
        kwargs["unix_socket_path"] = unix_socket_path
    else:
        kwargs.update(host=host, port=port, ssl=ssl)
    return kwargs, unix_socket_path or f"{host}:{port}"


def aof_enabled(client: redis.Redis) -> bool:
    """Whether the server keeps an append-only file (INFO rather than CONFIG GET: hosted
    services often disable CONFIG)."""
    return str(info(client, "persistence").get("aof_enabled")) == "1"


def command(client: redis.Redis | Pipeline, *args: Any) -> Any:
    return client.execute_command(*args)  # type: ignore[no-untyped-call]


def info(client: redis.Redis, section: str) -> dict[str, Any]:
    return cast(dict[str, Any], client.info(section))


def modules(client: redis.Redis) -> list[dict[Any, Any]]:
    return cast(list[dict[Any, Any]], client.module_list())


def module_version(client: redis.Redis, name: str = "graph") -> str | None:
    """The version of a loaded module, as ``major.minor.patch``."""
    for module in modules(client):
        found = module.get(b"name", module.get("name"))
        if found in (name, name.encode()):
            raw = int(module.get(b"ver", module.get("ver", 0)))
            return f"{raw // 10000}.{raw // 100 % 100}.{raw % 100}"
    return None
