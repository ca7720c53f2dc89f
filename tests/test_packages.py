"""The top-level package names are generic; each must resolve inside this repository."""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOP_LEVEL = ["graph", "schema", "algorithms", "loaders", "migrations", "api"]


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_package_resolves_inside_the_repository(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve().is_relative_to(REPO / name)


def test_pyproject_lists_every_package_explicitly() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        str(p.parent.relative_to(REPO)).replace("/", ".")
        for name in TOP_LEVEL
        for p in (REPO / name).rglob("__init__.py")
    }
    assert listed == on_disk


def test_torch_is_pinned_to_the_cpu_build_on_disk() -> None:
    constraints = (REPO / "constraints.txt").read_text().splitlines()
    assert "torch==2.13.0" in constraints
