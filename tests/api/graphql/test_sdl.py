"""The exported SDL (api/graphql/schema.graphql) is the schema: this fails when they drift."""

from __future__ import annotations

from api.graphql.sdl import REGENERATE, SDL_PATH, sdl


def test_the_exported_sdl_is_current() -> None:
    exported = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    assert exported == sdl(), (
        f"{SDL_PATH} differs from the schema: run `{REGENERATE}` and commit the file"
    )
