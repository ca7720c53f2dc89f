"""How tokens are verified here: the typed form of the ``CLEW_AUTH_MODE`` and ``CLEW_JWT_*``
settings (``api.settings.Settings.auth_config`` builds it; nothing here reads the environment).

- ``development``: tokens are signed and verified with a key pair that Clew generates on first
  use under ``<data dir>/keys/`` (``api.auth.keys``); ``clew token create`` issues them.
- ``production``: tokens come from the force's identity provider and are verified against a
  configured PEM public key file or the provider's JWKS URL (exactly one of them). Clew never
  signs a token in production.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field

AuthMode = Literal["development", "production"]

DEFAULT_ISSUER = "clew"
DEFAULT_AUDIENCE = "clew-api"

DEV_KEY_DIR = "keys"
"""The development keys' directory, inside the data directory."""


class AuthConfig(BaseModel):
    """Where the keys come from and which issuer and audience a token must name."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: AuthMode = "development"
    issuer: str = Field(default=DEFAULT_ISSUER, min_length=1)
    audience: str = Field(default=DEFAULT_AUDIENCE, min_length=1)
    key_dir: Path = Field(description="where development keys are generated and kept")
    public_key_file: Path | None = None
    jwks_url: str | None = None


def check_jwks_url(url: str) -> str:
    """The URL, if keys may be fetched from it: https, or http to this machine only (a key set
    fetched in clear over a network could be replaced on the way)."""
    parsed = urlparse(url)
    local = parsed.hostname in {"localhost", "127.0.0.1", "::1"}
    if parsed.hostname and (parsed.scheme == "https" or (parsed.scheme == "http" and local)):
        return url
    raise ValueError("use an https:// URL (http:// only to localhost)")
