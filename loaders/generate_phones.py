"""The synthetic region's phone subscribers (``subscribers.csv``) and call-data records
(``calls.csv``), in the layouts ``loaders.phones`` documents.

Calls run over a contact graph: each number has an activity weight drawn from a Pareto
distribution, contacts are drawn in proportion to it (a Chung-Lu graph, so the number of
contacts is heavy-tailed as in real call data) and household members are contacts; each call
picks a contact pair in proportion to a log-normal tie strength, so pairs call repeatedly. The
plan's calls (organised crime groups calling each other, offenders calling children) are written
on top. Burner phones call only within their group, and no random tie joins an offender's phone
to a missing child's: the planted paths are the only ones.

Calls are generated and formatted a chunk at a time with numpy, so a region's calls never sit in
memory as Python objects.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from loaders import generate_data as data
from loaders.generate_output import CsvOut, TruthLog
from loaders.generate_plants import Plan
from loaders.generate_population import REFERENCE_DATE, Population, date_to_day, day_to_date
from loaders.generate_variants import (
    Dice,
    ErrorRates,
    dob_variant,
    forename_variant,
    household_variant,
    surname_variant,
)

SUBSCRIBERS_HEADER = (
    "number", "subscriber_name", "address", "town", "postcode", "dob", "subscribed_from",
    "subscribed_to", "network", "account_ref",
)  # fmt: skip
CALLS_HEADER = ("a_number", "b_number", "start", "duration_s", "cell_id", "type")
CALL_DAYS = 90
_CHUNK = 200_000
_HOURS = np.array(
    [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 3, 5, 6, 6, 6, 7, 6, 6, 6, 7, 8, 8, 8, 7, 6, 4, 2], float
)


def _written(number: int, dice: Dice) -> str:
    text = f"{number:010d}"
    style = dice.below(4)
    if style == 0:
        return f"+44 {text[:4]} {text[4:]}"
    if style == 1:
        return f"0{text}"
    return f"0{text[:4]} {text[4:]}"


def write_subscribers(
    out_dir: Path, rng: np.random.Generator, pop: Population, plan: Plan, truth: TruthLog
) -> dict[str, int]:
    dice = Dice(rng)
    holders = [(int(n), p, "") for p, n in enumerate(pop.phone.tolist()) if n >= 0]
    holders += [(n, p, "") for p, n in sorted(plan.phones.items())]
    holders += [(n, p, "burner") for o in plan.ocgs for p, nums in o.burners.items() for n in nums]
    ages = pop.ages()
    head = np.searchsorted(pop.household, pop.household, side="left")
    start = date_to_day(REFERENCE_DATE)
    path = out_dir / "subscribers.csv"
    with CsvOut(path, SUBSCRIBERS_HEADER) as out:
        for slot in rng.permutation(len(holders)).tolist():
            number, user, kind = holders[slot]
            payer, note = user, kind
            if not kind and ages[user] < 16 and head[user] != user:
                payer, note = int(head[user]), f"user:P{user:07d}"
            contract = not kind and dice.chance(0.7)
            name: str | None = None
            household = -1
            dob = None
            if contract or (not kind and dice.chance(0.5)):
                forenames = forename_variant(pop, payer, dice, ErrorRates())
                name = " ".join(
                    filter(None, (forenames, surname_variant(pop, payer, dice, ErrorRates())))
                )
                if contract:
                    household = household_variant(pop, payer, dice, ErrorRates())
                    dob = dob_variant(pop, payer, dice, ErrorRates(no_dob=0.5))
            elif kind and dice.chance(0.4):
                table = dice.pick(data.MALE_FORENAMES)
                name = f"{dice.pick(table)} {dice.pick(data.SURNAMES)}"
                note = "burner; false details"
            elif kind:
                note = "burner; no details"
            since = start - dice.between(20, 8 * 365)
            line = out.write(
                (
                    _written(number, dice),
                    name,
                    None if household < 0 else pop.households.line(household),
                    None if household < 0 else pop.households.town(household),
                    None if household < 0 else pop.households.postcode(household),
                    dob,
                    day_to_date(since).isoformat(),
                    day_to_date(since + dice.between(10, 60)).isoformat() if kind else None,
                    data.NETWORKS[dice.below(len(data.NETWORKS))][0] if not kind else "Lebara",
                    f"ACC{dice.digits(9)}" if contract else None,
                )
            )
            truth.add(path.name, line, f"+44{number:010d}", payer, note)
        return {path.name: out.rows}


def _contact_graph(
    rng: np.random.Generator, pop: Population, plan: Plan, nodes: np.ndarray, owners: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contact pairs (indices into ``nodes``) and the cumulative tie strength to draw by."""
    weight = np.minimum(rng.pareto(1.6, len(nodes)) + 1.0, 300.0)
    cdf = np.cumsum(weight / weight.sum())
    count = 3 * len(nodes)
    u = np.searchsorted(cdf, rng.random(count), side="right").clip(0, len(nodes) - 1)
    v = np.searchsorted(cdf, rng.random(count), side="right").clip(0, len(nodes) - 1)
    # Household members call each other: link each phone holder to the first in the house.
    local = owners >= 0
    house = np.where(local, pop.household[np.maximum(owners, 0)], -1)
    order = np.lexsort((np.arange(len(nodes)), house))
    sorted_house = house[order]
    first = order[np.searchsorted(sorted_house, sorted_house, side="left")]
    same = local[order] & (first != order)
    u = np.concatenate([u, order[same]])
    v = np.concatenate([v, first[same]])
    household_tie = np.concatenate([np.zeros(count, bool), np.ones(int(same.sum()), bool)])
    keep = u != v
    offender = np.isin(nodes, np.fromiter(plan.offender_numbers, np.int64))
    child_numbers = [plan.phone_of(pop, c) for c in plan.missing_children]
    child = np.isin(nodes, np.array([n for n in child_numbers if n >= 0], np.int64))
    keep &= ~((offender[u] & child[v]) | (child[u] & offender[v]))
    u, v = u[keep], v[keep]
    strength = rng.lognormal(0.0, 1.2, len(u))
    strength[household_tie[keep]] *= 3.0  # (household ties are strong ones)
    return u, v, np.cumsum(strength / strength.sum())


def _format(
    a: np.ndarray, b: np.ndarray, start: np.ndarray, duration: np.ndarray, cell: np.ndarray
) -> str:
    base = np.datetime64(day_to_date(date_to_day(REFERENCE_DATE) - CALL_DAYS).isoformat(), "s")
    stamps = np.datetime_as_string(base + start.astype("timedelta64[s]"), unit="s").tolist()
    return "".join(
        f"+44{x:010d},+44{y:010d},{t}Z,{d},234-15-{c // 1000}-{c % 1000},"
        f"{'sms' if d == 0 else 'voice'}\n"
        for x, y, t, d, c in zip(
            a.tolist(), b.tolist(), stamps, duration.tolist(), cell.tolist(), strict=True
        )
    )


def _times(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray]:
    hours = np.searchsorted(np.cumsum(_HOURS / _HOURS.sum()), rng.random(size), side="right")
    day = rng.integers(0, CALL_DAYS, size)
    start = day * 86_400 + np.minimum(hours, 23) * 3600 + rng.integers(0, 3600, size)
    sms = rng.random(size) < 0.35
    duration = np.where(
        sms, 0, np.minimum(rng.lognormal(4.2, 1.0, size), 7200).astype(np.int64) + 1
    )
    return np.sort(start), duration


def write_calls(
    out_dir: Path, rng: np.random.Generator, pop: Population, plan: Plan, calls_per_person: float
) -> dict[str, int]:
    local = np.flatnonzero(pop.phone >= 0)
    extra = np.array(sorted(plan.phones.items()), dtype=np.int64).reshape(-1, 2)
    outside = pop.spare_numbers[plan.spare_used : plan.spare_used + max(50, len(local) // 8)]
    nodes = np.concatenate([pop.phone[local], extra[:, 1], outside])
    owners = np.concatenate([local, extra[:, 0], np.full(len(outside), -1)])
    area = np.where(owners >= 0, pop.households.area[pop.household[np.maximum(owners, 0)]], 0)
    cell = (area + 100) * 1000 + rng.integers(0, 1000, len(nodes))
    u, v, cdf = _contact_graph(rng, pop, plan, nodes, owners)
    total = int(calls_per_person * len(pop))
    path = out_dir / "calls.csv"
    with CsvOut(path, CALLS_HEADER) as out:
        for begin in range(0, total, _CHUNK):
            size = min(_CHUNK, total - begin)
            pick = np.searchsorted(cdf, rng.random(size), side="right").clip(0, len(u) - 1)
            flip = rng.random(size) < 0.5
            a = np.where(flip, v[pick], u[pick])
            b = np.where(flip, u[pick], v[pick])
            start, duration = _times(rng, size)
            out.write_text(_format(nodes[a], nodes[b], start, duration, cell[a]), size)
        planted = np.array(plan.calls, dtype=np.int64).reshape(-1, 3)
        if len(planted):
            repeat = planted[:, 2]
            a = np.repeat(planted[:, 0], repeat)
            b = np.repeat(planted[:, 1], repeat)
            back = rng.random(len(a)) < 0.3
            a, b = np.where(back, b, a), np.where(back, a, b)
            start, duration = _times(rng, len(a))
            planted_cells = 100_000 + rng.integers(0, 90_000, len(a))
            out.write_text(_format(a, b, rng.permutation(start), duration, planted_cells), len(a))
        return {path.name: out.rows}
