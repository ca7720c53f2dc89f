"""Which reader reads which ``clew load KIND``, and the source name its records carry.

Kinds with a CSV layout of their own take a column mapping (``--mapping FILE``, see
``loaders.column_mapping``); the Companies House formats are fixed by Companies House.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from loaders.ch_companies import CompaniesReader
from loaders.ch_officers import OfficersReader
from loaders.ch_psc import PscReader
from loaders.column_mapping import ColumnMapping, Layout, load_column_mapping
from loaders.intel_reports import REPORTS, IntelReportReader
from loaders.openflights import (
    AirlinesReader,
    AirportsReader,
    AirportTimezones,
    read_countries,
)
from loaders.passengers_csv import PASSENGERS, PassengersReader
from loaders.paxlst import PaxlstReader
from loaders.people import MISSING, PEOPLE, MissingEpisodeReader, PeopleReader
from loaders.phones import CALLS, SUBSCRIBERS, CallReader, SubscriberReader
from loaders.pnrgov import PnrgovReader
from loaders.reading import Reader, ReferenceReader
from schema.errors import ConfigError


@dataclass(frozen=True, slots=True)
class ReaderOptions:
    """What a user may say about a file beyond its kind."""

    mapping: Path | None = None
    undated_at: datetime | None = None
    airports: Path | None = None
    """OpenFlights airports.dat: the time zones that place local departure times."""
    lenient_counts: bool = False
    """EDIFACT: a wrong segment count is a warning, not a rejected message."""
    countries: Path | None = None
    """OpenFlights countries.dat: country names to ISO codes, for airports."""

    def zones(self, kind: str, *, required: bool) -> AirportTimezones | None:
        if self.airports is None:
            if required:
                raise ConfigError(
                    f"{kind} messages give local departure times: name the airports reference "
                    "file (OpenFlights airports.dat) with --airports"
                )
            return None
        return AirportTimezones.from_airports(self.airports)


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    source: str
    description: str
    layout: Layout | None
    build: Callable[[ColumnMapping, ReaderOptions], Reader | ReferenceReader]


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("people", "nominal", "nominal records of people (CSV)", PEOPLE,
             lambda m, o: PeopleReader(mapping=m)),
        Kind("missing", "missing_persons", "missing-person episodes (CSV)", MISSING,
             lambda m, o: MissingEpisodeReader(mapping=m)),
        Kind("companies", "companies_house", "Companies House BasicCompanyData", None,
             lambda m, o: CompaniesReader()),
        Kind("psc", "companies_house", "Companies House PSC snapshot (JSON lines)", None,
             lambda m, o: PscReader()),
        Kind("officers", "companies_house", "Companies House officer appointments", None,
             lambda m, o: OfficersReader()),
        Kind("subscribers", "telecoms", "phone subscriber records (CSV)", SUBSCRIBERS,
             lambda m, o: SubscriberReader(mapping=m)),
        Kind("calls", "telecoms", "call-data records (CSV)", CALLS,
             lambda m, o: CallReader(mapping=m, undated_at=o.undated_at)),
        Kind("reports", "intelligence", "intelligence reports (JSON lines)", REPORTS,
             lambda m, o: IntelReportReader(mapping=m)),
        Kind("passengers", "passenger_lists", "flight passenger listings (CSV)", PASSENGERS,
             lambda m, o: PassengersReader(mapping=m, zones=o.zones("passengers", required=False))),
        Kind("paxlst", "api_paxlst", "UN/EDIFACT PAXLST advance passenger information", None,
             lambda m, o: PaxlstReader(_zones(o, "paxlst"), strict_counts=not o.lenient_counts)),
        Kind("pnrgov", "pnrgov", "IATA PNRGOV passenger name records", None,
             lambda m, o: PnrgovReader(_zones(o, "pnrgov"), strict_counts=not o.lenient_counts)),
        Kind("airports", "openflights", "OpenFlights airports.dat (reference data, ODbL)", None,
             lambda m, o: AirportsReader(read_countries(o.countries) if o.countries else {})),
        Kind("airlines", "openflights", "OpenFlights airlines.dat (reference data, ODbL)", None,
             lambda m, o: AirlinesReader()),
    )
}  # fmt: skip


def _zones(options: ReaderOptions, kind: str) -> AirportTimezones:
    zones = options.zones(kind, required=True)
    assert zones is not None
    return zones


def reader_for(kind: str, options: ReaderOptions) -> Reader | ReferenceReader:
    """The reader for ``kind``, configured; ``ConfigError`` says what is wrong."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ConfigError(f"unknown kind {kind!r}; the kinds are: {', '.join(KINDS)}")
    if spec.layout is None:
        if options.mapping is not None:
            raise ConfigError(f"{kind} files have a fixed format; --mapping does not apply")
        mapping = ColumnMapping()
    elif options.mapping is not None:
        mapping = load_column_mapping(options.mapping, spec.layout)
    else:
        mapping = ColumnMapping()
    return spec.build(mapping, options)
