"""Entity ids to labels, and the per-view query texts."""

from __future__ import annotations

import pytest

from graph.entity_reads import by_label, entities_query, label_of
from schema.access import View
from schema.entities import Phone
from schema.grading import Sensitivity


def test_well_formed_ids_name_their_label() -> None:
    assert label_of(Phone.entity_id(e164="+447700900001")) == "Phone"
    assert label_of("person_" + "a" * 26) == "Person"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "person",
        "person_",
        "person_a-b",
        "nosuchkind_" + "a" * 26,
        "person_" + "a" * 25 + "\x00",
        "person_" + "A" * 26,
        "person_" + "a" * 26 + " ",
        "rec_person_" + "a" * 26,
    ],
)
def test_anything_else_names_none(text: str) -> None:
    assert label_of(text) is None


def test_ids_are_grouped_by_label_once_each_in_order() -> None:
    p1, p2 = "person_" + "a" * 26, "person_" + "b" * 26
    phone = Phone.entity_id(e164="+447700900001")
    assert by_label([p2, phone, p1, p2, "junk"]) == {"Person": [p2, p1], "Phone": [phone]}


def test_queries_filter_on_the_views_floor() -> None:
    viewer = View(Sensitivity.OFFICIAL, conditional=False)
    analyst = View(Sensitivity.SECRET, conditional=True)
    assert "n.see_plain <= $view_level" in entities_query("Person", viewer)
    assert "n.see_any <= $view_level" in entities_query("Person", analyst)
    assert analyst.params() == {"view_level": 2}
