"""Network expansion and shortest paths over entities, as one caller may see them.

Both walk the graph in Python one hop at a time: each hop is one query for the whole frontier
(a ``UNION ALL`` branch per label, so every lookup is an id-index lookup on one label), bounded by
``LIMIT $budget`` per branch and the server's query timeout. FalkorDB runs no undirected
``shortestPath`` and its ``algo.SPpaths`` ignores timeouts, so no path query here leaves the
bound to the engine.

Every node and relationship a hop crosses is filtered in the query with ``View.exists``: what
does not exist for the caller is never traversed, so a neighbour reached only through a hidden
relationship, and a path only through a hidden node, do not exist for it either. Records are
never traversed (only entity relationship types are followed, and ``:Record`` is excluded).

- ``expand``: breadth-first from seed entities, up to ``hops``. A neighbour with more visible
  neighbours than ``hub_degree`` is kept but not expanded, and its neighbours are counted by kind
  (visible ones only: a count on hidden ones would tell the caller they exist).
- ``shortest_paths``: bidirectional breadth-first search, expanding the smaller frontier first,
  keeping every parent at the previous level, so that all shortest paths can be listed (capped).

Time windows apply to dated relationships (``DATE_SPANS``): one is kept iff its span overlaps
``[since, until]``; an undated one is kept. Dates are stored as ISO text (a partial date is
"2020" or "2020-07"), so each bound is compared on the precision the stored date has. A
relationship the caller does not see whole is shown without its dates
(``api.graphql.visible``), so it counts as undated here too: filtering on a date the caller may
not see would reveal it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Final

from graph.entity_reads import ENTITY_LABELS, by_label, entities_query
from graph.results import Result
from schema.access import View
from schema.edges import EDGE_TYPES, RefersTo, ResolvesTo
from schema.specs import check_identifier

RELATIONSHIP_TYPES: Final[tuple[str, ...]] = tuple(
    t.rel_type for t in EDGE_TYPES if t not in (ResolvesTo, RefersTo)
)
"""The relationships between entities that expansion and path search follow (record links
``RESOLVES_TO`` and ``REFERS_TO`` are not: they lead to records, not to other entities)."""

DATE_SPANS: Final[Mapping[str, tuple[str, str]]] = {
    "HAS_PHONE": ("from_date", "to_date"),
    "HAS_EMAIL": ("from_date", "to_date"),
    "LIVES_AT": ("from_date", "to_date"),
    "REGISTERED_AT": ("from_date", "to_date"),
    "OFFICER_OF": ("appointed_on", "resigned_on"),
    "PSC_OF": ("notified_on", "ceased_on"),
    "CALLED": ("first_seen", "last_seen"),
}
"""The properties that hold each dated relationship type's span (``schema.edges``)."""

_STARTS: Final = tuple(dict.fromkeys(s for s, _ in DATE_SPANS.values()))
_ENDS: Final = tuple(dict.fromkeys(e for _, e in DATE_SPANS.values()))

Read = Callable[[str, Mapping[str, Any]], Result]
"""A read-only store query (the API passes ``Context.read``: it applies the timeout)."""


@dataclass(frozen=True, slots=True)
class Step:
    """What one hop may follow: relationship types, the kinds of entity it may reach (empty:
    any), and the time window on dated relationships (ISO dates; None: open)."""

    types: tuple[str, ...] = RELATIONSHIP_TYPES
    kinds: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        for name in (*self.types, *self.kinds):
            check_identifier(name)
        if not self.types:
            raise ValueError("a step follows at least one relationship type")


def _window(view: View, since: str | None, until: str | None) -> str:
    if since is None and until is None:
        return ""
    start = f"coalesce({', '.join(f'r.{p}' for p in _STARTS)})"
    end = f"coalesce({', '.join(f'r.{p}' for p in _ENDS)})"
    tests = []
    if until is not None:
        tests.append(f"({start} IS NULL OR left({start}, size($until)) <= $until)")
    if since is not None:
        tests.append(f"({end} IS NULL OR {end} >= left($since, size({end})))")
    return f" AND (NOT {view.whole('r')} OR ({' AND '.join(tests)}))"


def _match(index: int, label: str, view: View, step: Step) -> str:
    kinds = ""
    if step.kinds:
        kinds = " AND (" + " OR ".join(f"m:{k}" for k in step.kinds) + ")"
    return (
        f"UNWIND $ids{index} AS id "
        f"MATCH (n:{check_identifier(label)} {{id: id}})-[r:{'|'.join(step.types)}]-(m) "
        f"WHERE {view.exists('n')} AND {view.exists('r')} AND {view.exists('m')} "
        f"AND NOT m:Record{kinds}{_window(view, step.since, step.until)} "
    )


def neighbours_query(labels: Sequence[str], view: View, step: Step) -> str:
    """For frontier entities ``$ids0``, ``$ids1``... (of ``labels``, in that order): each visible
    relationship ``step`` follows to a visible entity, at most ``$budget`` per label: ``branch``
    (the label's index), ``source``, ``id``, ``type``, ``start``, ``end``, ``props`` (the
    relationship's), ``labels`` and ``node`` (the neighbour's properties)."""
    return " UNION ALL ".join(
        _match(i, label, view, step) + f"RETURN {i} AS branch, n.id AS source, r.id AS id, "
        "type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, "
        "properties(r) AS props, labels(m) AS labels, properties(m) AS node LIMIT $budget"
        for i, label in enumerate(labels)
    )


def neighbour_counts_query(labels: Sequence[str], view: View, step: Step) -> str:
    """For entities ``$ids0``, ``$ids1``... (of ``labels``): how many distinct visible entities
    ``step`` reaches from each, by their labels: ``entity``, ``labels``, ``count``."""
    return " UNION ALL ".join(
        _match(i, label, view, step)
        + "RETURN n.id AS entity, labels(m) AS labels, count(DISTINCT m) AS count"
        for i, label in enumerate(labels)
    )


def frontier_params(
    view: View, groups: Mapping[str, Sequence[str]], step: Step, budget: int | None = None
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The labels of ``groups`` (label -> ids) in query order, and the parameters of
    ``neighbours_query`` / ``neighbour_counts_query`` for them."""
    labels = tuple(groups)
    params: dict[str, Any] = {**view.params()}
    params.update({f"ids{i}": list(groups[label]) for i, label in enumerate(labels)})
    if step.since is not None:
        params["since"] = step.since
    if step.until is not None:
        params["until"] = step.until
    if budget is not None:
        params["budget"] = budget
    return labels, params


def entity_label(labels: Sequence[Any]) -> str:
    """An entity node's kind among its labels."""
    names = [str(x) for x in labels]
    return next((x for x in ENTITY_LABELS if x in names), names[0] if names else "")


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """An entity reached: its kind, stored properties, and the hop it was first reached at."""

    id: str
    label: str
    props: Mapping[str, Any]
    hop: int


@dataclass(frozen=True, slots=True)
class Link:
    """A relationship crossed, with its stored properties (``record_ids`` among them)."""

    id: str
    type: str
    start: str
    end: str
    props: Mapping[str, Any]

    @property
    def record_ids(self) -> list[str]:
        return [str(x) for x in self.props.get("record_ids") or ()]


@dataclass(frozen=True, slots=True)
class Collapse:
    """A hub kept but not expanded: how many visible neighbours it has, by kind."""

    entity_id: str
    by_kind: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass(slots=True)
class Expansion:
    """An expansion: entities in the order reached (hop, then id), the relationships between
    them, the hubs collapsed, whether a hop budget cut it short, and the queries it ran."""

    nodes: list[Node] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    collapsed: dict[str, Collapse] = field(default_factory=dict)
    truncated: bool = False
    queries: int = 0


@dataclass(frozen=True, slots=True)
class Path:
    """A path: its entity ids in order, and the relationship crossed between each pair."""

    node_ids: tuple[str, ...]
    links: tuple[Link, ...]


@dataclass(slots=True)
class PathSearch:
    """Shortest paths found (all of one length), the entities on them, whether a hop budget cut
    the search short (so that a longer or missing path may be an artefact), and its queries."""

    paths: list[Path] = field(default_factory=list)
    nodes: dict[str, Node] = field(default_factory=dict)
    truncated: bool = False
    queries: int = 0

    @property
    def length(self) -> int | None:
        return len(self.paths[0].links) if self.paths else None


# --- walking ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Hop:
    """One hop's rows, read for a whole frontier."""

    rows: list[dict[str, Any]]
    truncated: bool


def _hop(read: Read, view: View, frontier: Sequence[str], step: Step, budget: int) -> _Hop:
    labels, params = frontier_params(view, by_label(frontier), step, budget)
    if not labels:
        return _Hop([], False)
    rows = read(neighbours_query(labels, view, step), params).records()
    per_branch: dict[int, int] = {}
    for row in rows:
        per_branch[int(row["branch"])] = per_branch.get(int(row["branch"]), 0) + 1
    return _Hop(rows, any(n >= budget for n in per_branch.values()))


def _link(row: Mapping[str, Any]) -> Link:
    start, end = str(row["start"]), str(row["end"])
    link_id = row["id"] if row["id"] is not None else f"{row['type']}:{start}:{end}"
    return Link(str(link_id), str(row["type"]), start, end, dict(row["props"] or {}))


def read_seeds(read: Read, view: View, ids: Sequence[str]) -> dict[str, Node]:
    """The entities ``ids`` that exist for ``view``, in the order given."""
    found: dict[str, Node] = {}
    for label, some in by_label(ids).items():
        result = read(entities_query(label, view), {**view.params(), "ids": some})
        for row in result.records():
            found[str(row["id"])] = Node(str(row["id"]), label, dict(row["props"]), 0)
    return {i: found[i] for i in dict.fromkeys(ids) if i in found}


def neighbour_counts(
    read: Read, view: View, ids: Sequence[str], step: Step
) -> dict[str, dict[str, int]]:
    """Entity id -> kind -> how many distinct visible entities ``step`` reaches from it."""
    labels, params = frontier_params(view, by_label(ids), step)
    out: dict[str, dict[str, int]] = {i: {} for i in ids}
    if not labels:
        return out
    for row in read(neighbour_counts_query(labels, view, step), params).records():
        kinds = out.setdefault(str(row["entity"]), {})
        kind = entity_label(row["labels"])
        kinds[kind] = kinds.get(kind, 0) + int(row["count"])
    return out


def expand(
    read: Read,
    view: View,
    seeds: Sequence[str],
    *,
    hops: int,
    step: Step,
    budget: int,
    hub_degree: int,
) -> Expansion:
    """Entities within ``hops`` of ``seeds`` (module docstring). Seeds are always expanded;
    at most ``budget`` new entities are taken per hop."""
    out = Expansion()
    nodes = read_seeds(read, view, seeds)
    out.queries += len(by_label(list(nodes)))
    links: dict[str, Link] = {}
    frontier = list(nodes)
    for hop in range(1, hops + 1):
        if not frontier:
            break
        found = _hop(read, view, frontier, step, budget)
        out.queries += 1
        out.truncated |= found.truncated
        new: list[str] = []
        for row in found.rows:
            other = str(row["node"]["id"])
            if other not in nodes:
                if len(new) >= budget:
                    out.truncated = True
                    continue
                nodes[other] = Node(other, entity_label(row["labels"]), dict(row["node"]), hop)
                new.append(other)
            link = _link(row)
            links.setdefault(link.id, link)
        counts = neighbour_counts(read, view, new, step) if new else {}
        out.queries += 1 if new else 0
        frontier = []
        for other in new:
            by_kind = counts.get(other, {})
            if sum(by_kind.values()) > hub_degree:
                out.collapsed[other] = Collapse(other, dict(sorted(by_kind.items())))
            else:
                frontier.append(other)
    out.nodes = sorted(nodes.values(), key=lambda n: (n.hop, n.id))
    out.links = sorted(links.values(), key=lambda r: r.id)
    return out


@dataclass(slots=True)
class _Side:
    """One end of a bidirectional search: distances, every parent at the previous level."""

    dist: dict[str, int]
    parents: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    frontier: list[str] = field(default_factory=list)
    depth: int = 0

    def walks(self, node: str) -> Iterator[tuple[list[str], list[str]]]:
        """Every shortest walk from this side's end to ``node``: node ids, link ids."""
        if self.dist[node] == 0:
            yield [node], []
            return
        for parent, link in sorted(self.parents.get(node, ())):
            for nodes, links in self.walks(parent):
                yield [*nodes, node], [*links, link]


def shortest_paths(
    read: Read,
    view: View,
    source: str,
    target: str,
    *,
    max_hops: int,
    step: Step,
    budget: int,
    cap: int,
) -> PathSearch:
    """Up to ``cap`` shortest paths from ``source`` to ``target`` of at most ``max_hops``
    (module docstring); none when either end does not exist for ``view``."""
    out = PathSearch()
    ends = read_seeds(read, view, [source, target])
    out.queries += len(by_label([source, target]))
    if source not in ends or target not in ends:
        return out
    out.nodes.update(ends)
    if source == target:
        out.paths.append(Path((source,), ()))
        return out
    links: dict[str, Link] = {}
    a = _Side({source: 0}, frontier=[source])
    b = _Side({target: 0}, frontier=[target])
    while a.depth + b.depth < max_hops and a.frontier and b.frontier:
        side, other = (a, b) if len(a.frontier) <= len(b.frontier) else (b, a)
        found = _hop(read, view, side.frontier, step, budget)
        out.queries += 1
        out.truncated |= found.truncated
        side.depth += 1
        new: list[str] = []
        for row in found.rows:
            node, parent = str(row["node"]["id"]), str(row["source"])
            if node not in side.dist:
                if len(new) >= budget:
                    out.truncated = True
                    continue
                side.dist[node] = side.depth
                new.append(node)
                out.nodes.setdefault(
                    node, Node(node, entity_label(row["labels"]), dict(row["node"]), side.depth)
                )
            link = _link(row)
            links.setdefault(link.id, link)
            edge = (parent, link.id)
            if side.dist[node] == side.depth and edge not in side.parents.setdefault(node, []):
                side.parents[node].append(edge)
        side.frontier = new
        meet = [n for n in new if n in other.dist]
        if meet:
            length = min(side.depth + other.dist[n] for n in meet)
            meet = sorted(n for n in meet if side.depth + other.dist[n] == length)
            out.paths = list(islice(_joined(a, b, meet, links), cap))
            break
    on_paths = {n for p in out.paths for n in p.node_ids}
    out.nodes = {k: v for k, v in out.nodes.items() if k in on_paths}
    return out


def _joined(a: _Side, b: _Side, meet: Sequence[str], links: Mapping[str, Link]) -> Iterator[Path]:
    for middle in meet:
        for head_nodes, head_links in a.walks(middle):
            for tail_nodes, tail_links in b.walks(middle):
                yield Path(
                    (*head_nodes, *reversed(tail_nodes[:-1])),
                    tuple(links[i] for i in (*head_links, *reversed(tail_links))),
                )
