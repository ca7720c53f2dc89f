"""Rich consoles and the CLI's shared state (settings, built once per invocation)."""

from __future__ import annotations

from dataclasses import dataclass

import typer
from rich.console import Console

from api.settings import Settings
from graph.connect import open_store
from graph.store import GraphStore

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


@dataclass(frozen=True, slots=True)
class CliState:
    settings: Settings

    def open_store(self) -> GraphStore:
        return open_store(
            self.settings.store_target(),
            durable=self.settings.durable,
            timeout_ms=self.settings.query_timeout_ms,
        )


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState(Settings.from_env())
    return root.obj
