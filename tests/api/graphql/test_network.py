"""``expand`` and ``paths`` end to end over HTTP: what each clearance may reach, the arguments
refused, pages, windows, hubs, and the records behind each relationship of a path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph.store import GraphStore
from schema.grading import Sensitivity
from tests.api.http.helpers import post
from tests.graph.test_network import OFFICIAL, SECRET, add_entities, add_record, relate

EXPAND = """
query Expand($ids: [ID!]!, $hops: Int, $types: [String!], $kinds: [String!], $since: Date,
             $until: Date, $limit: Int, $after: String) {
  expand(ids: $ids, hops: $hops, relationshipTypes: $types, nodeKinds: $kinds, since: $since,
         until: $until, limit: $limit, after: $after) {
    __typename
    ... on Subgraph {
      nodes { id kind name }
      relationships { id type start end properties }
      collapsed { entityId total byKind { kind count } }
      pageInfo { hasNextPage endCursor }
      truncated
    }
    ... on UserError { message }
    ... on InvalidInput { field }
    ... on Refused { requiredPermission }
  }
}
"""

PATHS = """
query Paths($from: ID!, $to: ID!, $maxHops: Int, $all: Boolean, $types: [String!]) {
  paths(from: $from, to: $to, maxHops: $maxHops, all: $all, relationshipTypes: $types) {
    __typename
    ... on Paths {
      length truncated
      paths { nodeIds relationships { id type start end records { id source } } }
      nodes { id kind }
    }
    ... on UserError { message }
    ... on InvalidInput { field }
    ... on Refused { requiredPermission }
  }
}
"""

Token = Callable[..., str]


def _ask(
    client: TestClient, token: str, query: str, variables: dict[str, Any], field: str
) -> dict[str, Any]:
    answer = post(client, query, token=token, variables=variables)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"][field]
    return result


def expand(client: TestClient, token: str, **variables: Any) -> dict[str, Any]:
    return _ask(client, token, EXPAND, variables, "expand")


def paths(client: TestClient, token: str, **variables: Any) -> dict[str, Any]:
    return _ask(client, token, PATHS, variables, "paths")


def node_ids(result: dict[str, Any]) -> set[str]:
    return {n["id"] for n in result["nodes"]}


@pytest.fixture
def official(token_for: Token) -> str:
    return token_for("ann", "analyst")


@pytest.fixture
def secret(token_for: Token) -> str:
    return token_for("sam", "analyst", clearance=Sensitivity.SECRET)


# --- access ------------------------------------------------------------------------------------


def test_expand_never_returns_a_node_reached_only_through_a_hidden_relationship(
    client: TestClient, store: GraphStore, official: str, secret: str
) -> None:
    add_entities(store, ["person_a", "phone_1", "phone_2", "person_b"])
    relate(store, "HAS_PHONE", "person_a", "phone_1")
    relate(store, "HAS_PHONE", "person_a", "phone_2", SECRET)
    relate(store, "HAS_PHONE", "person_b", "phone_2")
    seen = expand(client, official, ids=["person_a"], hops=2)
    assert seen["__typename"] == "Subgraph"
    assert node_ids(seen) == {"person_a", "phone_1"}
    assert [r["end"] for r in seen["relationships"]] == ["phone_1"]
    assert node_ids(expand(client, secret, ids=["person_a"], hops=2)) == {
        "person_a",
        "phone_1",
        "phone_2",
        "person_b",
    }


def test_a_path_only_through_a_secret_relationship_answers_as_if_it_did_not_exist(
    client: TestClient, store: GraphStore, official: str, secret: str
) -> None:
    add_entities(store, ["person_a", "person_b", "phone_1"])
    add_record(store, "rec_1")
    add_record(store, "rec_s", sensitivity=2)
    relate(store, "HAS_PHONE", "person_a", "phone_1", record_ids=["rec_1"])
    edge = relate(store, "HAS_PHONE", "person_b", "phone_1", SECRET, record_ids=["rec_s"])
    asked = {"from": "person_a", "to": "person_b"}
    hidden = paths(client, official, **asked)
    assert hidden == {
        "__typename": "Paths",
        "length": None,
        "truncated": False,
        "paths": [],
        "nodes": [],
    }
    found = paths(client, secret, **asked)
    assert found["length"] == 2
    [path] = found["paths"]
    assert path["nodeIds"] == ["person_a", "phone_1", "person_b"]
    assert [r["records"] for r in path["relationships"]] == [
        [{"id": "rec_1", "source": "test"}],
        [{"id": "rec_s", "source": "test"}],
    ]
    store.write("MATCH ()-[r {id: $id}]->() DELETE r", {"id": edge})
    assert paths(client, official, **asked) == hidden


def test_a_path_shows_only_the_records_the_caller_may_see(
    client: TestClient, store: GraphStore, official: str
) -> None:
    add_entities(store, ["person_a", "phone_1"])
    add_record(store, "rec_1")
    add_record(store, "rec_s", sensitivity=2)
    relate(store, "HAS_PHONE", "person_a", "phone_1", record_ids=["rec_1", "rec_s"])
    [path] = paths(client, official, **{"from": "phone_1", "to": "person_a"})["paths"]
    assert path["nodeIds"] == ["phone_1", "person_a"]
    assert path["relationships"][0]["records"] == [{"id": "rec_1", "source": "test"}]


def _hub(store: GraphStore, visible: int, hidden: int) -> None:
    add_entities(store, ["person_a", "address_hub"])
    relate(store, "LIVES_AT", "person_a", "address_hub")
    for access, count, tag in ((OFFICIAL, visible, "v"), (SECRET, hidden, "s")):
        rows = [{"id": f"person_{tag}{i}", **access} for i in range(count)]
        store.write(
            "UNWIND $rows AS row CREATE (p:Person) SET p = row WITH p, row "
            "MATCH (h:Address {id: 'address_hub'}) "
            "CREATE (p)-[r:LIVES_AT]->(h) SET r = row, r.id = 'lives_' + row.id",
            {"rows": rows},
        )


def test_collapse_counts_differ_between_clearances_exactly_by_the_hidden(
    client: TestClient, store: GraphStore, official: str, secret: str
) -> None:
    _hub(store, visible=100, hidden=3)  # the hub's visible degree: person_a and 100 others
    seen = expand(client, official, ids=["person_a"], hops=2)
    assert node_ids(seen) == {"person_a", "address_hub"}
    assert seen["collapsed"] == [
        {"entityId": "address_hub", "total": 101, "byKind": [{"kind": "Person", "count": 101}]}
    ]
    more = expand(client, secret, ids=["person_a"], hops=2)
    assert more["collapsed"][0]["total"] == 104


def test_the_hub_threshold_is_decided_on_what_the_caller_sees(
    client: TestClient, store: GraphStore, official: str, secret: str
) -> None:
    _hub(store, visible=99, hidden=5)  # 100 visible to OFFICIAL (not a hub), 105 to SECRET
    seen = expand(client, official, ids=["person_a"], hops=2)
    assert seen["collapsed"] == []
    assert len(seen["nodes"]) == 101
    assert expand(client, secret, ids=["person_a"], hops=2)["collapsed"][0]["total"] == 105


# --- arguments ---------------------------------------------------------------------------------


def test_hops_above_the_maximum_are_invalid(client: TestClient, official: str) -> None:
    answer = expand(client, official, ids=["person_a"], hops=4, limit=10)
    assert (answer["__typename"], answer["field"]) == ("InvalidInput", "hops")
    assert "from 1 to 3" in answer["message"]


def test_an_unknown_relationship_type_is_invalid_naming_the_known(
    client: TestClient, official: str
) -> None:
    answer = expand(client, official, ids=["person_a"], types=["KNOWS"])
    assert (answer["__typename"], answer["field"]) == ("InvalidInput", "relationshipTypes")
    assert "HAS_PHONE" in answer["message"]
    assert "CALLED" in answer["message"]
    assert "RESOLVES_TO" not in answer["message"]
    routed = paths(client, official, **{"from": "person_a", "to": "person_b", "types": ["X"]})
    assert routed["field"] == "relationshipTypes"


def test_an_unknown_kind_and_a_bad_id_are_invalid(client: TestClient, official: str) -> None:
    kinds = expand(client, official, ids=["person_a"], kinds=["Dog"])
    assert kinds["field"] == "nodeKinds"
    assert "Company" in kinds["message"]
    assert expand(client, official, ids=["nobody"])["field"] == "ids"
    assert paths(client, official, **{"from": "person_a", "to": "x"})["field"] == "to"
    assert paths(client, official, **{"from": "a", "to": "b", "maxHops": 9})["field"] == "from"
    assert (
        paths(client, official, **{"from": "person_a", "to": "person_b", "maxHops": 9})["field"]
        == "maxHops"
    )
    assert expand(client, official, ids=["person_a"], after="nonsense")["field"] == "after"


def test_viewers_may_not_expand(client: TestClient, token_for: Token) -> None:
    viewer = token_for("vic", "viewer")
    assert expand(client, viewer, ids=["person_a"])["requiredPermission"] == "network:expand"
    asked = {"from": "person_a", "to": "person_b"}
    assert paths(client, viewer, **asked)["requiredPermission"] == "network:paths"


# --- pages, windows, paths ---------------------------------------------------------------------


def test_pages_return_every_node_and_relationship_exactly_once(
    client: TestClient, store: GraphStore, official: str
) -> None:
    phones = [f"phone_{i:02d}" for i in range(7)]
    add_entities(store, ["person_a", "person_b", *phones])
    for phone in phones:
        relate(store, "HAS_PHONE", "person_a", phone)
    relate(store, "HAS_PHONE", "person_b", "phone_03")
    whole = expand(client, official, ids=["person_a"], hops=2)
    seen: list[str] = []
    rels: list[str] = []
    after = None
    for _ in range(10):
        page = expand(client, official, ids=["person_a"], hops=2, limit=3, after=after)
        seen.extend(n["id"] for n in page["nodes"])
        rels.extend(r["id"] for r in page["relationships"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [n["id"] for n in whole["nodes"]]
    assert len(seen) == len(set(seen)) == 9
    assert sorted(rels) == sorted(r["id"] for r in whole["relationships"])
    assert len(rels) == 8
    assert seen[0] == "person_a"
    assert seen[-1] == "person_b"


def test_the_time_window_keeps_overlapping_and_undated_relationships(
    client: TestClient, store: GraphStore, official: str
) -> None:
    add_entities(store, ["company_c", "person_old", "person_now", "person_any"])
    relate(
        store,
        "OFFICER_OF",
        "person_old",
        "company_c",
        role="director",
        appointed_on="2001-01-01",
        resigned_on="2005-06-30",
    )
    relate(
        store, "OFFICER_OF", "person_now", "company_c", role="director", appointed_on="2019-02-01"
    )
    relate(store, "OFFICER_OF", "person_any", "company_c", role="secretary")
    recent = expand(client, official, ids=["company_c"], since="2020-01-01", until="2020-12-31")
    assert node_ids(recent) == {"company_c", "person_now", "person_any"}
    old = expand(client, official, ids=["company_c"], until="2005-01-01")
    assert node_ids(old) == {"company_c", "person_old", "person_any"}
    backwards = expand(client, official, ids=["company_c"], since="2021-01-01", until="2020-01-01")
    assert backwards["field"] == "since"


def test_all_shortest_paths(client: TestClient, store: GraphStore, official: str) -> None:
    add_entities(store, ["person_a", "person_b", "phone_1", "phone_2", "address_x"])
    for phone in ("phone_1", "phone_2"):
        relate(store, "HAS_PHONE", "person_a", phone)
        relate(store, "HAS_PHONE", "person_b", phone)
    relate(store, "LIVES_AT", "person_a", "address_x")
    relate(store, "LIVES_AT", "person_b", "address_x")
    asked = {"from": "person_a", "to": "person_b"}
    one = paths(client, official, **asked)
    assert len(one["paths"]) == 1
    assert one["length"] == 2
    every = paths(client, official, **asked, all=True)
    assert sorted(p["nodeIds"][1] for p in every["paths"]) == ["address_x", "phone_1", "phone_2"]
    assert {n["id"] for n in every["nodes"]} == {
        "person_a",
        "person_b",
        "phone_1",
        "phone_2",
        "address_x",
    }
    typed = paths(client, official, **asked, all=True, types=["LIVES_AT"])
    assert [p["nodeIds"] for p in typed["paths"]] == [["person_a", "address_x", "person_b"]]


def test_the_default_queries_pass_the_cost_limit(client: TestClient, official: str) -> None:
    assert expand(client, official, ids=["person_a"])["__typename"] == "Subgraph"
    assert paths(client, official, **{"from": "person_a", "to": "person_b"})["__typename"] == (
        "Paths"
    )


def test_the_cost_scales_with_the_limit_and_the_hops() -> None:
    from graphql import parse

    from api.graphql.cost import query_cost
    from api.graphql.limits import Limits
    from api.graphql.schema import build_schema

    schema = build_schema(Limits())._schema
    query = 'query($h: Int, $n: Int) { expand(ids: ["person_a"], hops: $h, limit: $n) { '
    query += "... on Subgraph { nodes { id } } } }"

    def cost(**variables: int) -> int:
        return query_cost(schema, parse(query), None, variables)

    assert cost() == 1 + 200 * 2
    assert cost(h=3, n=10) == 1 + 3 * 10 * 2
    walk = '{ paths(from: "person_a", to: "person_b") { ... on Paths { length } } }'
    assert query_cost(schema, parse(walk), None, {}) == 1 + 4 * 20 * 1
