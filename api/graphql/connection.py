"""Relay-style connections, generic over the node type: ``Connection[AuditEntry]`` is
``AuditEntryConnection`` in the schema, with ``edges { cursor node }`` and ``pageInfo``.

Cursors are opaque to clients (base64url of ``<kind>:<position>``, or of ``<kind>:<key>`` for
pages ordered by id); the functions below are the only places that know their form, and a
cursor of another kind or a damaged one is a ``ValueError``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Generic, TypeVar

import strawberry

NodeT = TypeVar("NodeT")


@strawberry.type(description="Where a page ends, and whether another follows.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo


def encode_cursor(kind: str, position: int) -> str:
    return encode_key_cursor(kind, str(position))


def decode_cursor(kind: str, cursor: str) -> int:
    """The position a cursor of ``kind`` names; ``ValueError`` for anything else."""
    position = decode_key_cursor(kind, cursor)
    if not position.isdigit():
        raise ValueError(f"not a cursor of a {kind} page")
    return int(position)


def encode_key_cursor(kind: str, key: str) -> str:
    """A cursor after ``key`` (an id, for pages ordered by id) in a page of ``kind``."""
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode().rstrip("=")


def decode_key_cursor(kind: str, cursor: str) -> str:
    """The key a cursor of ``kind`` names; ``ValueError`` for anything else."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValueError("not a cursor this API gave out") from None
    found, sep, key = text.partition(":")
    if found != kind or not sep or not key:
        raise ValueError(f"not a cursor of a {kind} page")
    return key
