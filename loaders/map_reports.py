"""An intelligence report's graph writes (``loaders.entities``): the report, and what its text
mentions.

- ``IntelReport`` (source and report reference), which the record describes (``RESOLVES_TO``,
  rule ``key:report_ref``); its ``csae`` flag follows from the tags.
- For each mention ``extract_mentions`` finds: the keyed entity (``Phone`` by E.164, ``Email``,
  ``Vehicle`` by registration, and for a UK postcode a ``Location`` named by the postcode,
  ``location_type`` "postcode": a postcode is an area holding a dozen or so delivery points, not
  an address, and an ``Address`` keyed on it would pose as one) and a ``MENTIONS`` edge from the
  report with the span, the text there and the extractor. The same entity mentioned twice is one
  entity and two edges (their spans tell them apart).

Mentions are leads found by pattern, not facts the record asserts: they get no ``REFERS_TO``.
The report's named subjects are people, who have no key: entity resolution reads them from the
record. Every entity and edge takes the record's sensitivity; every edge the record's id.
"""

from __future__ import annotations

from typing import Final

from loaders.entities import GraphWrites, described
from loaders.intel_reports import EXTRACTOR_VERSION, Mention, MentionKind, extract_mentions
from schema.edges import Mentions
from schema.entities import Email, Entity, IntelReport, Location, Phone, Vehicle
from schema.grading import Sensitivity
from schema.records import IntelReportRecord

POSTCODE_LOCATION_TYPE: Final = "postcode"
"""``Location.location_type`` of a place known only by its postcode."""


def report_writes(record: IntelReportRecord) -> GraphWrites:
    """What ``record`` adds to the graph besides its own node."""
    report = IntelReport(
        source=record.provenance.source,
        report_ref=record.report_ref,
        reported_on=record.reported_on,
        force=record.force,
        unit=record.unit,
        grading=record.grading,
        tags=record.tags,
        text=record.text,
        sensitivity=record.sensitivity,
    )
    writes = described(record, report, "report_ref")
    seen: set[str] = {report.id}
    for mention in extract_mentions(record.text):
        entity = mentioned_entity(mention, record.sensitivity)
        if entity is None:
            continue
        if entity.id not in seen:
            seen.add(entity.id)
            writes.referenced.append(entity)  # named in its text, not described by it
        writes.edges.append(
            Mentions(
                start=report.id,
                end=entity.id,
                end_label=entity.label,
                span_start=mention.start,
                span_end=mention.end,
                matched_text=record.text[mention.start : mention.end],
                extractor=mention.extractor,
                extractor_version=EXTRACTOR_VERSION,
                record_ids=(record.id,),
                sensitivity=record.sensitivity,
                conditional=record.conditional,
            )
        )
    return writes


def mentioned_entity(mention: Mention, sensitivity: Sensitivity) -> Entity | None:
    """The keyed entity a mention names, or None for a kind this mapping does not take (a
    gazetteer's known entities, which are in the graph already)."""
    match mention.kind:
        case MentionKind.PHONE:
            return Phone(e164=mention.value, sensitivity=sensitivity)
        case MentionKind.EMAIL:
            return Email(address=mention.value, sensitivity=sensitivity)
        case MentionKind.VEHICLE:
            return Vehicle(vrm=mention.value, sensitivity=sensitivity)
        case MentionKind.POSTCODE:
            return Location(
                name=mention.value,
                postcode=mention.value,
                location_type=POSTCODE_LOCATION_TYPE,
                sensitivity=sensitivity,
            )
        case _:
            return None
