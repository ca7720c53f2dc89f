"""A small synthetic population with known duplicates, for tests that need a trained model."""

from __future__ import annotations

import random
from dataclasses import dataclass

from algorithms.er.table import Cell, Column, ColumnKind, RecordTable

FORENAMES = [
    "william", "james", "oliver", "harry", "jack", "george", "noah", "charlie", "jacob",
    "alfie", "amelia", "olivia", "isla", "emily", "poppy", "ava", "isabella", "jessica",
    "lily", "sophie", "grace", "sophia", "mia", "evie", "ruby", "ella", "scarlett", "chloe",
]  # fmt: skip
SURNAMES = [
    "jones", "williams", "taylor", "brown", "davies", "evans", "wilson", "thomas", "johnson",
    "roberts", "robinson", "thompson", "wright", "walker", "white", "edwards", "hughes",
    "green", "hall", "lewis", "harris", "clarke", "patel", "jackson", "wood", "turner",
    "martin", "cooper", "hill", "ward", "morris", "moore", "clark", "lee", "king", "baker",
    "harrison", "morgan", "allen", "james", "scott", "phillips", "watson", "davis", "parker",
]  # fmt: skip
STREETS = ["high street", "station road", "church lane", "park avenue", "mill road", "the green"]
KINDS = {
    "forename": ColumnKind.FORENAME,
    "surname": ColumnKind.SURNAME,
    "dob": ColumnKind.DATE_OF_BIRTH,
    "phone": ColumnKind.PHONE,
    "postcode": ColumnKind.POSTCODE,
    "address": ColumnKind.ADDRESS,
}


@dataclass(frozen=True)
class Population:
    table: RecordTable
    person: list[int]
    """The person each record describes."""

    def true_pairs(self) -> tuple[list[int], list[int]]:
        left: list[int] = []
        right: list[int] = []
        for i in range(len(self.person)):
            for j in range(i + 1, len(self.person)):
                if self.person[i] == self.person[j]:
                    left.append(i)
                    right.append(j)
        return left, right


def _typo(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text))
    return text[:i] + rng.choice("aeiourstln") + text[i + 1 :]


def _person(rng: random.Random) -> dict[str, str]:
    # Smith is common on purpose: a tenth of everyone, for term-frequency tests.
    surname = "smith" if rng.random() < 0.1 else rng.choice(SURNAMES)
    return {
        "forename": rng.choice(FORENAMES),
        "surname": surname,
        "dob": f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "phone": f"07700 9{rng.randint(0, 99999):05d}",
        "postcode": f"SW{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGH')}"
        f"{rng.choice('JLNPQRSTUWXYZ')}",
        "address": f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
    }


def _duplicate(rng: random.Random, row: dict[str, str]) -> dict[str, str]:
    dup = dict(row)
    change = rng.choice(["surname", "forename", "dob_swap", "dob_typo", "phone", "postcode"])
    if change == "surname":
        dup["surname"] = _typo(rng, row["surname"])
    elif change == "forename" and row["forename"] == "william":
        dup["forename"] = "bill"
    elif change == "forename":
        dup["forename"] = row["forename"].upper()
    elif change == "dob_swap":
        y, m, d = row["dob"].split("-")
        dup["dob"] = f"{y}-{d}-{m}" if int(d) <= 12 else f"{y}-{m}-{d}"
    elif change == "dob_typo":
        dup["dob"] = row["dob"][:-1] + str((int(row["dob"][-1]) + 1) % 10)
    elif change == "phone":
        dup["phone"] = "+44 " + row["phone"][1:]
    else:
        dup["postcode"] = row["postcode"].replace(" ", "").lower()
    return dup


def population(
    people: int = 400,
    *,
    seed: int = 1,
    duplicates: float = 0.6,
    extra: tuple[dict[str, str], ...] = (),
) -> Population:
    """``people`` persons, a share of them recorded twice with one difference; ``extra`` rows
    are appended as persons of their own."""
    rng = random.Random(seed)
    rows: list[dict[str, str]] = []
    person: list[int] = []
    for p in range(people):
        row = _person(rng)
        rows.append(row)
        person.append(p)
        if rng.random() < duplicates:
            rows.append(_duplicate(rng, row))
            person.append(p)
    for k, row in enumerate(extra):
        rows.append(row)
        person.append(people + k)
    columns = {
        name: Column(kind, [_cell(r.get(name)) for r in rows]) for name, kind in KINDS.items()
    }
    return Population(RecordTable([f"r{i}" for i in range(len(rows))], columns), person)


def _cell(value: str | None) -> Cell:
    return value or None
