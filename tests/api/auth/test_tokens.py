from __future__ import annotations

import base64
import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from api.auth.identity import Caller, Permission, Role
from api.auth.keys import SigningKey, StaticKey, VerificationKey, load_or_create_dev_key
from api.auth.purpose import PURPOSE_HEADER
from api.auth.tokens import (
    LEEWAY,
    TokenVerifier,
    VerifiedTokens,
    caller_from_headers,
    issue_token,
    verify_token,
)
from schema.errors import (
    AuthError,
    ConfigError,
    InvalidToken,
    MissingPurpose,
    MissingToken,
)
from schema.grading import Sensitivity

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def token_for(key: SigningKey, *roles: Role, **kw: Any) -> str:
    kw.setdefault("expires", NOW + HOUR)
    return issue_token(key, user="alice", roles=roles or (Role.ANALYST,), now=NOW, **kw)


def raw_token(key: SigningKey, **claims: Any) -> str:
    """A token signed with ``key`` carrying exactly the claims given (None drops one)."""
    payload = {
        "iss": "clew",
        "aud": "clew-api",
        "sub": "alice",
        "jti": "j1",
        "iat": int(NOW.timestamp()),
        "exp": int((NOW + HOUR).timestamp()),
        "roles": ["analyst"],
    }
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, key.private_key, algorithm="EdDSA", headers={"kid": key.kid})


def refused(verifier: TokenVerifier, token: str, at: datetime = NOW) -> InvalidToken:
    with pytest.raises(InvalidToken) as info:
        verify_token(verifier, token, at)
    assert info.value.http_status == 401
    return info.value


def test_round_trip(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    token = token_for(
        dev_key,
        Role.INVESTIGATOR,
        Role.AUDITOR,
        clearance=Sensitivity.SECRET,
        expires=NOW + timedelta(hours=8, microseconds=5),
    )
    caller = verify_token(verifier, token, NOW + HOUR)
    assert caller.user == "alice"
    assert caller.roles == {Role.INVESTIGATOR, Role.AUDITOR}
    assert caller.clearance is Sensitivity.SECRET
    assert caller.issued_at == NOW
    assert caller.expires_at == NOW + timedelta(hours=8)
    assert len(caller.token_id) == 32
    assert caller.purpose is None
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": dev_key.kid, "typ": "JWT"}


def test_each_token_has_its_own_id(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    ids = {verify_token(verifier, token_for(dev_key), NOW).token_id for _ in range(5)}
    assert len(ids) == 5


def test_clearance_defaults_to_the_lowest(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    assert verify_token(verifier, token_for(dev_key), NOW).clearance is Sensitivity.OFFICIAL
    no_claim = raw_token(dev_key, clearance=None)
    assert verify_token(verifier, no_claim, NOW).clearance is Sensitivity.OFFICIAL


def test_expired(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    token = token_for(dev_key, expires=NOW + HOUR)
    verify_token(verifier, token, NOW + HOUR + LEEWAY - timedelta(seconds=1))
    error = refused(verifier, token, NOW + HOUR + LEEWAY)
    assert error.reason == "expired"
    assert "expired at 2026-11-23 10:00:00 UTC" in str(error)
    assert "new one" in str(error)


def test_not_yet_valid(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    later = int((NOW + HOUR).timestamp())
    assert refused(verifier, raw_token(dev_key, nbf=later)).reason == "not-yet-valid"
    assert refused(verifier, raw_token(dev_key, iat=later)).reason == "not-yet-valid"


def test_tampered(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    head, body, signature = token_for(dev_key, Role.VIEWER).split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["roles"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    error = refused(verifier, f"{head}.{forged}.{signature}")
    assert error.reason == "signature"
    assert "altered" in str(error)


def test_signed_by_another_key(
    dev_key: SigningKey, verifier: TokenVerifier, tmp_path: Path
) -> None:
    other = load_or_create_dev_key(tmp_path / "other")
    error = refused(verifier, token_for(other))
    assert error.reason == "signature"
    pem = dev_key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert pem.decode() not in str(error)


@pytest.mark.parametrize("algorithm", ["none", "HS256"])
def test_the_token_does_not_choose_how_it_is_checked(
    dev_key: SigningKey, verifier: TokenVerifier, algorithm: str
) -> None:
    claims = jwt.decode(token_for(dev_key), options={"verify_signature": False})
    public = dev_key.private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    secret = "" if algorithm == "none" else public * 2  # HMAC keyed with the public key
    token = jwt.encode(claims, secret, algorithm=algorithm)
    assert refused(verifier, token).reason == "algorithm"


def test_wrong_audience(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    error = refused(verifier, token_for(dev_key, audience="another-api"))
    assert error.reason == "audience"
    assert "'clew-api' (CLEW_JWT_AUDIENCE)" in str(error)


def test_wrong_issuer(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    error = refused(verifier, token_for(dev_key, issuer="elsewhere"))
    assert error.reason == "issuer"
    assert "CLEW_JWT_ISSUER" in str(error)


def test_unknown_role(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    error = refused(verifier, raw_token(dev_key, roles=["analyst", "wizard"]))
    assert error.reason == "role"
    assert "'wizard'" in str(error)
    assert "known roles: viewer, analyst" in str(error)


@pytest.mark.parametrize("roles", [[], "analyst", [1], None])
def test_roles_must_be_a_list_of_names(
    dev_key: SigningKey, verifier: TokenVerifier, roles: Any
) -> None:
    assert refused(verifier, raw_token(dev_key, roles=roles)).reason == "role"


@pytest.mark.parametrize(
    "claims",
    [
        {"jti": None},
        {"sub": None},
        {"exp": None},
        {"iat": None},
        {"exp": "tomorrow"},
        {"exp": True},
        {"sub": "two words"},
        {"clearance": "CONFIDENTIAL"},
        {"clearance": 3},
    ],
)
def test_bad_claims(dev_key: SigningKey, verifier: TokenVerifier, claims: dict[str, Any]) -> None:
    assert refused(verifier, raw_token(dev_key, **claims)).reason == "claims"


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "x" * 20_000, "a.b"])
def test_not_a_jwt(verifier: TokenVerifier, token: str) -> None:
    error = refused(verifier, token)
    assert error.reason == "malformed"
    assert "exactly as issued" in str(error)


def test_only_a_development_key_issues(dev_key: SigningKey) -> None:
    with pytest.raises(ConfigError, match="identity provider"):
        token_for(dataclasses.replace(dev_key, development=False))


def test_issuing_checks_its_arguments(dev_key: SigningKey) -> None:
    with pytest.raises(ValueError, match="not after now"):
        token_for(dev_key, expires=NOW)
    with pytest.raises(ValueError, match="one word"):
        issue_token(dev_key, user="a b", roles=[Role.VIEWER], expires=NOW + HOUR, now=NOW)
    with pytest.raises(ValueError, match="role"):
        issue_token(dev_key, user="a", roles=[], expires=NOW + HOUR, now=NOW)
    with pytest.raises(ValueError, match="time zone"):
        token_for(dev_key, expires=datetime(2026, 12, 1))


# --- headers --------------------------------------------------------------------------------


def headers(token: str | None, purpose: str | None = "OP-KESTREL") -> dict[str, str]:
    out = {"Accept": "application/json"}
    if token is not None:
        out["Authorization"] = f"Bearer {token}"
    if purpose is not None:
        out[PURPOSE_HEADER] = purpose
    return out


def test_a_request_names_its_caller_and_purpose(
    dev_key: SigningKey, verifier: TokenVerifier
) -> None:
    caller = caller_from_headers(verifier, headers(token_for(dev_key)), NOW)
    assert caller.user == "alice"
    assert caller.purpose is not None
    assert caller.purpose.reference == "OP-KESTREL"


def test_header_names_are_compared_without_case(
    dev_key: SigningKey, verifier: TokenVerifier
) -> None:
    lower = {
        "authorization": f"bearer {token_for(dev_key)}",
        "x-clew-purpose": "CASE/2026/0142",
    }
    caller = caller_from_headers(verifier, lower, NOW)
    assert caller.purpose is not None
    assert caller.purpose.kind == "case"


@pytest.mark.parametrize("value", [None, "", "Bearer", "Bearer  "])
def test_no_token(verifier: TokenVerifier, value: str | None) -> None:
    given = {} if value is None else {"Authorization": value}
    with pytest.raises(MissingToken, match="Authorization: Bearer <token>") as info:
        caller_from_headers(verifier, {**given, PURPOSE_HEADER: "OP-KESTREL"}, NOW)
    assert info.value.http_status == 401


def test_another_scheme_is_not_a_bearer_token_and_is_not_repeated(
    verifier: TokenVerifier,
) -> None:
    secret = base64.b64encode(b"alice:hunter2").decode()
    with pytest.raises(MissingToken, match="'Basic' credential") as info:
        caller_from_headers(verifier, {"Authorization": f"Basic {secret}"}, NOW)
    assert secret not in str(info.value)


def test_no_purpose(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    for purpose in (None, "", "   "):
        with pytest.raises(MissingPurpose) as info:
            caller_from_headers(verifier, headers(token_for(dev_key), purpose), NOW)
        assert str(info.value).startswith("no X-Clew-Purpose header")
        assert "OP-KESTREL, CASE/2026/0142" in str(info.value)
        assert info.value.header == "X-Clew-Purpose"
        assert info.value.http_status == 400


def test_a_purpose_that_states_nothing(dev_key: SigningKey, verifier: TokenVerifier) -> None:
    with pytest.raises(MissingPurpose, match="X-Clew-Purpose header states no purpose: a purpose"):
        caller_from_headers(verifier, headers(token_for(dev_key), "ab"), NOW)


def test_who_before_why(verifier: TokenVerifier) -> None:
    with pytest.raises(MissingToken):
        caller_from_headers(verifier, headers(None, None), NOW)
    with pytest.raises(InvalidToken):
        caller_from_headers(verifier, headers("a.b.c", None), NOW)


def test_every_refusal_is_an_auth_error() -> None:
    assert issubclass(MissingToken, AuthError)
    assert issubclass(InvalidToken, AuthError)
    assert issubclass(MissingPurpose, AuthError)


# --- roles x permissions, through a token ------------------------------------------------------

# Written out here, not derived from ROLE_PERMISSIONS: a change to the matrix changes both.
GRANTED: dict[Role, set[Permission]] = {
    Role.VIEWER: {Permission.SEARCH, Permission.READ_ENTITIES},
    Role.ANALYST: {
        Permission.SEARCH,
        Permission.READ_ENTITIES,
        Permission.EXPAND,
        Permission.PATHS,
        Permission.READ_RESOLUTION,
        Permission.READ_CONDITIONAL,
    },
    Role.INVESTIGATOR: {
        Permission.SEARCH,
        Permission.READ_ENTITIES,
        Permission.EXPAND,
        Permission.PATHS,
        Permission.READ_RESOLUTION,
        Permission.READ_CONDITIONAL,
        Permission.DECIDE,
    },
    Role.SUPERVISOR: {
        Permission.SEARCH,
        Permission.READ_ENTITIES,
        Permission.EXPAND,
        Permission.PATHS,
        Permission.READ_RESOLUTION,
        Permission.READ_CONDITIONAL,
        Permission.DECIDE,
        Permission.REVIEW_DECISIONS,
    },
    Role.AUDITOR: {Permission.READ_AUDIT},
    Role.ADMIN: {Permission.MANAGE_TOKENS, Permission.MANAGE_SETTINGS},
}


@pytest.fixture(scope="module")
def callers(tmp_path_factory: pytest.TempPathFactory) -> dict[Role, Caller]:
    key = load_or_create_dev_key(tmp_path_factory.mktemp("keys"))
    verifier = TokenVerifier(StaticKey(key.public()))
    return {role: verify_token(verifier, token_for(key, role), NOW) for role in Role}


@pytest.mark.parametrize("permission", list(Permission))
@pytest.mark.parametrize("role", list(Role))
def test_role_permission_matrix(
    callers: dict[Role, Caller], role: Role, permission: Permission
) -> None:
    assert callers[role].can(permission) is (permission in GRANTED[role])


# --- remembered verifications -------------------------------------------------------------------


class CountingKey:
    """The development key, counting the full verifications (each one asks for the key)."""

    def __init__(self, key: SigningKey) -> None:
        self.key = StaticKey(key.public())
        self.asked = 0

    def key_for(self, token: str) -> VerificationKey:
        self.asked += 1
        return self.key.key_for(token)


def counting(dev_key: SigningKey, **kw: Any) -> tuple[TokenVerifier, CountingKey]:
    keys = CountingKey(dev_key)
    return TokenVerifier(keys, verified=VerifiedTokens(**kw)), keys


def test_a_verified_token_is_remembered_and_gives_the_same_caller(dev_key: SigningKey) -> None:
    verifier, keys = counting(dev_key)
    token = token_for(dev_key)
    first = verify_token(verifier, token, NOW)
    again = verify_token(verifier, token, NOW + timedelta(seconds=5))
    assert keys.asked == 1
    assert again == first
    assert again == verify_token(TokenVerifier(StaticKey(dev_key.public())), token, NOW)
    assert again.purpose is None
    # A token that differs in one character is verified in full (and refused).
    with pytest.raises(InvalidToken):
        verify_token(verifier, token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], NOW)
    assert keys.asked == 2


def test_a_remembered_token_still_expires_to_the_second(dev_key: SigningKey) -> None:
    verifier, keys = counting(dev_key, max_age=timedelta(hours=2))
    token = token_for(dev_key, expires=NOW + timedelta(seconds=40))
    verify_token(verifier, token, NOW)
    expiry = NOW + timedelta(seconds=40) + LEEWAY
    verify_token(verifier, token, expiry - timedelta(seconds=1))
    assert keys.asked == 1
    with pytest.raises(InvalidToken) as refused:
        verify_token(verifier, token, expiry)
    assert refused.value.reason == "expired"
    assert keys.asked == 1  # refused from the remembered claims, as a full check refuses it


def test_remembering_is_bounded_in_time_and_number(dev_key: SigningKey) -> None:
    verifier, keys = counting(dev_key, maxsize=2, max_age=timedelta(seconds=60))
    tokens = [token_for(dev_key) for _ in range(3)]
    verify_token(verifier, tokens[0], NOW)
    verify_token(verifier, tokens[0], NOW + timedelta(seconds=59))
    assert keys.asked == 1
    verify_token(verifier, tokens[0], NOW + timedelta(seconds=60))  # too old: verified again
    assert keys.asked == 2
    verify_token(verifier, tokens[0], NOW - timedelta(seconds=1))  # the clock went back
    assert keys.asked == 3
    for token in tokens:
        verify_token(verifier, token, NOW)
    assert len(verifier.verified) == 2
    assert keys.asked == 5  # tokens[0] was remembered (again) by the check before
    verify_token(verifier, tokens[0], NOW)  # the least recently used was forgotten
    assert keys.asked == 6


def test_refusals_are_not_remembered(dev_key: SigningKey) -> None:
    verifier, keys = counting(dev_key)
    token = token_for(dev_key, expires=NOW + timedelta(seconds=1))
    for _ in range(2):
        with pytest.raises(InvalidToken):
            verify_token(verifier, token, NOW + HOUR)
    assert keys.asked == 2
    assert len(verifier.verified) == 0
