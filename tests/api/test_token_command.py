"""``clew token create`` through ``api.cli.main`` (settings from CLEW_* variables)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest

from api.auth.identity import Caller, Role
from api.auth.keys import DEV_KEY_FILE
from api.auth.tokens import build_verifier, verify_token
from api.cli import main
from api.commands.token import parse_expiry
from api.settings import Settings
from schema.grading import Sensitivity

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def verified(token: str) -> Caller:
    verifier = build_verifier(Settings.from_env().auth_config())
    return verify_token(verifier, token, datetime.now(UTC))


def test_prints_the_token_only_and_a_note_on_stderr(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "token", "create", "--user", "alice", "--roles", "analyst, investigator",
        "--clearance", "secret", "--expires", "30d",
    )  # fmt: skip
    assert code == 0
    assert out.count("\n") == 1
    token = out.strip()
    caller = verified(token)
    assert caller.user == "alice"
    assert caller.roles == {Role.ANALYST, Role.INVESTIGATOR}
    assert caller.clearance is Sensitivity.SECRET
    assert abs(caller.expires_at - (caller.issued_at + timedelta(days=30))) < timedelta(seconds=1)
    assert "development token for alice" in err
    assert "roles analyst, investigator" in err
    assert "clearance SECRET" in err
    assert f"{caller.expires_at:%Y-%m-%d %H:%M} UTC" in err
    assert token not in err


def test_defaults_are_official_for_eight_hours(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "token", "create", "--user", "bob", "--roles", "viewer")
    assert code == 0
    caller = verified(out.strip())
    assert caller.clearance is Sensitivity.OFFICIAL
    assert caller.expires_at - caller.issued_at == timedelta(hours=8)


def test_the_first_token_makes_the_key_and_later_ones_reuse_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, first, _ = run(capsys, "token", "create", "--user", "a", "--roles", "viewer")
    key = data_dir / "keys" / DEV_KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    pem = key.read_bytes()
    _, second, _ = run(capsys, "token", "create", "--user", "b", "--roles", "viewer")
    assert key.read_bytes() == pem
    kid = jwt.get_unverified_header(first.strip())["kid"]
    assert jwt.get_unverified_header(second.strip())["kid"] == kid


def test_an_expiry_date(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    day = (datetime.now(UTC) + timedelta(days=10)).date()
    code, out, _ = run(
        capsys, "token", "create", "--user", "a", "--roles", "viewer", "--expires", day.isoformat()
    )
    assert code == 0
    assert verified(out.strip()).expires_at == datetime(day.year, day.month, day.day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--roles", "wizard"], "--roles: unknown role 'wizard'; known roles: viewer, analyst"),
        (["--roles", ","], "--roles: no role given"),
        (["--roles", "viewer", "--clearance", "top"], "--clearance: unknown clearance 'top'"),
        (["--roles", "viewer", "--expires", "soon"], "--expires: 'soon' is neither"),
        (["--roles", "viewer", "--expires", "2020-01-01"], "not in the future"),
    ],
)
def test_bad_options_are_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = run(capsys, "token", "create", "--user", "alice", *args)
    assert code == 1
    assert out == ""
    assert says in err
    assert "Traceback" not in err


def test_a_user_is_one_word(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "token", "create", "--user", "a b", "--roles", "viewer")
    assert code == 1
    assert out == ""
    assert "--user: a user is one word" in err


def test_refused_in_production(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLEW_AUTH_MODE", "production")
    monkeypatch.setenv("CLEW_JWKS_URL", "https://idp.example/jwks")
    code, out, err = run(capsys, "token", "create", "--user", "alice", "--roles", "admin")
    assert code == 1
    assert out == ""
    assert "development tokens only" in err
    assert not (data_dir / "keys").exists()


@pytest.mark.parametrize(
    ("text", "expires"),
    [
        ("90m", NOW + timedelta(minutes=90)),
        ("8h", NOW + timedelta(hours=8)),
        ("8H", NOW + timedelta(hours=8)),
        ("30d", NOW + timedelta(days=30)),
        ("2w", NOW + timedelta(weeks=2)),
        ("2026-12-31", datetime(2026, 12, 31, tzinfo=UTC)),
        ("2026-12-31T18:00Z", datetime(2026, 12, 31, 18, tzinfo=UTC)),
        ("2026-12-31T18:00+01:00", datetime(2026, 12, 31, 17, tzinfo=UTC)),
        ("2026-12-31 18:00", datetime(2026, 12, 31, 18, tzinfo=UTC)),
    ],
)
def test_parse_expiry(text: str, expires: datetime) -> None:
    assert parse_expiry(text, NOW) == expires


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0h", "no time at all"),
        ("8 hours", "neither a duration"),
        ("-1d", "neither a duration"),
        ("2026-11-23", "not in the future"),
        ("2026-13-01", "neither a duration"),
    ],
)
def test_parse_expiry_refuses(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_expiry(text, NOW)
