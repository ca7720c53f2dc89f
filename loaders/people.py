"""Nominal records of people (kind ``people``) and missing-person episodes (kind ``missing``).

Both are CSV with a header row, comma-separated unless the column mapping says otherwise
(``loaders.column_mapping``); a header may differ from the names below when a mapping says which
is which. Blank cells are absent values. List cells hold several values separated by "|" or
";". Dates are read as ``loaders.normalise.parse_date`` reads them, by the source's declared
``date_order``; an ambiguous one in a source that declares none is read day-first, with a
warning.

``people``: one row per person, one ``PersonRecord``.

=================  ========  ==================================================================
column             required  value
=================  ========  ==================================================================
nominal_ref        yes       the source's own person number (the record's key)
surname            yes       as written
forenames                    as written; a leading title ("Mr John") moves to ``title`` when
                             ``title`` is blank, with a warning
title
aliases                      list: other names the person is known by
dob                          full or partial date of birth ("1962", "1962-07", "14/07/1962")
gender                       M, F, X, U or the words
nationality
address                      street lines, separated by commas
town
postcode                     a UK postcode is validated and written "SW1A 1AA"; anything else
                             is kept as written, with a warning
phones                       list: phone numbers in any notation, stored as E.164
emails                       list
warning_markers              list: PNC-style warning signals ("VI", "WE", "SH", "DR"...)
flags                        list: the source's other flags ("MISSING_FREQUENT", "CSE_RISK")
=================  ========  ==================================================================

``missing``: one row per episode, one ``MissingEpisodeRecord``.

=================  ========  ==================================================================
column             required  value
=================  ========  ==================================================================
episode_ref        yes       the source's episode number (the record's key)
child_ref          yes       the child's ``nominal_ref`` in the same source's people file
reported_at        yes       date and time reported missing: ISO 8601 with an offset, or a
                             local time in the mapping's declared ``timezone``; or a day alone
                             (below)
found_at                     date and time found, or a day alone (a found time before the
                             report is kept, with a warning: reports are sometimes completed
                             after the return)
where_found                  as the source words it ("friend's flat", "A&E, St Thomas'")
found_address                street lines of the address found at, separated by commas
found_town
found_postcode
=================  ========  ==================================================================

Police exports often give ``reported_at`` or ``found_at`` as a day with no time ("03/04/2020",
"2020-04-03"). Such a value is kept as that day (the record's ``reported_on`` or ``found_on``)
with a warning, and no time of day is assumed: the record's ``reported_at`` stays empty. A
value known only to the month or year is rejected, as it was before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from loaders.column_mapping import Cells, ColumnMapping, Layout, check_mapping, read_table
from loaders.normalise import normalise_uk_postcode, split_title
from loaders.reading import LoadContext, RawRow, ReadResult
from schema.records import MissingEpisodeRecord, PersonRecord

PEOPLE = Layout(
    "people",
    required=("nominal_ref", "surname"),
    optional=(
        "forenames",
        "title",
        "aliases",
        "dob",
        "gender",
        "nationality",
        "address",
        "town",
        "postcode",
        "phones",
        "emails",
        "warning_markers",
        "flags",
    ),
)

MISSING = Layout(
    "missing",
    required=("episode_ref", "child_ref", "reported_at"),
    optional=("found_at", "where_found", "found_address", "found_town", "found_postcode"),
)


def postal_address(cells: Cells, lines: str, town: str, postcode: str) -> dict[str, Any] | None:
    """An address from its cells, or None when all are blank (a ``PostalAddress`` as data, so
    that the record validates it)."""
    text, locality, code = cells.text(lines), cells.text(town), cells.text(postcode)
    if text is None and locality is None and code is None:
        return None
    if code is not None:
        try:
            code = normalise_uk_postcode(code)
        except ValueError:
            cells.warnings.append(f"{postcode}: {code!r} is not a UK postcode; kept as written")
    return {
        "lines": tuple(p.strip() for p in (text or "").split(",")),
        "locality": locality,
        "postcode": code,
    }


def _person(context: LoadContext) -> Callable[[RawRow, Cells], PersonRecord]:
    def build(row: RawRow, cells: Cells) -> PersonRecord:
        title, forenames = cells.text("title"), cells.text("forenames")
        if title is None and forenames is not None:
            title, rest = split_title(forenames)
            if title is not None:
                cells.warnings.append(f"forenames: title {title!r} moved to title")
                forenames = rest or None
        address = postal_address(cells, "address", "town", "postcode")
        return PersonRecord.model_validate(
            {
                "provenance": context.provenance(row),
                "nominal_ref": cells.required("nominal_ref"),
                "surname": cells.required("surname"),
                "forenames": forenames,
                "title": title,
                "aliases": cells.items("aliases"),
                "dob": cells.partial_date("dob"),
                "gender": cells.text("gender"),
                "nationality": cells.text("nationality"),
                "addresses": () if address is None else (address,),
                "phones": cells.phones("phones"),
                "emails": cells.items("emails"),
                "warning_markers": cells.items("warning_markers"),
                "flags": cells.items("flags"),
            }
        )

    return build


_TIME_OF_DAY = re.compile(r":|\dT\d", re.IGNORECASE)
"""What a date and time has and a day alone has not: "21:00", "2020-04-03T21"."""


@dataclass(frozen=True, slots=True)
class _Moment:
    """When a cell says something happened: an instant, or a day with no time of day."""

    at: datetime | None = None
    on: date | None = None

    def day(self, zone: tzinfo | None) -> date | None:
        """The day, in the source's zone where an instant has to be turned into one."""
        if self.at is not None:
            return self.at.astimezone(zone).date() if zone is not None else self.at.date()
        return self.on

    def __str__(self) -> str:
        return self.at.isoformat() if self.at is not None else str(self.on)


def _moment(cells: Cells, name: str, day_field: str) -> _Moment:
    text = cells.text(name)
    if text is None:
        return _Moment()
    if _TIME_OF_DAY.search(text):
        return _Moment(at=cells.datetime(name))
    day = cells.date(name)
    header = cells.mapping.header_for(name)
    label = name if header == name else f"{name} ({header!r})"
    cells.warnings.append(
        f"{label}: {text!r} gives the day but no time: kept as {day_field} {day}, with no time "
        "of day assumed"
    )
    return _Moment(on=day)


def _before(first: _Moment, second: _Moment, zone: tzinfo | None) -> bool:
    if first.at is not None and second.at is not None:
        return first.at < second.at
    # A day against an instant is compared as days, in the source's zone: an hour's
    # difference cannot be told from a day.
    a, b = first.day(zone), second.day(zone)
    return a is not None and b is not None and a < b


def _episode(context: LoadContext) -> Callable[[RawRow, Cells], MissingEpisodeRecord]:
    def build(row: RawRow, cells: Cells) -> MissingEpisodeRecord:
        cells.required("reported_at")
        reported = _moment(cells, "reported_at", "reported_on")
        found = _moment(cells, "found_at", "found_on")
        if _before(found, reported, cells.mapping.zone):
            cells.warnings.append(
                f"found_at ({found}) is before reported_at ({reported}); kept as the source has it"
            )
        found_address = postal_address(cells, "found_address", "found_town", "found_postcode")
        return MissingEpisodeRecord.model_validate(
            {
                "provenance": context.provenance(row),
                "episode_ref": cells.required("episode_ref"),
                "child_ref": cells.required("child_ref"),
                "reported_at": reported.at,
                "reported_on": reported.on,
                "found_at": found.at,
                "found_on": found.on,
                "where_found": cells.text("where_found"),
                "found_address": found_address,
            }
        )

    return build


@dataclass(slots=True)
class PeopleReader:
    """Reads a people CSV (see the module docstring for its layout)."""

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    kind: str = field(default="people", init=False)

    def __post_init__(self) -> None:
        check_mapping(self.mapping, PEOPLE)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        return read_table(path, PEOPLE, self.mapping, _person(context))


@dataclass(slots=True)
class MissingEpisodeReader:
    """Reads a missing-episodes CSV (see the module docstring for its layout)."""

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    kind: str = field(default="missing", init=False)

    def __post_init__(self) -> None:
        check_mapping(self.mapping, MISSING)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        return read_table(path, MISSING, self.mapping, _episode(context))
