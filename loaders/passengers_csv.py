"""Passenger listings as CSV (kind ``passengers``): one row per passenger per flight leg, one
``PassengerRecord``.

CSV with a header row, comma-separated unless the column mapping says otherwise
(``loaders.column_mapping``); a header may differ from the names below when a mapping says which
is which. Blank cells are absent values. A passenger on a journey of several legs has a row for
each leg, with the same ``pnr``.

=====================  ========  ==============================================================
column                 required  value
=====================  ========  ==============================================================
surname                yes       as on the travel document or booking
forenames                        given names, as written
dob                              date of birth, full or partial ("1978-07-06", "1978")
gender                           M, F, X, U or the words
nationality                      ISO 3166 alpha-3 or alpha-2 ("GBR", "GB"), kept as alpha-3
document_type                    ICAO 9303 code: P passport, I identity card, V visa...
document_number                  spaces and dashes removed, upper case
document_country                 issuing state, ISO 3166 alpha-3 or alpha-2, kept as alpha-3
document_expiry                  a full date
carrier                yes       IATA (two characters) or ICAO (three letters) designator
flight_number          yes       1 to 4 digits and an optional letter ("0989" is "989")
departure_airport      yes       IATA code
arrival_airport        yes       IATA code
scheduled_departure    yes       ISO 8601 with the departure airport's UTC offset
                                 ("2017-01-27T17:25+01:00"), which is kept: the flight's date
                                 is its local date. A local time without an offset is read in
                                 the departure airport's zone when the reader has airport time
                                 zones (``AirportTimezones``), and refused otherwise
seat                             row and letter ("023A" is "23A")
pnr                              booking reference (5 to 8 letters and digits)
infant                           Y/N, yes/no, true/false, 1/0; blank is no
contact_name                     a booking contact: name, with a phone or e-mail or both
contact_phone                    any notation; national numbers are read as the mapping's
                                 ``default_country``'s (GB unless it says)
contact_email
address                          the traveller's address: street lines, separated by commas
town
postcode                         a UK postcode is written "SW1A 1AA", others as given
address_country                  ISO 3166 alpha-3 or alpha-2, kept as alpha-3; a UK postcode
                                 that does not read as one is kept, with a warning
=====================  ========  ==============================================================

The address columns are optional, and files without them load as before. An address whose
country is not a code is refused with the row, as other cells are; a country without a street,
town or postcode is not an address and is dropped with a warning.

Dates of birth and expiry are read as ``loaders.normalise.parse_date`` reads them, by the
source's declared ``date_order``. The scheduled departure is not (``Cells.datetime`` gives UTC,
and a UTC time can fall on another day than the local one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from loaders.column_mapping import (
    CellError,
    Cells,
    ColumnMapping,
    Layout,
    check_mapping,
    read_table,
)
from loaders.normalise import is_uk_postcode
from loaders.openflights import ZoneLookup, localise
from loaders.reading import LoadContext, RawRow, ReadResult
from schema.countries import country_alpha3
from schema.records import PassengerRecord

PASSENGERS = Layout(
    "passengers",
    required=(
        "surname",
        "carrier",
        "flight_number",
        "departure_airport",
        "arrival_airport",
        "scheduled_departure",
    ),
    optional=(
        "forenames",
        "dob",
        "gender",
        "nationality",
        "document_type",
        "document_number",
        "document_country",
        "document_expiry",
        "seat",
        "pnr",
        "infant",
        "contact_name",
        "contact_phone",
        "contact_email",
        "address",
        "town",
        "postcode",
        "address_country",
    ),
)

_YES = frozenset({"y", "yes", "true", "t", "1"})
_NO = frozenset({"n", "no", "false", "f", "0"})


def _flag(cells: Cells, name: str) -> bool:
    value = cells.text(name)
    if value is None or value.lower() in _NO:
        return False
    if value.lower() in _YES:
        return True
    raise CellError(f"{name}: {value!r} is not yes or no (Y/N, yes/no, true/false, 1/0)")


def _departure(cells: Cells, zones: ZoneLookup | None) -> datetime:
    text = cells.required("scheduled_departure")
    try:
        when = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CellError(
            f"scheduled_departure: {text!r} is not an ISO 8601 date and time "
            "(2017-01-27T17:25+01:00)"
        ) from exc
    if when.tzinfo is not None:
        return when
    if zones is None:
        raise CellError(
            f"scheduled_departure: {text!r} has no UTC offset: write the departure airport's "
            "(2017-01-27T17:25+01:00), or read the file with airport time zones"
        )
    try:
        placed, warnings = localise(zones, cells.required("departure_airport"), when)
    except ValueError as exc:
        raise CellError(f"scheduled_departure: {exc}") from exc
    cells.warnings.extend(f"scheduled_departure: {w}" for w in warnings)
    return placed


def _contacts(cells: Cells) -> tuple[dict[str, Any], ...]:
    name = cells.text("contact_name")
    phone = cells.phone("contact_phone")
    email = cells.text("contact_email")
    if phone is None and email is None:
        if name is not None:
            cells.warnings.append(f"contact_name: {name!r} has no phone or e-mail: not recorded")
        return ()
    return ({"name": name, "phone": phone, "email": email},)


def _addresses(cells: Cells) -> tuple[dict[str, Any], ...]:
    lines, town, code = cells.text("address"), cells.text("town"), cells.text("postcode")
    written = cells.text("address_country")
    if lines is None and town is None and code is None:
        if written is not None:
            cells.warnings.append(f"address_country: {written!r} without an address: not recorded")
        return ()
    try:
        country = None if written is None else country_alpha3(written)
    except ValueError as exc:
        raise CellError(f"address_country: {exc}") from exc
    if code is not None and country == "GBR" and not is_uk_postcode(code):
        cells.warnings.append(f"postcode: {code!r} is not a UK postcode; kept as written")
    address = {
        "lines": tuple(p.strip() for p in (lines or "").split(",")),
        "locality": town,
        "postcode": code,
        "country": country,
    }
    return (address,)


def _passenger(
    context: LoadContext, zones: ZoneLookup | None
) -> Callable[[RawRow, Cells], PassengerRecord]:
    def build(row: RawRow, cells: Cells) -> PassengerRecord:
        return PassengerRecord.model_validate(
            {
                "provenance": context.provenance(row),
                "surname": cells.required("surname"),
                "forenames": cells.text("forenames"),
                "dob": cells.partial_date("dob"),
                "gender": cells.text("gender"),
                "nationality": cells.text("nationality"),
                "document_type": cells.text("document_type"),
                "document_number": cells.text("document_number"),
                "document_country": cells.text("document_country"),
                "document_expiry": cells.date("document_expiry"),
                "carrier": cells.required("carrier"),
                "flight_number": cells.required("flight_number"),
                "departure_airport": cells.required("departure_airport"),
                "arrival_airport": cells.required("arrival_airport"),
                "scheduled_departure": _departure(cells, zones),
                "seat": cells.text("seat"),
                "pnr": cells.text("pnr"),
                "infant": _flag(cells, "infant"),
                "booking_contacts": _contacts(cells),
                "addresses": _addresses(cells),
            }
        )

    return build


@dataclass(frozen=True, slots=True)
class PassengersReader:
    """Reads a passengers CSV (see the module docstring for its layout). ``zones`` places
    departure times written without an offset; without it they are refused."""

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    zones: ZoneLookup | None = None
    kind: str = field(default="passengers", init=False)

    def __post_init__(self) -> None:
        check_mapping(self.mapping, PASSENGERS)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        return read_table(path, PASSENGERS, self.mapping, _passenger(context, self.zones))
