"""The keys that sign and verify API tokens.

Development: an Ed25519 key pair, generated on first use and kept as one PKCS#8 PEM file,
``<data dir>/keys/jwt-dev-ed25519.pem`` (the public half is derived from it, so the two can never
disagree). The directory is made 0700 and the file 0600; the file is written to a temporary
name, synced and hard-linked into place, so that a reader never sees half a key and two processes
starting at once end with one key between them. An existing key is never overwritten or
regenerated: a file that is not a key, or that others may read, stops Clew with a
``KeyFileError`` saying what to do, since a silently new key would invalidate every token issued.

Production: a PEM public key file (``CLEW_JWT_PUBLIC_KEY``; Ed25519, RSA of 2048 bits or more,
or EC P-256/384/521) or the identity provider's JWKS URL (``CLEW_JWKS_URL``), read with PyJWT's
``PyJWKClient``: the key set is cached for five minutes, and a token naming an unknown ``kid``
refreshes it at most once every 30 s (key rotation without letting callers hammer the provider).
Fetching is synchronous (urllib): an async caller runs ``verify_token`` in a thread when the
cache may be cold.

Only asymmetric algorithms are accepted, each tied to the key's type, so that a token cannot
choose how it is checked (no ``none``, no HMAC with a public key as the secret).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeAlias

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from api.auth.config import AuthConfig
from schema.errors import ConfigError, InvalidToken, KeyFileError, KeySetUnavailable

DEV_KEY_FILE = "jwt-dev-ed25519.pem"
DEV_ALGORITHM = "EdDSA"

JWKS_LIFESPAN_S = 300.0
JWKS_TIMEOUT_S = 5.0
JWKS_COOLDOWN_S = 30.0

PublicKey: TypeAlias = ed25519.Ed25519PublicKey | rsa.RSAPublicKey | ec.EllipticCurvePublicKey

_RSA_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")
_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
ASYMMETRIC_ALGORITHMS = frozenset({DEV_ALGORITHM, *_RSA_ALGORITHMS, *_EC_ALGORITHMS.values()})
_MIN_RSA_BITS = 2048
_PUBLIC_KEY_TYPES = (ed25519.Ed25519PublicKey, rsa.RSAPublicKey, ec.EllipticCurvePublicKey)


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key Clew signs tokens with. ``development`` is true for the generated
    development key, the only kind Clew makes; ``issue_token`` refuses any other."""

    private_key: ed25519.Ed25519PrivateKey
    kid: str
    path: Path
    development: bool
    algorithm: str = DEV_ALGORITHM

    def public(self) -> VerificationKey:
        return VerificationKey(self.private_key.public_key(), (self.algorithm,))


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A public key and the algorithms a token checked with it may use."""

    key: PublicKey
    algorithms: tuple[str, ...]


class KeySource(Protocol):
    """Finds the key that checks a token (one fixed key, or the one a JWKS names by ``kid``)."""

    def key_for(self, token: str) -> VerificationKey: ...


@dataclass(frozen=True, slots=True)
class StaticKey:
    """One public key: the development key, or a configured PEM file."""

    key: VerificationKey

    def key_for(self, token: str) -> VerificationKey:
        return self.key


class JwksKeys:
    """Keys from an identity provider's JWKS URL, cached (see the module docstring)."""

    def __init__(self, url: str, *, timeout_s: float = JWKS_TIMEOUT_S) -> None:
        self.url = url
        self._client = jwt.PyJWKClient(
            url,
            cache_keys=False,  # the key set is cached; a per-kid LRU would outlive rotations
            cache_jwk_set=True,
            lifespan=JWKS_LIFESPAN_S,
            timeout=timeout_s,
            cooldown_duration=JWKS_COOLDOWN_S,
        )

    def key_for(self, token: str) -> VerificationKey:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.DecodeError as exc:
            raise InvalidToken(NOT_A_JWT, reason="malformed") from exc
        if not isinstance(kid, str) or not kid:
            raise InvalidToken(
                "the token names no signing key (kid header); ask the identity provider for a "
                "new token",
                reason="unknown-key",
            )
        # The set first: failing to fetch or read it is the provider's fault, not the caller's.
        try:
            self._client.get_signing_keys()
        except (jwt.PyJWKClientError, jwt.PyJWKSetError) as exc:
            raise self._unavailable(exc) from exc
        try:
            jwk = self._client.get_signing_key(kid)  # refetches the set once for an unknown kid
        except (jwt.PyJWKClientConnectionError, jwt.PyJWKSetError) as exc:
            raise self._unavailable(exc) from exc
        except jwt.PyJWKClientError as exc:
            raise InvalidToken(
                "the token names a signing key (kid) the identity provider does not publish: "
                "ask for a new token",
                reason="unknown-key",
            ) from exc
        algorithm = jwk.algorithm_name
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise InvalidToken(
                f"the token's key is for algorithm {algorithm!r}, which Clew does not accept; "
                f"accepted: {', '.join(sorted(ASYMMETRIC_ALGORITHMS))}",
                reason="algorithm",
            )
        key = jwk.key
        if not isinstance(key, _PUBLIC_KEY_TYPES):
            raise InvalidToken(
                "the token's key in the key set is not a public key", reason="algorithm"
            )
        return VerificationKey(key, (algorithm,))

    def _unavailable(self, exc: Exception) -> KeySetUnavailable:
        if isinstance(exc, jwt.PyJWKClientConnectionError):
            return KeySetUnavailable(
                f"cannot fetch the key set from {self.url} to check the token; try again, and "
                "if it persists check CLEW_JWKS_URL and the identity provider"
            )
        return KeySetUnavailable(f"the key set at {self.url} holds no usable signing key")


NOT_A_JWT = (
    "the bearer token is not a JWT (three base64url parts separated by dots): send the token "
    "exactly as issued"
)


# --- development keys -----------------------------------------------------------------------


def load_or_create_dev_key(key_dir: Path) -> SigningKey:
    """The development signing key in ``key_dir``, generated there on first use (0700 directory,
    0600 file, written atomically, never overwritten)."""
    path = key_dir / DEV_KEY_FILE
    if not path.exists():
        _create_dev_key(key_dir, path)
    return _load_dev_key(path)


def _create_dev_key(key_dir: Path, path: Path) -> None:
    key_dir.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        key_dir.mkdir(mode=0o700)
        os.chmod(key_dir, 0o700)  # mkdir's mode passes through the umask
    _check_directory(key_dir)
    pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, tmp = tempfile.mkstemp(dir=key_dir, prefix=".jwt-dev-", suffix=".tmp")  # made 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        # A link fails when the name exists: if another process got there first, its key stays.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    dir_fd = os.open(key_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _check_directory(key_dir: Path) -> None:
    mode = key_dir.stat().st_mode
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise KeyFileError(
            f"{key_dir} is writable by other users, who could replace the signing key: "
            f"run 'chmod 700 {key_dir}'",
            path=str(key_dir),
        )


def _load_dev_key(path: Path) -> SigningKey:
    _check_directory(path.parent)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"the development signing key {path} is open to other users "
            f"(mode {stat.S_IMODE(mode):o}): run 'chmod 600 {path}'",
            path=str(path),
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(
            f"{path} is not an unencrypted PEM private key. Clew does not replace it, since "
            "every token signed with the old key would stop working: move it aside to have a "
            "new key generated",
            path=str(path),
        ) from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise KeyFileError(
            f"{path} holds a {type(key).__name__}, not the Ed25519 key Clew generates: move it "
            "aside to have a new key generated",
            path=str(path),
        )
    return SigningKey(key, kid=key_id(key.public_key()), path=path, development=True)


def key_id(public_key: ed25519.Ed25519PublicKey) -> str:
    """The RFC 7638 JWK thumbprint of an Ed25519 public key: a stable ``kid``."""
    x = _b64url(public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# --- production keys --------------------------------------------------------------------------


def load_public_key(path: Path) -> VerificationKey:
    """A PEM public key file and the algorithms its type allows."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"cannot read the token verification key {path} (CLEW_JWT_PUBLIC_KEY): {exc.strerror}",
            path=str(path),
        ) from exc
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        hint = " (it looks like a private key: give the public half)" if b"PRIVATE" in data else ""
        raise KeyFileError(
            f"{path} (CLEW_JWT_PUBLIC_KEY) is not a PEM public key{hint}", path=str(path)
        ) from exc
    if not isinstance(key, _PUBLIC_KEY_TYPES):
        raise KeyFileError(
            f"{path} (CLEW_JWT_PUBLIC_KEY) is not an Ed25519, RSA or EC public key",
            path=str(path),
        )
    return VerificationKey(key, _algorithms_for(key, path))


def _algorithms_for(key: PublicKey, path: Path) -> tuple[str, ...]:
    if isinstance(key, ed25519.Ed25519PublicKey):
        return (DEV_ALGORITHM,)
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < _MIN_RSA_BITS:
            raise KeyFileError(
                f"{path} is a {key.key_size}-bit RSA key; Clew accepts {_MIN_RSA_BITS} bits "
                "or more",
                path=str(path),
            )
        return _RSA_ALGORITHMS
    algorithm = _EC_ALGORITHMS.get(key.curve.name)
    if algorithm is None:
        raise KeyFileError(
            f"{path} is an EC key on curve {key.curve.name}; Clew accepts P-256, P-384, P-521",
            path=str(path),
        )
    return (algorithm,)


# --- from configuration ---------------------------------------------------------------------


def key_source(config: AuthConfig) -> KeySource:
    """Where the keys that check tokens come from, for ``config``; in development the key pair is
    generated here on first use."""
    if config.mode == "development":
        return StaticKey(load_or_create_dev_key(config.key_dir).public())
    if config.public_key_file is not None and config.jwks_url is None:
        return StaticKey(load_public_key(config.public_key_file))
    if config.jwks_url is not None and config.public_key_file is None:
        return JwksKeys(config.jwks_url)
    raise ConfigError(
        "production verifies tokens against one configured key: set either "
        "CLEW_JWT_PUBLIC_KEY or CLEW_JWKS_URL"
    )


def development_signing_key(config: AuthConfig) -> SigningKey:
    """The key ``clew token create`` signs with; refused outside development mode."""
    if config.mode != "development":
        raise ConfigError(
            "Clew issues tokens only in development (CLEW_AUTH_MODE=development); in production "
            "tokens come from the identity provider"
        )
    return load_or_create_dev_key(config.key_dir)
