from __future__ import annotations

import contextlib
import json
import socket
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from api.auth.config import AuthConfig
from api.auth.identity import Role
from api.auth.keys import (
    DEV_KEY_FILE,
    JwksKeys,
    SigningKey,
    StaticKey,
    development_signing_key,
    key_source,
    load_or_create_dev_key,
    load_public_key,
)
from api.auth.tokens import TokenVerifier, issue_token, verify_token
from schema.errors import ConfigError, InvalidToken, KeyFileError, KeySetUnavailable

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- development keys -------------------------------------------------------------------------


def test_first_use_writes_an_owner_only_key(tmp_path: Path) -> None:
    key_dir = tmp_path / "data" / "keys"
    key = load_or_create_dev_key(key_dir)
    assert key.development
    assert key.path == key_dir / DEV_KEY_FILE
    assert mode(key_dir) == 0o700
    assert mode(key.path) == 0o600
    assert [p.name for p in key_dir.iterdir()] == [DEV_KEY_FILE]  # no temporary file left
    assert key.path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_the_key_is_kept_not_regenerated(tmp_path: Path) -> None:
    first = load_or_create_dev_key(tmp_path)
    before = first.path.read_bytes(), first.path.stat().st_ino, first.path.stat().st_mtime_ns
    second = load_or_create_dev_key(tmp_path)
    after = second.path.read_bytes(), second.path.stat().st_ino, second.path.stat().st_mtime_ns
    assert after == before
    assert second.kid == first.kid


def test_processes_starting_at_once_end_with_one_key(tmp_path: Path) -> None:
    barrier = threading.Barrier(8)
    kids: list[str] = []

    def start() -> None:
        barrier.wait()
        kids.append(load_or_create_dev_key(tmp_path / "keys").kid)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(kids) == 8
    assert len(set(kids)) == 1
    assert [p.name for p in (tmp_path / "keys").iterdir()] == [DEV_KEY_FILE]


def test_a_damaged_key_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = load_or_create_dev_key(tmp_path).path
    path.write_bytes(b"not a key")
    with pytest.raises(KeyFileError, match="move it aside") as info:
        load_or_create_dev_key(tmp_path)
    assert info.value.path == str(path)
    assert path.read_bytes() == b"not a key"


def test_a_key_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DEV_KEY_FILE
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="not the Ed25519 key"):
        load_or_create_dev_key(tmp_path)


def test_a_key_others_may_read_is_refused(tmp_path: Path) -> None:
    path = load_or_create_dev_key(tmp_path).path
    path.chmod(0o644)
    with pytest.raises(KeyFileError, match=f"chmod 600 {path}") as info:
        load_or_create_dev_key(tmp_path)
    assert "BEGIN" not in str(info.value)


def test_a_directory_others_may_write_is_refused(tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    load_or_create_dev_key(key_dir)
    key_dir.chmod(0o777)
    with pytest.raises(KeyFileError, match="chmod 700"):
        load_or_create_dev_key(key_dir)


def test_development_signing_is_refused_in_production(tmp_path: Path) -> None:
    config = AuthConfig(mode="production", key_dir=tmp_path, jwks_url="https://idp/jwks")
    with pytest.raises(ConfigError, match="only in development"):
        development_signing_key(config)
    assert not any(tmp_path.iterdir())


def test_development_verifies_with_the_generated_key(tmp_path: Path) -> None:
    source = key_source(AuthConfig(key_dir=tmp_path / "keys"))
    assert isinstance(source, StaticKey)
    assert source.key.algorithms == ("EdDSA",)
    assert (tmp_path / "keys" / DEV_KEY_FILE).exists()


# --- configured public keys -------------------------------------------------------------------


def write_public(path: Path, key: Any) -> Path:
    path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return path


@pytest.mark.parametrize(
    ("private", "algorithms"),
    [
        (ed25519.Ed25519PrivateKey.generate(), ("EdDSA",)),
        (ec.generate_private_key(ec.SECP256R1()), ("ES256",)),
        (ec.generate_private_key(ec.SECP384R1()), ("ES384",)),
    ],
)
def test_a_public_key_file_fixes_the_algorithms(
    tmp_path: Path, private: Any, algorithms: tuple[str, ...]
) -> None:
    key = load_public_key(write_public(tmp_path / "idp.pem", private))
    assert key.algorithms == algorithms


def test_rsa_keys_allow_the_rsa_family_and_refuse_short_keys(tmp_path: Path) -> None:
    key = load_public_key(
        write_public(tmp_path / "a.pem", rsa.generate_private_key(65537, key_size=2048))
    )
    assert "RS256" in key.algorithms
    assert "HS256" not in key.algorithms
    weak = rsa.generate_private_key(65537, key_size=1024)  # noqa: S505 - the key to refuse
    short = write_public(tmp_path / "b.pem", weak)
    with pytest.raises(KeyFileError, match="1024-bit"):
        load_public_key(short)


def test_a_private_key_given_as_the_public_key_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "idp.pem"
    path.write_bytes(
        ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(KeyFileError, match="give the public half") as info:
        load_public_key(path)
    assert "BEGIN" not in str(info.value)


def test_a_missing_public_key_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="CLEW_JWT_PUBLIC_KEY"):
        load_public_key(tmp_path / "absent.pem")


def test_production_takes_exactly_one_key(tmp_path: Path) -> None:
    pem = write_public(tmp_path / "idp.pem", ed25519.Ed25519PrivateKey.generate())
    assert isinstance(
        key_source(AuthConfig(mode="production", key_dir=tmp_path, public_key_file=pem)),
        StaticKey,
    )
    for config in (
        AuthConfig(mode="production", key_dir=tmp_path),
        AuthConfig(
            mode="production", key_dir=tmp_path, public_key_file=pem, jwks_url="https://i/j"
        ),
    ):
        with pytest.raises(ConfigError, match="CLEW_JWT_PUBLIC_KEY or CLEW_JWKS_URL"):
            key_source(config)


# --- JWKS ------------------------------------------------------------------------------------


@dataclass
class IdentityProvider:
    """A JWKS endpoint on localhost that counts its fetches, and its signing key."""

    url: str
    key: ed25519.Ed25519PrivateKey
    kid: str = "idp-1"
    fetches: list[str] = field(default_factory=list)

    def token(self, *, kid: str | None = None, **claims: Any) -> str:
        payload = {
            "iss": "https://idp.example",
            "aud": "clew-api",
            "sub": "bob",
            "jti": "j1",
            "iat": int(NOW.timestamp()),
            "exp": int((NOW + timedelta(hours=1)).timestamp()),
            "roles": ["analyst"],
            "clearance": "SECRET",
        }
        payload.update(claims)
        return jwt.encode(payload, self.key, algorithm="EdDSA", headers={"kid": kid or self.kid})


@contextlib.contextmanager
def serving(body: bytes, fetches: list[str]) -> Iterator[str]:
    """An HTTP server on localhost answering every GET with ``body``; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def idp() -> Iterator[IdentityProvider]:
    key = ed25519.Ed25519PrivateKey.generate()
    jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "idp-1", "alg": "EdDSA", "use": "sig"}]}).encode()
    fetches: list[str] = []
    with serving(body, fetches) as url:
        yield IdentityProvider(url, key, fetches=fetches)


def jwks_verifier(url: str) -> TokenVerifier:
    return TokenVerifier(JwksKeys(url, timeout_s=2), issuer="https://idp.example")


def test_tokens_from_a_jwks_verify_and_the_set_is_cached(idp: IdentityProvider) -> None:
    verifier = jwks_verifier(idp.url)
    for _ in range(3):
        caller = verify_token(verifier, idp.token(), NOW)
        assert caller.user == "bob"
        assert caller.roles == {Role.ANALYST}
    assert idp.fetches == ["/jwks"]


def test_an_unknown_kid_is_an_invalid_token(idp: IdentityProvider) -> None:
    verifier = jwks_verifier(idp.url)
    verify_token(verifier, idp.token(), NOW)
    with pytest.raises(InvalidToken, match="does not publish") as info:
        verify_token(verifier, idp.token(kid="rotated-away"), NOW)
    assert info.value.reason == "unknown-key"


def test_a_token_signed_by_another_key_with_a_known_kid_fails(idp: IdentityProvider) -> None:
    other = IdentityProvider(idp.url, ed25519.Ed25519PrivateKey.generate())
    with pytest.raises(InvalidToken) as info:
        verify_token(jwks_verifier(idp.url), other.token(), NOW)
    assert info.value.reason == "signature"


def test_an_unreachable_jwks_is_the_services_fault() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    idp = IdentityProvider("http://127.0.0.1/", ed25519.Ed25519PrivateKey.generate())
    with pytest.raises(KeySetUnavailable, match=f"127.0.0.1:{port}") as info:
        verify_token(jwks_verifier(f"http://127.0.0.1:{port}/jwks"), idp.token(), NOW)
    assert info.value.http_status == 503


def test_a_dev_token_does_not_pass_a_jwks(idp: IdentityProvider, dev_key: SigningKey) -> None:
    token = issue_token(
        dev_key,
        user="alice",
        roles=[Role.ADMIN],
        expires=NOW + timedelta(hours=1),
        now=NOW,
        issuer="https://idp.example",
    )
    with pytest.raises(InvalidToken) as info:
        verify_token(jwks_verifier(idp.url), token, NOW)
    assert info.value.reason == "unknown-key"


def test_a_token_without_a_kid_is_refused(idp: IdentityProvider) -> None:
    token = jwt.encode({"sub": "bob"}, idp.key, algorithm="EdDSA")
    with pytest.raises(InvalidToken, match="names no signing key") as info:
        verify_token(jwks_verifier(idp.url), token, NOW)
    assert info.value.reason == "unknown-key"
    assert idp.fetches == []


@pytest.mark.parametrize("body", [b'{"keys": []}', b'["not", "a", "set"]'])
def test_a_key_set_without_a_usable_key_is_the_services_fault(body: bytes) -> None:
    idp = IdentityProvider("", ed25519.Ed25519PrivateKey.generate())
    with serving(body, []) as url, pytest.raises(KeySetUnavailable) as info:
        verify_token(jwks_verifier(url), idp.token(), NOW)
    assert url in str(info.value)
    assert info.value.http_status == 503


def test_a_shared_secret_in_the_key_set_is_never_used() -> None:
    # With HS256 and the set's "k" as the secret, anyone who can read the set could sign.
    secret = b"a secret anyone reading the set can see"
    body = json.dumps(
        {"keys": [{"kty": "oct", "k": jwt.utils.base64url_encode(secret).decode(), "kid": "s"}]}
    ).encode()
    token = jwt.encode({"sub": "mallory", "roles": ["admin"]}, secret, headers={"kid": "s"})
    with serving(body, []) as url, pytest.raises(InvalidToken) as info:
        verify_token(jwks_verifier(url), token, NOW)
    assert info.value.reason == "algorithm"
