"""Intelligence grading (3x5x2, 5x5x5), handling codes and sensitivity."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schema.base import StrictModel
from schema.grading import Grading, Sensitivity, most_restrictive


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1A P", "3x5x2:1/A/P"),
        ("1-A-P", "3x5x2:1/A/P"),
        ("1/a/p", "3x5x2:1/A/P"),
        ("1AP", "3x5x2:1/A/P"),
        ("3x5x2: 2/B/C", "3x5x2:2/B/C"),
        ("3 X 5 X 2 - 3 E C", "3x5x2:3/E/C"),
        ("3\u00d75\u00d72 2DC", "3x5x2:2/D/C"),
        ("B2 4", "5x5x5:B/2/4"),
        ("b-2-4", "5x5x5:B/2/4"),
        ("5x5x5:E5 5", "5x5x5:E/5/5"),
        ("3x5x2:1/A/P", "3x5x2:1/A/P"),
    ],
)
def test_parse_valid(text: str, canonical: str) -> None:
    grading = Grading.parse(text)
    assert str(grading) == canonical
    assert Grading.parse(str(grading)) == grading


def test_parts() -> None:
    g = Grading.parse("2B C")
    assert (g.system, g.source_evaluation, g.intelligence_evaluation, g.handling_code) == (
        "3x5x2",
        "2",
        "B",
        "C",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("4A P", r"'4' is not a 3x5x2 source evaluation; valid: 1 \(reliable\), 2 \(untested\)"),
        ("1F P", "'F' is not a 3x5x2 intelligence assessment; valid: A .*E"),
        ("1AX", r"'X' is not a 3x5x2 handling code; valid: P .*C \(lawful sharing"),
        ("F2 4", "'F' is not a 5x5x5 source evaluation; valid: A"),
        ("B6 4", "'6' is not a 5x5x5 intelligence evaluation"),
        ("B2 P", "'P' is not a 5x5x5 handling code; valid: 1"),
        ("1A", "expected three parts"),
        ("1A P 4", "expected three parts"),
        ("", "expected three parts"),
        ("5x5x5: 1AP", "names 5x5x5 but is written as 3x5x2"),
        ("3x5x2: B24", "names 3x5x2 but is written as 5x5x5"),
    ],
)
def test_parse_invalid(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Grading.parse(text)


def test_values_are_strict_when_given_as_parts() -> None:
    with pytest.raises(ValidationError, match="source evaluation"):
        Grading(
            system="3x5x2",
            source_evaluation="A",
            intelligence_evaluation="A",
            handling_code="P",
        )


def test_conditional_and_description() -> None:
    assert not Grading.parse("1A P").conditional
    assert Grading.parse("1A C").conditional
    assert not Grading.parse("A1 1").conditional
    assert Grading.parse("A1 4").conditional
    assert Grading.parse("1A P").describe() == (
        "source: reliable; intelligence: known directly to the source; "
        "handling: lawful sharing permitted"
    )


class _Carrier(StrictModel):
    grading: Grading
    level: Sensitivity = Sensitivity.OFFICIAL


def test_serialises_as_text_and_reads_back() -> None:
    c = _Carrier.model_validate({"grading": "B2 4", "level": "secret"})
    assert c.model_dump(mode="json") == {"grading": "5x5x5:B/2/4", "level": 2}
    assert _Carrier.model_validate(c.model_dump(mode="json")) == c


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("OFFICIAL", Sensitivity.OFFICIAL),
        ("official-sensitive", Sensitivity.OFFICIAL_SENSITIVE),
        ("Official Sensitive", Sensitivity.OFFICIAL_SENSITIVE),
        ("TOP SECRET", Sensitivity.TOP_SECRET),
        (2, Sensitivity.SECRET),
    ],
)
def test_sensitivity_read_from_names(text: str | int, level: Sensitivity) -> None:
    assert _Carrier.model_validate({"grading": "1A P", "level": text}).level is level


def test_sensitivity_unknown_name_refused() -> None:
    with pytest.raises(ValidationError):
        _Carrier.model_validate({"grading": "1A P", "level": "RESTRICTED"})


def test_sensitivity_order_and_most_restrictive() -> None:
    assert Sensitivity.OFFICIAL < Sensitivity.OFFICIAL_SENSITIVE < Sensitivity.SECRET
    assert Sensitivity.SECRET < Sensitivity.TOP_SECRET
    assert most_restrictive() is Sensitivity.OFFICIAL
    assert (
        most_restrictive(Sensitivity.OFFICIAL, Sensitivity.SECRET, Sensitivity.OFFICIAL_SENSITIVE)
        is Sensitivity.SECRET
    )
