"""Person relationships derived from the records behind each person.

A record links to the keyed entities it names (``REFERS_TO`` with a role, or ``RESOLVES_TO`` for
a report or missing episode); once its person mentions are resolved, each link gives the person
a relationship (``graph.resolution.DERIVED_TYPES``): a subscriber's number is the person's
phone, an appointment makes them an officer of the company, a report names them as a subject.
Each relationship keeps the records behind it and the most restrictive of their sensitivities.
Whenever a person's records change, its relationships (and any retired person's) are deleted and
written again from its records.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from algorithms.er.person_mentions import Mention
from graph import resolution as q
from graph.records import write_edges
from graph.store import GraphStore
from schema.edges import (
    Edge,
    HasEmail,
    HasPhone,
    HoldsDocument,
    LivesAt,
    OfficerOf,
    PassengerOn,
    PscOf,
    ReportedMissing,
    SubjectOf,
)
from schema.entities import Email, Phone


def write_derived(
    store: GraphStore,
    mentions: Sequence[Mention],
    entity_ids: Sequence[str],
    records: Mapping[str, tuple[str, Mapping[str, Any]]],
    retired: Sequence[str],
) -> None:
    """Delete every derived relationship of the persons ``entity_ids`` (one per mention, which
    must be every mention of those persons) and of ``retired``, then write them again from the
    mentions' records (label and node properties by record id)."""
    entities = sorted(set(entity_ids))
    q.write_ids(store, q.delete_derived(), [*entities, *retired])
    record_ids = sorted({m.record_id for m in mentions})
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in q.read_by_ids(store, q.READ_RECORD_LINKS, record_ids):
        links[str(row["record"])].append(row)

    edges: dict[str, Edge] = {}
    for i, m in enumerate(mentions):
        label, props = records[m.record_id]
        for edge in _derive(entity_ids[i], m, label, props, links[m.record_id]):
            known = edges.get(edge.id)
            if known is not None:
                access = known.access().join(edge.access())
                edge = edge.model_copy(
                    update={
                        "record_ids": tuple(sorted({*known.record_ids, *edge.record_ids})),
                        "sensitivity": max(known.sensitivity, edge.sensitivity),
                        "conditional": access.conditional,
                        "see_any": access.see_any,
                        "see_plain": access.see_plain,
                    }
                )
            edges[edge.id] = edge
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in edges.values():
        groups[(edge.rel_type, edge.end_label)].append(edge.upsert_row())
    for (rel_type, end_label), rows in sorted(groups.items()):
        write_edges(store, rel_type, "Person", end_label, rows)


def _derive(
    person: str,
    m: Mention,
    label: str,
    props: Mapping[str, Any],
    links: Sequence[Mapping[str, Any]],
) -> list[Edge]:
    own_phones = {Phone.entity_id(e164=p) for p in m.phone}
    common = {
        "start": person,
        "start_label": "Person",
        "record_ids": (m.record_id,),
        "sensitivity": int(props.get("sensitivity") or 0),
        "conditional": m.conditional,
    }
    doc = next((str(x["entity"]) for x in links if x["role"] == "document"), None)
    out: list[Edge] = []
    for link_row in links:
        role, end, end_label = link_row["role"], str(link_row["entity"]), link_row["label"]
        ends = {**common, "end": end, "end_label": end_label}
        try:
            edge = _edge(label, role, link_row["type"], ends, props, m, own_phones, doc)
        except ValidationError:
            continue  # a link the source states badly derives nothing rather than stop the run
        if edge is not None:
            out.append(edge)
    return out


def _edge(
    label: str,
    role: str | None,
    link_type: str,
    ends: dict[str, Any],
    props: Mapping[str, Any],
    m: Mention,
    own_phones: set[str],
    doc: str | None,
) -> Edge | None:
    """The person relationship one record link gives, if any."""
    if link_type == "RESOLVES_TO":
        if label == "IntelReportRecord":
            return SubjectOf.model_validate({**ends, "role": m.role})
        if label == "MissingEpisodeRecord":
            return ReportedMissing.model_validate(ends)
        return None
    if role in ("phone", "subscribed_number"):
        return HasPhone.model_validate(ends)
    if role == "email":
        return HasEmail.model_validate(ends)
    if role == "address" and label in ("PersonRecord", "PhoneSubscriberRecord"):
        return LivesAt.model_validate(ends)
    if role == "contact_phone" and ends["end"] in own_phones:
        # A booking contact's number is the traveller's only when the contact is the traveller.
        return HasPhone.model_validate(ends)
    if role == "contact_email" and ends["end"] in {_email_id(e) for e in m.email}:
        return HasEmail.model_validate(ends)
    if role == "appointed_to" and label == "OfficerAppointmentRecord":
        return OfficerOf.model_validate(
            {
                **ends,
                "role": props.get("role"),
                "appointment_type": props.get("appointment_type"),
                "appointed_on": props.get("appointed_on"),
                "resigned_on": props.get("resigned_on"),
            }
        )
    if role == "controlled_company" and label == "PscRecord":
        return PscOf.model_validate(
            {
                **ends,
                "natures_of_control": _as_list(props.get("natures_of_control")),
                "notified_on": props.get("notified_on"),
                "ceased_on": props.get("ceased_on"),
            }
        )
    if role == "flight" and label == "PassengerRecord":
        return PassengerOn.model_validate(
            {
                **ends,
                "seat": props.get("seat"),
                "pnr": props.get("pnr"),
                "infant": bool(props.get("infant")),
                "document_id": doc,
            }
        )
    if role == "document" and label == "PassengerRecord":
        return HoldsDocument.model_validate(ends)
    return None


def _email_id(address: str) -> str:
    return Email.entity_id(address=address)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return list(json.loads(value)) if value.startswith("[") else [value]
    return list(value)
