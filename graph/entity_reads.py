"""Reading entities, and the records behind them, as one caller may see them (``schema.access``).

Every query here takes the caller's ``View`` and filters in the store: a node, relationship or
record the view does not reach is never returned, so nothing downstream can leak it. The query
texts are built per view (the property a view filters on is part of the text; engines take no
parameters for property names) and take ``$view_level`` from ``View.params()``.

Entity ids carry their kind (``person_...``, ``phone_...``: ``schema.ids``), so a lookup by id is
an index lookup on one label; an id of no known kind matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from schema.access import View
from schema.entities import ENTITY_TYPES
from schema.specs import check_identifier

LABEL_OF_PREFIX: Final[Mapping[str, str]] = {t.id_key.prefix: t.label for t in ENTITY_TYPES}
ENTITY_LABELS: Final[tuple[str, ...]] = tuple(t.label for t in ENTITY_TYPES)


_ENTITY_ID: Final = re.compile(r"^([a-z][a-z0-9]*)_[a-z0-9_]{1,64}$")
"""An entity id: its kind's prefix, then lower-case letters, digits and underscores
(``schema.ids`` makes 26 base32 characters)."""


def label_of(entity_id: str) -> str | None:
    """The label of the entity ``entity_id`` names, or None for text that is not an entity id
    (so that nothing but a well-formed id ever reaches a query)."""
    m = _ENTITY_ID.match(entity_id)
    return LABEL_OF_PREFIX.get(m.group(1)) if m else None


def by_label(ids: Sequence[str]) -> dict[str, list[str]]:
    """``ids`` grouped by the label their prefix names (unknown kinds dropped), order kept."""
    out: dict[str, list[str]] = {}
    for entity_id in dict.fromkeys(ids):
        label = label_of(entity_id)
        if label is not None:
            out.setdefault(label, []).append(entity_id)
    return out


def entities_query(label: str, view: View) -> str:
    """The entities of ``label`` with ids ``$ids`` that exist for ``view``: ``id``, ``label``,
    ``props``."""
    return (
        f"UNWIND $ids AS id MATCH (n:{check_identifier(label)} {{id: id}}) "
        f"WHERE {view.exists('n')} "
        f"RETURN n.id AS id, '{label}' AS label, properties(n) AS props"
    )


def person_mentions_query(view: View) -> str:
    """For persons ``$ids``: each visible record resolved to them, with the ids of the mentions
    of the record that are the person (a report names several people): ``person``, ``labels``,
    ``props``, ``mentions``."""
    return (
        "UNWIND $ids AS id MATCH (r:Record)-[e:RESOLVES_TO]->(p:Person {id: id}) "
        f"WHERE {view.exists('r')} "
        "RETURN p.id AS person, labels(r) AS labels, properties(r) AS props, "
        "e.mentions AS mentions"
    )


def records_of_query(label: str, view: View) -> str:
    """For entities ``$ids`` of ``label``: the visible records that describe (``RESOLVES_TO``)
    or name (``REFERS_TO``) them, with the link and its role, ordered by record id after
    ``$after`` (exclusive; '' for the first page), at most ``$limit`` per entity."""
    return (
        f"UNWIND $ids AS id MATCH (r:Record)-[l:RESOLVES_TO|REFERS_TO]->"
        f"(n:{check_identifier(label)} {{id: id}}) "
        f"WHERE {view.exists('r')} AND r.id > $after "
        "WITH id, r, l ORDER BY r.id "
        "WITH id, collect({r: r, l: l})[..$limit] AS found "
        "UNWIND found AS f "
        "RETURN id AS entity, type(f.l) AS link, f.l.role AS role, labels(f.r) AS labels, "
        "properties(f.r) AS props"
    )


def records_by_id_query(view: View) -> str:
    """The records ``$ids`` that are visible to ``view``: ``labels``, ``props``."""
    return (
        "UNWIND $ids AS id MATCH (r:Record {id: id}) "
        f"WHERE {view.exists('r')} "
        "RETURN labels(r) AS labels, properties(r) AS props"
    )


def record_kind(labels: Sequence[str]) -> str:
    """A record's kind label (its labels less ``Record``)."""
    return next((str(x) for x in labels if x != "Record"), "Record")
