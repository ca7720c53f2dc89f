"""The schema's SDL, exported to ``schema.graphql`` beside this module so that clients and
reviewers see every change to the API; tests/api/graphql/test_sdl.py fails when it drifts.

Regenerate with ``clew api sdl``.
"""

from __future__ import annotations

from pathlib import Path

from api.graphql.limits import Limits
from api.graphql.schema import build_schema

SDL_PATH = Path(__file__).with_name("schema.graphql")
REGENERATE = "clew api sdl"


def sdl() -> str:
    """The SDL of the schema (which no limit changes)."""
    return build_schema(Limits()).as_str().rstrip("\n") + "\n"


def write_sdl(path: Path = SDL_PATH) -> bool:
    """Write the SDL to ``path``; whether the file changed."""
    text = sdl()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
