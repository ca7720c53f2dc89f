"""``resolution(entityId)`` and the ``decide`` mutation, as far as the caller may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.store import GraphStore
from schema.grading import Sensitivity
from tests.api.graphql.world import World, build_world
from tests.api.http.helpers import post

RESOLUTION = """
query Why($id: ID!) {
  resolution(entityId: $id) {
    __typename
    ... on Resolution { entity { id name aliases } ruleVersion
                        members { mentionId recordId kind source name dateOfBirth
                                  strongestLink { summary totalWeight
                                                  comparisons { comparison leftValue rightValue
                                                                level weight } } } }
    ... on UserError { message }
    ... on InvalidInput { field }
  }
}
"""

DECIDE = """
mutation Same($a: String!, $b: String!, $j: Judgement!, $why: String!) {
  decide(leftMention: $a, rightMention: $b, judgement: $j, reason: $why) {
    __typename
    ... on Decision { id leftMention rightMention judgement decidedBy reason }
    ... on UserError { message }
    ... on InvalidInput { field }
    ... on Refused { requiredPermission }
  }
}
"""


@pytest.fixture
def world(store: GraphStore) -> World:
    return build_world(store)


def ask(client: TestClient, token: str, query: str, **variables: Any) -> Any:
    answer = post(client, query, token=token, variables=variables).json()
    assert "errors" not in answer, answer
    return next(iter(answer["data"].values()))


def test_members_and_evidence_are_the_visible_ones(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    official = ask(client, token_for("ann", "analyst"), RESOLUTION, id=world.john)
    secret = ask(
        client, token_for("sam", "analyst", clearance=Sensitivity.SECRET), RESOLUTION, id=world.john
    )
    assert official["__typename"] == secret["__typename"] == "Resolution"
    seen = {m["recordId"] for m in official["members"]}
    assert world.official_nominal in seen
    assert world.secret_nominal not in seen
    assert world.secret_nominal in {m["recordId"] for m in secret["members"]}
    assert "Smyth" not in str(official)
    assert any(m["strongestLink"] for m in official["members"])


def test_a_hidden_or_unknown_person_is_null_and_other_kinds_are_invalid(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    viewer_analyst = token_for("ann", "analyst")
    assert ask(client, viewer_analyst, RESOLUTION, id="person_" + "b" * 26) is None
    wrong = ask(client, viewer_analyst, RESOLUTION, id=world.phone_a)
    assert wrong["__typename"] == "InvalidInput"
    assert wrong["field"] == "entityId"
    assert ask(client, token_for("vic", "viewer"), RESOLUTION, id=world.john)["__typename"] == (
        "Refused"
    )


def test_an_investigator_decides_on_visible_mentions_only(
    client: TestClient, token_for: Callable[..., str], world: World, store: GraphStore
) -> None:
    ivy = token_for("ivy", "investigator")
    refused = ask(
        client,
        token_for("ann", "analyst"),
        DECIDE,
        a=world.official_nominal,
        b=world.official_nominal + "x",
        j="SAME",
        why="x",
    )
    assert refused["__typename"] == "Refused"
    hidden = ask(
        client,
        ivy,
        DECIDE,
        a=world.official_nominal,
        b=world.secret_nominal,
        j="DIFFERENT",
        why="not him",
    )
    missing = ask(
        client,
        ivy,
        DECIDE,
        a=world.official_nominal,
        b="rec_person_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        j="DIFFERENT",
        why="not him",
    )
    assert hidden["__typename"] == missing["__typename"] == "InvalidInput"
    assert hidden["message"].replace(world.secret_nominal, "X") == missing["message"].replace(
        "rec_person_aaaaaaaaaaaaaaaaaaaaaaaaaa", "X"
    )
    assert store.read("MATCH (d:MatchDecision) RETURN count(d)").single() == 0
    subscriber = store.read("MATCH (r:PhoneSubscriberRecord) RETURN r.id").single()
    made = ask(
        client,
        ivy,
        DECIDE,
        a=world.official_nominal,
        b=subscriber,
        j="SAME",
        why="same dob and phone",
    )
    assert made["__typename"] == "Decision"
    assert made["decidedBy"] == "ivy"
    assert store.read("MATCH (d:MatchDecision) RETURN d.decided_by").single() == "ivy"


def test_text_that_is_not_a_mention_id_is_invalid_input_naming_the_field(
    client: TestClient, token_for: Callable[..., str], world: World
) -> None:
    ivy = token_for("ivy", "investigator")
    for bad in ("", "x\x00y", "rec_person_a'b", "MATCH (n) DETACH DELETE n"):
        answer = ask(client, ivy, DECIDE, a=bad, b=world.official_nominal, j="SAME", why="x")
        assert answer["__typename"] == "InvalidInput"
        assert answer["field"] == "leftMention"
