"""What one caller is shown of an entity, a relationship or a record (``schema.access``).

The store has already dropped whatever does not exist for the caller (``graph.entity_reads``
filters every query). What remains may still stand on records the caller cannot see, and its
stored properties may come from them, so:

- a thing whose every record the caller sees is shown as stored;
- a person otherwise is recomputed from the visible records alone (survivorship over its visible
  mentions, ``algorithms.er.survivorship``): names, aliases, date of birth, counts;
- any other entity otherwise shows its key (the number, the postcode, the report reference) and
  nothing more;
- a relationship otherwise shows its type and ends, and none of its own properties (a call count
  may count hidden calls);
- access bookkeeping (markings, floors), the seed record of a person and the ids of hidden
  records are never shown.

Nothing here says that something was withheld: that would itself tell the caller a restricted
record exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from algorithms.er.person_mentions import Mention, mentions_of
from algorithms.er.survivorship import person_properties
from api.auth.identity import Caller, Permission
from graph.entity_reads import record_kind
from schema.access import ACCESS_PROPERTIES, View
from schema.entities import ENTITY_TYPES

KEY_PROPERTIES: Final[Mapping[str, tuple[str, ...]]] = {
    t.label: t.id_key.fields for t in ENTITY_TYPES if t.label != "Person"
}
"""The properties a keyed entity shows whatever records stand behind it."""

NEVER_SHOWN: Final = frozenset(
    (*ACCESS_PROPERTIES, "seed_record_id", "alias_text", "resolved_by_run", "record_ids")
)
"""Bookkeeping: kept for the store's use, not shown as properties."""


def view_of(caller: Caller) -> View:
    """The caller's view: its clearance, and whether it reads conditionally handled records."""
    return View(caller.clearance, caller.can(Permission.READ_CONDITIONAL))


def shown(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` without the bookkeeping, sorted by name."""
    return {k: props[k] for k in sorted(props) if k not in NEVER_SHOWN and props[k] is not None}


def entity_properties(
    view: View,
    label: str,
    props: Mapping[str, Any],
    person_mentions: Sequence[Mention] = (),
) -> dict[str, Any]:
    """What ``view`` is shown of an entity (module docstring). ``person_mentions`` are a
    person's visible mentions, needed when the caller does not see all of its records."""
    if view.sees_whole(props):
        return shown(props)
    if label == "Person":
        return _person(props, person_mentions)
    keys = KEY_PROPERTIES.get(label, ())
    return shown({k: props[k] for k in keys if k in props})


def _person(props: Mapping[str, Any], ms: Sequence[Mention]) -> dict[str, Any]:
    entity, seed = str(props["id"]), str(props.get("seed_record_id") or "")
    if not ms:
        return {"id": entity, "name": "unnamed"}
    recomputed = person_properties(entity, seed, ms, str(props.get("resolved_by_run") or ""))
    for key in ("retired_at", "merged_into"):
        if key in props:
            recomputed[key] = props[key]
    return shown(recomputed)


def visible_mentions(
    rows: Iterable[Mapping[str, Any]],
) -> dict[str, list[Mention]]:
    """Person id -> its mentions, from ``graph.entity_reads.person_mentions_query`` rows (the
    records already filtered to the visible ones), in record id order."""
    out: dict[str, list[Mention]] = {}
    ordered = sorted(rows, key=lambda r: (str(r["person"]), str(r["props"]["id"])))
    for row in ordered:
        kind = record_kind([str(x) for x in row["labels"]])
        wanted = {str(x) for x in row["mentions"] or ()}
        for m in mentions_of(kind, row["props"]):
            if not wanted or m.mention_id in wanted:
                out.setdefault(str(row["person"]), []).append(m)
    return out


def display_name(label: str, props: Mapping[str, Any]) -> str:
    """A line an analyst reads for the entity: its name, else its key."""
    name = props.get("name") or props.get("text")
    if label == "IntelReport":
        name = props.get("report_ref")
    if name:
        return str(name)
    keys = KEY_PROPERTIES.get(label, ())
    parts = [str(props[k]) for k in keys if props.get(k) not in (None, "")]
    return " ".join(parts) or str(props.get("id", ""))


def relationship_properties(view: View, props: Mapping[str, Any]) -> dict[str, Any]:
    """What ``view`` is shown of a relationship's own properties (module docstring)."""
    if view.sees_whole(props):
        return shown({k: v for k, v in props.items() if k != "id"})
    return {}
