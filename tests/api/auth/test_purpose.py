from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.auth.purpose import Purpose


@pytest.mark.parametrize(
    ("text", "reference", "kind"),
    [
        ("OP-KESTREL", "OP-KESTREL", "operation"),
        ("Op Kestrel", "OP-KESTREL", "operation"),
        ("Operation Kestrel-2: associates of the subject", "OP-KESTREL-2", "operation"),
        ("op_kestrel", "OP-KESTREL", "operation"),
        ("CASE/2026/0142", "CASE/2026/0142", "case"),
        ("case 2026-0142a: vehicle", "CASE/2026/0142A", "case"),
        ("operational review of the matrix", None, "text"),
        ("threat to life: missing child", None, "text"),
        ("opx", None, "text"),
    ],
)
def test_references_are_recognised_and_normalised(
    text: str, reference: str | None, kind: str
) -> None:
    purpose = Purpose.parse(text)
    assert purpose.reference == reference
    assert purpose.kind == kind
    assert str(purpose) == text


def test_whitespace_is_collapsed() -> None:
    assert Purpose.parse("  threat   to\tlife ").text == "threat to life"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "3 to 200 characters"),
        ("ab", "3 to 200 characters"),
        ("x" * 201, "3 to 200 characters"),
        ("...!", "three letters or digits"),
        ("a\x00bcd", "printable"),
        ("abc\x7f", "printable"),
    ],
)
def test_what_is_not_a_purpose(text: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says) as info:
        Purpose.parse(text)
    assert "OP-KESTREL, CASE/2026/0142" in str(info.value)


def test_a_given_reference_must_be_the_stated_one() -> None:
    assert Purpose.model_validate({"text": "OP-X1", "reference": "OP-X1"}).reference == "OP-X1"
    with pytest.raises(ValidationError, match="not the one"):
        Purpose.model_validate({"text": "OP-X1", "reference": "OP-X2"})
