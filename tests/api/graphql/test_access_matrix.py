"""Roles x clearances x queries: no restricted record, nor its existence, is visible through any
query (issue 5's matrix).

Who may see what is decided here independently of the access properties the store keeps: from
each record's own marking and handling code (``View.sees_record`` on its node properties), and,
for entities, from the links of the records the caller may see. Every answer is then scanned:
every record id and entity id in it must be one the caller may see, and no text that only a
hidden record holds may appear in it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.auth.identity import Caller, Role
from api.graphql.visible import view_of
from graph.store import GraphStore
from schema.grading import Sensitivity
from tests.api.graphql.world import PHONE_B, PHONE_C, World, build_world
from tests.api.http.helpers import post

ROLES = ("viewer", "analyst", "investigator", "supervisor", "auditor", "admin")
CLEARANCES = (Sensitivity.OFFICIAL, Sensitivity.SECRET)

ENTITY = """query Q($id: ID!) { entity(id: $id) { __typename ... on Entity { id kind name aliases
  properties records(first: 50) { edges { node { id kind fields grading marking } } } } } }"""
RESOLUTION = """query Q($id: ID!) { resolution(entityId: $id) { __typename
  ... on Resolution { entity { id name aliases properties }
  members { mentionId recordId name
            strongestLink { summary comparisons { leftValue rightValue } } } }
  ... on UserError { message } } }"""

SEARCH = """query Q($text: String!) { search(text: $text, limit: 50) { __typename
  ... on SearchHits { hits { entity { id kind name aliases properties } matchedField matchedValue
                             reason } } ... on UserError { message } } }"""
SEARCHED = (
    "John Smith",
    "Johnny Smyth",
    "Smyth",
    "Mary Jones",
    "07700 900001",
    "07700 900002",
    "07700 900003",
    "for the group",
    "missing child",
    "1984-03-02",
    "LS1 1AB",
)

EXPAND = """query Q($id: ID!) { expand(ids: [$id], hops: 2, limit: 100) { __typename
  ... on Subgraph { nodes { id kind name aliases properties }
                    relationships { id type start end properties records { id fields } }
                    collapsed { entityId total byKind { kind count } } truncated }
  ... on UserError { message } } }"""
PATHS = """query Q($a: ID!, $b: ID!) { paths(from: $a, to: $b, maxHops: 4, all: true) { __typename
  ... on Paths { length nodes { id name aliases properties }
                 paths { nodeIds relationships { id type start end properties
                                                 records { id fields } } } truncated }
  ... on UserError { message } } }"""

# Text that only hidden records hold: (who may see it, the text).
SECRET_ONLY = ("Smyth", PHONE_B, "for the group")
CONDITIONAL_ONLY = ("Mary Jones", PHONE_C, "missing child")


@pytest.fixture
def world(store: GraphStore) -> World:
    return build_world(store)


def truth(store: GraphStore, role: str, clearance: Sensitivity) -> tuple[set[str], set[str]]:
    """(record ids, entity ids) the caller may see, from the records' own markings."""
    now = datetime.now(UTC)
    view = view_of(
        Caller(
            user="x",
            roles=frozenset({Role(role)}),
            clearance=clearance,
            token_id="t",
            issued_at=now,
            expires_at=now + timedelta(hours=1),
        )
    )
    records = {
        str(r["props"]["id"]): r["props"]
        for r in store.read("MATCH (r:Record) RETURN properties(r) AS props").records()
    }
    visible = {i for i, p in records.items() if view.sees_record(p)}
    linked = store.read(
        "MATCH (r:Record)-[:RESOLVES_TO|REFERS_TO]->(n) RETURN r.id AS r, n.id AS n"
    ).records()
    entities = {str(x["n"]) for x in linked if x["r"] in visible}
    # A visible report's mentions exist through it (MENTIONS carries its record).
    mentioned = store.read(
        "MATCH (:IntelReport)-[m:MENTIONS]->(n) RETURN m.record_ids AS ids, n.id AS n"
    ).records()
    entities |= {str(x["n"]) for x in mentioned if set(x["ids"]) & visible}
    return visible, entities


ID = re.compile(r"\b(rec_[a-z_]+_[a-z2-7]{26}|[a-z]+_[a-z2-7]{26})\b")


def scan(answer: Any, records: set[str], entities: set[str], all_records: set[str]) -> None:
    text = json.dumps(answer)
    for found in ID.findall(text):
        if found in all_records or found.startswith("rec_"):
            assert found in records, f"hidden record {found} in {text[:500]}"
        elif found.split("_", 1)[0] in ("person", "phone", "report", "company", "address", "email"):
            assert found in entities, f"hidden entity {found} in {text[:500]}"


@pytest.mark.parametrize("clearance", CLEARANCES, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_no_query_shows_a_restricted_record_or_its_existence(
    client: TestClient,
    token_for: Callable[..., str],
    world: World,
    store: GraphStore,
    role: str,
    clearance: Sensitivity,
) -> None:
    token = token_for("u", role, clearance=clearance)
    records, entities = truth(store, role, clearance)
    all_records = {str(x) for x in store.read("MATCH (r:Record) RETURN r.id").rows for x in x}
    secret_ok = clearance >= Sensitivity.SECRET
    conditional_ok = role in ("analyst", "investigator", "supervisor")
    forbidden = [*(() if secret_ok else SECRET_ONLY), *(() if conditional_ok else CONDITIONAL_ONLY)]
    everything = [
        world.john,
        world.mary,
        world.phone_a,
        world.phone_b,
        world.phone_c,
        world.report_p,
        world.report_c,
        world.report_s,
    ]
    for text in SEARCHED:
        answer = post(client, SEARCH, token=token, variables={"text": text}).json()
        assert "errors" not in answer, answer
        scan(answer, records, entities, all_records)
        dumped = json.dumps(answer)
        for marker in forbidden:
            assert marker not in dumped, f"{marker!r} leaked to {role}/{clearance.name}: {dumped}"
        result = answer["data"]["search"]
        if result["__typename"] == "SearchHits":
            found = {h["entity"]["id"] for h in result["hits"]}
            assert found <= entities
            # The controls: what may be seen is found.
            if text == "Johnny Smyth" and secret_ok:
                assert world.john in found
            if text == "Mary Jones" and conditional_ok:
                assert world.mary in found
            if text == "07700 900001":
                assert world.phone_a in found
    for a in everything:
        answers = [post(client, EXPAND, token=token, variables={"id": a}).json()]
        answers += [
            post(client, PATHS, token=token, variables={"a": a, "b": b}).json()
            for b in everything
            if b != a
        ]
        for answer in answers:
            assert "errors" not in answer, answer
            scan(answer, records, entities, all_records)
            dumped = json.dumps(answer)
            for marker in forbidden:
                assert marker not in dumped, f"{marker!r} leaked to {role}/{clearance.name}"
            result = next(iter(answer["data"].values()))
            if result["__typename"] == "Subgraph":
                reached = {n["id"] for n in result["nodes"]}
                assert reached <= entities
                if a == world.john:  # the controls: what may be seen is reached
                    assert world.phone_a in reached
                    assert (world.phone_b in reached) == secret_ok
            if result["__typename"] == "Paths":
                for path in result["paths"]:
                    assert set(path["nodeIds"]) <= entities
    for entity_id in everything:
        for query in (ENTITY, RESOLUTION):
            answer = post(client, query, token=token, variables={"id": entity_id}).json()
            assert "errors" not in answer, answer
            scan(answer, records, entities, all_records)
            text = json.dumps(answer)
            for marker in forbidden:
                assert marker not in text, f"{marker!r} leaked to {role}/{clearance.name}: {text}"
            got = answer["data"]
            value = next(iter(got.values()))
            if query is ENTITY and value is not None and value["__typename"] == "Entity":
                assert entity_id in entities
            if query is ENTITY and entity_id not in entities:
                assert value is None or value["__typename"] == "Refused"
