from __future__ import annotations

import pytest

from graph import cypher
from graph.dialect import FalkorDialect, Neo4jDialect
from schema.specs import FullTextSpec, IndexSpec, UniqueSpec


def test_upsert_nodes_text() -> None:
    assert cypher.upsert_nodes("Person") == (
        "UNWIND $rows AS row MERGE (n:Person {id: row.id}) SET n += row RETURN count(n) AS written"
    )
    assert cypher.upsert_nodes("Record", ("PersonRecord", "Nominal")) == (
        "UNWIND $rows AS row MERGE (n:Record:PersonRecord:Nominal {id: row.id}) SET n += row "
        "RETURN count(n) AS written"
    )


def test_upsert_edges_text() -> None:
    assert cypher.upsert_edges("CALLED", "Phone", "Phone") == (
        "UNWIND $rows AS row MATCH (a:Phone {id: row.start}) MATCH (b:Phone {id: row.end}) "
        "MERGE (a)-[r:CALLED {id: row.id}]->(b) SET r += coalesce(row.props, {}) "
        "RETURN count(r) AS written"
    )


def test_write_back_never_creates() -> None:
    text = cypher.write_back("Person")
    assert text.startswith("UNWIND $rows AS row MATCH (n:Person {id: row.id})")
    assert "MERGE" not in text
    assert "CREATE" not in text


def test_filters() -> None:
    assert cypher.label_filter("n", ("Person", "Phone")) == "(n:Person OR n:Phone)"
    assert cypher.type_filter("r", ("CALLED",)) == "type(r) IN ['CALLED']"
    assert cypher.delete_everything(500) == (
        "MATCH (n) WITH n LIMIT 500 DETACH DELETE n RETURN count(*) AS deleted"
    )


@pytest.mark.parametrize("bad", ["Person) DETACH DELETE (n", "Per son", "", "1abc", "a`b"])
def test_labels_are_checked_before_splicing(bad: str) -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        cypher.upsert_nodes(bad)
    with pytest.raises(ValueError, match="plain identifier"):
        cypher.upsert_edges(bad, "A", "B")


def test_falkordb_ddl() -> None:
    d = FalkorDialect()
    assert (
        d.create_index(IndexSpec(label="Person", properties=("dob",)))
        == "CREATE INDEX FOR (x:Person) ON (x.dob)"
    )
    assert d.create_index(
        IndexSpec(entity="relationship", label="CALLED", properties=("first_seen",))
    ) == ("CREATE INDEX FOR ()-[x:CALLED]-() ON (x.first_seen)")
    assert (
        d.drop_index(IndexSpec(label="Person", properties=("dob",)))
        == "DROP INDEX FOR (x:Person) ON (x.dob)"
    )
    ft = FullTextSpec(label="Person", properties=("name", "aliases"))
    assert d.create_fulltext(ft) == "CREATE FULLTEXT INDEX FOR (x:Person) ON (x.name, x.aliases)"
    assert d.fulltext_query(ft).startswith("CALL db.idx.fulltext.queryNodes('Person', $query)")
    assert d.internal_id("n") == "id(n)"


def test_neo4j_ddl_is_named_and_idempotent() -> None:
    d = Neo4jDialect()
    assert d.create_index(IndexSpec(label="Person", properties=("dob",))) == (
        "CREATE INDEX idx_person_dob IF NOT EXISTS FOR (x:Person) ON (x.dob)"
    )
    assert d.create_unique(UniqueSpec(label="Person", property="id")) == (
        "CREATE CONSTRAINT uniq_person_id IF NOT EXISTS FOR (x:Person) REQUIRE x.id IS UNIQUE"
    )
    assert d.create_fulltext(FullTextSpec(label="IntelReport", properties=("text",))) == (
        "CREATE FULLTEXT INDEX ft_intelreport IF NOT EXISTS FOR (x:IntelReport) ON EACH [x.text]"
    )
    assert (
        d.drop_unique(UniqueSpec(label="Person", property="id"))
        == "DROP CONSTRAINT uniq_person_id IF EXISTS"
    )
    assert d.internal_id("n") == "elementId(n)"


def test_upsert_records_rewrites_only_changed_rows() -> None:
    assert cypher.upsert_records("PersonRecord") == (
        "UNWIND $rows AS row MERGE (n:Record:PersonRecord {id: row.id}) "
        "ON CREATE SET n += row "
        "WITH n, row WHERE n.raw_hash <> row.raw_hash SET n += row RETURN count(n) AS written"
    )


def test_create_missing_sets_properties_only_on_create() -> None:
    text = cypher.create_missing("Phone")
    assert text.startswith(
        "UNWIND $rows AS row MERGE (n:Phone {id: row.id}) ON CREATE SET n += row "
        "WITH n, row, n.sensitivity AS before SET n.sensitivity = CASE"
    )
    assert "before > row.sensitivity) THEN before ELSE row.sensitivity END" in text


def test_upsert_entities_never_lowers_sensitivity() -> None:
    text = cypher.upsert_entities("Company")
    assert "WITH n, row, n.sensitivity AS before SET n += row SET n.sensitivity = CASE" in text


def test_asserted_edges_union_their_records() -> None:
    text = cypher.upsert_asserted_edges("REGISTERED_AT", "Company", "Address")
    assert "MERGE (a)-[r:REGISTERED_AT {id: row.id}]->(b)" in text
    assert (
        "[x IN coalesce(r.record_ids, []) WHERE NOT x IN row.record_ids] + row.record_ids" in text
    )
