"""``clew token create``: a development bearer token for the API.

The token alone goes to stdout, so that ``TOKEN=$(clew token create --user u --roles analyst)``
works; who it is for, with which roles, clearance and expiry, goes to stderr. Development only:
in production tokens come from the identity provider, and the command refuses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from pydantic import ValidationError

from api.auth.identity import parse_clearance, parse_roles
from api.auth.keys import development_signing_key
from api.auth.tokens import issue_token
from api.console import err, state
from schema.errors import ConfigError

app = typer.Typer(help="API bearer tokens (development).", no_args_is_help=True)

_DURATION = re.compile(r"^(?P<n>\d{1,6})\s*(?P<unit>[mhdw])$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_expiry(text: str, now: datetime) -> datetime:
    """When a token given ``--expires text`` at ``now`` expires: a duration (``90m``, ``8h``,
    ``30d``, ``2w``), a date (``2026-12-31``: its start, 00:00 UTC) or a date and time
    (``2026-12-31T18:00Z``; UTC when no offset is given). A ``ValueError`` says what was wrong."""
    text = text.strip()
    if m := _DURATION.match(text):
        delta = timedelta(**{_UNITS[m["unit"].lower()]: int(m["n"])})
        if not delta:
            raise ValueError(f"{text!r} is no time at all")
        return now + delta
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is neither a duration (90m, 8h, 30d, 2w) nor a date (2026-12-31) or "
            "date and time (2026-12-31T18:00Z)"
        ) from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment <= now:
        raise ValueError(f"{text!r} is not in the future")
    return moment


@app.command("create")
def create(
    ctx: typer.Context,
    user: Annotated[str, typer.Option("--user", help="Who the token is for.")],
    roles: Annotated[
        str,
        typer.Option(
            "--roles",
            help="Comma-separated roles: viewer, analyst, investigator, supervisor, auditor, "
            "admin.",
        ),
    ],
    clearance: Annotated[
        str,
        typer.Option(
            "--clearance",
            help="OFFICIAL, OFFICIAL_SENSITIVE, SECRET or TOP_SECRET.",
        ),
    ] = "OFFICIAL",
    expires: Annotated[
        str,
        typer.Option("--expires", help="A duration (8h, 30d) or a date (2026-12-31, 00:00 UTC)."),
    ] = "8h",
) -> None:
    """Issue a development token; prints the token only (notes go to stderr)."""
    settings = state(ctx).settings
    if settings.auth_mode != "development":
        raise ConfigError(
            "clew token create issues development tokens only; CLEW_AUTH_MODE is "
            f"{settings.auth_mode}, where tokens come from the identity provider"
        )
    now = datetime.now(UTC)
    try:
        granted = parse_roles(r for r in roles.split(",") if r.strip())
    except ValueError as exc:
        raise ConfigError(f"--roles: {exc}") from None
    try:
        level = parse_clearance(clearance)
    except ValueError as exc:
        raise ConfigError(f"--clearance: {exc}") from None
    try:
        until = parse_expiry(expires, now)
    except ValueError as exc:
        raise ConfigError(f"--expires: {exc}") from None
    config = settings.auth_config()
    try:
        token = issue_token(
            development_signing_key(config),
            user=user,
            roles=granted,
            clearance=level,
            expires=until,
            now=now,
            issuer=config.issuer,
            audience=config.audience,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = first.get("ctx", {}).get("error", first["msg"])
        raise ConfigError(f"--{first['loc'][0]}: {reason}") from None
    typer.echo(token)
    err.print(
        f"development token for {user}: roles {', '.join(sorted(r.value for r in granted))}; "
        f"clearance {level.name}; expires {until:%Y-%m-%d %H:%M} UTC; "
        f"verified with the key in {config.key_dir}",
        soft_wrap=True,
        markup=False,
    )
