from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from loaders.column_mapping import ColumnMapping, HeaderError
from loaders.openflights import AirportTimezones
from loaders.passengers_csv import PassengersReader
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.records import PassengerRecord, TravelAddress

CONTEXT = LoadContext(
    source="airline_csv", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
)
HEADER = (
    "surname,forenames,dob,gender,nationality,document_type,document_number,document_country,"
    "document_expiry,carrier,flight_number,departure_airport,arrival_airport,"
    "scheduled_departure,seat,pnr,infant,contact_name,contact_phone,contact_email"
)
JANE = (
    "Doe,Jane Mary,1985-02-14,F,GBR,P,123 456 789,GBR,2030-01-01,BA,0117,LHR,JFK,"
    "2024-03-01T00:15+00:00,023a,abc123,N,Ann Doe,07700 900123,ANN@EXAMPLE.COM"
)
TOM = "Doe,Tom,2024-01,M,GBR,,,,,BA,117,LHR,JFK,2024-03-01T00:15+00:00,,ABC123,yes,,,"


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "passengers.csv"
    path.write_bytes("\n".join(rows).encode("utf-8", errors="surrogateescape") + b"\n")
    return path


def read(path: Path, **kwargs: object) -> list[ReadResult]:
    return list(PassengersReader(**kwargs).read(path, CONTEXT))  # type: ignore[arg-type]


def test_rows_become_records(tmp_path: Path) -> None:
    results = read(write(tmp_path, HEADER, JANE, TOM))
    assert [type(r).__name__ for r in results] == ["Parsed", "Parsed"]
    jane, tom = (r.records[0] for r in results if isinstance(r, Parsed))
    assert isinstance(jane, PassengerRecord)
    assert isinstance(tom, PassengerRecord)
    assert (jane.surname, jane.forenames, str(jane.dob), jane.gender) == (
        "Doe",
        "Jane Mary",
        "1985-02-14",
        "female",
    )
    assert (jane.document_number, jane.document_expiry) == ("123456789", date(2030, 1, 1))
    assert (jane.carrier, jane.flight_number, jane.seat, jane.pnr) == ("BA", "117", "23A", "ABC123")
    assert jane.scheduled_departure.isoformat() == "2024-03-01T00:15:00+00:00"
    assert jane.departure_date == date(2024, 3, 1)
    assert [(c.name, c.phone, c.email) for c in jane.booking_contacts] == [
        ("Ann Doe", "+447700900123", "ann@example.com")
    ]
    assert (tom.infant, str(tom.dob), tom.booking_contacts) == (True, "2024-01", ())
    assert jane.provenance.line == 2
    assert tom.provenance.line == 3


def test_the_departure_offset_is_kept_so_the_local_date_is_the_flights(tmp_path: Path) -> None:
    row = JANE.replace("2024-03-01T00:15+00:00", "2024-07-01T00:15+01:00")
    (parsed,) = read(write(tmp_path, HEADER, row))
    assert isinstance(parsed, Parsed)
    record = parsed.records[0]
    assert isinstance(record, PassengerRecord)
    assert record.scheduled_departure.isoformat() == "2024-07-01T00:15:00+01:00"
    assert record.departure_date == date(2024, 7, 1)


def test_local_times_are_placed_at_the_departure_airport_when_zones_are_given(
    tmp_path: Path,
) -> None:
    row = JANE.replace("2024-03-01T00:15+00:00", "2024-07-01 00:15")
    path = write(tmp_path, HEADER, row)
    (refused,) = read(path)
    assert isinstance(refused, Rejected)
    assert "has no UTC offset" in refused.reason
    (parsed,) = read(path, zones=AirportTimezones({"LHR": "Europe/London"}))
    assert isinstance(parsed, Parsed)
    record = parsed.records[0]
    assert isinstance(record, PassengerRecord)
    assert record.scheduled_departure.isoformat() == "2024-07-01T00:15:00+01:00"


def test_bad_rows_are_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER,
        JANE.replace("1985-02-14", "1985-02-30"),  # no such day
        JANE.replace(",LHR,JFK,", ",LHR,LHR,"),  # departs and arrives at one airport
        JANE.replace(",BA,0117,", ",BA,ABCDE,"),  # not a flight number
        JANE.replace(",N,Ann", ",maybe,Ann"),
        JANE.replace("Doe,Jane", "D\udcf6e,Jane"),  # not UTF-8
        JANE + ",extra",
        JANE[3:],  # no surname
        JANE,
    )
    results = read(path)
    rejects = [(r.row.line, r.reason) for r in results if isinstance(r, Rejected)]
    assert [line for line, _ in rejects] == [2, 3, 4, 5, 6, 7, 8]
    reasons = dict(rejects)
    assert reasons[2] == "dob: '1985-02-30' is not a date: 1985-02 has 28 days, not 30"
    assert "departs from and arrives at LHR" in reasons[3]
    assert reasons[4] == (
        "flight_number: 'ABCDE' is not a flight number (1 to 4 digits, optional letter)"
    )
    assert "infant: 'maybe' is not yes or no" in reasons[5]
    assert "not valid UTF-8" in reasons[6]
    assert "has 21 fields where the header has 20" in reasons[7]
    assert "surname: required but blank" in reasons[8]
    assert [r.row.line for r in results if isinstance(r, Parsed)] == [9]


def test_a_header_without_a_required_column_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("carrier,", "airline,"), JANE)
    with pytest.raises(HeaderError, match="no 'carrier' column"):
        read(path)


def test_a_column_mapping_renames_headers(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("carrier,", "Airline,"), JANE)
    mapping = ColumnMapping(columns={"carrier": "Airline"})
    (parsed,) = read(path, mapping=mapping)
    assert isinstance(parsed, Parsed)


ADDRESS_HEADER = HEADER + ",address,town,postcode,address_country"


def passenger(result: ReadResult) -> PassengerRecord:
    assert isinstance(result, Parsed)
    (record,) = result.records
    assert isinstance(record, PassengerRecord)
    return record


def test_optional_address_columns_and_alpha2_countries(tmp_path: Path) -> None:
    rows = [
        JANE.replace("GBR,P,", "gb,P,").replace("789,GBR,", "789,uk,")
        + ',"1 High Street, Flat 2",London,sw1a1aa,GB',
        TOM + ",,,,",
        TOM + ",10 Rue X,Paris,75001,FRA",
        TOM + ",,,,GBR",
        TOM + ",1 Low Road,Leeds,NOT A CODE,GBR",
        TOM + ",1 Low Road,Leeds,,United Kingdom",
    ]
    results = read(write(tmp_path, ADDRESS_HEADER, *rows))
    jane, tom, pierre, country_only, odd_code = (
        passenger(r) for r in results if isinstance(r, Parsed)
    )
    assert (jane.nationality, jane.document_country) == ("GBR", "GBR")
    assert jane.addresses == (
        TravelAddress(
            lines=("1 High Street", "Flat 2"), locality="London", postcode="SW1A 1AA", country="GBR"
        ),
    )
    assert (tom.addresses, country_only.addresses) == ((), ())
    assert [str(a) for a in pierre.addresses] == ["10 Rue X, Paris, 75001, FRA"]
    assert [str(a) for a in odd_code.addresses] == ["1 Low Road, Leeds, NOT A CODE, GBR"]
    warnings = [r.warnings for r in results if isinstance(r, Parsed)]
    assert warnings[3:] == [
        ("address_country: 'GBR' without an address: not recorded",),
        ("postcode: 'NOT A CODE' is not a UK postcode; kept as written",),
    ]
    (refused,) = (r for r in results if isinstance(r, Rejected))
    assert refused.row.line == 7
    assert refused.reason == (
        "address_country: 'United Kingdom' is not a country code (ISO 3166 alpha-3 or alpha-2)"
    )
