"""The synthetic graph of bench/api_expand.py: people, their phones, addresses and companies.

For ``n`` persons: 0.9 n phones, 0.4 n addresses, 0.05 n companies (2.35 n nodes), and about
4 n relationships: ``HAS_PHONE`` (1.2 n), ``LIVES_AT`` (1.0 n), ``OFFICER_OF`` (0.3 n) and
``CALLED`` between phones (1.5 n), less the duplicate pairs dropped. One end of each is drawn
uniformly and the other from a power law (index ``floor(m * u**a)`` over a shuffled order), so
degrees are heavy-tailed: most addresses have a resident or two, a few have hundreds (hostels,
formation agents), and a few phones call thousands (call centres).

Every node and relationship carries the access properties of ``schema.access`` drawn from
``ACCESS``, relationships carry ``record_ids`` (1-2 record ids) and the dates and counts their
type has in ``schema.edges``. Everything is a function of ``(n, seed)``: a cached graph is
rebuilt identically, and the seeds of the requests are drawn from the same arrays.

Bulk writes: nodes by ``UNWIND $rows ... CREATE ... RETURN id(n)`` (the engine's internal ids
are kept in arrays), relationships by ``UNWIND $rows ... MATCH (a) WHERE id(a) = r[0]`` (an id
seek, no index lookup), in batches of ``BATCH`` rows given as lists rather than maps, since
they are millions of rows (and the text the client encodes is shorter).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from graph.store import GraphStore
from loaders.generate_data import STREET_NAMES, SURNAMES
from loaders.generate_population import FORENAMES

Ints = npt.NDArray[np.int64]

GENERATOR: Final = 1
"""Bumped whenever the graph generated for (n, seed) changes: a cache built before is stale."""
BATCH: Final = 10_000

ACCESS: Final[tuple[tuple[float, tuple[int, int, int, bool]], ...]] = (
    # weight, (see_any, see_plain, sensitivity, conditional)
    (0.90, (0, 0, 0, False)),  # OFFICIAL records only
    (0.05, (0, 0, 1, False)),  # an OFFICIAL-SENSITIVE record behind it too: seen, not whole
    (0.03, (1, 1, 1, False)),  # OFFICIAL-SENSITIVE only: hidden from an OFFICIAL caller
    (0.02, (0, 9, 0, True)),  # conditional handling only: needs records:read-conditional
)
VISIBLE: Final = (0, 1, 3)
"""The access classes an OFFICIAL analyst (who may read conditional records) sees."""

# The generator's names: plain labels here, where only the graph's shape is measured.
_FORENAMES: Final = FORENAMES
_SURNAMES: Final = SURNAMES
_STREETS: Final = STREET_NAMES
_TOWNS: Final = [
    "Leeds",
    "Bradford",
    "Halifax",
    "Wakefield",
    "Huddersfield",
    "Keighley",
    "Dewsbury",
    "York",
]
_WORDS: Final = [
    "Northern",
    "Apex",
    "Pennine",
    "Crown",
    "Atlas",
    "Summit",
    "Harbour",
    "Vale",
    "Oak",
    "Meridian",
]


def hex_id(salt: int, i: int) -> str:
    """16 hex digits, distinct for distinct ``i`` (an odd multiplier is a bijection mod 2**64)."""
    return format((i * 0x9E3779B97F4A7C15 + salt) & 0xFFFFFFFFFFFFFFFF, "016x")


@dataclass(frozen=True, slots=True)
class Shape:
    """The sizes of the graph for ``persons``."""

    persons: int
    seed: int

    @property
    def counts(self) -> dict[str, int]:
        n = self.persons
        return {
            "Person": n,
            "Phone": max(2, int(0.9 * n)),
            "Address": max(1, int(0.4 * n)),
            "Company": max(1, n // 20),
        }

    def salt(self, kind: str) -> int:
        return (self.seed * 1_000_003 + sum(map(ord, kind)) * 7_919) & 0xFFFFFFFF

    def entity_id(self, kind: str, i: int) -> str:
        return f"{kind.lower()}_{hex_id(self.salt(kind), i)}"

    def access(self, kind: str, size: int) -> npt.NDArray[np.int8]:
        """The access class (index into ``ACCESS``) of each of ``size`` things of ``kind``."""
        rng = np.random.default_rng([self.seed, sum(map(ord, kind))])
        weights = np.array([w for w, _ in ACCESS])
        return rng.choice(len(ACCESS), size=size, p=weights / weights.sum()).astype(np.int8)


@dataclass(frozen=True, slots=True)
class EdgeSet:
    """One relationship type's ends: indexes into the start and end kinds."""

    type: str
    start: str
    end: str
    a: Ints
    b: Ints


def _skewed(rng: np.random.Generator, m: int, size: int, power: float) -> Ints:
    """``size`` indexes into ``m`` things, heavy-tailed: ``floor(m * u**power)`` over a
    shuffled order of the things."""
    order = rng.permutation(m)
    picks = np.minimum((m * rng.random(size) ** power).astype(np.int64), m - 1)
    return order[picks].astype(np.int64)


def edge_sets(shape: Shape) -> list[EdgeSet]:
    """Every relationship of the graph, duplicate pairs (and self-calls) dropped."""
    rng = np.random.default_rng([shape.seed, 42])
    c = shape.counts
    n = c["Person"]
    plan = (
        ("HAS_PHONE", "Person", "Phone", 1.2, 1.0, 1.3),
        ("LIVES_AT", "Person", "Address", 1.0, 1.0, 1.5),
        ("OFFICER_OF", "Person", "Company", 0.3, 1.0, 2.0),
        ("CALLED", "Phone", "Phone", 1.5, 1.5, 2.0),
    )
    out = []
    for rel, start, end, per_person, power_a, power_b in plan:
        size = max(1, int(per_person * n))
        a = _skewed(rng, c[start], size, power_a)
        b = _skewed(rng, c[end], size, power_b)
        keep = a != b if start == end else np.ones(size, dtype=bool)
        pairs = np.unique(a[keep] * c[end] + b[keep])
        out.append(EdgeSet(rel, start, end, pairs // c[end], pairs % c[end]))
    return out


# --- rows --------------------------------------------------------------------------------------

NODE_CYPHER: Final[dict[str, str]] = {
    "Person": "id: r[0], name: r[1], forenames: r[2], surname: r[3], dob: r[4]",
    "Phone": "id: r[0], e164: r[1], network: r[2]",
    "Address": "id: r[0], text: r[1], postcode: r[2], country: r[3]",
    "Company": "id: r[0], name: r[1], number: r[2], jurisdiction: r[3]",
}
_ACCESS_AT: Final[dict[str, int]] = {"Person": 5, "Phone": 3, "Address": 4, "Company": 4}


def node_query(kind: str) -> str:
    at = _ACCESS_AT[kind]
    return (
        f"UNWIND $rows AS r CREATE (n:{kind} {{{NODE_CYPHER[kind]}, see_any: r[{at}], "
        f"see_plain: r[{at + 1}], sensitivity: r[{at + 2}], conditional: r[{at + 3}]}}) "
        "RETURN id(n)"
    )


def _node_row(shape: Shape, kind: str, i: int) -> list[Any]:
    key = shape.entity_id(kind, i)
    h = (i * 2_654_435_761) & 0xFFFFFFFF
    if kind == "Person":
        fore, sur = _FORENAMES[h % len(_FORENAMES)], _SURNAMES[(h >> 8) % len(_SURNAMES)]
        dob = f"{1950 + h % 60}-{1 + (h >> 4) % 12:02d}-{1 + (h >> 12) % 28:02d}"
        return [key, f"{fore} {sur}", fore, sur, dob]
    if kind == "Phone":
        return [key, f"+447{700_000_000 + i:09d}", ("EE", "O2", "Vodafone", "Three")[h % 4]]
    if kind == "Address":
        street = f"{1 + h % 200} {_STREETS[(h >> 8) % len(_STREETS)]} Street"
        town = _TOWNS[(h >> 16) % len(_TOWNS)]
        return [key, f"{street}, {town}", f"LS{1 + h % 28} {h % 10}AB", "GB"]
    name = f"{_WORDS[h % len(_WORDS)]} {_WORDS[(h >> 8) % len(_WORDS)]} {i} Ltd"
    return [key, name, f"{10_000_000 + i:08d}", "GB"]


def _edge_cypher(e: EdgeSet) -> str:
    extra = {
        "HAS_PHONE": "from_date: r[8], to_date: r[9]",
        "LIVES_AT": "from_date: r[8], to_date: r[9]",
        "OFFICER_OF": "appointed_on: r[8], resigned_on: r[9], role: 'director'",
        "CALLED": "first_seen: r[8], last_seen: r[9], count: r[10], total_duration_s: r[11]",
    }[e.type]
    return (
        # Ends projected first: FalkorDB seeks by id on a variable, not on `r[0]` (nor with a
        # label), where it scans.
        "UNWIND $rows AS r WITH r, r[0] AS x, r[1] AS y "
        "MATCH (a) WHERE id(a) = x MATCH (b) WHERE id(b) = y "
        f"CREATE (a)-[:{e.type} {{id: r[2], see_any: r[3], see_plain: r[4], sensitivity: r[5], "
        f"conditional: r[6], record_ids: r[7], {extra}}}]->(b)"
    )


def _edge_row(
    shape: Shape, e: EdgeSet, i: int, a: int, b: int, access: tuple[int, int, int, bool]
) -> list[Any]:
    h = (i * 2_654_435_761 + len(e.type)) & 0xFFFFFFFF
    salt = shape.salt(e.type)
    records = [f"record_{hex_id(salt, 2 * i)}"]
    if h % 3 == 0:
        records.append(f"record_{hex_id(salt, 2 * i + 1)}")
    year = 2010 + h % 14
    first, last = f"{year}-{1 + (h >> 4) % 12:02d}-01", f"{year + 1 + h % 3}-06-30"
    row: list[Any] = [a, b, f"{e.type.lower()}_{hex_id(salt, i)}", *access, records, first]
    row.append(None if h % 2 else last)
    if e.type == "CALLED":
        row[8:10] = [f"{first}T09:00:00Z", f"{last}T18:00:00Z"]
        row += [1 + h % 40, 60 * (1 + h % 400)]
    return row


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Built:
    nodes: int
    relationships: int
    node_s: float
    relationship_s: float


def _spans(total: int, size: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, total, size):
        yield lo, min(lo + size, total)


def build(
    store: GraphStore,
    shape: Shape,
    clock: Callable[[], float],
    log: Callable[[str], None],
    batch: int = BATCH,
) -> Built:
    """Write the graph of ``shape`` into ``store`` (migrated, empty)."""
    began = clock()
    internal: dict[str, Ints] = {}
    for kind, count in shape.counts.items():
        classes = shape.access(kind, count)
        ids = np.empty(count, dtype=np.int64)
        for lo, hi in _spans(count, batch):
            rows = [[*_node_row(shape, kind, i), *ACCESS[classes[i]][1]] for i in range(lo, hi)]
            ids[lo:hi] = [r[0] for r in store.write(node_query(kind), {"rows": rows})]
        internal[kind] = ids
        log(f"  {count:,} {kind} nodes ({clock() - began:.0f} s)")
    nodes_done = clock()
    total = 0
    for e in edge_sets(shape):
        classes = shape.access(e.type, len(e.a))
        query = _edge_cypher(e)
        starts, ends = internal[e.start][e.a], internal[e.end][e.b]
        for lo, hi in _spans(len(e.a), batch):
            rows = [
                _edge_row(shape, e, i, int(starts[i]), int(ends[i]), ACCESS[classes[i]][1])
                for i in range(lo, hi)
            ]
            store.write(query, {"rows": rows})
        total += len(e.a)
        log(f"  {len(e.a):,} {e.type} relationships ({clock() - nodes_done:.0f} s)")
    return Built(
        nodes=sum(shape.counts.values()),
        relationships=total,
        node_s=nodes_done - began,
        relationship_s=clock() - nodes_done,
    )


def seed_people(shape: Shape, requests: int) -> list[str]:
    """``requests`` person ids to expand from, drawn from the people an OFFICIAL analyst sees
    (with repeats when there are fewer of them)."""
    classes = shape.access("Person", shape.counts["Person"])
    visible = np.flatnonzero(np.isin(classes, VISIBLE))
    rng = np.random.default_rng([shape.seed, 7])
    picks = rng.choice(visible, size=requests, replace=requests > len(visible))
    return [shape.entity_id("Person", int(i)) for i in picks]
