"""Expansion and shortest paths (graph.network): the query texts, and what a caller's view lets
them reach on small hand-made graphs in the real store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from graph.entity_reads import label_of
from graph.network import (
    DATE_SPANS,
    RELATIONSHIP_TYPES,
    Expansion,
    PathSearch,
    Step,
    expand,
    neighbour_counts_query,
    neighbours_query,
    shortest_paths,
)
from graph.results import Result
from graph.store import GraphStore
from schema.access import View
from schema.edges import EDGE_TYPES
from schema.grading import Sensitivity

OFFICIAL: Mapping[str, Any] = {"see_any": 0, "see_plain": 0, "sensitivity": 0, "conditional": False}
SECRET: Mapping[str, Any] = {"see_any": 2, "see_plain": 2, "sensitivity": 2, "conditional": False}
CONDITIONAL: Mapping[str, Any] = {
    "see_any": 0,
    "see_plain": 9,
    "sensitivity": 0,
    "conditional": True,
}

OFFICIAL_VIEW = View(Sensitivity.OFFICIAL, conditional=True)
SECRET_VIEW = View(Sensitivity.SECRET, conditional=True)
PLAIN_VIEW = View(Sensitivity.OFFICIAL, conditional=False)


# --- building small graphs (also used by tests/api/graphql/test_network.py) ---------------------


def add_entities(
    store: GraphStore, ids: Sequence[str], access: Mapping[str, Any] = OFFICIAL, **props: Any
) -> None:
    """Entity nodes (their label from the id's prefix) with ``access`` properties."""
    for entity_id in ids:
        label = label_of(entity_id)
        assert label is not None, entity_id
        store.write(
            f"CREATE (n:{label}) SET n = $props",
            {"props": {"id": entity_id, "name": entity_id, **access, **props}},
        )


def add_record(store: GraphStore, record_id: str, sensitivity: int = 0, handling: str = "") -> None:
    access = SECRET if sensitivity == 2 else OFFICIAL
    store.write(
        "CREATE (r:Record:PersonRecord) SET r = $props",
        {
            "props": {
                "id": record_id,
                "source": "test",
                "sensitivity": sensitivity,
                "handling": handling,
                **{k: v for k, v in access.items() if k != "sensitivity"},
            }
        },
    )


def relate(
    store: GraphStore,
    rel_type: str,
    start: str,
    end: str,
    access: Mapping[str, Any] = OFFICIAL,
    record_ids: Sequence[str] = ("rec_1",),
    **props: Any,
) -> str:
    """A relationship ``start -[rel_type]-> end`` with ``access`` properties; its id."""
    rel_id = f"{rel_type.lower()}_{start}_{end}_{len(props)}_{sorted(props.items())!r}"
    store.write(
        f"MATCH (a:{label_of(start)} {{id: $start}}), (b:{label_of(end)} {{id: $end}}) "
        f"CREATE (a)-[r:{rel_type}]->(b) SET r = $props",
        {
            "start": start,
            "end": end,
            "props": {"id": rel_id, "record_ids": list(record_ids), **access, **props},
        },
    )
    return rel_id


def reader(store: GraphStore) -> Any:
    def read(query: str, params: Mapping[str, Any]) -> Result:
        return store.read(query, dict(params))

    return read


def run_expand(store: GraphStore, view: View, seeds: Sequence[str], **kw: Any) -> Expansion:
    options: dict[str, Any] = {"hops": 1, "step": Step(), "budget": 100, "hub_degree": 100}
    options.update(kw)
    return expand(reader(store), view, seeds, **options)


def run_paths(store: GraphStore, view: View, source: str, target: str, **kw: Any) -> PathSearch:
    options: dict[str, Any] = {"max_hops": 4, "step": Step(), "budget": 100, "cap": 20}
    options.update(kw)
    return shortest_paths(reader(store), view, source, target, **options)


def ids(found: Expansion) -> set[str]:
    return {n.id for n in found.nodes}


# --- query texts -----------------------------------------------------------------------------


def test_record_links_are_not_followed() -> None:
    assert "RESOLVES_TO" not in RELATIONSHIP_TYPES
    assert "REFERS_TO" not in RELATIONSHIP_TYPES
    assert {"HAS_PHONE", "CALLED", "OFFICER_OF"} <= set(RELATIONSHIP_TYPES)


def test_date_spans_name_real_properties() -> None:
    fields = {t.rel_type: set(t.model_fields) for t in EDGE_TYPES}
    for rel_type, (start, end) in DATE_SPANS.items():
        assert {start, end} <= fields[rel_type], rel_type


def test_the_hop_query_filters_every_node_and_relationship_it_crosses() -> None:
    text = neighbours_query(("Person", "Phone"), PLAIN_VIEW, Step(types=("HAS_PHONE", "CALLED")))
    assert text == (
        "UNWIND $ids0 AS id MATCH (n:Person {id: id})-[r:HAS_PHONE|CALLED]-(m) "
        "WHERE n.see_plain <= $view_level AND r.see_plain <= $view_level "
        "AND m.see_plain <= $view_level AND NOT m:Record "
        "RETURN 0 AS branch, n.id AS source, r.id AS id, type(r) AS type, "
        "startNode(r).id AS start, endNode(r).id AS end, properties(r) AS props, "
        "labels(m) AS labels, properties(m) AS node LIMIT $budget "
        "UNION ALL "
        "UNWIND $ids1 AS id MATCH (n:Phone {id: id})-[r:HAS_PHONE|CALLED]-(m) "
        "WHERE n.see_plain <= $view_level AND r.see_plain <= $view_level "
        "AND m.see_plain <= $view_level AND NOT m:Record "
        "RETURN 1 AS branch, n.id AS source, r.id AS id, type(r) AS type, "
        "startNode(r).id AS start, endNode(r).id AS end, properties(r) AS props, "
        "labels(m) AS labels, properties(m) AS node LIMIT $budget"
    )


def test_kinds_and_the_window_only_apply_to_what_the_caller_sees_whole() -> None:
    step = Step(types=("LIVES_AT",), kinds=("Address",), since="2020-01-01", until="2020-12-31")
    text = neighbour_counts_query(("Person",), OFFICIAL_VIEW, step)
    assert "AND (m:Address)" in text
    assert "NOT coalesce(r.sensitivity, 0) <= $view_level OR (" in text
    assert "left(coalesce(r.from_date, r.appointed_on, r.notified_on, r.first_seen)" in text
    assert ">= left($since, size(coalesce(r.to_date, r.resigned_on" in text
    assert text.endswith("RETURN n.id AS entity, labels(m) AS labels, count(DISTINCT m) AS count")


def test_a_step_refuses_names_that_are_not_identifiers() -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        Step(types=("HAS_PHONE]-(x) DETACH DELETE x //",))


# --- expansion in the store --------------------------------------------------------------------


def test_expansion_never_reaches_a_node_through_a_hidden_relationship(store: GraphStore) -> None:
    add_entities(store, ["person_a", "phone_1", "phone_2", "address_x"])
    relate(store, "HAS_PHONE", "person_a", "phone_1")
    relate(store, "HAS_PHONE", "person_a", "phone_2", SECRET)
    relate(store, "LIVES_AT", "person_a", "address_x", CONDITIONAL)
    assert ids(run_expand(store, OFFICIAL_VIEW, ["person_a"])) == {
        "person_a",
        "phone_1",
        "address_x",
    }
    assert ids(run_expand(store, PLAIN_VIEW, ["person_a"])) == {"person_a", "phone_1"}
    assert ids(run_expand(store, SECRET_VIEW, ["person_a"])) == {
        "person_a",
        "phone_1",
        "phone_2",
        "address_x",
    }


def test_expansion_does_not_cross_a_hidden_node(store: GraphStore) -> None:
    add_entities(store, ["person_a", "person_c"])
    add_entities(store, ["phone_s"], SECRET)
    relate(store, "HAS_PHONE", "person_a", "phone_s")
    relate(store, "HAS_PHONE", "person_c", "phone_s")
    assert ids(run_expand(store, OFFICIAL_VIEW, ["person_a"], hops=2)) == {"person_a"}
    assert ids(run_expand(store, SECRET_VIEW, ["person_a"], hops=2)) == {
        "person_a",
        "phone_s",
        "person_c",
    }


def test_a_hidden_seed_is_not_found(store: GraphStore) -> None:
    add_entities(store, ["person_s"], SECRET)
    add_entities(store, ["phone_1"])
    relate(store, "HAS_PHONE", "person_s", "phone_1")
    assert run_expand(store, OFFICIAL_VIEW, ["person_s"]).nodes == []


def test_hops_go_as_far_as_asked(store: GraphStore) -> None:
    add_entities(store, ["person_a", "phone_1", "phone_2", "person_b"])
    relate(store, "HAS_PHONE", "person_a", "phone_1")
    relate(store, "CALLED", "phone_1", "phone_2", count=1)
    relate(store, "HAS_PHONE", "person_b", "phone_2")
    hops = {n.id: n.hop for n in run_expand(store, OFFICIAL_VIEW, ["person_a"], hops=3).nodes}
    assert hops == {"person_a": 0, "phone_1": 1, "phone_2": 2, "person_b": 3}
    found = run_expand(store, OFFICIAL_VIEW, ["person_a"], hops=2)
    assert ids(found) == {"person_a", "phone_1", "phone_2"}
    assert len(found.links) == 2
    assert found.queries == 1 + 2 * 2  # the seed, then a hop and a count per hop


def test_types_and_kinds_filter(store: GraphStore) -> None:
    add_entities(store, ["person_a", "phone_1", "address_x"])
    relate(store, "HAS_PHONE", "person_a", "phone_1")
    relate(store, "LIVES_AT", "person_a", "address_x")
    typed = run_expand(store, OFFICIAL_VIEW, ["person_a"], step=Step(types=("LIVES_AT",)))
    assert ids(typed) == {"person_a", "address_x"}
    kinded = run_expand(store, OFFICIAL_VIEW, ["person_a"], step=Step(kinds=("Phone",)))
    assert ids(kinded) == {"person_a", "phone_1"}


def test_the_window_keeps_overlapping_and_undated_relationships(store: GraphStore) -> None:
    add_entities(store, ["person_a", "address_old", "address_now", "address_undated"])
    add_entities(store, ["address_year", "address_hidden_dates"])
    relate(store, "LIVES_AT", "person_a", "address_old", from_date="2010", to_date="2012-05")
    relate(store, "LIVES_AT", "person_a", "address_now", from_date="2019-03-02")
    relate(store, "LIVES_AT", "person_a", "address_undated")
    relate(store, "LIVES_AT", "person_a", "address_year", from_date="2015", to_date="2020")
    partly_secret = {**OFFICIAL, "sensitivity": 2}
    relate(
        store,
        "LIVES_AT",
        "person_a",
        "address_hidden_dates",
        partly_secret,
        from_date="2001",
        to_date="2002",
    )
    step = Step(since="2020-06-01", until="2021-01-01")
    assert ids(run_expand(store, OFFICIAL_VIEW, ["person_a"], step=step)) == {
        "person_a",
        "address_now",
        "address_undated",
        "address_year",
        "address_hidden_dates",  # its dates come from a record the caller may not see
    }
    assert "address_hidden_dates" not in ids(
        run_expand(store, SECRET_VIEW, ["person_a"], step=step)
    )
    early = Step(until="2012-01-01")
    assert ids(run_expand(store, SECRET_VIEW, ["person_a"], step=early)) == {
        "person_a",
        "address_old",
        "address_undated",
        "address_hidden_dates",
    }


def test_calls_are_windowed_on_first_and_last_seen(store: GraphStore) -> None:
    add_entities(store, ["phone_1", "phone_2", "phone_3"])
    relate(
        store,
        "CALLED",
        "phone_1",
        "phone_2",
        first_seen="2021-03-01T10:00:00Z",
        last_seen="2021-03-04T09:00:00Z",
    )
    relate(
        store,
        "CALLED",
        "phone_1",
        "phone_3",
        first_seen="2021-04-01T10:00:00Z",
        last_seen="2021-04-02T10:00:00Z",
    )
    step = Step(since="2021-03-04", until="2021-03-31")
    assert ids(run_expand(store, OFFICIAL_VIEW, ["phone_1"], step=step)) == {"phone_1", "phone_2"}


def test_a_hub_is_kept_not_expanded_and_counted_over_what_the_caller_sees(
    store: GraphStore,
) -> None:
    add_entities(store, ["person_a", "address_hub"])
    residents = [f"person_r{i}" for i in range(6)]
    add_entities(store, residents)
    relate(store, "LIVES_AT", "person_a", "address_hub")
    for i, resident in enumerate(residents):
        relate(store, "LIVES_AT", resident, "address_hub", SECRET if i < 2 else OFFICIAL)
    add_entities(store, ["company_c"])
    relate(store, "REGISTERED_AT", "company_c", "address_hub")

    # Visible degree of the hub: person_a, 4 visible residents, the company = 6 > 5.
    seen = run_expand(store, OFFICIAL_VIEW, ["person_a"], hops=2, hub_degree=5)
    assert ids(seen) == {"person_a", "address_hub"}
    assert seen.collapsed["address_hub"].by_kind == {"Company": 1, "Person": 5}
    secret = run_expand(store, SECRET_VIEW, ["person_a"], hops=2, hub_degree=5)
    assert secret.collapsed["address_hub"].by_kind == {"Company": 1, "Person": 7}
    assert secret.collapsed["address_hub"].total - seen.collapsed["address_hub"].total == 2

    # The decision is taken on the visible degree: 6 for OFFICIAL is no hub at 6.
    open_ = run_expand(store, OFFICIAL_VIEW, ["person_a"], hops=2, hub_degree=6)
    assert open_.collapsed == {}
    assert ids(open_) == {"person_a", "address_hub", "company_c", *residents[2:]}


def test_the_hop_budget_truncates(store: GraphStore) -> None:
    add_entities(store, ["person_a", *[f"phone_{i}" for i in range(8)]])
    for i in range(8):
        relate(store, "HAS_PHONE", "person_a", f"phone_{i}")
    cut = run_expand(store, OFFICIAL_VIEW, ["person_a"], budget=3)
    assert cut.truncated
    assert len(cut.nodes) == 1 + 3
    assert not run_expand(store, OFFICIAL_VIEW, ["person_a"], budget=50).truncated


# --- shortest paths in the store ---------------------------------------------------------------


def _ladder(store: GraphStore) -> None:
    # person_a - phone_1 - person_b, and a longer way round: person_a - address_x - person_c -
    # phone_2 - person_b. A SECRET shortcut person_a - phone_s - person_b via a SECRET edge.
    add_entities(store, ["person_a", "person_b", "person_c", "phone_1", "phone_2", "address_x"])
    add_entities(store, ["phone_s"])
    relate(store, "LIVES_AT", "person_a", "address_x")
    relate(store, "LIVES_AT", "person_c", "address_x")
    relate(store, "HAS_PHONE", "person_c", "phone_2")
    relate(store, "HAS_PHONE", "person_b", "phone_2")


def test_a_path_only_through_a_secret_relationship_does_not_exist_for_official(
    store: GraphStore,
) -> None:
    _ladder(store)
    relate(store, "HAS_PHONE", "person_a", "phone_s")
    relate(store, "HAS_PHONE", "person_b", "phone_s", SECRET)
    official = run_paths(store, OFFICIAL_VIEW, "person_a", "person_b")
    assert [p.node_ids for p in official.paths] == [
        ("person_a", "address_x", "person_c", "phone_2", "person_b")
    ]
    secret = run_paths(store, SECRET_VIEW, "person_a", "person_b")
    assert [p.node_ids for p in secret.paths] == [("person_a", "phone_s", "person_b")]
    # Within 3 hops, OFFICIAL finds nothing at all, and says nothing of the secret way.
    short = run_paths(store, OFFICIAL_VIEW, "person_a", "person_b", max_hops=3)
    assert (short.paths, short.truncated, short.nodes) == ([], False, {})


def test_a_path_through_a_conditional_node_needs_conditional_reading(store: GraphStore) -> None:
    add_entities(store, ["person_a", "person_b"])
    add_entities(store, ["phone_c"], CONDITIONAL)
    relate(store, "HAS_PHONE", "person_a", "phone_c")
    relate(store, "HAS_PHONE", "person_b", "phone_c")
    assert len(run_paths(store, OFFICIAL_VIEW, "person_a", "person_b").paths) == 1
    assert run_paths(store, PLAIN_VIEW, "person_a", "person_b").paths == []


def test_all_shortest_paths_and_their_relationships(store: GraphStore) -> None:
    add_entities(store, ["person_a", "person_b", "phone_1", "phone_2", "address_x"])
    relate(store, "HAS_PHONE", "person_a", "phone_1", record_ids=["rec_a1"])
    relate(store, "HAS_PHONE", "person_b", "phone_1", record_ids=["rec_b1"])
    relate(store, "HAS_PHONE", "person_a", "phone_2")
    relate(store, "HAS_PHONE", "person_b", "phone_2")
    relate(store, "LIVES_AT", "person_a", "address_x")
    found = run_paths(store, OFFICIAL_VIEW, "person_b", "person_a", cap=20)
    assert sorted(p.node_ids for p in found.paths) == [
        ("person_b", "phone_1", "person_a"),
        ("person_b", "phone_2", "person_a"),
    ]
    assert found.length == 2
    first = next(p for p in found.paths if "phone_1" in p.node_ids)
    assert [r.record_ids for r in first.links] == [["rec_b1"], ["rec_a1"]]
    assert [(r.start, r.end) for r in first.links] == [
        ("person_b", "phone_1"),
        ("person_a", "phone_1"),
    ]
    assert set(found.nodes) == {"person_a", "person_b", "phone_1", "phone_2"}
    assert len(run_paths(store, OFFICIAL_VIEW, "person_b", "person_a", cap=1).paths) == 1


def test_paths_of_odd_length_and_to_oneself(store: GraphStore) -> None:
    add_entities(store, ["person_a", "phone_1", "phone_2", "person_b"])
    relate(store, "HAS_PHONE", "person_a", "phone_1")
    relate(store, "CALLED", "phone_2", "phone_1", count=3)
    relate(store, "HAS_PHONE", "person_b", "phone_2")
    found = run_paths(store, OFFICIAL_VIEW, "person_a", "person_b")
    assert [p.node_ids for p in found.paths] == [("person_a", "phone_1", "phone_2", "person_b")]
    assert [r.type for r in found.paths[0].links] == ["HAS_PHONE", "CALLED", "HAS_PHONE"]
    assert run_paths(store, OFFICIAL_VIEW, "person_a", "person_b", max_hops=2).paths == []
    typed = run_paths(store, OFFICIAL_VIEW, "person_a", "person_b", step=Step(types=("CALLED",)))
    assert typed.paths == []
    assert [p.node_ids for p in run_paths(store, OFFICIAL_VIEW, "person_a", "person_a").paths] == [
        ("person_a",)
    ]
