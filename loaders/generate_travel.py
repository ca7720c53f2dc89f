"""The synthetic region's passenger listings (``passengers.csv``), in the layout
``loaders.passengers_csv`` documents: flights between UK airports and abroad, booked by
households travelling together (one booking reference, an outbound and a return leg), and
members of each organised crime group travelling together on the same flights.

Departure times are written with the departure airport's UTC offset on the day, as the layout
asks. PAXLST and PNRGOV (EDIFACT) renderings of the same passengers are not written yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from loaders import generate_data as data
from loaders.generate_output import CsvOut, TruthLog
from loaders.generate_people import email_for
from loaders.generate_plants import Plan
from loaders.generate_population import REFERENCE_DATE, Population, national
from loaders.generate_variants import Dice, typo

PASSENGERS_HEADER = (
    "surname", "forenames", "dob", "gender", "nationality", "document_type", "document_number",
    "document_country", "document_expiry", "carrier", "flight_number", "departure_airport",
    "arrival_airport", "scheduled_departure", "seat", "pnr", "infant", "contact_name",
    "contact_phone", "contact_email",
)  # fmt: skip
_UK = [a for a in data.AIRPORTS if a[2]]
_ABROAD = [a for a in data.AIRPORTS if not a[2]]
_UK_WEIGHTS = (10, 6, 6, 4, 3, 3, 2, 3, 3, 2, 2, 2, 2)
_PNR_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True, slots=True)
class _Flight:
    carrier: str
    number: str
    origin: str
    destination: str
    departure: str  # ISO 8601 with the origin's offset
    day: date


def _flight(
    dice: Dice, origin: tuple[str, str, bool], destination: tuple[str, str, bool], day: date
) -> _Flight:
    local = datetime(day.year, day.month, day.day, dice.between(6, 21), dice.pick((0, 15, 30, 45)))
    when = local.replace(tzinfo=ZoneInfo(origin[1]))
    number = str(dice.between(1, 2999))
    if dice.chance(0.2):
        number = number.zfill(4)
    return _Flight(
        dice.pick(data.CARRIERS),
        number,
        origin[0],
        destination[0],
        when.isoformat(timespec="minutes"),
        day,
    )


def _flights(dice: Dice, pairs: int) -> list[tuple[_Flight, _Flight]]:
    weights = np.cumsum(np.array(_UK_WEIGHTS, float) / sum(_UK_WEIGHTS))
    out = []
    for _ in range(pairs):
        home = _UK[int(np.searchsorted(weights, dice.random(), side="right").clip(0, len(_UK) - 1))]
        away = dice.pick(_ABROAD)
        leave = REFERENCE_DATE - timedelta(days=dice.between(20, 200))
        back = leave + timedelta(days=dice.between(3, 14))
        out.append((_flight(dice, home, away, leave), _flight(dice, away, home, back)))
    return out


class _Writer:
    def __init__(self, out_dir: Path, dice: Dice, pop: Population, plan: Plan, truth: TruthLog):
        self.dice, self.pop, self.plan, self.truth = dice, pop, plan, truth
        self.out = CsvOut(out_dir / "passengers.csv", PASSENGERS_HEADER)
        self.passports: dict[int, tuple[str, date]] = {}
        self.aboard: set[tuple[int, int]] = set()
        self.ages = pop.ages()

    def passport(self, person: int) -> tuple[str, date]:
        if person not in self.passports:
            expiry = REFERENCE_DATE + timedelta(days=self.dice.between(30, 3650))
            self.passports[person] = (self.dice.digits(9), expiry)
        return self.passports[person]

    def booking(
        self, legs: tuple[_Flight, ...], party: list[int], flight_ids: tuple[int, ...]
    ) -> None:
        dice, pop = self.dice, self.pop
        pnr = dice.letters(_PNR_CHARS, 6)
        lead = party[0]
        phone = self.plan.phone_of(pop, lead)
        for flight, flight_id in zip(legs, flight_ids, strict=True):
            row = dice.between(1, 40)
            for seat, person in enumerate(party):
                if (flight_id, person) in self.aboard:
                    continue
                self.aboard.add((flight_id, person))
                document, expiry = self.passport(person)
                nationality = data.NATIONALITIES[pop.nationality[person]][1]
                surname = pop.surname_of(person).upper()
                if dice.chance(0.02):
                    surname = typo(surname, dice)
                forenames = " ".join(filter(None, (pop.forenames(person), pop.middle_name(person))))
                contact = person == lead
                line = self.out.write(
                    (
                        surname,
                        forenames.upper(),
                        None if dice.chance(0.01) else pop.birth_date(person).isoformat(),
                        "MF"[pop.sex[person]],
                        nationality,
                        "P",
                        document,
                        nationality,
                        expiry.isoformat(),
                        flight.carrier,
                        flight.number,
                        flight.origin,
                        flight.destination,
                        flight.departure,
                        f"{row:03d}{'ABCDEF'[seat % 6]}",
                        pnr,
                        "Y" if self.ages[person] < 2 else "N",
                        pop.full_name(lead) if contact else None,
                        national(phone) if contact and phone >= 0 else None,
                        email_for(pop, lead, dice) if contact and phone < 0 else None,
                    )
                )
                key = f"{flight.carrier}{flight.number}/{flight.day.isoformat()}/{pnr}"
                self.truth.add(self.out.path.name, line, key, person)


def write_passengers(
    out_dir: Path, rng: np.random.Generator, pop: Population, plan: Plan, truth: TruthLog
) -> dict[str, int]:
    dice = Dice(rng)
    flights = _flights(dice, max(10, len(pop) // 300))
    writer = _Writer(out_dir, dice, pop, plan, truth)
    ages = writer.ages
    adults = np.flatnonzero(ages >= 18)
    starts = np.searchsorted(pop.household, pop.household, side="left")
    ends = np.searchsorted(pop.household, pop.household, side="right")
    sizes = np.searchsorted(np.array([0.45, 0.75, 0.9, 1.0]), rng.random(max(20, len(pop) // 12)))
    leads = rng.choice(adults, size=len(sizes))
    for lead, size in zip(leads.tolist(), sizes.tolist(), strict=True):
        others = [p for p in range(int(starts[lead]), int(ends[lead])) if p != lead]
        family = [lead, *others[:size]]
        pair = dice.below(len(flights))
        legs = flights[pair] if dice.chance(0.9) else flights[pair][:1]
        writer.booking(legs, family, (2 * pair, 2 * pair + 1)[: len(legs)])
    for ocg in plan.ocgs:
        people = [p for p, _ in ocg.members]
        for _ in range(dice.between(1, 2)):
            crew = sorted({dice.pick(people) for _ in range(dice.between(2, 4))})
            pair = dice.below(len(flights))
            if dice.chance(0.5):
                writer.booking(flights[pair], crew, (2 * pair, 2 * pair + 1))
            else:
                for person in crew:
                    writer.booking(flights[pair], [person], (2 * pair, 2 * pair + 1))
    writer.out.close()
    return {writer.out.path.name: writer.out.rows}
