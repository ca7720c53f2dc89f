from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from loaders.openflights import (
    OPENFLIGHTS_ATTRIBUTION,
    OPENFLIGHTS_LICENCE,
    AirlinesReader,
    AirportsReader,
    AirportTimezones,
    localise,
    read_countries,
)
from loaders.reading import (
    LoadContext,
    ReferenceParsed,
    ReferenceReader,
    ReferenceResult,
    Rejected,
)
from schema.entities import Airline, Airport
from tests.loaders.support import DATA, needs_data

OPENFLIGHTS = DATA / "openflights"

CONTEXT = LoadContext(
    source="openflights", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
)


def entities(results: list[ReferenceResult]) -> list[Airport | Airline]:
    return [
        e
        for r in results
        if isinstance(r, ReferenceParsed)
        for e in r.entities
        if isinstance(e, Airport | Airline)
    ]


def test_readers_follow_the_reference_protocol() -> None:
    readers: list[ReferenceReader] = [AirportsReader(), AirlinesReader()]
    assert [r.kind for r in readers] == ["airports", "airlines"]
    assert OPENFLIGHTS_LICENCE == "ODbL-1.0"
    assert "OpenFlights" in OPENFLIGHTS_ATTRIBUTION
    assert "Open Database License" in OPENFLIGHTS_ATTRIBUTION


def test_airports_rows(tmp_path: Path) -> None:
    path = tmp_path / "airports.dat"
    path.write_bytes(
        b'507,"London Heathrow Airport","London","United Kingdom","LHR","EGLL",51.4706,-0.461941,'
        b'83,0,"E","Europe/London","airport","OurAirports"\n'
        b'9,"Strip","Nowhere","Burma",\\N,"VY00",0,0,0,6.5,"N",\\N,"airport","OurAirports"\n'
        b'10,"Too short","x"\n'
        b'11,"Bad \xff byte","x","Utopia","ZZZ","ZZZZ",0,0,0,0,"U",\\N,"airport","OurAirports"\n'
        b'12,"Old Yangon","Yangon","Burma","RGN","VYYY",16.9,96.1,109,6.5,"N","Asia/Yangon"\n'
    )
    results = list(AirportsReader({"United Kingdom": "GB"}).read(path, CONTEXT))
    assert [type(r).__name__ for r in results] == [
        "ReferenceParsed",
        "ReferenceParsed",
        "Rejected",
        "Rejected",
        "ReferenceParsed",
    ]
    lhr, strip, short, bad, rgn = results
    assert isinstance(lhr, ReferenceParsed)
    assert lhr.entities == (Airport(iata="LHR", name="London Heathrow Airport", country="GB"),)
    assert isinstance(strip, ReferenceParsed)
    assert strip.entities == ()
    assert "has no IATA code" in strip.warnings[0]
    assert isinstance(short, Rejected)
    assert "has 3 fields" in short.reason
    assert isinstance(bad, Rejected)
    assert "not valid UTF-8" in bad.reason
    assert isinstance(rgn, ReferenceParsed)
    (yangon,) = rgn.entities
    assert isinstance(yangon, Airport)
    assert yangon.country == "MM"  # an older name, known without countries.dat
    zones = AirportTimezones.from_airports(path)
    assert zones.zone("LHR") == ZoneInfo("Europe/London")
    assert zones.zone("RGN") == ZoneInfo("Asia/Yangon")
    assert zones.zone("ZZZ") is None


def test_airlines_share_a_designator_with_the_active_one_first(tmp_path: Path) -> None:
    path = tmp_path / "airlines.dat"
    path.write_text(
        '1,"Private flight",\\N,"-","N/A","","","Y"\n'
        '2,"Old Speedbird",\\N,"BA","","","United Kingdom","N"\n'
        '3,"British Airways",\\N,"BA","BAW","SPEEDBIRD","United Kingdom","Y"\n'
        '4,"Odd",\\N,"??","4SW","","","Y"\n',
        encoding="utf-8",
    )
    results = list(AirlinesReader().read(path, CONTEXT))
    assert [len(r.entities) for r in results if isinstance(r, ReferenceParsed)] == [0, 0, 2, 0]
    private, old, ba, odd = results
    assert isinstance(private, ReferenceParsed)
    assert private.warnings == (
        "airline 'Private flight' has neither an IATA nor an ICAO designator",
    )
    assert isinstance(old, ReferenceParsed)
    assert old.warnings == (
        "IATA designator BA goes to 'British Airways' (line 3), which has it too: no Airline for "
        "it from this row",
    )
    assert isinstance(ba, ReferenceParsed)
    assert [(a.designator, a.name) for a in entities([ba]) if isinstance(a, Airline)] == [
        ("BA", "British Airways"),
        ("BAW", "British Airways"),
    ]
    assert isinstance(odd, ReferenceParsed)
    assert len(odd.warnings) == 2


def test_localise_keeps_the_airports_offset_and_refuses_unknown_airports() -> None:
    zones = AirportTimezones({"LHR": "Europe/London", "XXF": timezone(timedelta(hours=8))})
    when, warnings = localise(zones, "LHR", datetime(2024, 7, 1, 0, 15))
    assert when.isoformat() == "2024-07-01T00:15:00+01:00"
    assert warnings == ()
    assert localise(zones, "xxf", datetime(2024, 7, 1))[0].utcoffset() == timedelta(hours=8)
    _, twice = localise(zones, "LHR", datetime(2024, 10, 27, 1, 30))
    assert "happened twice" in twice[0]
    with pytest.raises(ValueError, match="does not exist"):
        localise(zones, "LHR", datetime(2024, 3, 31, 1, 30))
    with pytest.raises(ValueError, match="no time zone for airport JFK"):
        localise(zones, "JFK", datetime(2024, 7, 1))


@needs_data
def test_openflights_airports() -> None:
    countries = read_countries(OPENFLIGHTS / "countries.dat")
    assert (len(countries), countries["United Kingdom"], countries["Germany"]) == (240, "GB", "DE")
    path = OPENFLIGHTS / "airports.dat"
    results = list(AirportsReader(countries).read(path, CONTEXT))
    # One result per line of the file: every row is accounted for.
    assert len(results) == len(path.read_bytes().splitlines()) == 7698
    assert [r.row.line for r in results] == list(range(1, 7699))
    assert not [r for r in results if isinstance(r, Rejected)]
    airports = entities(results)
    assert len(airports) == 6071
    assert len({a.id for a in airports}) == 6071
    warnings = [w for r in results if isinstance(r, ReferenceParsed) for w in r.warnings]
    assert sum("has no IATA code" in w for w in warnings) == 1626
    assert [w for w in warnings if "has no IATA code" not in w] == [
        "IATA code 'DU9' is not usable: 'DU9' is not an IATA airport code (three letters)"
    ]
    by_code = {a.iata: a for a in airports if isinstance(a, Airport)}
    assert by_code["FRA"] == Airport(iata="FRA", name="Frankfurt am Main Airport", country="DE")
    assert by_code["YVR"].country == "CA"
    zones = AirportTimezones.from_airports(path)
    assert len(zones) == 5675
    assert zones.zone("SIN") == ZoneInfo("Asia/Singapore")
    assert zones.zone("BSO") == timezone(timedelta(hours=8))  # no tz name, no DST: fixed offset


@needs_data
def test_openflights_airlines() -> None:
    path = OPENFLIGHTS / "airlines.dat"
    results = list(AirlinesReader().read(path, CONTEXT))
    assert len(results) == len(path.read_bytes().splitlines()) == 6162
    assert not [r for r in results if isinstance(r, Rejected)]
    airlines = [a for a in entities(results) if isinstance(a, Airline)]
    assert len(airlines) == 6862
    assert len({a.id for a in airlines}) == 6862
    assert sum(1 for r in results if isinstance(r, ReferenceParsed) and not r.entities) == 156
    by_code = {a.designator: a.name for a in airlines}
    assert (by_code["SQ"], by_code["SIA"], by_code["SQC"]) == (
        "Singapore Airlines",
        "Singapore Airlines",
        "Singapore Airlines Cargo",
    )
    assert (by_code["DL"], by_code["DAL"], by_code["UA"]) == (
        "Delta Air Lines",
        "Delta Air Lines",
        "United Airlines",
    )
