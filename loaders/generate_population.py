"""The synthetic region's people: households, names, dates of birth, addresses and phones.

Everything is held as numpy arrays indexed by person (or household, or phone), so a region of
a million people is tens of megabytes; the text of a name or an address is rendered only when a
row is written (``Population.forename`` and friends). Person ``i`` has the truth id
``person_id(i)`` ("P0000042").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from loaders import generate_data as data

REFERENCE_DATE = date(2025, 6, 30)
"""The region's "today": ages, subscriptions, episodes and reports are dated before it."""

_EPOCH = date(1970, 1, 1)
_MOBILE_SPACE = len(data.MOBILE_PREFIXES) * 1_000_000

FORENAMES: tuple[str, ...] = tuple(
    dict.fromkeys(n for table in (*data.MALE_FORENAMES, *data.FEMALE_FORENAMES) for n in table)
)
"""Every forename in the cohort tables, once, in first-seen order (person arrays index it)."""

_FORENAME_INDEX = {name: i for i, name in enumerate(FORENAMES)}

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]


def person_id(index: int) -> str:
    return f"P{index:07d}"


def day_to_date(days: int) -> date:
    return _EPOCH + timedelta(days=int(days))


def date_to_day(day: date) -> int:
    return (day - _EPOCH).days


def national(number: int) -> str:
    """A mobile as people write it: "07412 345678"."""
    text = f"{number:010d}"
    return f"0{text[:4]} {text[4:]}"


def e164(number: int) -> str:
    return f"+44{number:010d}"


@dataclass(slots=True)
class Households:
    """Addresses: postcode parts and a house on a street."""

    area: I32
    district: I32
    sector: I32
    unit: I32  # index of the two inward letters, 0..399
    house: I32
    street: I32
    street_type: I32

    def __len__(self) -> int:
        return len(self.area)

    def postcode(self, h: int) -> str:
        letters = data.INWARD_LETTERS
        unit = int(self.unit[h])
        area = data.POSTCODE_AREAS[int(self.area[h])][0]
        return f"{area}{self.district[h]} {self.sector[h]}{letters[unit // 20]}{letters[unit % 20]}"

    def line(self, h: int) -> str:
        street = data.STREET_NAMES[int(self.street[h])]
        kind = data.STREET_TYPES[int(self.street_type[h])][0]
        return f"{self.house[h]} {street} {kind}"

    def town(self, h: int) -> str:
        return data.POSTCODE_AREAS[int(self.area[h])][1]


@dataclass(slots=True)
class Population:
    """The region's people as arrays by person index."""

    sex: NDArray[np.int8]  # 0 male, 1 female
    forename: I32
    middle: I32  # -1 when none
    surname: I32
    dob: I32  # days since 1970-01-01
    household: I32
    previous_household: I32  # an earlier address (sources lag behind moves)
    nationality: I32
    phone: I64  # national significant number, -1 when none
    households: Households
    spare_numbers: I64  # allocated numbers nobody in the region holds (burners, callers outside)

    def __len__(self) -> int:
        return len(self.sex)

    def age(self, i: int) -> int:
        born = day_to_date(int(self.dob[i]))
        ref = REFERENCE_DATE
        return ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))

    def ages(self) -> I32:
        return ((date_to_day(REFERENCE_DATE) - self.dob) // 365.25).astype(np.int32)

    def forenames(self, i: int) -> str:
        return FORENAMES[int(self.forename[i])]

    def middle_name(self, i: int) -> str | None:
        m = int(self.middle[i])
        return None if m < 0 else FORENAMES[m]

    def surname_of(self, i: int) -> str:
        return data.SURNAMES[int(self.surname[i])]

    def full_name(self, i: int) -> str:
        return f"{self.forenames(i)} {self.surname_of(i)}"

    def birth_date(self, i: int) -> date:
        return day_to_date(int(self.dob[i]))


def _choice(rng: np.random.Generator, weights: NDArray[np.float64], size: int) -> I32:
    cdf = np.cumsum(weights / weights.sum())
    return (
        np.searchsorted(cdf, rng.random(size), side="right").clip(0, len(cdf) - 1).astype(np.int32)
    )


def build_households(rng: np.random.Generator, count: int) -> Households:
    weights = np.array([a[3] for a in data.POSTCODE_AREAS])
    area = _choice(rng, weights, count)
    districts = np.array([a[2] for a in data.POSTCODE_AREAS], dtype=np.int32)
    type_weights = np.array([t[1] for t in data.STREET_TYPES])
    return Households(
        area=area,
        district=(rng.random(count) * districts[area]).astype(np.int32) + 1,
        sector=rng.integers(0, 10, count, dtype=np.int32),
        unit=rng.integers(0, 400, count, dtype=np.int32),
        house=np.minimum(rng.geometric(0.03, count), 400).astype(np.int32),
        street=rng.integers(0, len(data.STREET_NAMES), count, dtype=np.int32),
        street_type=_choice(rng, type_weights, count),
    )


def _household_sizes(rng: np.random.Generator, persons: int) -> I32:
    probs = np.array([0.30, 0.35, 0.15, 0.13, 0.05, 0.02])
    sizes = _choice(rng, probs, persons // 2 + 10) + 1
    ends = np.cumsum(sizes)
    cut = int(np.searchsorted(ends, persons)) + 1
    sizes = sizes[:cut].copy()
    sizes[-1] -= int(ends[cut - 1]) - persons
    return sizes[sizes > 0].astype(np.int32)


def _forenames(rng: np.random.Generator, sex: NDArray[np.int8], born: I32) -> I32:
    cohort = np.searchsorted(np.array(data.COHORT_STARTS), born, side="right") - 1
    out = np.empty(len(sex), dtype=np.int32)
    for c in range(len(data.COHORT_STARTS)):
        for s, tables in ((0, data.MALE_FORENAMES), (1, data.FEMALE_FORENAMES)):
            mask = (cohort == c) & (sex == s)
            table = tables[c]
            index = np.array([_FORENAME_INDEX[n] for n in table], dtype=np.int32)
            picks = _choice(rng, data.zipf_weights(len(table), 0.8, 3.0), int(mask.sum()))
            out[mask] = index[picks]
    return out


def allocate_numbers(rng: np.random.Generator, count: int) -> I64:
    """``count`` distinct mobile numbers (national significant numbers, 10 digits)."""
    picks = rng.choice(_MOBILE_SPACE, size=count, replace=False).astype(np.int64)
    prefixes = np.array([int(p) for p in data.MOBILE_PREFIXES], dtype=np.int64)
    return np.asarray(prefixes[picks // 1_000_000] * 1_000_000 + picks % 1_000_000, dtype=np.int64)


def build_population(rng: np.random.Generator, persons: int) -> Population:
    """A region of ``persons`` people living in households."""
    sizes = _household_sizes(rng, persons)
    count = len(sizes)
    households = build_households(rng, count)
    household = np.repeat(np.arange(count, dtype=np.int32), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    member = np.arange(persons, dtype=np.int32) - starts

    head_age = np.clip(rng.normal(47, 17, count), 18, 95).astype(np.int32)
    head = head_age[household]
    partner = np.clip(head + rng.normal(0, 4, persons), 18, 99).astype(np.int32)
    young = rng.random(persons) * np.clip(np.minimum(17, head - 17), 1, None)
    grown = 18 + rng.random(persons) * np.clip(head - 38, 1, None)
    age = np.where(
        member == 0, head, np.where(member == 1, partner, np.where(head < 58, young, grown))
    ).astype(np.int32)
    today = date_to_day(REFERENCE_DATE)
    dob = (today - age * 365.25 - rng.integers(0, 365, persons)).astype(np.int32)

    head_sex = rng.integers(0, 2, count).astype(np.int8)[household]
    opposite = np.where(rng.random(persons) < 0.9, 1 - head_sex, head_sex)
    sex = np.where(
        member == 0, head_sex, np.where(member == 1, opposite, rng.integers(0, 2, persons))
    ).astype(np.int8)

    weights = data.zipf_weights(len(data.SURNAMES))
    family = _choice(rng, weights, count)[household]
    own = _choice(rng, weights, persons)
    keeps = np.where(member == 1, 0.75, 0.92)
    surname = np.where((member == 0) | (rng.random(persons) < keeps), family, own)

    years = (1970 + dob / 365.25).astype(np.int32)
    forename = _forenames(rng, sex, years)
    middle = np.where(rng.random(persons) < 0.55, _forenames(rng, sex, years), -1)

    nat_weights = np.array([n[2] for n in data.NATIONALITIES])
    nationality = _choice(rng, nat_weights, count)[household]

    has_phone = rng.random(persons) < np.where(age >= 16, 0.92, np.where(age >= 11, 0.7, 0.05))
    spare = max(200, persons // 5)
    numbers = allocate_numbers(rng, int(has_phone.sum()) + spare)
    phone = np.full(persons, -1, dtype=np.int64)
    phone[has_phone] = numbers[: int(has_phone.sum())]

    moved = rng.random(persons) < 0.35
    previous = np.where(moved, rng.integers(0, count, persons), household).astype(np.int32)
    return Population(
        sex=sex,
        forename=forename.astype(np.int32),
        middle=middle.astype(np.int32),
        surname=surname.astype(np.int32),
        dob=dob,
        household=household,
        previous_household=previous,
        nationality=nationality.astype(np.int32),
        phone=phone,
        households=households,
        spare_numbers=numbers[int(has_phone.sum()) :],
    )
