"""Bearer tokens (JWT): issuing development tokens, verifying any token, reading a request.

A token's claims::

    iss        the issuer (CLEW_JWT_ISSUER, ``clew``)                  required, checked
    aud        the audience (CLEW_JWT_AUDIENCE, ``clew-api``)          required, checked
    sub        the user, one word                                      required
    jti        the token's id, for the audit trail                     required
    iat, exp   issued and expires, seconds since the epoch             required (``nbf`` if set)
    roles      role names (``api.auth.identity.Role``)                 an unknown one refuses it
    clearance  a ``Sensitivity`` name (``SECRET``)                     absent: OFFICIAL

Times are checked against the ``now`` the caller passes (30 s of leeway for clocks that differ),
not against a clock read in here. Every refusal is an ``AuthError`` whose message says what to fix
and never repeats the token or any key.

The purpose is not in the token: a token lasts hours, a purpose belongs to one request, and it
comes in the ``X-Clew-Purpose`` header (``caller_from_headers``).

Verified tokens are remembered (``VerifiedTokens``): a client sends the same token with every
request, and checking its signature again each time cost more CPU than the rest of identity. An
entry is found by the exact token text, so a token that differs in any character is verified in
full; the times (``exp``, ``nbf``, ``iat``) are checked against each request's ``now`` on every
hit, so a remembered token expires to the second as an unremembered one does; an entry is kept
at most ``VERIFIED_MAX_AGE`` (a key withdrawn from a JWKS stops being honoured within that time
of the key set's own refresh); refusals are never remembered. Tokens cannot be revoked today
(neither before nor after this cache): a token is good until it expires.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pydantic import ValidationError

from api.auth.config import DEFAULT_AUDIENCE, DEFAULT_ISSUER, AuthConfig
from api.auth.identity import Caller, Role, known_roles, parse_clearance
from api.auth.keys import NOT_A_JWT, KeySource, SigningKey, key_source
from api.auth.purpose import PURPOSE_HEADER, Purpose
from schema.errors import ConfigError, InvalidToken, MissingPurpose, MissingToken
from schema.grading import Sensitivity

LEEWAY = timedelta(seconds=30)
_MAX_TOKEN_CHARS = 16_384  # far above any real JWT; refuses megabyte headers before parsing them
_REQUIRED_CLAIMS = ["iss", "aud", "sub", "jti", "iat", "exp"]
VERIFIED_TOKENS = 1_024
"""Verified tokens a verifier remembers (least recently used forgotten first)."""
VERIFIED_MAX_AGE = timedelta(seconds=60)
"""How long a verification is remembered at most, whatever the token's own expiry."""


@dataclass(frozen=True, slots=True)
class _Verified:
    caller: Caller  # without a purpose; immutable
    claims: Mapping[str, Any]  # the times are checked against each request's ``now``
    until: datetime  # forgotten from then on (``VERIFIED_MAX_AGE`` after the verification)


class VerifiedTokens:
    """A bounded LRU of verified tokens, found by their exact text; thread-safe (the view verifies
    on the event loop, or in a worker thread when a JWKS may have to be fetched)."""

    def __init__(self, maxsize: int = VERIFIED_TOKENS, max_age: timedelta = VERIFIED_MAX_AGE):
        self.maxsize = maxsize
        self.max_age = max_age
        self._entries: OrderedDict[str, _Verified] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, token: str, now: datetime) -> _Verified | None:
        with self._lock:
            found = self._entries.get(token)
            if found is None:
                return None
            if now >= found.until or now < found.until - self.max_age:
                # Stale, or a ``now`` before the verification (a clock set back): verify again.
                del self._entries[token]
                return None
            self._entries.move_to_end(token)
            return found

    def put(self, token: str, verified: _Verified) -> None:
        if self.maxsize < 1:
            return
        with self._lock:
            self._entries[token] = verified
            self._entries.move_to_end(token)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    """What a token must satisfy: a signature by one of ``keys``, this issuer and audience.
    ``verified`` remembers tokens already verified (see the module docstring)."""

    keys: KeySource
    issuer: str = DEFAULT_ISSUER
    audience: str = DEFAULT_AUDIENCE
    leeway: timedelta = LEEWAY
    verified: VerifiedTokens = field(default_factory=VerifiedTokens, compare=False, repr=False)


def build_verifier(config: AuthConfig) -> TokenVerifier:
    """The verifier for ``config`` (in development, generating the key pair on first use)."""
    return TokenVerifier(key_source(config), issuer=config.issuer, audience=config.audience)


# --- issuing --------------------------------------------------------------------------------


def issue_token(
    keys: SigningKey,
    *,
    user: str,
    roles: Iterable[Role],
    clearance: Sensitivity = Sensitivity.OFFICIAL,
    expires: datetime,
    now: datetime,
    issuer: str = DEFAULT_ISSUER,
    audience: str = DEFAULT_AUDIENCE,
) -> str:
    """A signed development token for ``user``. Refuses a key that is not a development key
    (``ConfigError``); a bad user, no roles or an expiry not after ``now`` is a ``ValueError``."""
    if not keys.development:
        raise ConfigError(
            "only a development key issues tokens; in production the identity provider does"
        )
    issued = _whole_seconds(now)
    until = _whole_seconds(expires)
    if until <= issued:
        raise ValueError(f"expiry {until:%Y-%m-%d %H:%M:%S} UTC is not after now")
    caller = Caller(
        user=user,
        roles=frozenset(roles),
        clearance=clearance,
        token_id=secrets.token_hex(16),
        issued_at=issued,
        expires_at=until,
    )
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": caller.user,
        "jti": caller.token_id,
        "iat": int(issued.timestamp()),
        "exp": int(until.timestamp()),
        "roles": sorted(r.value for r in caller.roles),
        "clearance": caller.clearance.name,
    }
    return jwt.encode(claims, keys.private_key, algorithm=keys.algorithm, headers={"kid": keys.kid})


def _whole_seconds(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.astimezone(UTC).replace(microsecond=0)


# --- verifying ------------------------------------------------------------------------------


def verify_token(verifier: TokenVerifier, token: str, now: datetime) -> Caller:
    """The caller a token names, without a purpose (that comes per request); raises
    ``InvalidToken`` (or ``KeySetUnavailable`` when a JWKS cannot be fetched)."""
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    token = token.strip()
    if not token or len(token) > _MAX_TOKEN_CHARS or token.count(".") != 2:
        raise InvalidToken(NOT_A_JWT, reason="malformed")
    now = now.astimezone(UTC)
    known = verifier.verified.get(token, now)
    if known is not None:
        _check_times(known.claims, now, verifier.leeway)
        return known.caller
    key = verifier.keys.key_for(token)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=list(key.algorithms),
            audience=verifier.audience,
            issuer=verifier.issuer,
            # Times are checked below against the caller's ``now``; PyJWT reads the clock itself.
            options={
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "require": _REQUIRED_CLAIMS,
            },
        )
    except jwt.PyJWTError as exc:
        raise _refusal(exc, verifier) from exc
    _check_times(claims, now, verifier.leeway)
    caller = _caller(claims)
    times: dict[str, Any] = {n: claims[n] for n in ("exp", "nbf", "iat") if n in claims}
    verifier.verified.put(token, _Verified(caller, times, now + verifier.verified.max_age))
    return caller


def _refusal(exc: jwt.PyJWTError, verifier: TokenVerifier) -> InvalidToken:
    # Subclasses before their bases: InvalidSignatureError is a DecodeError.
    if isinstance(exc, jwt.InvalidSignatureError):
        return InvalidToken(
            "the token's signature does not verify: it was altered, or signed by another key "
            "(a development token sent to a production server?); ask for a new token",
            reason="signature",
        )
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return InvalidToken(
            "the token is signed with an algorithm this server does not accept for its key",
            reason="algorithm",
        )
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return InvalidToken(f"the token has no {exc.claim!r} claim", reason="claims")
    if isinstance(exc, jwt.InvalidAudienceError):
        return InvalidToken(
            f"the token is for another audience; this server accepts {verifier.audience!r} "
            "(CLEW_JWT_AUDIENCE)",
            reason="audience",
        )
    if isinstance(exc, jwt.InvalidIssuerError):
        return InvalidToken(
            f"the token is from another issuer; this server accepts {verifier.issuer!r} "
            "(CLEW_JWT_ISSUER)",
            reason="issuer",
        )
    if isinstance(exc, jwt.DecodeError):
        return InvalidToken(NOT_A_JWT, reason="malformed")
    return InvalidToken(f"the token's claims are not valid: {exc}", reason="claims")


def _check_times(claims: Mapping[str, Any], now: datetime, leeway: timedelta) -> None:
    expires = _instant(claims, "exp")
    if expires is None:
        raise InvalidToken("the token has no 'exp' claim", reason="claims")
    if expires <= now - leeway:
        raise InvalidToken(
            f"the token expired at {expires:%Y-%m-%d %H:%M:%S} UTC; ask for a new one",
            reason="expired",
        )
    not_before = _instant(claims, "nbf")
    if not_before is not None and not_before > now + leeway:
        raise InvalidToken(
            f"the token is not valid before {not_before:%Y-%m-%d %H:%M:%S} UTC",
            reason="not-yet-valid",
        )
    issued = _instant(claims, "iat")
    if issued is not None and issued > now + leeway:
        raise InvalidToken(
            "the token was issued in the future: this server's clock or the issuer's is wrong",
            reason="not-yet-valid",
        )


def _instant(claims: Mapping[str, Any], name: str) -> datetime | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidToken(
            f"the token's {name!r} claim is not a number of seconds", reason="claims"
        )
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidToken(f"the token's {name!r} claim is out of range", reason="claims") from None


def _caller(claims: Mapping[str, Any]) -> Caller:
    names = claims.get("roles")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidToken("the token's 'roles' claim is not a list of role names", reason="role")
    roles: set[Role] = set()
    for name in names:
        try:
            roles.add(Role(name))
        except ValueError:
            raise InvalidToken(
                f"the token names role {name!r}, which Clew does not know; known roles: "
                f"{known_roles()}",
                reason="role",
            ) from None
    if not roles:
        raise InvalidToken("the token grants no role", reason="role")
    clearance = Sensitivity.OFFICIAL
    if (marking := claims.get("clearance")) is not None:
        try:
            clearance = parse_clearance(marking if isinstance(marking, str) else repr(marking))
        except ValueError as exc:
            raise InvalidToken(f"the token's 'clearance' claim: {exc}", reason="claims") from None
    try:
        return Caller(
            user=claims["sub"],
            roles=frozenset(roles),
            clearance=clearance,
            token_id=claims["jti"],
            issued_at=datetime.fromtimestamp(claims["iat"], UTC),
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )
    except (ValidationError, TypeError) as exc:
        raise InvalidToken(
            "the token's 'sub' or 'jti' claim is not a usable user or token id", reason="claims"
        ) from exc


# --- one request --------------------------------------------------------------------------


AUTHORIZATION_HEADER = "Authorization"


def caller_from_headers(
    verifier: TokenVerifier, headers: Mapping[str, str], now: datetime
) -> Caller:
    """The caller of a request, with its purpose, from its ``Authorization: Bearer <token>`` and
    ``X-Clew-Purpose`` headers (names compared without regard to case). Raises ``MissingToken``,
    ``InvalidToken`` or ``MissingPurpose``, in that order: who before why."""
    caller = verify_token(verifier, _bearer_token(headers), now)
    return caller.with_purpose(_purpose(headers))


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    return value


def _bearer_token(headers: Mapping[str, str]) -> str:
    value = _header(headers, AUTHORIZATION_HEADER)
    if value is None or not value.strip():
        raise MissingToken(
            "no bearer token: send 'Authorization: Bearer <token>' (in development, "
            "'clew token create' issues one)"
        )
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        # The credential itself is never repeated: it may be a password.
        raise MissingToken(
            f"the Authorization header holds a {scheme[:20]!r} credential, not a bearer token: "
            "send 'Authorization: Bearer <token>'"
        )
    return token.strip()


def _purpose(headers: Mapping[str, str]) -> Purpose:
    value = _header(headers, PURPOSE_HEADER)
    if value is None or not value.strip():
        raise MissingPurpose(
            f"no {PURPOSE_HEADER} header: every request states its purpose, an operation or "
            "case reference (OP-KESTREL, CASE/2026/0142) or a short reason (3-200 characters)",
            header=PURPOSE_HEADER,
        )
    try:
        return Purpose.parse(value)
    except ValidationError as exc:
        reason = exc.errors()[0].get("ctx", {}).get("error", "not a purpose")
        raise MissingPurpose(
            f"the {PURPOSE_HEADER} header states no purpose: {reason}", header=PURPOSE_HEADER
        ) from exc
