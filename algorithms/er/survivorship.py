"""Survivorship: the properties of a person, recomputed from its mentions on every run that
touches it.

- names (forenames, surname, ``name``) from the most authoritative source that names the person:
  police nominal, then Companies House (officer, PSC), then passenger, then phone subscriber,
  then report subject (``SOURCE_PRIORITY``); within a source, the most frequent spelling, then
  the first in order; every other written form of the name is kept in ``aliases``;
- date of birth: the most specific (day, then month, then year), then the most frequent, then
  the most authoritative source's;
- gender: the most frequent known value, ties to the most authoritative source;
- sensitivity: the most restrictive of its records'; the other access properties
  (``schema.access``) over its records as well.

A function of the mentions alone (their order breaks ties), so a full run and an incremental
one give a person with the same mentions the same properties.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Final

from pydantic import ValidationError

from algorithms.er.person_mentions import Mention
from schema.access import Access
from schema.base import Gender, PartialDate
from schema.entities import Person
from schema.errors import ResolutionError
from schema.grading import Sensitivity

SOURCE_PRIORITY: Final[Mapping[str, int]] = {
    "PersonRecord": 0,
    "OfficerAppointmentRecord": 1,
    "PscRecord": 1,
    "PassengerRecord": 2,
    "PhoneSubscriberRecord": 3,
    "IntelReportRecord": 4,
    "MissingEpisodeRecord": 5,
}
"""Survivorship order for names: lower wins (a police nominal is keyed and checked)."""


def _priority(m: Mention) -> int:
    return SOURCE_PRIORITY.get(m.label, len(SOURCE_PRIORITY))


def full_name(m: Mention) -> str | None:
    """The mention's forename and surname as one text, or None when it names nobody."""
    text = " ".join(p for p in (m.forename, m.surname) if p)
    return text or None


def person_properties(entity: str, seed: str, ms: Sequence[Mention], run_id: str) -> dict[str, Any]:
    """The node properties of person ``entity`` from its mentions (module docstring)."""
    named = [m for m in ms if m.surname]
    forenames = surname = None
    name: str | None = None
    if named:
        best = min(_priority(m) for m in named)
        top = [m for m in named if _priority(m) == best]
        spelled = Counter((m.forename, m.surname) for m in top)
        first = {k: i for i, k in reversed(list(enumerate((m.forename, m.surname) for m in top)))}
        forenames, surname = min(spelled, key=lambda k: (-spelled[k], first[k]))
        name = " ".join(p for p in (forenames, surname) if p)
    if name is None:
        refs = sorted({i for m in ms for i in m.identifier})
        name = f"unnamed ({refs[0]})" if refs else "unnamed"
    variants = {v for m in ms if (v := full_name(m)) is not None}
    aliases = tuple(sorted(variants - {name}, key=str.casefold))
    dob = _dob(ms)
    gender = _gender(ms)
    person = Person(
        seed_record_id=seed,
        name=name,
        forenames=forenames,
        surname=surname,
        dob=dob,
        gender=gender,
        aliases=aliases,
        sensitivity=Sensitivity(max((m.sensitivity for m in ms), default=0)),
    )
    if person.id != entity:
        raise ResolutionError(f"person {entity} does not match its seed record {seed}")
    props = person.node_properties()
    props.update(Access.combined(m.access for m in ms).properties())
    props.update(
        record_count=len({m.record_id for m in ms}),
        mention_count=len(ms),
        sources=sorted({m.label for m in ms}),
        resolved_by_run=run_id,
    )
    return {k: v for k, v in props.items() if v is not None and v != []}


_PRECISION: Final = {"day": 0, "month": 1, "year": 2}


def _dob(ms: Sequence[Mention]) -> PartialDate | None:
    seen: list[tuple[PartialDate, int]] = []
    for m in ms:
        if not m.date_of_birth:
            continue
        try:
            seen.append((PartialDate.model_validate(m.date_of_birth), _priority(m)))
        except ValidationError:
            continue  # a source's malformed date is no evidence of the person's
    if not seen:
        return None
    counts = Counter(d for d, _ in seen)
    rank = {d: min(p for e, p in seen if e == d) for d in counts}
    return min(counts, key=lambda d: (_PRECISION[d.precision], -counts[d], rank[d], str(d)))


def _gender(ms: Sequence[Mention]) -> Gender | None:
    seen: list[tuple[Gender, int]] = []
    for m in ms:
        try:
            g = Gender(m.gender) if m.gender else None
        except ValueError:
            g = None
        if g is not None and g is not Gender.UNKNOWN:
            seen.append((g, _priority(m)))
    if not seen:
        return None
    counts = Counter(g for g, _ in seen)
    rank = {g: min(p for e, p in seen if e == g) for g in counts}
    return min(counts, key=lambda g: (-counts[g], rank[g], g.value))
