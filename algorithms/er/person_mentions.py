"""Person mentions: the rows of every record that describes a person, as one table to resolve.

A person has no natural key, so Clew resolves the records that describe people into Person
entities. Each record kind describes people in its own words; this module reads each into the
same columns (``algorithms.er.table.ColumnKind``), from the record's node properties (as the
graph holds them, or as ``Record.node_properties()`` gives them before a load):

==============================  ==============================================================
record                          mentions
==============================  ==============================================================
``PersonRecord``                the nominal: names, date of birth, gender, first address,
                                phones, e-mails; identifier ``nominal:<ref>``
``PhoneSubscriberRecord``       the subscriber (when named): full name, date of birth,
                                address; the subscribed number
``OfficerAppointmentRecord``    a natural-person officer: names (the ``MR|KEVIN DAVID|SMITH``
                                parts), partial birth date, address; ``ch_officer:<ref>``
``PscRecord``                   an individual PSC or beneficial owner: names, partial birth
                                date, address
``PassengerRecord``             the traveller: names, date of birth, gender, document
                                ``doc:<country>:<number>``, and a booking contact's phone or
                                e-mail only when the contact is the traveller by name
``IntelReportRecord``           each named subject (``<record id>#subject<i>``): full name,
                                date of birth, ``nominal:<ref>`` when the author gave one
``MissingEpisodeRecord``        the child, by ``nominal:<child ref>`` only
==============================  ==============================================================

Corporate officers and PSCs, statements and super-secure PSCs describe no natural person and
give no mention. A mention's id is its record's id, or the record id and ``#subject<i>`` for a
report's subjects (a report names several people).

``nominal:`` identifiers are the police system's own keys: two mentions that share one are the
same person by the source's word (a missing episode names its child, a report author linked a
nominal), and ``deterministic_links`` returns them as must-links. Other identifiers (officer
numbers, documents) are strong evidence, weighed by the model like any other.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from algorithms.er.table import Column, ColumnKind, RecordTable
from schema.access import Access

PERSON_RECORD_LABELS: Final = (
    "PersonRecord",
    "PhoneSubscriberRecord",
    "OfficerAppointmentRecord",
    "PscRecord",
    "PassengerRecord",
    "IntelReportRecord",
    "MissingEpisodeRecord",
)
"""Record labels whose nodes may describe a person."""

COLUMNS: Final[Mapping[str, ColumnKind]] = {
    "forename": ColumnKind.FORENAME,
    "surname": ColumnKind.SURNAME,
    "date_of_birth": ColumnKind.DATE_OF_BIRTH,
    "gender": ColumnKind.CATEGORICAL,
    "phone": ColumnKind.PHONE,
    "email": ColumnKind.EMAIL,
    "postcode": ColumnKind.POSTCODE,
    "address": ColumnKind.ADDRESS,
    "identifier": ColumnKind.IDENTIFIER,
}

_PSC_PEOPLE: Final = frozenset(
    {"individual-person-with-significant-control", "individual-beneficial-owner"}
)
_MISSING_NAME: Final = frozenset({"", "UNKNOWN", "NOT KNOWN", "N/K", "NK"})


@dataclass(slots=True)
class Mention:
    """One person as one record describes them, before resolution."""

    mention_id: str
    record_id: str
    label: str
    source: str
    forename: str | None = None
    surname: str | None = None
    date_of_birth: str | None = None
    gender: str | None = None
    phone: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    postcode: str | None = None
    address: str | None = None
    identifier: tuple[str, ...] = ()
    role: str | None = None
    """For a report subject: the role the report gives (suspect, victim...)."""
    sensitivity: int = 0
    conditional: bool = False
    """Whether the record's handling code sets conditions on sharing (``schema.access``)."""

    @property
    def access(self) -> Access:
        return Access.one(self.sensitivity, self.conditional)


@dataclass(slots=True)
class MentionTable:
    """Mentions in a fixed order, and the table the matcher reads."""

    mentions: list[Mention] = field(default_factory=list)

    def table(self) -> RecordTable:
        columns = {
            name: Column(kind, [getattr(m, name) or None for m in self.mentions])
            for name, kind in COLUMNS.items()
        }
        return RecordTable(
            ids=[m.mention_id for m in self.mentions],
            columns=columns,
        )


def mentions_of(label: str, props: Mapping[str, Any]) -> list[Mention]:
    """The people a record (its label and node properties) describes; none for most records
    that are not about a natural person."""
    reader = _READERS.get(label)
    return [] if reader is None else reader(props)


def read_mentions(records: Iterable[tuple[str, Mapping[str, Any]]]) -> MentionTable:
    """Every mention of ``records`` (label and node properties), in record order."""
    out = MentionTable()
    for label, props in records:
        out.mentions.extend(mentions_of(label, props))
    return out


def deterministic_links(mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """Pairs of mention indices that share a ``nominal:`` identifier (each chained to the
    first mention with it)."""
    first: dict[str, int] = {}
    links: list[tuple[int, int]] = []
    for i, mention in enumerate(mentions):
        for ident in mention.identifier:
            if not ident.startswith("nominal:"):
                continue
            j = first.setdefault(ident, i)
            if j != i:
                links.append((j, i))
    return links


# -- the readers, one per record kind ---------------------------------------------------------


def _base(props: Mapping[str, Any], label: str, suffix: str = "") -> Mention:
    record_id = str(props["id"])
    return Mention(
        mention_id=record_id + suffix,
        record_id=record_id,
        label=label,
        source=str(props.get("source") or ""),
        sensitivity=int(props.get("sensitivity") or 0),
        conditional=Access.of_props(props).conditional,
    )


def _text(props: Mapping[str, Any], name: str) -> str | None:
    value = props.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _list(value: Any) -> list[Any]:
    """A list property: a list, JSON text of one, or nothing."""
    if value is None:
        return []
    if isinstance(value, str):
        if not value.startswith("["):
            return [value]
        loaded = json.loads(value)
        return loaded if isinstance(loaded, list) else [loaded]
    return list(value)


def _address(value: Any) -> dict[str, Any] | None:
    """The first address of a property holding one address (JSON object) or several (list)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = json.loads(value)
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


def _set_address(mention: Mention, value: Any) -> None:
    address = _address(value)
    if address is None:
        return
    mention.postcode = address.get("postcode") or None
    lines = [str(line) for line in address.get("lines") or ()]
    mention.address = ", ".join(lines) or None


def split_full_name(name: str) -> tuple[str | None, str | None]:
    """Forenames and surname of a name written whole: ``"SMITH, John Paul"`` (surname first,
    as police and telecoms systems write it) or ``"John Paul Smith"`` (surname last)."""
    name = " ".join(name.split())
    if not name or name.upper() in _MISSING_NAME:
        return None, None
    if "," in name:
        surname, _, forenames = name.partition(",")
        return forenames.strip() or None, surname.strip() or None
    parts = name.rsplit(" ", 1)
    if len(parts) == 1:
        return None, parts[0]
    return parts[0], parts[1]


def _person(props: Mapping[str, Any]) -> list[Mention]:
    m = _base(props, "PersonRecord")
    m.forename = _text(props, "forenames")
    m.surname = _text(props, "surname")
    m.date_of_birth = _text(props, "dob")
    m.gender = _text(props, "gender")
    m.phone = tuple(str(p) for p in _list(props.get("phones")))
    m.email = tuple(str(e) for e in _list(props.get("emails")))
    _set_address(m, props.get("addresses"))
    ref = _text(props, "nominal_ref")
    m.identifier = (f"nominal:{ref}",) if ref else ()
    return [m]


def _subscriber(props: Mapping[str, Any]) -> list[Mention]:
    name = _text(props, "subscriber_name")
    if name is None:
        # An unregistered (pay-as-you-go) number names nobody: no mention to resolve.
        return []
    m = _base(props, "PhoneSubscriberRecord")
    m.forename, m.surname = split_full_name(name)
    if m.surname is None:
        return []
    m.date_of_birth = _text(props, "dob")
    number = _text(props, "number")
    m.phone = (number,) if number else ()
    _set_address(m, props.get("address"))
    return [m]


def _officer(props: Mapping[str, Any]) -> list[Mention]:
    if props.get("corporate"):
        return []
    m = _base(props, "OfficerAppointmentRecord")
    m.forename = _text(props, "forenames")
    m.surname = _text(props, "surname")
    m.date_of_birth = _text(props, "birth_date")
    _set_address(m, props.get("address"))
    ref = _text(props, "officer_ref")
    m.identifier = (f"ch_officer:{ref}",) if ref else ()
    return [m]


def _psc(props: Mapping[str, Any]) -> list[Mention]:
    if props.get("psc_kind") not in _PSC_PEOPLE:
        return []
    m = _base(props, "PscRecord")
    m.forename = _text(props, "forenames")
    m.surname = _text(props, "surname")
    if m.surname is None:
        name = _text(props, "name")
        if name is None:
            return []
        m.forename, m.surname = split_full_name(name)
    m.date_of_birth = _text(props, "birth_date")
    _set_address(m, props.get("address"))
    return [m]


def _passenger(props: Mapping[str, Any]) -> list[Mention]:
    m = _base(props, "PassengerRecord")
    m.forename = _text(props, "forenames")
    m.surname = _text(props, "surname")
    m.date_of_birth = _text(props, "dob")
    m.gender = _text(props, "gender")
    number, country = _text(props, "document_number"), _text(props, "document_country")
    if number and country:
        m.identifier = (f"doc:{country}:{number}",)
    own = _name_key(m.forename, m.surname)
    phones: list[str] = []
    emails: list[str] = []
    for contact in _list(props.get("booking_contacts")):
        if not isinstance(contact, dict):
            continue
        # A booking's contact is often the person who booked for a family or a group: their
        # phone is evidence about the traveller only when the contact is the traveller.
        forename, surname = split_full_name(str(contact.get("name") or ""))
        if _name_key(forename, surname) != own:
            continue
        if contact.get("phone"):
            phones.append(str(contact["phone"]))
        if contact.get("email"):
            emails.append(str(contact["email"]))
    m.phone, m.email = tuple(phones), tuple(emails)
    return [m]


def _name_key(forename: str | None, surname: str | None) -> str:
    return " ".join(f"{forename or ''} {surname or ''}".casefold().split())


def _report(props: Mapping[str, Any]) -> list[Mention]:
    out = []
    for i, subject in enumerate(_list(props.get("subjects"))):
        if not isinstance(subject, dict) or not subject.get("name"):
            continue
        m = _base(props, "IntelReportRecord", f"#subject{i}")
        m.forename, m.surname = split_full_name(str(subject["name"]))
        if m.surname is None:
            continue
        m.date_of_birth = subject.get("dob") or None
        m.role = subject.get("role") or None
        ref = subject.get("nominal_ref")
        m.identifier = (f"nominal:{ref}",) if ref else ()
        out.append(m)
    return out


def _missing(props: Mapping[str, Any]) -> list[Mention]:
    ref = _text(props, "child_ref")
    if ref is None:
        return []
    m = _base(props, "MissingEpisodeRecord")
    m.identifier = (f"nominal:{ref}",)
    return [m]


_READERS: Final = {
    "PersonRecord": _person,
    "PhoneSubscriberRecord": _subscriber,
    "OfficerAppointmentRecord": _officer,
    "PscRecord": _psc,
    "PassengerRecord": _passenger,
    "IntelReportRecord": _report,
    "MissingEpisodeRecord": _missing,
}


def by_record(mentions: Sequence[Mention]) -> dict[str, list[int]]:
    """Mention indices by record id."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, mention in enumerate(mentions):
        out[mention.record_id].append(i)
    return dict(out)
