from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from schema.base import CountryAlpha3
from schema.countries import ALPHA3_BY_ALPHA2, country_alpha3


def test_the_table_is_iso_3166_1() -> None:
    assert len(ALPHA3_BY_ALPHA2) == 249
    assert len(set(ALPHA3_BY_ALPHA2.values())) == 249
    assert all(len(a) == 2 and len(b) == 3 for a, b in ALPHA3_BY_ALPHA2.items())
    assert (ALPHA3_BY_ALPHA2["GB"], ALPHA3_BY_ALPHA2["DE"], ALPHA3_BY_ALPHA2["SS"]) == (
        "GBR",
        "DEU",
        "SSD",
    )


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("GBR", "GBR"),
        (" gb ", "GBR"),
        ("UK", "GBR"),
        ("D", "DEU"),
        ("us", "USA"),
        ("GBD", "GBD"),  # ICAO 9303's own codes are what the document says
        ("XXA", "XXA"),
        ("XK", "XK"),  # user-assigned: no alpha-3 to give it
    ],
)
def test_alpha3_whichever_form_is_written(written: str, kept: str) -> None:
    assert country_alpha3(written) == kept
    assert TypeAdapter(CountryAlpha3).validate_python(written) == kept


@pytest.mark.parametrize("written", ["", "G", "GB1", "GREAT BRITAIN", "ÉCO"])
def test_what_is_not_a_country_code_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="not a country code"):
        country_alpha3(written)
    with pytest.raises(ValidationError, match="not a country code"):
        TypeAdapter(CountryAlpha3).validate_python(written)
