"""The structures planted in a synthetic region, chosen before any row is written: organised
crime groups with roles, CSAE networks, the missing children connected to them indirectly (and
the many who are not), and the calls and reports that make the connections.

A ``Plan`` names people by index (``loaders.generate_population``); the writers render them and
``loaders.generate_truth`` writes the plan down as ground truth.

Connections from a child to a network, each ending at a CSAE-tagged report that names an
offender (``Network.report_refs[0]``):

- ``found_at``: one of the child's missing episodes ends at an offender's home address;
- ``calls``: the child's phone and an offender's phone call each other;
- ``intermediary``: the child's phone calls a young adult's, which calls an offender's;
- ``vehicle``: a return-interview report on the child mentions the network's vehicle, which
  the CSAE reports also mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from loaders.generate_population import Population
from loaders.generate_variants import Dice, vehicle_registration

OCG_ROLES = ("principal", "broker", "enabler", "member")
LINK_KINDS = ("found_at", "calls", "intermediary", "vehicle")
OCG_TAGS = ("COUNTY_LINES", "DRUGS", "CCE", "MODERN_SLAVERY", "FIREARMS", "MONEY_LAUNDERING")


@dataclass(slots=True)
class Ocg:
    ocg_id: str
    members: list[tuple[int, str]]  # (person, role)
    burners: dict[int, list[int]]  # person -> numbers only the group's business uses
    vehicles: list[str]
    tags: tuple[str, ...]
    report_refs: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)  # filled by the companies writer

    def with_role(self, role: str) -> list[int]:
        return [p for p, r in self.members if r == role]


@dataclass(slots=True)
class ChildLink:
    child: int
    kind: str
    offender: int
    intermediary: int = -1
    report_ref: str | None = None  # the return interview report (``vehicle``)


@dataclass(slots=True)
class Network:
    network_id: str
    offenders: list[int]
    location: int  # household of the first offender, where children are taken
    vehicle: str
    report_refs: list[str]
    links: list[ChildLink] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    ocgs: list[Ocg]
    networks: list[Network]
    missing_children: list[int]  # every child with episodes, in person order
    links: dict[int, tuple[Network, ChildLink]]  # connected child -> its network and path
    phones: dict[int, int]  # person -> a personal phone the plan gave them (they had none)
    calls: list[tuple[int, int, int]]  # (a number, b number, how many calls)
    background_refs: list[str]  # report refs left for background reports
    spare_used: int  # how many of ``Population.spare_numbers`` the plan handed out
    shielded: set[int] = field(default_factory=set)  # numbers kept out of random calls
    offender_numbers: set[int] = field(default_factory=set)

    @property
    def planted_people(self) -> set[int]:
        people = {p for o in self.ocgs for p, _ in o.members}
        for n in self.networks:
            people.update(n.offenders)
            people.update(link.intermediary for link in n.links if link.intermediary >= 0)
        people.update(self.missing_children)
        return people

    def phone_of(self, pop: Population, person: int) -> int:
        return self.phones.get(person, int(pop.phone[person]))


class _Numbers:
    """Hands out spare numbers (allocated but held by nobody in the region)."""

    def __init__(self, pool: np.ndarray) -> None:
        self.pool = pool
        self.next = 0

    def take(self) -> int:
        number = int(self.pool[self.next])
        self.next += 1
        return number


def _pick(rng: np.random.Generator, mask: np.ndarray, used: np.ndarray, count: int) -> list[int]:
    pool = np.flatnonzero(mask & ~used)
    count = min(count, len(pool))
    return [int(p) for p in rng.choice(pool, size=count, replace=False)] if count else []


def build_plan(rng: np.random.Generator, pop: Population, persons: int) -> Plan:
    dice = Dice(rng)
    ages = pop.ages()
    male = pop.sex == 0
    used = np.zeros(len(pop), dtype=bool)
    numbers = _Numbers(pop.spare_numbers)
    phones: dict[int, int] = {}
    calls: list[tuple[int, int, int]] = []

    def own_phone(person: int) -> int:
        if person in phones:
            return phones[person]
        if pop.phone[person] >= 0:
            return int(pop.phone[person])
        phones[person] = numbers.take()
        return phones[person]

    def mark(people: list[int]) -> list[int]:
        used[people] = True
        return people

    # --- organised crime groups ---------------------------------------------------------------
    ocgs: list[Ocg] = []
    adults = (ages >= 18) & (ages <= 55)
    for g in range(max(2, persons // 10_000)):
        size = dice.between(6, 18)
        pool = adults & (male | (rng.random(len(pop)) < 0.15))
        people = mark(_pick(rng, pool, used, size))
        brokers, enablers = dice.between(1, 2), dice.between(1, 2)
        roles = ["principal"] + ["broker"] * brokers + ["enabler"] * enablers
        roles += ["member"] * (len(people) - len(roles))
        members = list(zip(people, roles[: len(people)], strict=True))
        burners = {p: [numbers.take()] for p, r in members if r != "enabler"}
        burners[people[0]].append(numbers.take())
        tags = (OCG_TAGS[dice.below(2)], dice.pick(OCG_TAGS))
        vehicles = [vehicle_registration(dice) for _ in range(dice.between(1, 3))]
        ocg = Ocg(f"OCG{g + 1:03d}", members, burners, vehicles, tuple(dict.fromkeys(tags)))
        ocgs.append(ocg)
        principal = people[0]
        for broker in ocg.with_role("broker"):
            calls.append((burners[principal][1], burners[broker][0], dice.between(10, 40)))
            for member in ocg.with_role("member"):
                if dice.chance(0.7):
                    calls.append((burners[broker][0], burners[member][0], dice.between(5, 30)))
        for enabler in ocg.with_role("enabler"):
            calls.append((burners[principal][0], own_phone(enabler), dice.between(2, 8)))
        crew = ocg.with_role("member")
        for i, a in enumerate(crew):
            for b in crew[i + 1 :]:
                if dice.chance(0.3):
                    calls.append((burners[a][0], burners[b][0], dice.between(1, 10)))

    # --- CSAE networks and missing children ---------------------------------------------------
    networks: list[Network] = []
    links: dict[int, tuple[Network, ChildLink]] = {}
    offender_numbers: set[int] = set()
    teenagers = (ages >= 11) & (ages <= 17)
    young_adults = (ages >= 17) & (ages <= 24)
    for k in range(max(2, persons // 20_000)):
        offenders = mark(_pick(rng, (ages >= 20) & (ages <= 65) & male, used, dice.between(2, 5)))
        network = Network(
            f"CSAE{k + 1:03d}",
            offenders,
            int(pop.household[offenders[0]]),
            vehicle_registration(dice),
            report_refs=[],
        )
        networks.append(network)
        for i, a in enumerate(offenders):
            offender_numbers.add(own_phone(a))
            for b in offenders[i + 1 :]:
                calls.append((own_phone(a), own_phone(b), dice.between(5, 25)))
        for child in mark(_pick(rng, teenagers, used, dice.between(2, 6))):
            kind = LINK_KINDS[len(links) % len(LINK_KINDS)]
            offender = dice.pick(offenders)
            link = ChildLink(child, kind, offender)
            if kind == "calls":
                calls.append((own_phone(offender), own_phone(child), dice.between(3, 15)))
            elif kind == "intermediary":
                (link.intermediary,) = mark(_pick(rng, young_adults, used, 1))
                calls.append((own_phone(link.intermediary), own_phone(child), dice.between(5, 20)))
                calls.append(
                    (own_phone(offender), own_phone(link.intermediary), dice.between(3, 12))
                )
                offender_numbers.add(own_phone(link.intermediary))
            network.links.append(link)
            links[child] = (network, link)
    children = int(teenagers.sum())
    others = mark(_pick(rng, teenagers, used, max(10, children // 50)))
    missing = sorted([*links, *others])

    # --- report references --------------------------------------------------------------------
    planned = sum(dice.between(3, 6) for _ in networks)
    ocg_reports = [dice.between(2, 6) for _ in ocgs]
    vehicle_links = sum(1 for _, link in links.values() if link.kind == "vehicle")
    background = max(20, persons // 100)
    total = planned + sum(ocg_reports) + vehicle_links + background
    refs = [f"IR{n:07d}" for n in rng.choice(9_000_000, size=total, replace=False) + 1_000_000]
    taken = 0
    per_network = np.array_split(np.arange(planned), len(networks))
    for network, share in zip(networks, per_network, strict=True):
        network.report_refs = [refs[i] for i in share]
    taken = planned
    for ocg, count in zip(ocgs, ocg_reports, strict=True):
        ocg.report_refs = refs[taken : taken + count]
        taken += count
    for _, link in sorted(links.values(), key=lambda nl: nl[1].child):
        if link.kind == "vehicle":
            link.report_ref = refs[taken]
            taken += 1

    shielded = {n for o in ocgs for numbers_ in o.burners.values() for n in numbers_}
    return Plan(
        ocgs=ocgs,
        networks=networks,
        missing_children=missing,
        links=links,
        phones=phones,
        calls=calls,
        background_refs=refs[taken:],
        spare_used=numbers.next,
        shielded=shielded,
        offender_numbers=offender_numbers,
    )
