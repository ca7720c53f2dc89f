"""Fixtures for the auth tests: a development key in a private directory and its verifier."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.auth.keys import SigningKey, StaticKey, load_or_create_dev_key
from api.auth.tokens import TokenVerifier


@pytest.fixture
def dev_key(tmp_path: Path) -> SigningKey:
    return load_or_create_dev_key(tmp_path / "keys")


@pytest.fixture
def verifier(dev_key: SigningKey) -> TokenVerifier:
    return TokenVerifier(StaticKey(dev_key.public()))
