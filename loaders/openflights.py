"""OpenFlights reference data: airports and airlines (kinds ``airports`` and ``airlines``), and
the airports' time zones, which passenger readers need to place local departure times.

``airports.dat`` and ``airlines.dat`` are header-less CSV with ``\\N`` for a missing value::

    airports.dat  id, name, city, country (a name), IATA, ICAO, latitude, longitude, altitude
                  (feet), UTC offset (hours), DST rule (E, A, S, O, Z, N, U), tz database name,
                  type, source
    airlines.dat  id, name, alias, IATA, ICAO, callsign, country (a name), active (Y/N)

They are reference data, not source records: they become ``Airport`` and ``Airline`` entities
(``schema.entities``), which ``Parsed.records`` cannot hold, so these readers follow the small
``ReferenceReader`` protocol below (``ReferenceParsed`` carries entities instead of records) and
share ``Rejected`` with the record readers. Every row comes out as one or the other:

- an airport without an IATA code (about a fifth of the file: airfields and heliports) yields no
  entity, with a warning that says so (``Airport`` is keyed by its IATA code);
- an airline yields an ``Airline`` for its IATA designator and one for its ICAO designator. A
  designator several rows share (defunct airlines' codes reused, a cargo arm) goes to the
  active airline first, then to the first row in the file; the others yield no entity for it,
  with a warning naming the row that has it. Choosing needs the whole file, so the airlines
  reader reads it twice (a pass to choose keeps only the designators, never the rows).

Country names are written as ISO 3166 alpha-2 codes through ``countries.dat`` where it is given
(``read_countries``) and a short table of the older names ``airports.dat`` still uses.

Licence: the OpenFlights data is made available under the Open Database License (ODbL) v1.0.
Whoever loads it into a graph that others use must credit it and keep the licence with it: the
constants ``OPENFLIGHTS_LICENCE``, ``OPENFLIGHTS_LICENCE_URL`` and ``OPENFLIGHTS_ATTRIBUTION`` say
how.

What the entities do not hold (``schema.entities`` has no field for it): an airport's ICAO code,
city, position, altitude and time zone; an airline's callsign, country and whether it is active.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import TypeAdapter, ValidationError

from loaders.reading import (
    LoadContext,
    RawRow,
    ReferenceParsed,
    ReferenceResult,
    Rejected,
    iter_csv,
)
from schema.base import AirlineDesignator
from schema.entities import Airline, Airport, Entity

OPENFLIGHTS_LICENCE = "ODbL-1.0"
OPENFLIGHTS_LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
OPENFLIGHTS_ATTRIBUTION = (
    "Airport and airline reference data from OpenFlights (https://openflights.org/data), "
    "made available under the Open Database License (ODbL) v1.0: "
    "https://opendatacommons.org/licenses/odbl/1-0/"
)

NULL = "\\N"

_DESIGNATOR: TypeAdapter[str] = TypeAdapter(AirlineDesignator)

# airports.dat names countries as OpenFlights did when the rows were written; countries.dat has
# since renamed these (or lacks them). ISO 3166 alpha-2.
_OLDER_COUNTRY_NAMES = {
    "Brunei": "BN",
    "Burma": "MM",
    "Cape Verde": "CV",
    "Congo (Brazzaville)": "CG",
    "Congo (Kinshasa)": "CD",
    "East Timor": "TL",
    "Faroe Islands": "FO",
    "Johnston Atoll": "UM",
    "Kyrgyzstan": "KG",
    "Macau": "MO",
    "Micronesia": "FM",
    "Midway Islands": "UM",
    "Saint Helena": "SH",
    "Saint Kitts and Nevis": "KN",
    "Saint Lucia": "LC",
    "Saint Pierre and Miquelon": "PM",
    "Saint Vincent and the Grenadines": "VC",
    "Svalbard": "SJ",
    "Swaziland": "SZ",
    "Virgin Islands": "VI",
    "Wake Island": "UM",
    "Wallis and Futuna": "WF",
    "West Bank": "PS",
}


def _cell(value: str) -> str | None:
    text = value.strip()
    return None if text in ("", NULL) else text


# --- time zones ---------------------------------------------------------------------------------


class ZoneLookup(Protocol):
    """Where a passenger reader learns an airport's time zone."""

    def zone(self, iata: str) -> tzinfo | None: ...


class AirportTimezones:
    """IATA code -> time zone, from ``airports.dat`` (or a mapping of IATA codes to IANA zone
    names, for tests and hand-made reference data).

    An airport whose tz database name is missing but whose DST rule is "N" (no daylight saving)
    gets its fixed UTC offset; one with neither has no zone, and a reader that needs it says so.
    """

    def __init__(self, zones: Mapping[str, str | tzinfo]) -> None:
        self._zones: dict[str, tzinfo] = {}
        for code, zone in zones.items():
            self._zones[code.strip().upper()] = ZoneInfo(zone) if isinstance(zone, str) else zone

    @classmethod
    def from_airports(cls, path: Path) -> AirportTimezones:
        zones: dict[str, str | tzinfo] = {}
        for item in iter_csv(path):
            if isinstance(item, Rejected):
                continue  # the airports reader reports it
            _, fields = item
            if len(fields) < 12:
                continue
            code, offset, dst, name = _cell(fields[4]), fields[9], fields[10], _cell(fields[11])
            if code is None or len(code) != 3 or not code.isalpha():
                continue
            if name is not None:
                try:
                    zones[code] = ZoneInfo(name)
                except (ZoneInfoNotFoundError, ValueError):
                    continue
            elif dst.strip() == "N" and _cell(offset) is not None:
                try:
                    zones[code] = timezone(timedelta(hours=float(offset)))
                except ValueError:
                    continue
        return cls(zones)

    def __len__(self) -> int:
        return len(self._zones)

    def zone(self, iata: str) -> tzinfo | None:
        return self._zones.get(iata.strip().upper())


def localise(zones: ZoneLookup, airport: str, local: datetime) -> tuple[datetime, tuple[str, ...]]:
    """A local clock time at ``airport`` with that airport's offset; raises ``ValueError`` when
    the zone is unknown or the time does not exist there (clocks going forward). A time that
    happened twice (clocks going back) is read as the first, with a warning."""
    zone = zones.zone(airport)
    if zone is None:
        raise ValueError(
            f"no time zone for airport {airport} in the airport reference data (OpenFlights "
            "airports.dat): its local time cannot be placed; add the airport, then reload"
        )
    first = local.replace(tzinfo=zone, fold=0)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != local.replace(tzinfo=None):
        raise ValueError(f"{local.isoformat()} does not exist at {airport} (clocks went forward)")
    if first.utcoffset() != local.replace(tzinfo=zone, fold=1).utcoffset():
        return first, (f"{local.isoformat()} happened twice at {airport}: read as the first",)
    return first, ()


# --- readers ------------------------------------------------------------------------------------


def read_countries(path: Path) -> dict[str, str]:
    """``countries.dat`` (name, ISO 3166 alpha-2, DAFIF code) as name -> alpha-2."""
    out: dict[str, str] = {}
    for item in iter_csv(path):
        if isinstance(item, Rejected):
            continue
        _, fields = item
        if len(fields) >= 2 and (name := _cell(fields[0])) and (code := _cell(fields[1])):
            out.setdefault(name, code.upper())
    return out


def _fields(
    path: Path, widths: tuple[int, ...]
) -> Iterator[tuple[RawRow, list[str | None]] | Rejected]:
    for item in iter_csv(path):
        if isinstance(item, Rejected):
            yield item
            continue
        row, fields = item
        if not any(f.strip() for f in fields):
            continue
        if len(fields) not in widths:
            yield Rejected(row, f"has {len(fields)} fields; OpenFlights rows have {widths}")
            continue
        yield row, [_cell(f) for f in fields]


@dataclass(frozen=True, slots=True)
class AirportsReader:
    """Reads ``airports.dat`` into ``Airport`` entities. ``countries`` maps country names to
    ISO codes (``read_countries``); the older OpenFlights names are known without it."""

    countries: Mapping[str, str] = field(default_factory=dict)
    kind: str = field(default="airports", init=False)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReferenceResult]:
        # Older releases of airports.dat end at the tz database name (12 columns).
        for item in _fields(path, (12, 14)):
            if isinstance(item, Rejected):
                yield item
                continue
            row, fields = item
            name, country_name, code, icao = fields[1], fields[3], fields[4], fields[5]
            if code is None:
                yield ReferenceParsed(
                    row,
                    (),
                    (
                        f"airport {name!r} (ICAO {icao or 'none'}) has no IATA code: no Airport "
                        "entity (airports are keyed by IATA code)",
                    ),
                )
                continue
            warnings: list[str] = []
            country = None
            if country_name is not None:
                country = self.countries.get(country_name) or _OLDER_COUNTRY_NAMES.get(country_name)
                if country is None:
                    warnings.append(f"country {country_name!r} has no ISO code here; left blank")
            try:
                airport = Airport(
                    iata=code, name=name, country=country, sensitivity=context.sensitivity
                )
            except ValidationError as exc:
                yield ReferenceParsed(
                    row, (), (f"IATA code {code!r} is not usable: {_first_error(exc)}",)
                )
                continue
            yield ReferenceParsed(row, (airport,), tuple(warnings))


@dataclass(frozen=True, slots=True)
class AirlinesReader:
    """Reads ``airlines.dat`` into ``Airline`` entities, one per designator (IATA and ICAO)."""

    kind: str = field(default="airlines", init=False)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReferenceResult]:
        owners = _designator_owners(path)
        for item in _fields(path, (8,)):
            if isinstance(item, Rejected):
                yield item
                continue
            row, fields = item
            name, alias = fields[1], fields[2]
            entities: list[Entity] = []
            warnings: list[str] = []
            for label, raw in (("IATA", fields[3]), ("ICAO", fields[4])):
                designator = _designator(label, raw, warnings)
                if designator is None:
                    continue
                owner = owners.get(designator)
                if owner is not None and owner[0] != row.line:
                    warnings.append(
                        f"{label} designator {designator} goes to {owner[1]!r} (line "
                        f"{owner[0]}), which has it too: no Airline for it from this row"
                    )
                    continue
                entities.append(
                    Airline(
                        designator=designator,
                        name=name,
                        aliases=() if alias is None else (alias,),
                        sensitivity=context.sensitivity,
                    )
                )
            if not entities and not warnings:
                warnings.append(f"airline {name!r} has neither an IATA nor an ICAO designator")
            yield ReferenceParsed(row, tuple(entities), tuple(warnings))


def _designator(label: str, raw: str | None, warnings: list[str]) -> str | None:
    if raw is None or raw in ("-", "N/A"):
        return None
    text = raw.strip().upper()
    if (label == "IATA" and len(text) != 2) or (label == "ICAO" and len(text) != 3):
        warnings.append(f"{label} code {raw!r} is not an {label} designator; not used")
        return None
    try:
        return _DESIGNATOR.validate_python(text)
    except ValidationError as exc:
        warnings.append(f"{label} code {raw!r} is not usable: {_first_error(exc)}")
        return None


def _designator_owners(path: Path) -> dict[str, tuple[int, str]]:
    """designator -> (line, name) of the row that has it: active airlines first, then the
    first row in the file."""
    best: dict[str, tuple[bool, int, str]] = {}
    for item in _fields(path, (8,)):
        if isinstance(item, Rejected):
            continue
        row, fields = item
        active = (fields[7] or "").upper() == "Y"
        for label, raw in (("IATA", fields[3]), ("ICAO", fields[4])):
            designator = _designator(label, raw, [])
            if designator is None:
                continue
            seen = best.get(designator)
            if seen is None or (active and not seen[0]):
                best[designator] = (active, row.line, fields[1] or "")
    return {d: (line, name) for d, (_, line, name) in best.items()}


def _first_error(exc: ValidationError) -> str:
    return str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
