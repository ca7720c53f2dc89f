from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from loaders.openflights import AirportTimezones
from loaders.pnrgov import PnrgovReader
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.records import AddressPurpose, PassengerRecord, TravelAddress
from tests.loaders.support import DATA, messages_accounted, needs_data, passenger_records

PNRGOV = DATA / "gtas" / "pnrgov"

CONTEXT = LoadContext(source="pnr", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))
ZONES = AirportTimezones(
    {
        "LHR": "Europe/London",
        "JFK": "America/New_York",
        "YVR": "America/Vancouver",
        "SIN": "Asia/Singapore",
        "ICN": "Asia/Seoul",
    }
)

HEADER = ["MSG+:22", "ORG+BA:LON", "TVL+010324:1015+LHR+JFK+BA+117", "EQN+1"]
BOOKING = [
    "SRC",
    "RCI+BA:ABC123",
    "IFT+4:28::BA+CTCE JANE.DOE//EXAMPLE.COM",
    "ADD++702:1 HIGH STREET:LONDON:::GB:SW1A 1AA:02079460000",
    "TIF+DOE+JANEMRS:A:1:1",
    "SSR+DOCS:HK::BA:::::/P/GBR/123456789/GBR/14FEB85/F/01JAN30/DOE/JANE/MARY",
    "TIF+DOE+TOM:IN:2",
    "TVL+010324:1015::1320+LHR+JFK+BA+117:Y",
    "SSR+SEAT:HK:1:BA:::LHR:JFK+23A::1",
    "SSR+INFT:HK:1:BA:::LHR:JFK:DOE/TOM 01JAN24+::1",
    "SSR+DOCS:HK:1:BA:::LHR:JFK:/P/GBR/987654321/GBR/01JAN24/MI/01JAN29/DOE/TOM+::1",
    "TVL+050324:1800::0600+JFK+LHR+BA+112:Y",
    "SSR+SEAT:HK:1:BA:::JFK:LHR+31C::1",
    "DAT+2:050324:1600",
    "TRI++1:::1",
    "TIF+DOE+JANEMRS:A:1",
    "SSD+032C++++Y",
    "ABI+1+:LHRRR+LON++BA",
    "SAC+++X",
    "TVL+020324:1015::1320+LHR+JFK+BA+117:Y",
]


def message(body: list[str], ref: str = "1", count: int | None = None) -> str:
    segs = [f"UNH+{ref}+PNRGOV:11:1:IA+X{ref}", *body]
    return "'\n".join([*segs, f"UNT+{len(segs) + 1 if count is None else count}+{ref}"]) + "'\n"


def interchange(*messages: str) -> str:
    return (
        f"UNA:+.?*'\nUNB+IATA:1+BA++240301:0900+IC9'\n{''.join(messages)}UNZ+{len(messages)}+IC9'\n"
    )


def read(path: Path, *, strict: bool = True) -> list[ReadResult]:
    return list(PnrgovReader(ZONES, strict_counts=strict).read(path, CONTEXT))


def records(results: Iterable[ReadResult]) -> list[PassengerRecord]:
    return passenger_records(results)


def accounted(path: Path, results: list[ReadResult]) -> None:
    messages_accounted(path, results)


def test_a_booking_with_an_infant_two_legs_seats_and_contacts(tmp_path: Path) -> None:
    path = tmp_path / "pnr.edi"
    path.write_text(interchange(message(HEADER + BOOKING)), encoding="utf-8")
    results = read(path)
    accounted(path, results)
    (parsed,) = results
    assert isinstance(parsed, Parsed)
    assert parsed.warnings == ()
    got = [
        (
            *(r.surname, r.forenames, str(r.dob), r.gender, r.infant, r.document_number),
            *(r.flight_number, r.scheduled_departure.isoformat(), r.seat, r.pnr),
        )
        for r in records(results)
    ]
    assert got == [
        ("DOE", "JANE MARY", "1985-02-14", "female", False, "123456789",
         "117", "2024-03-01T10:15:00+00:00", "23A", "ABC123"),
        ("DOE", "JANE MARY", "1985-02-14", "female", False, "123456789",
         "112", "2024-03-05T18:00:00-05:00", "32C", "ABC123"),
        ("DOE", "TOM", "2024-01-01", "male", True, "987654321",
         "117", "2024-03-01T10:15:00+00:00", None, "ABC123"),
        ("DOE", "TOM", "2024-01-01", "male", True, "987654321",
         "112", "2024-03-05T18:00:00-05:00", None, "ABC123"),
    ]  # fmt: skip
    jane = records(results)[0]
    assert (jane.document_type, jane.document_country, jane.document_expiry) == (
        "P",
        "GBR",
        date(2030, 1, 1),
    )
    # The PNR's ADD is its contact's address, with the phone written in it: not Jane's own.
    pnr_contact = TravelAddress(
        lines=("1 HIGH STREET",), locality="LONDON", postcode="SW1A 1AA", country="GBR"
    )
    assert [(c.phone, c.email, c.address) for c in jane.booking_contacts] == [
        (None, "jane.doe@example.com", None),
        ("+442079460000", None, pnr_contact),
    ]
    assert {(r.addresses, r.crew, r.in_transit, r.message_ref) for r in records(results)} == {
        ((), False, False, "IC9/1")
    }


def test_doca_addresses_are_the_travellers_own(tmp_path: Path) -> None:
    body = [
        *HEADER,
        "SRC",
        "RCI+BA:DOCA12",
        "TIF+DOE+JANEMRS:A:1",
        "SSR+DOCA:HK:1:BA:::::/R/GB/1 HIGH STREET/LONDON//sw1a1aa",
        "TIF+DOE+JOHN:A:2",
        "TIF+DOE+TOM:IN:3",
        "TVL+010324:1015::1320+LHR+JFK+BA+117:Y",
        "SSR+DOCA:HK:1:BA:::LHR:JFK:/D/USA/5 MAIN ST/NEW YORK/NY/10001+::2",
        "SSR+DOCA:HK:1:BA:::LHR:JFK:/R/GBR/1 HIGH STREET/LONDON//SW1A 1AA/I+::1",
        "SSR+DOCA:HK:1:BA:::LHR:JFK:/R/GBR/9 NOWHERE ROAD/LEEDS+::7",
        "SSR+DOCA:HK:1:BA:::LHR:JFK:/R/GBR",
    ]
    path = tmp_path / "doca.edi"
    path.write_text(interchange(message(body)), encoding="utf-8")
    (parsed,) = read(path)
    assert isinstance(parsed, Parsed)
    home = TravelAddress(
        lines=("1 HIGH STREET",),
        locality="LONDON",
        postcode="SW1A 1AA",
        country="GBR",
        purpose=AddressPurpose.RESIDENCE,
    )
    away = TravelAddress(
        lines=("5 MAIN ST",),
        locality="NEW YORK",
        region="NY",
        postcode="10001",
        country="USA",
        purpose=AddressPurpose.DESTINATION,
    )
    got = {(r.forenames, r.infant): r.addresses for r in records([parsed])}
    assert got == {("JANE", False): (home,), ("JOHN", False): (away,), ("TOM", True): (home,)}
    assert parsed.warnings == (
        "SSR at line 18: address 'GBR' not recorded: an address needs at least a line, a "
        "locality or a postcode",
        "SSR at line 17: address matches no traveller: not recorded",
    )


def test_names_from_the_booking_when_no_document_and_an_infant_named_only_in_inft(
    tmp_path: Path,
) -> None:
    body = [
        *HEADER,
        "SRC",
        "RCI+1A:XYZ99",
        "TIF+SMITH+JOHNMR:A:1:1",
        "TIF+SMITH+ISABELLE MRS:A:2",
        "SSR+INFT:HK:1:BA:::LHR:JFK:SMITH/AMY 02FEB24+::1",
        "TVL+++JFK+LHR+BA",  # an open return
        "SSR+SEAT:HK:1:BA:::JFK:LHR+40A::1",
    ]
    path = tmp_path / "inft.edi"
    path.write_text(interchange(message(body)), encoding="utf-8")
    (parsed,) = read(path)
    assert isinstance(parsed, Parsed)
    got = [
        (r.forenames, r.infant, r.dob and str(r.dob), r.flight_number) for r in records([parsed])
    ]
    assert got == [
        ("JOHN", False, None, "117"),
        ("ISABELLE", False, None, "117"),
        ("AMY", True, "2024-02-02", "117"),
    ]
    assert parsed.warnings == (
        "TVL at line 13: no flight date or number (OPEN, ARNK): not a leg",
        "SSR at line 12: infant SMITH/AMY is named only in an SSR INFT",
    )


def test_an_unreadable_email_in_an_add_keeps_its_address(tmp_path: Path) -> None:
    body = [*HEADER, "SRC", "RCI+BA:ADD123", "ADD++E:2 LOW ROAD:YORK:::::NOT AN EMAIL"]
    path = tmp_path / "add.edi"
    path.write_text(interchange(message([*body, "TIF+DOE+JANE:A:1"])), encoding="utf-8")
    (parsed,) = read(path)
    assert isinstance(parsed, Parsed)
    (jane,) = records([parsed])
    assert [(c.email, str(c.address)) for c in jane.booking_contacts] == [
        (None, "2 LOW ROAD, YORK")
    ]
    assert parsed.warnings == (
        "ADD at line 10: e-mail not recorded: email: 'NOT AN EMAIL' is not an e-mail address",
    )


def test_malformed_messages_are_rejected_and_the_next_one_read(tmp_path: Path) -> None:
    good = message(HEADER + BOOKING, "9")
    bad_date = message([*HEADER[:2], "TVL+320324:1015+LHR+JFK+BA+117", *HEADER[3:], *BOOKING], "2")
    bad_docs = message(HEADER + [s.replace("/F/", "/Q/") for s in BOOKING], "3")
    truncated = "UNH+4+PNRGOV:11:1:IA+X4'\nMSG+:22'\n"
    bad_bytes = message([*HEADER, "SRC", "RCI+BA:ABC123", "TIF+M\udcfcLLER+HANS:A:1"], "5")
    bad_count = message(HEADER + BOOKING, "6", count=3)
    no_rci = message([*HEADER, "SRC", "TIF+DOE+JANE:A:1"], "7")
    text = interchange(bad_date, bad_docs, truncated, bad_bytes, bad_count, no_rci, good)
    path = tmp_path / "bad.edi"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    results = read(path)
    accounted(path, results)
    rejects = [(r.row.line, r.reason) for r in results if isinstance(r, Rejected)]
    assert [line for line, _ in rejects] == [3, 29, 55, 57, 66, 92]
    reasons = [reason for _, reason in rejects]
    assert (
        reasons[0]
        == "message 2: TVL at line 6: 320324:1015 is not a date (day is out of range for month)"
    )
    assert reasons[1].startswith(
        "message 3: SSR at line 39: SSR DOCS '/P/GBR/123456789/GBR/14FEB85/Q/"
    )
    assert reasons[2].startswith("message 4 (UNH at line 55) has no UNT trailer: UNH at line 57")
    assert reasons[3].startswith("message 5: segment(s) not readable: line 64: not valid UTF-8")
    assert reasons[4].startswith("UNT says message 6 has 3 segments, but 26 were read")
    assert reasons[5] == "message 7: the PNR at line 97 (SRC) has no RCI locator"
    assert [r.row.line for r in results if isinstance(r, Parsed) and r.records] == [100]
    assert len(records(results)) == 4


@needs_data
def test_gtas_two_pnrs() -> None:
    path = PNRGOV / "2_pnrs_basic.edi"
    strict = read(path)
    accounted(path, strict)
    (rejected,) = strict
    assert isinstance(rejected, Rejected)
    assert rejected.row.line == 3
    assert rejected.reason.startswith("UNT says message 1 has 135 segments, but 134 were read")
    lenient = read(path, strict=False)
    accounted(path, lenient)
    got = [
        (r.pnr, r.surname, r.forenames, r.flight_number, r.departure_airport, r.seat)
        for r in records(lenient)
    ]
    assert got == [
        ("MFN4TI", "SMITHJR", "MRJONATHON ROBERT", "324", "LHR", "15A"),
        ("MFN4TI", "SMITHJR", "MRJONATHON ROBERT", "330", "JFK", "15E"),
        ("MFN4TI", "JONES", "WILLIAMNEVELL", "324", "LHR", "15B"),
        ("MFN4TI", "JONES", "WILLIAMNEVELL", "330", "JFK", "15F"),
        ("23456", "WAYNE", "JOHNALVA", "324", "LHR", "17A"),
        ("23456", "WAYNE", "JOHNALVA", "330", "JFK", "17E"),
        ("23456", "COOPER", "GARYWILLIAM", "324", "LHR", "15A"),  # checked in at 15A
        ("23456", "COOPER", "GARYWILLIAM", "330", "JFK", "17F"),
    ]
    smith = records(lenient)[0]
    assert (str(smith.dob), smith.gender, smith.nationality) == ("1964-07-12", "male", "GBR")
    assert (smith.document_type, smith.document_number, smith.document_expiry) == (
        "P",
        "123456789",
        date(2019, 8, 23),
    )
    assert smith.scheduled_departure.isoformat() == "2010-12-12T09:15:00+00:00"
    assert records(lenient)[1].scheduled_departure.isoformat() == "2010-12-12T22:00:00-05:00"
    # The PNR's contact (ADD, its phone in the free text) and the payer (IFT 43, whose phone
    # has no country code): their addresses are contacts', not the travellers' own.
    assert [(c.name, c.phone, str(c.address)) for c in smith.booking_contacts] == [
        (None, "+441753637285", "45 HIGHSTREET, SLOUGH, BERKSHIRE, SL1AA, GBR"),
        ("TIMOTHY SIMS", None, "2234 MAIN STREET ATLANTA, GA 30067"),
    ]
    assert all(r.addresses == () and r.message_ref == "020A07/1" for r in records(lenient))
    jones = records(lenient)[2]
    assert (jones.document_number, jones.nationality, str(jones.dob)) == (None, "GBR", "1964-07-12")
    wayne = records(lenient)[4]
    assert [str(c.address) for c in wayne.booking_contacts] == [
        "351 LANDSDOWN ROAD, SLOUGH, BERKSHIRE, GBR"
    ]
    (parsed,) = lenient
    assert isinstance(parsed, Parsed)
    assert not any("address" in w for w in parsed.warnings)
    assert any("check-in TRI names WAYNE/JOHN" in w for w in parsed.warnings)


@needs_data
def test_gtas_one_pnr_of_two() -> None:
    path = PNRGOV / "pnr1.txt"
    lenient = read(path, strict=False)
    accounted(path, lenient)
    assert len(records(lenient)) == 4
    assert {r.pnr for r in records(lenient)} == {"MFN4TI"}
    (parsed,) = lenient
    assert isinstance(parsed, Parsed)
    assert "EQN says 2 PNRs, 1 were read" in parsed.warnings
    assert parsed.warnings[0].startswith("UNT says message 1 has 135 segments, but 86 were read")


@needs_data
def test_gtas_infant() -> None:
    path = PNRGOV / "infant.edi"
    (rejected,) = read(path)
    assert isinstance(rejected, Rejected)
    lenient = read(path, strict=False)
    accounted(path, lenient)
    mother, baby = records(lenient)
    assert (mother.surname, mother.forenames, str(mother.dob), mother.infant) == (
        "BELT",
        "ISABELLE RUTH",
        "1978-07-01",
        False,
    )
    assert (mother.document_number, mother.document_expiry, mother.seat) == (
        "509229987",
        date(2022, 11, 12),
        "11D",
    )
    assert (baby.surname, baby.forenames, str(baby.dob), baby.gender, baby.infant) == (
        "BELT",
        "SOPHY OLIVIA",
        "2012-09-20",
        "female",
        True,
    )
    assert (baby.document_number, baby.pnr, baby.flight_number) == ("512731999", "3PGZOV", "602")
    assert baby.scheduled_departure.isoformat() == "2013-05-27T14:30:00+08:00"
    (parsed,) = lenient
    assert isinstance(parsed, Parsed)
    assert "U+2019" in parsed.warnings[0]
