"""The synthetic region's police nominal records (``people.csv``) and missing-person episodes
(``missing.csv``), in the layouts ``loaders.people`` documents.

A quarter of the region has a nominal record, and everyone the plan involves does; one person in
twenty is recorded twice under different references (a duplicate with its own errors), as
systems that took a record without searching first do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from loaders import generate_data as data
from loaders.generate_output import CsvOut, TruthLog
from loaders.generate_plants import Plan
from loaders.generate_population import REFERENCE_DATE, Population, national
from loaders.generate_variants import (
    Dice,
    ErrorRates,
    dob_variant,
    forename_variant,
    household_variant,
    surname_variant,
)

PEOPLE_HEADER = (
    "nominal_ref", "surname", "forenames", "title", "aliases", "dob", "gender", "nationality",
    "address", "town", "postcode", "phones", "emails", "warning_markers", "flags",
)  # fmt: skip
MISSING_HEADER = (
    "episode_ref", "child_ref", "reported_at", "found_at", "where_found", "found_address",
    "found_town", "found_postcode",
)  # fmt: skip

DUPLICATE_RATES = ErrorRates(
    nickname=0.25, forename_typo=0.08, surname_typo=0.1, initial_only=0.08, no_forenames=0.02,
    dob_swapped=0.12, dob_year_typo=0.05, dob_year_only=0.03, no_dob=0.1, old_address=0.4,
    no_address=0.1,
)  # fmt: skip
STREET_ALIASES = ("Tiny", "Smokey", "Bugsy", "Ghost", "Skinny", "Rizla", "Junior", "Bam")
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


@dataclass(slots=True)
class PeopleResult:
    nominal: np.ndarray  # person -> the number of their first record (-1: none)
    episodes: dict[int, list[str]] = field(default_factory=dict)
    found_at: dict[int, str] = field(default_factory=dict)  # child -> episode found at a network


def nominal_ref(number: int) -> str:
    return f"NM{number:08d}"


def email_for(pop: Population, person: int, dice: Dice) -> str:
    local = f"{pop.forenames(person)}.{pop.surname_of(person)}".lower()
    local = "".join(c for c in local if c.isalnum() or c == ".")
    return f"{local}{dice.between(1, 99)}@{dice.pick(_EMAIL_DOMAINS)}"


def write_people(
    out_dir: Path, rng: np.random.Generator, pop: Population, plan: Plan, truth: TruthLog
) -> tuple[PeopleResult, dict[str, int]]:
    dice = Dice(rng)
    n = len(pop)
    chosen = rng.random(n) < 0.25
    planted = np.array(sorted(plan.planted_people), dtype=np.int64)
    chosen[planted] = True
    people = np.flatnonzero(chosen)
    twice = people[rng.random(len(people)) < 0.05]
    records = np.concatenate([people, twice])
    duplicate = np.concatenate([np.zeros(len(people), bool), np.ones(len(twice), bool)])
    order = rng.permutation(len(records))
    numbers = rng.choice(90_000_000, size=len(records), replace=False) + 10_000_000
    result = PeopleResult(np.full(n, -1, dtype=np.int64))

    burner_of = {p: nums[0] for o in plan.ocgs for p, nums in o.burners.items()}
    ocg_members = {p for o in plan.ocgs for p, _ in o.members}
    offenders = {p for net in plan.networks for p in net.offenders}
    connected = set(plan.links)
    missing = set(plan.missing_children)
    ages = pop.ages()

    path = out_dir / "people.csv"
    with CsvOut(path, PEOPLE_HEADER) as out:
        for slot in order:
            person, ref_number = int(records[slot]), int(numbers[slot])
            rates = DUPLICATE_RATES if duplicate[slot] else ErrorRates()
            ref = nominal_ref(ref_number)
            if result.nominal[person] < 0:
                result.nominal[person] = ref_number
            forenames = forename_variant(pop, person, dice, rates)
            title = None
            if ages[person] >= 18 and dice.chance(0.2):
                title = "Mr" if pop.sex[person] == 0 else dice.pick(("Mrs", "Ms", "Miss"))
                if forenames and dice.chance(0.05):
                    forenames, title = f"{title} {forenames}", None
            household = household_variant(pop, person, dice, rates)
            phones = []
            number = plan.phone_of(pop, person)
            if number >= 0 and dice.chance(0.7):
                phones.append(national(number))
            if person in burner_of and dice.chance(0.5):
                phones.append(national(burner_of[person]))
            markers: list[str] = []
            if person in ocg_members or (person in offenders and dice.chance(0.4)):
                markers = sorted(
                    {dice.pick(data.WARNING_MARKERS) for _ in range(dice.between(1, 2))}
                )
            elif dice.chance(0.02):
                markers = [dice.pick(data.WARNING_MARKERS)]
            flags: list[str] = []
            if person in missing:
                flags.append("MISSING_FREQUENT")
                if dice.chance(0.6 if person in connected else 0.12):
                    flags.append("CSE_RISK")
            aliases = (
                dice.pick(STREET_ALIASES) if person in ocg_members and dice.chance(0.5) else ""
            )
            line = out.write(
                (
                    ref,
                    surname_variant(pop, person, dice, rates),
                    forenames,
                    title,
                    aliases,
                    dob_variant(pop, person, dice, rates),
                    "" if dice.chance(0.02) else "MF"[pop.sex[person]],
                    None if dice.chance(0.1) else data.NATIONALITIES[pop.nationality[person]][0],
                    None if household < 0 else pop.households.line(household),
                    None if household < 0 else pop.households.town(household),
                    None if household < 0 else pop.households.postcode(household),
                    "|".join(phones),
                    email_for(pop, person, dice) if dice.chance(0.1) else None,
                    "|".join(markers),
                    "|".join(flags),
                )
            )
            truth.add(path.name, line, ref, person, "duplicate" if duplicate[slot] else "")
        rows = {path.name: out.rows}
    rows.update(_write_missing(out_dir, dice, rng, pop, plan, result, truth))
    return result, rows


_WHERE = (
    ("home address", "home"),
    ("friend's address", "friend"),
    ("city centre", None),
    ("A&E", None),
    ("railway station", None),
    ("returned of own accord", "home"),
    ("relative's address", "friend"),
)
_TAKEN_TO = ("address of an adult male", "a flat", "a house party", "an address", "a car")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_missing(
    out_dir: Path,
    dice: Dice,
    rng: np.random.Generator,
    pop: Population,
    plan: Plan,
    result: PeopleResult,
    truth: TruthLog,
) -> dict[str, int]:
    path = out_dir / "missing.csv"
    counts = np.minimum(rng.geometric(0.4, len(plan.missing_children)), 12)
    refs = rng.choice(9_000_000, size=int(counts.sum()), replace=False) + 1_000_000
    end = datetime.combine(REFERENCE_DATE, datetime.min.time(), tzinfo=UTC)
    households = pop.households
    taken = 0
    with CsvOut(path, MISSING_HEADER) as out:
        for child, count in zip(plan.missing_children, counts.tolist(), strict=True):
            link = plan.links.get(child)
            found_at = dice.below(count) if link and link[1].kind == "found_at" else -1
            for e in range(count):
                ref = f"ME{int(refs[taken]):07d}"
                taken += 1
                reported = end - timedelta(minutes=dice.between(60, 730 * 24 * 60))
                found = reported + timedelta(minutes=dice.between(30, 4 * 24 * 60))
                address = None
                if e == found_at and link is not None:
                    where = f"{dice.pick(_TAKEN_TO)} in {households.town(link[0].location)}"
                    address = link[0].location
                    result.found_at[child] = ref
                else:
                    where, kind = dice.pick(_WHERE)
                    if kind == "home":
                        address = int(pop.household[child])
                    elif kind == "friend":
                        address = dice.below(len(households))
                still_missing = e == count - 1 and dice.chance(0.03) and e != found_at
                line = out.write(
                    (
                        ref,
                        nominal_ref(int(result.nominal[child])),
                        _stamp(reported),
                        None if still_missing else _stamp(found),
                        None if still_missing else where,
                        None if address is None else households.line(address),
                        None if address is None else households.town(address),
                        None if address is None else households.postcode(address),
                    )
                )
                result.episodes.setdefault(child, []).append(ref)
                truth.add(path.name, line, ref, child)
        return {path.name: out.rows}
