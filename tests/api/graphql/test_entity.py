"""``entity(id)``: properties, aliases and records as the caller may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.store import GraphStore
from schema.grading import Sensitivity
from tests.api.graphql.world import World, build_world
from tests.api.http.helpers import post

ENTITY = """
query One($id: ID!) {
  entity(id: $id) {
    __typename
    ... on Entity { id kind name aliases properties
                    records(first: 10) { edges { node { id kind source marking grading link role
                                                         fields } }
                                         pageInfo { hasNextPage endCursor } } }
    ... on UserError { message }
    ... on InvalidInput { field }
    ... on Refused { requiredPermission }
  }
}
"""


@pytest.fixture
def world(store: GraphStore) -> World:
    return build_world(store)


def entity(client: TestClient, token: str, entity_id: str) -> Any:
    answer = post(client, ENTITY, token=token, variables={"id": entity_id}).json()
    assert "errors" not in answer, answer
    return answer["data"]["entity"]


def test_a_secret_alias_and_record_are_shown_only_with_the_clearance(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    official = entity(client, token_for("ann", "analyst"), world.john)
    secret = entity(client, token_for("sam", "analyst", clearance=Sensitivity.SECRET), world.john)
    assert official["name"] == secret["name"] == "John Smith"
    assert "Johnny Smyth" in secret["aliases"]
    assert "Johnny Smyth" not in str(official)
    official_records = {e["node"]["id"] for e in official["records"]["edges"]}
    secret_records = {e["node"]["id"] for e in secret["records"]["edges"]}
    assert world.secret_nominal in secret_records - official_records
    assert world.official_nominal in official_records
    assert official["properties"]["record_count"] < secret["properties"]["record_count"]


def test_an_entity_behind_hidden_records_only_is_null_like_one_that_does_not_exist(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    ann = token_for("ann", "analyst")
    assert entity(client, ann, world.phone_b) is None
    assert entity(client, ann, "phone_" + "a" * 26) is None
    sam = token_for("sam", "analyst", clearance=Sensitivity.SECRET)
    assert entity(client, sam, world.phone_b)["properties"]["e164"] == "+447700900002"


def test_conditional_handling_hides_from_viewers_only(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    viewer, analyst = token_for("vic", "viewer"), token_for("ann", "analyst")
    assert entity(client, viewer, world.phone_c) is None
    assert entity(client, viewer, world.report_c) is None
    assert entity(client, viewer, world.mary) is None
    assert entity(client, analyst, world.phone_c)["name"] == "+447700900003"
    assert entity(client, analyst, world.mary)["name"] == "Mary Jones"


def test_a_shared_phone_keeps_its_key_but_not_what_hidden_records_say(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    phone = entity(client, token_for("ann", "analyst"), world.phone_a)
    assert phone["properties"] == {"e164": "+447700900001"}
    kinds = {e["node"]["kind"] for e in phone["records"]["edges"]}
    assert "IntelReportRecord" not in kinds or all(
        e["node"]["marking"] == "OFFICIAL" for e in phone["records"]["edges"]
    )


def test_bad_ids_are_invalid_input_and_auditors_are_refused(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    bad = entity(client, token_for("ann", "analyst"), "not-an-id")
    assert bad["__typename"] == "InvalidInput"
    assert bad["field"] == "id"
    refused = entity(client, token_for("aud", "auditor"), world.john)
    assert refused["__typename"] == "Refused"
    assert refused["requiredPermission"] == "entities:read"


def test_records_page_by_cursor_each_once(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    token = token_for("sam", "analyst", clearance=Sensitivity.SECRET)
    query = """query P($id: ID!, $after: String) { entity(id: $id) { ... on Entity {
      records(first: 1, after: $after) { edges { cursor node { id } }
                                         pageInfo { hasNextPage endCursor } } } } }"""
    seen: list[str] = []
    after = None
    while True:
        answer = post(client, query, token=token, variables={"id": world.john, "after": after})
        page = answer.json()["data"]["entity"]["records"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    everything = entity(client, token, world.john)["records"]["edges"]
    assert seen == [e["node"]["id"] for e in everything]
    assert len(seen) == len(set(seen)) > 1
