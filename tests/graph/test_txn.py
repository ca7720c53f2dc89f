from __future__ import annotations

import pytest

from graph.txn import compose, rename_parameters, returns_rows
from schema.errors import QueryError


def test_parameters_are_renamed_outside_literals_and_comments() -> None:
    query = "MATCH (n {id: $id}) SET n.note = '$id stays', n.q = \"it's $x\" // $c\nSET n.`$w` = $w"
    assert rename_parameters(query, "t1_") == (
        "MATCH (n {id: $t1_id}) SET n.note = '$id stays', n.q = \"it's $x\" // $c\n"
        "SET n.`$w` = $t1_w"
    )


def test_escaped_quotes_do_not_end_a_literal() -> None:
    assert rename_parameters(r"RETURN 'a\'$b' + $c", "p_") == r"RETURN 'a\'$b' + $p_c"


def test_top_level_return_is_detected_but_not_inside_subqueries_or_strings() -> None:
    assert returns_rows("MATCH (n) RETURN n")
    assert returns_rows("match (n) return n")
    assert not returns_rows("CALL { MATCH (n) RETURN n } SET x.y = 1")
    assert not returns_rows("CREATE (:Note {text: 'RETURN to sender'})")
    assert not returns_rows("UNWIND $rows AS row MERGE (n:P {id: row.id})")


def test_compose_chains_statements_with_their_own_parameters() -> None:
    query, params = compose(
        [
            ("UNWIND $rows AS r CREATE (:P {id: r})", {"rows": [1]}),
            ("MATCH (n) SET n.x = $rows", {"rows": 2}),
        ]
    )
    assert query == (
        "UNWIND $t0_rows AS r CREATE (:P {id: r}) WITH count(*) AS _clew_t0 "
        "MATCH (n) SET n.x = $t1_rows WITH count(*) AS _clew_t1 RETURN 0"
    )
    assert params == {"t0_rows": [1], "t1_rows": 2}


def test_compose_refuses_statements_that_return_rows() -> None:
    with pytest.raises(QueryError, match="cannot RETURN"):
        compose([("MATCH (n) RETURN n", {})])
