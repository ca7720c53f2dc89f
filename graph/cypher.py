"""Cypher text that is the same on every engine, as pure builders.

Every statement is parameterised; batch writes are one ``UNWIND $rows`` each. Labels and
relationship types cannot be parameters in Cypher, so each builder checks them as plain
identifiers before splicing them in. Each builder has a test on its text
(tests/graph/test_cypher.py).
"""

from __future__ import annotations

from schema.specs import check_identifier


def _labels(label: str, extra: tuple[str, ...] = ()) -> str:
    return "".join(f":{check_identifier(x)}" for x in (label, *extra))


def upsert_nodes(label: str, extra_labels: tuple[str, ...] = ()) -> str:
    """MERGE each row's node on ``id``; ``SET n += row`` sets the rest (None removes).

    Extra labels are part of the MERGE pattern rather than SET afterwards: on FalkorDB 4.16 a
    label SET on each merged node makes every batch slower than the one before (0.5 s growing to
    1.4 s per 5,000 rows, against a flat 0.06 s; bench/RESULTS.md). A node's labels never change
    under its id in Clew (ids are prefixed by kind).
    """
    return (
        f"UNWIND $rows AS row MERGE (n{_labels(label, extra_labels)} {{id: row.id}}) "
        f"SET n += row RETURN count(n) AS written"
    )


def upsert_edges(rel_type: str, start_label: str, end_label: str) -> str:
    """MERGE each row's relationship on its ``id`` between existing ends."""
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a{_labels(start_label)} {{id: row.start}}) "
        f"MATCH (b{_labels(end_label)} {{id: row.end}}) "
        f"MERGE (a)-[r:{check_identifier(rel_type)} {{id: row.id}}]->(b) "
        f"SET r += coalesce(row.props, {{}}) RETURN count(r) AS written"
    )


def write_back(label: str) -> str:
    """SET properties on existing nodes; never creates one."""
    return (
        f"UNWIND $rows AS row MATCH (n{_labels(label)} {{id: row.id}}) "
        f"SET n += row RETURN count(n) AS written"
    )


def delete_everything(batch: int) -> str:
    """Delete nodes (and their relationships) a batch at a time; run until it deletes none."""
    return f"MATCH (n) WITH n LIMIT {int(batch)} DETACH DELETE n RETURN count(*) AS deleted"


def label_filter(variable: str, labels: tuple[str, ...]) -> str:
    """``(v:A OR v:B)``: a node having any of the labels."""
    return "(" + " OR ".join(f"{variable}:{check_identifier(x)}" for x in labels) + ")"


def type_filter(variable: str, types: tuple[str, ...]) -> str:
    """``type(r) IN [...]`` as literal text (types are identifiers, checked)."""
    quoted = ", ".join(f"'{check_identifier(t)}'" for t in types)
    return f"type({variable}) IN [{quoted}]"


def upsert_records(kind_label: str) -> str:
    """MERGE source records on ``id``: a new record is created with all its properties; a known
    one is rewritten only when its raw row changed (``raw_hash``), so reloading a file changes
    nothing, not even its load time, and a corrected row replaces what it said before.
    ``written`` counts the rewritten records; the counters count the created ones. The kind
    label is in the MERGE pattern, not SET on create (see ``upsert_nodes``)."""
    return (
        f"UNWIND $rows AS row MERGE (n:Record{_labels(kind_label)} {{id: row.id}}) "
        "ON CREATE SET n += row "
        "WITH n, row WHERE n.raw_hash <> row.raw_hash "
        "SET n += row RETURN count(n) AS written"
    )


def _join_access(var: str) -> str:
    # schema.access: floors only fall, the ceiling only rises, conditional once true stays so.
    return (
        f"SET {var}.see_any = CASE WHEN {var}.see_any IS NULL OR {var}.see_any > row.see_any "
        f"THEN row.see_any ELSE {var}.see_any END, "
        f"{var}.see_plain = CASE WHEN {var}.see_plain IS NULL OR {var}.see_plain > row.see_plain "
        f"THEN row.see_plain ELSE {var}.see_plain END, "
        f"{var}.sensitivity = CASE WHEN {var}.sensitivity IS NULL "
        f"OR {var}.sensitivity < row.sensitivity THEN row.sensitivity ELSE {var}.sensitivity END, "
        f"{var}.conditional = coalesce({var}.conditional, false) OR row.conditional "
    )


def upsert_asserted_edges(rel_type: str, start_label: str, end_label: str) -> str:
    """MERGE relationships on their ``id`` between existing ends, adding each row's
    ``record_ids`` to those already recorded (several records may assert one relationship,
    loaded in any order, any number of times) and setting ``props``.

    Each row's access (``see_any``, ``see_plain``, ``sensitivity``, ``conditional``: see
    ``schema.access``) is joined into the relationship's and into its ends' (a record's own
    access is its own, so a ``Record`` start is left alone): whatever a record asserts exists
    for whoever may see that record."""
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a{_labels(start_label)} {{id: row.start}}) "
        f"MATCH (b{_labels(end_label)} {{id: row.end}}) "
        f"MERGE (a)-[r:{check_identifier(rel_type)} {{id: row.id}}]->(b) "
        "SET r += row.props "
        "SET r.record_ids = [x IN coalesce(r.record_ids, []) WHERE NOT x IN row.record_ids]"
        " + row.record_ids "
        + _join_access("r")
        + _join_access("b")
        + ("" if start_label == "Record" else _join_access("a"))
        + "RETURN count(r) AS written"
    )


_MOST_RESTRICTIVE = (
    "CASE WHEN before IS NOT NULL AND (row.sensitivity IS NULL OR before > row.sensitivity) "
    "THEN before ELSE row.sensitivity END"
)


def upsert_entities(label: str) -> str:
    """MERGE entities on ``id`` and set the row's values, except that ``sensitivity`` only ever
    rises: an entity is as sensitive as the most sensitive record that described or named it."""
    return (
        f"UNWIND $rows AS row MERGE (n{_labels(label)} {{id: row.id}}) "
        "WITH n, row, n.sensitivity AS before SET n += row "
        f"SET n.sensitivity = {_MOST_RESTRICTIVE} RETURN count(n) AS written"
    )


def create_missing(label: str) -> str:
    """MERGE nodes on ``id``, setting properties only on the ones created (for entities a record
    merely names, whose other values it does not know); ``sensitivity`` still only rises."""
    return (
        f"UNWIND $rows AS row MERGE (n{_labels(label)} {{id: row.id}}) "
        "ON CREATE SET n += row "
        "WITH n, row, n.sensitivity AS before "
        f"SET n.sensitivity = {_MOST_RESTRICTIVE} RETURN count(n) AS written"
    )
