"""What ``clew demo`` points a new user at: a person worth a first look in the loaded region."""

from __future__ import annotations

from typing import Any, Final

from graph.store import GraphStore

CSAE_SUBJECT: Final = (
    "MATCH (p:Person)-[:SUBJECT_OF]->(r:IntelReport) "
    "WHERE p.retired_at IS NULL AND 'CSAE' IN r.tags AND p.see_any <= $level "
    "WITH p, count(r) AS reports "
    "MATCH (p)-[l]-() WITH p, reports, count(l) AS links "
    "RETURN p.id AS id, p.name AS name, reports, links "
    "ORDER BY reports DESC, links DESC, p.id LIMIT 1"
)
"""The person named in the most CSAE-tagged reports (then the best connected)."""

BEST_CONNECTED: Final = (
    "MATCH (p:Person)-[l]-() WHERE p.retired_at IS NULL AND p.see_any <= $level "
    "WITH p, count(l) AS links "
    "RETURN p.id AS id, p.name AS name, 0 AS reports, links ORDER BY links DESC, p.id LIMIT 1"
)


def person_to_show(store: GraphStore, level: int) -> dict[str, Any] | None:
    """A person a caller cleared to ``level`` may see: the subject of the most CSAE reports, or
    else the best connected person; None in an empty graph."""
    for query in (CSAE_SUBJECT, BEST_CONNECTED):
        rows = store.read(query, {"level": level}).records()
        if rows:
            return rows[0]
    return None
