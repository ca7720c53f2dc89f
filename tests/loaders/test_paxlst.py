from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from loaders.openflights import AirportTimezones
from loaders.paxlst import PaxlstReader
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.records import PassengerRecord, TravelAddress
from tests.loaders.support import DATA, messages_accounted, needs_data, passenger_records

APIS = DATA / "gtas" / "apis_paxlst"

CONTEXT = LoadContext(source="api", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))
ZONES = AirportTimezones(
    {
        "LHR": "Europe/London",
        "JFK": "America/New_York",
        "ORD": "America/Chicago",
        "ATL": "America/New_York",
        "FRA": "Europe/Berlin",
        "IAD": "America/New_York",
    }
)

FLIGHT = [
    "BGM+745",
    "NAD+MS+++AIRLINE OPS",
    "COM+0044 20 7946 0000:TE",
    "TDT+20+BA0117+++BA",
    "LOC+125+LHR",
    "DTM+189:2403011015:201",
    "LOC+87+JFK",
    "DTM+232:2403011320:201",
]
JANE = [
    "NAD+FL+++DOE:JANE:MARY+1 HIGH STREET+LONDON++SW1A 1AA+GBR",
    "ATT+2++F",
    "DTM+329:850214",
    "NAT+2+GBR",
    "RFF+AVF:ABC123",
    "RFF+SEA:023A",
    "COM+?+44 20 7946 0000:TE+JANE.DOE@EXAMPLE.COM:EM",
    "DOC+P:110:111+123 456 789",
    "DTM+36:300101",
    "LOC+91+GBR",
    "DOC+V+V998877",
]


def message(body: list[str], ref: str = "M1", count: int | None = None) -> str:
    segs = [f"UNH+{ref}+PAXLST:D:05B:UN:IATA", *body]
    return "'\n".join([*segs, f"UNT+{len(segs) + 1 if count is None else count}+{ref}"]) + "'\n"


def interchange(*messages: str, count: int | None = None) -> str:
    n = len(messages) if count is None else count
    return f"UNB+UNOA:4+AIR1+HOME+240301:0900+IC1'\n{''.join(messages)}UNZ+{n}+IC1'\n"


def read(path: Path, *, strict: bool = True) -> list[ReadResult]:
    return list(PaxlstReader(ZONES, strict_counts=strict).read(path, CONTEXT))


def records(results: Iterable[ReadResult]) -> list[PassengerRecord]:
    return passenger_records(results)


def accounted(path: Path, results: list[ReadResult]) -> None:
    messages_accounted(path, results)


def test_a_passenger_with_documents_contacts_and_seat(tmp_path: Path) -> None:
    path = tmp_path / "one.edi"
    path.write_text(interchange(message([*FLIGHT, *JANE, "CNT+42:1"])), encoding="utf-8")
    results = read(path)
    accounted(path, results)
    (parsed,) = results
    assert isinstance(parsed, Parsed)
    (rec,) = parsed.records
    assert isinstance(rec, PassengerRecord)
    assert (rec.surname, rec.forenames, str(rec.dob), rec.gender) == (
        "DOE",
        "JANE MARY",
        "1985-02-14",
        "female",
    )
    assert (rec.nationality, rec.document_type, rec.document_number) == ("GBR", "P", "123456789")
    assert (rec.document_country, rec.document_expiry) == ("GBR", date(2030, 1, 1))
    assert (rec.carrier, rec.flight_number, rec.departure_airport, rec.arrival_airport) == (
        "BA",
        "117",
        "LHR",
        "JFK",
    )
    assert rec.scheduled_departure == datetime(2024, 3, 1, 10, 15, tzinfo=UTC)
    assert rec.scheduled_departure.utcoffset() == timedelta(0)
    assert (rec.seat, rec.pnr, rec.infant) == ("23A", "ABC123", False)
    assert [(c.phone, c.email) for c in rec.booking_contacts] == [
        ("+442079460000", None),
        (None, "jane.doe@example.com"),
    ]
    assert rec.addresses == (
        TravelAddress(
            lines=("1 HIGH STREET",), locality="LONDON", postcode="SW1A 1AA", country="GBR"
        ),
    )
    assert (rec.crew, rec.in_transit, rec.message_ref) == (False, False, "IC1/M1")
    assert rec.provenance.line == 2
    assert parsed.row.text.startswith("UNH+M1+PAXLST")
    assert parsed.row.text.endswith("CNT+42:1'\nUNT+22+M1'")
    assert parsed.warnings == (
        "DOE/JANE MARY (NAD at line 11): document(s) V V998877 not recorded (one per record)",
    )


def test_malformed_messages_are_rejected_and_the_next_one_read(tmp_path: Path) -> None:
    good = message([*FLIGHT, *JANE, "CNT+42:1"], "GOOD")
    truncated = "UNH+CUT+PAXLST:D:05B:UN:IATA'\nBGM+745'\nTDT+20+BA0117+++BA'\n"
    bad_count = message([*FLIGHT, *JANE, "CNT+42:1"], "COUNT", count=99)
    bad_date = message([*FLIGHT, *[s.replace("850214", "851314") for s in JANE], "CNT+42:1"], "DAY")
    bad_bytes = message([*FLIGHT, "NAD+FL+++M\udcfcLLER:HANS", "CNT+42:1"], "BYTES")
    no_cnt = message([*FLIGHT, *JANE], "NOCNT")
    no_zone = message([*FLIGHT[:4], "LOC+125+XXX", *FLIGHT[5:], *JANE, "CNT+42:1"], "ZONE")
    text = interchange(truncated, bad_count, bad_date, bad_bytes, no_cnt, no_zone, good)
    path = tmp_path / "bad.edi"
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
    results = read(path)
    accounted(path, results)
    rejects = [(r.row.line, r.reason) for r in results if isinstance(r, Rejected)]
    assert [line for line, _ in rejects] == [2, 5, 27, 49, 61, 82]
    reasons = [reason for _, reason in rejects]
    assert reasons[0] == (
        "message CUT (UNH at line 2) has no UNT trailer: UNH at line 5 came first "
        "(a truncated or spliced file)"
    )
    assert reasons[1] == (
        "UNT says message COUNT has 99 segments, but 22 were read from UNH to UNT: segments "
        "were lost or added on the way"
    )
    assert reasons[2] == (
        "message DAY: DTM at line 38: '851314' is not a date in format 101 (%y%m%d)"
    )
    assert reasons[3].startswith("message BYTES: segment(s) not readable: line 58: not valid UTF-8")
    assert reasons[4] == "message NOCNT: mandatory segment(s) CNT missing"
    assert reasons[5].startswith("message ZONE: leg BA0117 (line 86): no time zone for airport XXX")
    (parsed,) = [r for r in results if isinstance(r, Parsed) and r.records]
    assert parsed.row.line == 104
    assert [r.surname for r in records(results)] == ["DOE"]
    # The trailer counts the messages, the broken ones too.
    assert not any(isinstance(r, Parsed) and r.warnings and not r.records for r in results)


def test_lenient_counts_keep_the_message_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "count.edi"
    path.write_text(interchange(message([*FLIGHT, *JANE, "CNT+42:1"], count=5)), encoding="utf-8")
    (parsed,) = read(path, strict=False)
    assert isinstance(parsed, Parsed)
    assert len(parsed.records) == 1
    assert parsed.warnings[0].startswith("UNT says message M1 has 5 segments, but 22 were read")


def test_a_journey_of_two_legs_by_embarkation_and_debarkation(tmp_path: Path) -> None:
    legs = [
        "BGM+745",
        "TDT+20+AA123+++AA",
        "LOC+92+ATL",
        "DTM+189:0702191540:201",
        "LOC+92+ORD",
        "DTM+232:0702191740:201",
        "TDT+20+AA124",
        "LOC+92+ORD",
        "DTM+189:0702191840:201",
        "LOC+92+JFK",
        "DTM+232:0702191955:201",
    ]
    people = [
        "NAD+FL+++CLARK:MICHAEL",
        "LOC+178+ATL",
        "LOC+179+JFK",
        "RFF+SEA:12A",
        "NAD+FL+++CLARK:CHERYL",
        "LOC+178+ORD",
        "LOC+179+JFK",
        "RFF+SEA:14C",
        "NAD+FM+++PILOT:PAT",
        "CNT+42:2",
        "CNT+41:2",
    ]
    path = tmp_path / "legs.edi"
    path.write_text(interchange(message(legs + people)), encoding="utf-8")
    (parsed,) = read(path)
    assert isinstance(parsed, Parsed)
    got = [
        (
            r.forenames,
            r.flight_number,
            r.departure_airport,
            r.scheduled_departure.isoformat(),
            r.seat,
            r.crew,
        )
        for r in records([parsed])
    ]
    assert got == [
        ("MICHAEL", "123", "ATL", "2007-02-19T15:40:00-05:00", None, False),
        ("MICHAEL", "124", "ORD", "2007-02-19T18:40:00-06:00", None, False),
        ("CHERYL", "124", "ORD", "2007-02-19T18:40:00-06:00", "14C", False),
        ("PAT", "123", "ATL", "2007-02-19T15:40:00-05:00", None, True),
        ("PAT", "124", "ORD", "2007-02-19T18:40:00-06:00", None, True),
    ]
    assert parsed.warnings == (
        "CLARK/MICHAEL (NAD at line 14): seat 12A not recorded: the list does not say on which "
        "of 2 legs",
        "CNT says 2 crew, 1 are listed",
    )


def test_crew_and_transit_from_the_party_qualifier_and_the_crew_list(tmp_path: Path) -> None:
    people = [
        "NAD+DDU+++TRANSIT:TOM",
        "NAD+DDT+++TRANSIT:TINA",
        "NAD+FM+++DOE:JANE",
        "NAD+FL+++DOE:JANE",
    ]
    passengers = message([*FLIGHT, *people, "CNT+42:2"], "P")
    crew = ["NAD+ZZZ+++PILOT:PAT", "NAD+FL+++ODD:ONE", "CNT+41:1"]
    crew_list = message(["BGM+250", *FLIGHT[1:], *crew], "C")
    path = tmp_path / "crew.edi"
    path.write_text(interchange(passengers, crew_list), encoding="utf-8")
    results = read(path)
    got = [(r.surname, r.forenames, r.crew, r.in_transit, r.message_ref) for r in records(results)]
    assert got == [
        ("TRANSIT", "TOM", False, True, "IC1/P"),
        ("TRANSIT", "TINA", True, True, "IC1/P"),
        ("DOE", "JANE", True, False, "IC1/P"),
        ("DOE", "JANE", False, False, "IC1/P"),
        ("PILOT", "PAT", True, False, "IC1/C"),
        ("ODD", "ONE", False, False, "IC1/C"),
    ]
    # The same person listed as crew and as a passenger on one flight: two listings.
    jane_crew, jane = records(results)[2:4]
    assert jane_crew.id != jane.id
    assert jane.id == jane.model_copy(update={"in_transit": True, "message_ref": "X/Y"}).id
    (_, parsed) = [r for r in results if isinstance(r, Parsed) and r.records]
    assert parsed.warnings == (
        "ODD/ONE (NAD at line 27): a passenger (NAD+FL) in a crew list (BGM 250)",
    )


def test_an_address_that_is_not_one_costs_the_address_not_the_record(tmp_path: Path) -> None:
    people = [
        "NAD+FL+++DOE:JANE+++++GBR",  # a country alone
        "NAD+FL+++DOE:JOHN+1 HIGH STREET+LONDON++SW1A1AA+GREAT BRITAIN",
        "NAD+FL+++ROE:RAY+5 RUE X:BAT 2+PARIS+:::ILE DE FRANCE+75001+FR",
    ]
    path = tmp_path / "address.edi"
    path.write_text(interchange(message([*FLIGHT, *people, "CNT+42:3"])), encoding="utf-8")
    (parsed,) = read(path)
    assert isinstance(parsed, Parsed)
    jane, john, ray = records([parsed])
    assert (jane.addresses, john.addresses) == ((), ())
    assert ray.addresses == (
        TravelAddress(
            lines=("5 RUE X", "BAT 2"),
            locality="PARIS",
            region="ILE DE FRANCE",
            postcode="75001",
            country="FRA",
        ),
    )
    assert parsed.warnings == (
        "DOE/JANE (NAD at line 11): address 'GBR' not recorded: an address needs at least a "
        "line, a locality or a postcode",
        "DOE/JOHN (NAD at line 12): address '1 HIGH STREET / LONDON / SW1A1AA / GREAT BRITAIN' "
        "not recorded: country: 'GREAT BRITAIN' is not a country code (ISO 3166 alpha-3 or "
        "alpha-2)",
    )


def test_a_message_of_another_type_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "pnr.edi"
    path.write_text("UNH+1+PNRGOV:11:1:IA+X'\nMSG+:22'\nUNT+3+1'\n", encoding="utf-8")
    (rejected,) = read(path)
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "message 1 is PNRGOV, not PAXLST: load it as its own kind"


@needs_data
def test_gtas_passenger_list_of_two_legs() -> None:
    path = APIS / "apisMessage.txt"
    results = read(path)
    accounted(path, results)
    (parsed,) = results
    assert isinstance(parsed, Parsed)
    assert (parsed.row.line, parsed.warnings) == (4, ())
    got = [
        (
            r.surname,
            r.forenames,
            str(r.dob),
            r.gender,
            r.carrier + r.flight_number,
            r.departure_airport,
            r.arrival_airport,
            r.scheduled_departure.isoformat(),
            r.pnr,
        )
        for r in records(results)
    ]
    assert {(r.message_ref, r.crew, r.addresses) for r in records(results)} == {
        ("000006640/PAX001", False, ())
    }
    assert got == [
        ("CLARK", "MICHAEL", "1972-09-07", "male", "AA123", "ATL", "ORD",
         "2007-02-19T15:40:00-05:00", "TYR123"),
        ("CLARK", "MICHAEL", "1972-09-07", "male", "AA124", "ORD", "JFK",
         "2007-02-19T18:40:00-06:00", "TYR123"),
        ("CLARK", "CHERYL", "1973-04-07", "female", "AA124", "ORD", "JFK",
         "2007-02-19T18:40:00-06:00", "TYR123"),
    ]  # fmt: skip
    ids = {r.id for r in records(results)}
    assert len(ids) == 3


@needs_data
def test_gtas_crew_list_with_a_wrong_segment_count() -> None:
    path = APIS / "Test1.txt"
    strict = read(path)
    accounted(path, strict)
    assert [type(r).__name__ for r in strict] == ["Rejected", "Parsed", "Parsed"]
    assert isinstance(strict[0], Rejected)
    assert "UNT says message 1402010600 has 152 segments, but 107 were read" in strict[0].reason
    lenient = read(path, strict=False)
    accounted(path, lenient)
    crew = records(lenient)
    assert len(crew) == 8
    assert [r.surname for r in crew] == [
        "Steur",
        "Adomat",
        "Nalek",
        "Meissener",
        "Pelzing",
        "Merfort",
        "Sautter",
        "Zschieschak",
    ]
    first = crew[0]
    assert (first.forenames, str(first.dob), first.gender, first.nationality) == (
        "Andrea Pat",
        "1978-07-06",
        "female",
        "GBR",
    )
    assert (first.document_type, first.document_number, first.document_country) == (
        "P",
        "123456789",
        "GBR",
    )
    assert first.document_expiry == date(1961, 2, 18)  # "610218": not after 20 years on
    assert (first.carrier, first.flight_number, first.departure_airport) == ("UA", "989", "FRA")
    assert first.scheduled_departure.isoformat() == "2017-01-27T17:25:00+01:00"
    assert all(r.crew and not r.in_transit for r in crew)
    assert {r.message_ref for r in crew} == {"1403010600/1402010600"}
    (parsed,) = [r for r in lenient if isinstance(r, Parsed) and r.records]
    assert not any("crew" in w for w in parsed.warnings)
