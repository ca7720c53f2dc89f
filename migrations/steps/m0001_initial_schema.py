"""The graph schema as first declared (``schema.graph_schema``): unique keys, range indexes on
nodes and relationships, and full-text indexes on names, addresses and report text.

Listed literally, not computed from the declaration: an applied step never changes, so a later
change to the declaration needs a new step (tests/migrations/test_migration_steps.py fails,
naming what is missing or extra, until one is written).
"""

from __future__ import annotations

from migrations.ops import CreateFullText, CreateIndex, CreateUnique
from migrations.step import Step
from schema.specs import FullTextSpec, IndexSpec, UniqueSpec

STEP = Step(
    version=1,
    name="initial_schema",
    description="unique keys, range indexes, full-text on names, addresses and report text",
    ops=(
        # Unique keys first: on Neo4j a constraint owns its index, and creating it after an
        # equivalent index fails.
        CreateUnique(spec=UniqueSpec(label="Record", property="id")),
        CreateUnique(spec=UniqueSpec(label="Person", property="id")),
        CreateUnique(spec=UniqueSpec(label="Company", property="id")),
        CreateUnique(spec=UniqueSpec(label="Phone", property="id")),
        CreateUnique(spec=UniqueSpec(label="Address", property="id")),
        CreateUnique(spec=UniqueSpec(label="Email", property="id")),
        CreateUnique(spec=UniqueSpec(label="Vehicle", property="id")),
        CreateUnique(spec=UniqueSpec(label="Flight", property="id")),
        CreateUnique(spec=UniqueSpec(label="Airport", property="id")),
        CreateUnique(spec=UniqueSpec(label="Airline", property="id")),
        CreateUnique(spec=UniqueSpec(label="TravelDocument", property="id")),
        CreateUnique(spec=UniqueSpec(label="IntelReport", property="id")),
        CreateUnique(spec=UniqueSpec(label="MissingEpisode", property="id")),
        CreateUnique(spec=UniqueSpec(label="Location", property="id")),
        # Range indexes on nodes.
        CreateIndex(spec=IndexSpec(label="Record", properties=("source",))),
        CreateIndex(spec=IndexSpec(label="Record", properties=("load_batch",))),
        CreateIndex(spec=IndexSpec(label="Record", properties=("raw_hash",))),
        CreateIndex(spec=IndexSpec(label="Record", properties=("kind",))),
        CreateIndex(spec=IndexSpec(label="CallRecord", properties=("started_at",))),
        CreateIndex(spec=IndexSpec(label="IntelReportRecord", properties=("reported_on",))),
        CreateIndex(spec=IndexSpec(label="Person", properties=("surname",))),
        CreateIndex(spec=IndexSpec(label="Person", properties=("dob",))),
        CreateIndex(spec=IndexSpec(label="Company", properties=("number",))),
        CreateIndex(spec=IndexSpec(label="Company", properties=("name",))),
        CreateIndex(spec=IndexSpec(label="Phone", properties=("e164",))),
        CreateIndex(spec=IndexSpec(label="Address", properties=("postcode",))),
        CreateIndex(spec=IndexSpec(label="Email", properties=("address",))),
        CreateIndex(spec=IndexSpec(label="Vehicle", properties=("vrm",))),
        CreateIndex(spec=IndexSpec(label="Flight", properties=("departure_date",))),
        CreateIndex(spec=IndexSpec(label="Flight", properties=("number",))),
        CreateIndex(spec=IndexSpec(label="Airport", properties=("iata",))),
        CreateIndex(spec=IndexSpec(label="Airline", properties=("designator",))),
        CreateIndex(spec=IndexSpec(label="TravelDocument", properties=("number",))),
        CreateIndex(spec=IndexSpec(label="IntelReport", properties=("reported_on",))),
        CreateIndex(spec=IndexSpec(label="IntelReport", properties=("report_ref",))),
        CreateIndex(spec=IndexSpec(label="IntelReport", properties=("csae",))),
        CreateIndex(spec=IndexSpec(label="MissingEpisode", properties=("reported_at",))),
        CreateIndex(spec=IndexSpec(label="Location", properties=("postcode",))),
        # Relationships are upserted by id: an index on it, and on judgement for review queues.
        CreateIndex(spec=IndexSpec(entity="relationship", label="RESOLVES_TO", properties=("id",))),
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="RESOLVES_TO", properties=("judgement",))
        ),
        CreateIndex(spec=IndexSpec(entity="relationship", label="HAS_PHONE", properties=("id",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="HAS_EMAIL", properties=("id",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="LIVES_AT", properties=("id",))),
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="REGISTERED_AT", properties=("id",))
        ),
        CreateIndex(spec=IndexSpec(entity="relationship", label="OFFICER_OF", properties=("id",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="PSC_OF", properties=("id",))),
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="HOLDS_DOCUMENT", properties=("id",))
        ),
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="PASSENGER_ON", properties=("id",))
        ),
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="DEPARTS_FROM", properties=("id",))
        ),
        CreateIndex(spec=IndexSpec(entity="relationship", label="ARRIVES_AT", properties=("id",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="OPERATED_BY", properties=("id",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="CALLED", properties=("id",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="MENTIONS", properties=("id",))),
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="REPORTED_MISSING", properties=("id",))
        ),
        CreateIndex(spec=IndexSpec(entity="relationship", label="FOUND_AT", properties=("id",))),
        # Full-text: names with their aliases, addresses and report text.
        CreateFullText(spec=FullTextSpec(label="Person", properties=("name", "alias_text"))),
        CreateFullText(spec=FullTextSpec(label="Company", properties=("name", "alias_text"))),
        CreateFullText(spec=FullTextSpec(label="Address", properties=("text",))),
        CreateFullText(spec=FullTextSpec(label="IntelReport", properties=("text",))),
        CreateFullText(spec=FullTextSpec(label="Location", properties=("name", "alias_text"))),
    ),
)
