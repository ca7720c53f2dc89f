"""The search queries' text, and the caller's words made safe for full-text query languages."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.search import (
    MAX_WORDS,
    SYNTAX,
    exact_candidates_query,
    fulltext_candidates_query,
    fulltext_spec,
    words,
)
from schema.access import View
from schema.grading import Sensitivity

OFFICIAL_VIEWER = View(Sensitivity.OFFICIAL, conditional=False)
SECRET_ANALYST = View(Sensitivity.SECRET, conditional=True)


def test_words_keep_letters_and_digits_only() -> None:
    assert words("John O'Brien-Smith") == ["john", "brien", "smith"]
    assert words('@name:(x) -y | "z" ~w %q% *') == ["name"]
    assert words("Zoë Ångström 42") == ["zoë", "ångström", "42"]
    assert words("a b _ __") == []
    assert words("smith SMITH Smith") == ["smith"]
    assert len(words(" ".join(f"w{i}" for i in range(20)))) == MAX_WORDS


def test_falkordb_query_prefix_and_fuzzy_terms() -> None:
    syntax = SYNTAX["falkordb"]
    assert syntax.query("Jon Smyth") == "(jon*)|(smyth*|%smyth%)"
    assert syntax.query("flat 12") == "(flat*|%flat%)|(12*)"
    assert syntax.query("1234") == "(1234*)"
    assert syntax.query("!!! ") is None


def test_neo4j_query_is_lucene() -> None:
    assert SYNTAX["neo4j"].query("Jon Smyth") == "(jon*) OR (smyth* OR smyth~1)"


@given(st.text(max_size=300))
def test_no_operator_of_either_language_survives(text: str) -> None:
    for syntax in SYNTAX.values():
        query = syntax.query(text)
        if query is None:
            continue
        terms = re.split(r"\||\(|\)| OR ", query)
        for term in filter(None, terms):
            assert re.fullmatch(r"%?[^\W_]+(\*|%|~1)?", term), (text, query)


def test_fulltext_query_filters_each_node_for_the_view() -> None:
    text = fulltext_candidates_query(SYNTAX["falkordb"], "Person", OFFICIAL_VIEWER)
    assert text.startswith("CALL db.idx.fulltext.queryNodes('Person', $query) YIELD node, score")
    assert "WHERE n.see_plain <= $view_level AND n.retired_at IS NULL" in text
    assert text.endswith("ORDER BY score DESC LIMIT $limit")
    analyst = fulltext_candidates_query(SYNTAX["neo4j"], "IntelReport", SECRET_ANALYST)
    assert "db.index.fulltext.queryNodes('ft_intelreport', $query)" in analyst
    assert "n.see_any <= $view_level" in analyst


def test_exact_query_is_parameterised_and_filtered() -> None:
    text = exact_candidates_query("Company", "number", OFFICIAL_VIEWER)
    assert text == (
        "MATCH (n:Company) WHERE n.number IN $values AND n.see_plain <= $view_level "
        "AND n.retired_at IS NULL RETURN 'Company' AS label, properties(n) AS props, "
        "1.0 AS score ORDER BY n.id LIMIT $limit"
    )
    with pytest.raises(ValueError, match="plain identifier"):
        exact_candidates_query("Company) DETACH DELETE (n", "number", OFFICIAL_VIEWER)


def test_full_text_specs_come_from_the_schema() -> None:
    assert fulltext_spec("Person").properties == ("name", "alias_text")
    assert fulltext_spec("IntelReport").properties == ("text",)
    with pytest.raises(KeyError):
        fulltext_spec("Phone")
