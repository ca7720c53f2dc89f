"""The synthetic region's intelligence reports (``reports.jsonl``), in the layout
``loaders.intel_reports`` documents: graded 3x5x2 (older ones 5x5x5), with free text that
mentions phone numbers, postcodes, vehicle registrations and names as officers write them.

CSAE networks are reported in CSAE-tagged reports that name the offenders and mention their
phones, the address children are taken to and the network's vehicle; organised crime groups
in reports tagged by their business; connected children's return interviews mention the
network's vehicle. Background reports (anti-social behaviour, vehicle stops, drugs, return
interviews with missing children who are not connected) name people at random.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from loaders import generate_data as data
from loaders.generate_output import JsonlOut, TruthLog
from loaders.generate_people import nominal_ref
from loaders.generate_plants import Plan
from loaders.generate_population import REFERENCE_DATE, Population, national
from loaders.generate_variants import Dice, ErrorRates, forename_variant, surname_variant

_CARS = (
    "grey Vauxhall Astra",
    "black BMW 3 Series",
    "white Ford Transit",
    "silver Audi A3",
    "blue Ford Fiesta",
    "black Mercedes C-Class",
    "red Seat Leon",
    "white Toyota Prius",
    "silver VW Golf",
    "black Range Rover Evoque",
)
_CSAE = (
    "Information received that {o} is associating with teenage girls at {line}, {postcode}. "
    "Girls believed to be 13 to 15 are seen arriving in a {car} {vrm}.",
    "Source reports that {o} and {o2} host parties at an address on {street} ({postcode}) where "
    "alcohol and cannabis are given to children. {vrm} seen outside on several evenings.",
    "{o} is believed to contact young people on Snapchat and then by phone on {phone}. He has "
    "been seen collecting girls near the retail park in a {car}, {vrm}.",
    "School safeguarding lead reports a pupil receiving gifts and phone credit from an older "
    "male known as {nick}, believed to be {o}, who uses {phone}.",
    "Anonymous caller states that young girls are taken to {postcode} by {o}. Caller gave the "
    "number {phone} as one the girls are told to ring.",
)
_OCG = (
    "Intelligence indicates {o} is running a drugs line from {postcode} using {phone}. Runners "
    "are collected in a {car} {vrm}.",
    "{o} is believed to hold the line phone {phone}; deals are arranged by bulk text and "
    "cash is collected by {o2}.",
    "{o} and {o2} seen meeting at {line}, {postcode}. {o2} arrived in {vrm}.",
    "Cash is believed to be laundered through a business in {town} controlled by {o}. {o2} "
    "keeps the books and uses {phone}.",
    "Young males from out of area have been staying at {postcode}, believed to be cuckooed by "
    "{o}'s group. Vehicle {vrm} linked.",
)
_RETURN = (
    "Return interview with {c} after a missing episode. {pron} said {pron_l} had been with "
    "friends and was dropped home by a man in a {car} {vrm}. Would not say more.",
)
_BACKGROUND = (
    ("Vehicle {vrm} stopped on {street}, {town}. Driver {o}, no further action.", ()),
    ("Residents report drug use and late-night visitors at {line}, {postcode}.", ("DRUGS",)),
    ("{o} reported for anti-social behaviour near {street}, {town}.", ("ASB",)),
    ("{o} seen in a {car} {vrm} in {town}; vehicle has no insurance.", ()),
    ("Caller states {o} is dealing cannabis from {postcode}, contact number {phone}.", ("DRUGS",)),
    ("Domestic incident at {line}, {postcode}. {o} arrested and later released.", ("DA",)),
)
_BACKGROUND_RETURN = (
    "Return interview with {c}: stayed at a friend's address in {town}. No concerns disclosed.",
    "Return interview with {c}: had argued with family and spent the night in {town} centre.",
)


def _grading(dice: Dice, old: bool) -> dict[str, str]:
    if old and dice.chance(0.6):
        return {"grading": f"{dice.pick('ABCDE')}{dice.pick('12345')} {dice.pick('1234')}"}
    source = "1223"[dice.below(4)]
    intel = "AABBBCCCDE"[dice.below(10)]
    handling = "P" if dice.chance(0.7) else "C"
    form = dice.below(3)
    if form == 0:
        return {"grading": f"{source}{intel}", "handling_code": handling}
    return {
        "grading": f"{source}{intel} {handling}" if form == 1 else f"{source}/{intel}/{handling}"
    }


class _Writer:
    def __init__(
        self,
        out_dir: Path,
        dice: Dice,
        pop: Population,
        plan: Plan,
        nominal: np.ndarray,
        truth: TruthLog,
    ) -> None:
        self.dice, self.pop, self.plan, self.nominal, self.truth = dice, pop, plan, nominal, truth
        self.out = JsonlOut(out_dir / "reports.jsonl")
        self.burners = {p: n[0] for o in plan.ocgs for p, n in o.burners.items()}

    def name(self, person: int) -> str:
        rates = ErrorRates()
        forenames = forename_variant(self.pop, person, self.dice, rates)
        return " ".join(
            filter(None, (forenames, surname_variant(self.pop, person, self.dice, rates)))
        )

    def fill(self, template: str, people: list[int], vrm: str, household: int) -> str:
        dice, pop = self.dice, self.pop
        homes = pop.households
        first = people[0]
        phone = self.plan.phone_of(pop, first)
        number = self.burners.get(first, phone)
        she = pop.sex[first] == 1
        return template.format(
            o=self.name(first),
            o2=self.name(people[-1]),
            c=self.name(first),
            nick=dice.pick(("Daz", "Big Man", "Mo", "Uncle", "K")),
            line=homes.line(household),
            postcode=homes.postcode(household),
            street=homes.line(household).split(" ", 1)[1],
            town=homes.town(household).title(),
            car=dice.pick(_CARS),
            vrm=vrm,
            phone=national(number) if number >= 0 else "a withheld number",
            pron="She" if she else "He",
            pron_l="she" if she else "he",
        )

    def write(
        self,
        ref: str,
        text: str,
        tags: tuple[str, ...],
        subjects: list[tuple[int, str]],
        days_ago: int,
        force: str,
    ) -> None:
        dice, pop = self.dice, self.pop
        day = REFERENCE_DATE - timedelta(days=days_ago)
        listed: list[dict[str, Any]] = []
        for person, role in subjects:
            subject: dict[str, Any] = {"name": self.name(person), "role": role}
            if dice.chance(0.6):
                subject["dob"] = pop.birth_date(person).isoformat()
            if self.nominal[person] >= 0 and dice.chance(0.8):
                subject["nominal_ref"] = nominal_ref(int(self.nominal[person]))
            listed.append(subject)
        value: dict[str, Any] = {
            "id": ref,
            "date": day.isoformat() if dice.chance(0.8) else day.strftime("%d/%m/%Y"),
            "force": force,
            "unit": dice.pick(data.UNITS),
            **_grading(dice, day < date(2021, 6, 1)),
            "tags": list(tags),
            "text": text,
            "subjects": listed,
        }
        line = self.out.write(value)
        for index, (person, _) in enumerate(subjects):
            self.truth.add(self.out.path.name, line, f"{ref}#subject{index}", person)


def write_reports(
    out_dir: Path,
    rng: np.random.Generator,
    pop: Population,
    plan: Plan,
    nominal: np.ndarray,
    truth: TruthLog,
) -> dict[str, int]:
    dice = Dice(rng)
    writer = _Writer(out_dir, dice, pop, plan, nominal, truth)
    for network in plan.networks:
        force = dice.pick(data.FORCES)
        for i, ref in enumerate(network.report_refs):
            # The first report names every offender: the end of each child's planted path.
            people = network.offenders if i == 0 else [dice.pick(network.offenders)]
            template = _CSAE[0] if i == 0 else dice.pick(_CSAE)
            text = writer.fill(template, people, network.vehicle, network.location)
            tags: tuple[str, ...] = ("CSAE",) if dice.chance(0.6) else ("CSAE", "CSE")
            writer.write(
                ref, text, tags, [(p, "suspect") for p in people], dice.between(10, 540), force
            )
    for ocg in plan.ocgs:
        force = dice.pick(data.FORCES)
        people = [p for p, _ in ocg.members]
        for ref in ocg.report_refs:
            named = sorted({dice.pick(people) for _ in range(dice.between(1, 3))})
            home = int(pop.household[named[0]])
            text = writer.fill(dice.pick(_OCG), named, dice.pick(ocg.vehicles), home)
            writer.write(
                ref, text, ocg.tags, [(p, "suspect") for p in named], dice.between(10, 720), force
            )
    for network, link in sorted(plan.links.values(), key=lambda nl: nl[1].child):
        if link.report_ref is not None:
            text = writer.fill(_RETURN[0], [link.child], network.vehicle, network.location)
            writer.write(
                link.report_ref,
                text,
                ("MISSING",),
                [(link.child, "missing person")],
                dice.between(10, 400),
                dice.pick(data.FORCES),
            )
    adults = np.flatnonzero(pop.ages() >= 16)
    unconnected = [c for c in plan.missing_children if c not in plan.links]
    for ref in plan.background_refs:
        if unconnected and dice.chance(0.15):
            child = dice.pick(unconnected)
            text = writer.fill(
                dice.pick(_BACKGROUND_RETURN), [child], "", int(pop.household[child])
            )
            subjects: list[tuple[int, str]] = [(child, "missing person")]
            tags = ("MISSING",)
        else:
            template, tags = dice.pick(_BACKGROUND)
            person = int(adults[dice.below(len(adults))])
            vrm = (
                f"{dice.letters('ABCDEFGHJKLMNOPRSTUVWXY', 2)}{dice.between(51, 74)} "
                f"{dice.letters('ABCDEFGHJKLMNPRSTUVWXYZ', 3)}"
            )
            home = (
                int(pop.household[person]) if dice.chance(0.7) else dice.below(len(pop.households))
            )
            text = writer.fill(template, [person], vrm, home)
            subjects = [(person, dice.pick(("suspect", "witness", "associate")))]
        writer.write(ref, text, tags, subjects, dice.between(1, 2000), dice.pick(data.FORCES))
    writer.out.close()
    return {writer.out.path.name: writer.out.rows}
