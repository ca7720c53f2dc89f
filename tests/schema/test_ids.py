"""Deterministic ids: the encoding, its normalisation, and key declarations."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import pytest

from schema.base import PartialDate
from schema.errors import SchemaError
from schema.grading import Sensitivity
from schema.ids import IdKey, Keyed, _base32, make_id, normalise_key_text, raw_hash

REPO = Path(__file__).resolve().parents[2]
ID_FORMAT = re.compile(r"^[a-z][a-z0-9_]*_[a-z2-7]{26}$")


def test_pinned_ids() -> None:
    # Changing these changes every id in every graph already loaded: it needs a migration.
    assert make_id("phone", "+447700900123") == "phone_wbvr3h4n27m6rv6m3dmasz7rum"
    assert make_id("test", "a", None, 1, date(2020, 1, 2), "") == "test_q7qkm3zizveq33udmj4clmmvoq"


def test_same_id_in_another_process_with_another_hash_seed() -> None:
    code = "from schema.ids import make_id; print(make_id('phone', '+447700900123'))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == make_id("phone", "+447700900123")


def test_format_and_no_key_text() -> None:
    ident = make_id("person", "SMITH", "KEVIN")
    assert ID_FORMAT.match(ident)
    assert "smith" not in ident
    assert "kevin" not in ident


def test_strings_normalised_for_whitespace_and_unicode_form() -> None:
    composed = "Jos\u00e9"
    decomposed = "Jose\u0301"
    assert make_id("p", composed) == make_id("p", decomposed)
    assert make_id("p", "  Kevin \t David ") == make_id("p", "Kevin David")
    # Case is kept unless the key says otherwise.
    assert make_id("p", "Kevin") != make_id("p", "KEVIN")


def test_normalise_key_text_casefold() -> None:
    assert normalise_key_text("  STRASSE  ", casefold=True) == "strasse"
    assert normalise_key_text("Straße", casefold=True) == "strasse"
    assert normalise_key_text("Straße") == "Straße"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("a b", "c"), ("a", "b c")),
        (("ab", "c"), ("a", "bc")),
        ((None,), ("",)),
        (("",), ()),
        ((0,), ("0",)),
        ((None, "x"), ("x", None)),
        ((True,), (1,)),
    ],
)
def test_distinct_inputs_distinct_ids(left: tuple[object, ...], right: tuple[object, ...]) -> None:
    assert make_id("p", *left) != make_id("p", *right)  # type: ignore[arg-type]


def test_prefix_is_part_of_the_hash() -> None:
    a = make_id("phone", "x")
    b = make_id("email", "x")
    assert a.split("_", 1)[1] != b.split("_", 1)[1]


def test_dates_and_datetimes() -> None:
    assert make_id("p", date(1962, 7, 14)) == make_id("p", PartialDate.model_validate("1962-07-14"))
    assert make_id("p", PartialDate(year=1962, month=7)) != make_id("p", date(1962, 7, 1))
    utc = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    plus_one = datetime(2024, 1, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert make_id("p", utc) == make_id("p", plus_one)
    assert make_id("p", Sensitivity.SECRET) == make_id("p", 2)


def test_refused_values() -> None:
    with pytest.raises(SchemaError, match="offset"):
        make_id("p", datetime(2024, 1, 1))
    with pytest.raises(SchemaError, match="float"):
        make_id("p", 1.5)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="prefix"):
        make_id("Bad-Prefix", "x")


def test_raw_hash() -> None:
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert raw_hash("abc") == expected
    assert raw_hash(b"abc") == expected


def test_id_key_missing_values_name_the_field() -> None:
    key = IdKey("thing", ("number", "name"), optional=frozenset({"name"}))
    assert key.id_for({"number": "1"}) == make_id("thing", "1", None)
    assert key.id_for({"number": "1", "name": "  "}) == make_id("thing", "1", None)
    with pytest.raises(SchemaError, match="'number' is missing"):
        key.id_for({"name": "x"})
    with pytest.raises(SchemaError, match="'number' is missing"):
        key.id_for({"number": " "})


def test_id_key_casefold_and_scope() -> None:
    key = IdKey("thing", ("name",), casefold=frozenset({"name"}))
    assert key.id_for({"name": "SMITH"}) == key.id_for({"name": "smith "})
    assert key.id_for({"name": "x"}, scope=("pnc",)) == make_id("thing", "pnc", "x")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("thing", ()), "declares no fields"),
        (("thing", ("a", "a")), "repeats"),
        (("Thing", ("a",)), "prefix"),
    ],
)
def test_id_key_declaration_errors(args: tuple[str, tuple[str, ...]], message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        IdKey(*args)


def test_id_key_flags_must_name_key_fields() -> None:
    with pytest.raises(SchemaError, match="not key fields"):
        IdKey("thing", ("a",), casefold=frozenset({"b"}))


def test_keyed_model_refuses_a_key_it_does_not_have() -> None:
    with pytest.raises(SchemaError, match="'nope'"):

        class Broken(Keyed):
            id_key: ClassVar[IdKey] = IdKey("broken", ("nope",))
            number: str


class _Widget(Keyed):
    id_key: ClassVar[IdKey] = IdKey("widget", ("number",))
    number: str
    colour: str | None = None


def test_keyed_id_computed_and_checked_on_read() -> None:
    w = _Widget(number="7", colour="red")
    assert w.id == make_id("widget", "7")
    dumped = w.model_dump()
    assert dumped["id"] == w.id
    assert _Widget.model_validate(dumped) == w
    with pytest.raises(ValueError, match="does not match"):
        _Widget.model_validate({**dumped, "id": "widget_aaaaaaaaaaaaaaaaaaaaaaaaaa"})


def test_keyed_id_follows_the_fields() -> None:
    assert _Widget(number="7").id != _Widget(number="8").id
    assert _Widget(number="7", colour="red").id == _Widget(number="7", colour="blue").id


def test_the_id_is_derived_once_and_again_for_a_changed_copy() -> None:
    from schema.entities import Phone

    phone = Phone(e164="+447700900123")
    assert phone.id is phone.id
    changed = phone.model_copy(update={"e164": "+447700900124"})
    assert changed.id == Phone(e164="+447700900124").id
    assert changed == Phone(e164="+447700900124")
    assert phone.model_copy() == phone


def test_base32_matches_the_standard_encoding() -> None:
    for digest in [bytes(16), b"\xff" * 16, *(os.urandom(16) for _ in range(2000))]:
        assert _base32(digest) == base64.b32encode(digest).decode("ascii").rstrip("=").lower()
