"""The synthetic region's Companies House data: companies (``companies.csv``, BasicCompanyData
with its published header), officer appointments (``officers.jsonl``, the data-fabric API's
appointment objects) and PSCs (``psc.jsonl``, the PSC snapshot's lines with its totals line).

About one company per fifteen people. Most are registered at a director's home, some at a few
formation agents' addresses that hundreds share (the over-shared values entity resolution must
suppress). Each organised crime group fronts one to three companies (car washes, nail bars,
takeaways) run by its enablers and members and controlled by its principal; each CSAE network
has a guest house or private hire firm registered at the address children are taken to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from loaders import generate_data as data
from loaders.generate_output import CsvOut, JsonlOut, TruthLog
from loaders.generate_plants import Plan
from loaders.generate_population import REFERENCE_DATE, Population
from loaders.generate_variants import Dice, ErrorRates, household_variant

COMPANIES_HEADER = (
    "CompanyName", " CompanyNumber", "RegAddress.CareOf", "RegAddress.POBox",
    "RegAddress.AddressLine1", " RegAddress.AddressLine2", "RegAddress.PostTown",
    "RegAddress.County", "RegAddress.Country", "RegAddress.PostCode", "CompanyCategory",
    "CompanyStatus", "CountryOfOrigin", "DissolutionDate", "IncorporationDate",
    "Accounts.AccountRefDay", "Accounts.AccountRefMonth", "Accounts.NextDueDate",
    "Accounts.LastMadeUpDate", "Accounts.AccountCategory", "Returns.NextDueDate",
    "Returns.LastMadeUpDate", "Mortgages.NumMortCharges", "Mortgages.NumMortOutstanding",
    "Mortgages.NumMortPartSatisfied", "Mortgages.NumMortSatisfied", "SICCode.SicText_1",
    "SICCode.SicText_2", "SICCode.SicText_3", "SICCode.SicText_4",
    "LimitedPartnerships.NumGenPartners", "LimitedPartnerships.NumLimPartners", "URI",
    *(
        name
        for n in range(1, 11)
        for name in (f"PreviousName_{n}.CONDATE", f" PreviousName_{n}.CompanyName")
    ),
    "ConfStmtNextDueDate", " ConfStmtLastMadeUpDate",
)  # fmt: skip

_SIC_TEXT = dict(data.SIC_CODES)
_FRONT_TRADES = ("Hand Car Wash", "Nails & Beauty", "Pizza & Grill", "Lettings", "Private Hire")
_CSAE_TRADES = ("Guest House", "Private Hire")
_STATUS = (("Active", 0.86), ("Dissolved", 0.09), ("Active - Proposal to Strike off", 0.03),
           ("Liquidation", 0.02))  # fmt: skip
_CONTROL = (
    "ownership-of-shares-75-to-100-percent",
    "ownership-of-shares-50-to-75-percent",
    "ownership-of-shares-25-to-50-percent",
    "voting-rights-75-to-100-percent",
    "right-to-appoint-and-remove-directors",
)
_WALES, _SCOTLAND = {"CF", "SA", "NP"}, {"AB", "EH", "G"}
_REF_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(slots=True)
class _Company:
    number: str
    name: str
    sic: str
    directors: list[int]
    controllers: list[int]  # individual PSCs
    household: int  # registered at this household's address (-1: a formation agent)
    agent: int
    incorporated: date


def _country(pop: Population, household: int) -> str:
    area = data.POSTCODE_AREAS[pop.households.area[household]][0]
    return "WALES" if area in _WALES else "SCOTLAND" if area in _SCOTLAND else "ENGLAND"


def _dmy(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


class _Writer:
    def __init__(self, out_dir: Path, rng: np.random.Generator, pop: Population, truth: TruthLog):
        self.dice = Dice(rng)
        self.rng = rng
        self.pop = pop
        self.truth = truth
        self.numbers = iter(rng.choice(14_000_000, size=len(pop) // 5 + 500, replace=False))
        self.officer_ids: dict[int, str] = {}
        self.agents = [
            (
                f"Suite {self.dice.between(1, 40)}, {self.dice.pick(data.COMPANY_WORDS)} House",
                self.dice.below(len(pop.households)),
            )
            for _ in range(max(3, len(pop) // 8000))
        ]
        self.companies = CsvOut(out_dir / "companies.csv", COMPANIES_HEADER)
        self.officers = JsonlOut(out_dir / "officers.jsonl")
        self.psc = JsonlOut(out_dir / "psc.jsonl")
        self.statements = 0
        ages = pop.ages()
        self.adults = np.flatnonzero((ages >= 21) & (ages <= 80))

    def number(self) -> str:
        value = int(next(self.numbers))
        return f"SC{value:06d}" if value < 1_000_000 else f"{value:08d}"

    def company(
        self,
        name: str,
        sic: str,
        directors: list[int],
        controllers: list[int],
        household: int | None = None,
    ) -> str:
        dice = self.dice
        agent = -1
        if household is None:
            roll = dice.random()
            household = int(self.pop.household[directors[0]]) if roll < 0.7 else -1
            agent = dice.below(len(self.agents)) if household < 0 else -1
        days = dice.between(30, 25 * 365)
        incorporated = date.fromordinal(REFERENCE_DATE.toordinal() - days)
        record = _Company(
            self.number(), name, sic, directors, controllers, household, agent, incorporated
        )
        self._write(record)
        return record.number

    def _write(self, c: _Company) -> None:
        dice, pop = self.dice, self.pop
        status = _STATUS[0][0]
        roll = dice.random()
        for text, p in _STATUS:
            if roll < p:
                status = text
                break
            roll -= p
        dissolved = None
        if status == "Dissolved":
            span = (REFERENCE_DATE - c.incorporated).days
            dissolved = date.fromordinal(c.incorporated.toordinal() + dice.between(1, span))
        if c.household >= 0:
            h = c.household
            lines = (pop.households.line(h), "")
        else:
            premises, h = self.agents[c.agent]
            lines = (premises, pop.households.line(h))
        previous: list[str] = []
        if dice.chance(0.06):
            previous = [
                _dmy(c.incorporated.replace(day=1)),
                f"{dice.pick(data.COMPANY_WORDS)} "
                f"{dice.pick(data.COMPANY_TRADES)[0].upper()} LIMITED",
            ]
        self.companies.write(
            (
                c.name,
                c.number,
                "",
                "",
                lines[0].upper(),
                lines[1].upper(),
                pop.households.town(h),
                "",
                _country(pop, h),
                pop.households.postcode(h),
                "Private Limited Company",
                status,
                "United Kingdom",
                _dmy(dissolved),
                _dmy(c.incorporated),
                "31",
                "3",
                "",
                "",
                "TOTAL EXEMPTION FULL",
                "",
                "",
                "0",
                "0",
                "0",
                "0",
                f"{c.sic} - {_SIC_TEXT[c.sic]}",
                "",
                "",
                "",
                "0",
                "0",
                f"http://business.data.gov.uk/id/company/{c.number}",
                *previous,
                *([""] * (20 - len(previous))),
                "",
                "",
            )
        )
        for person in c.directors:
            self._appointment(c, person, "01")
        if dice.chance(0.1):
            self._appointment(c, c.directors[0], "00")
        if dice.chance(0.15):
            self._appointment(c, self._anyone(), "03")
        self._controllers(c)

    def _anyone(self) -> int:
        return int(self.adults[self.dice.below(len(self.adults))])

    def _officer_id(self, person: int) -> str:
        if person not in self.officer_ids or self.dice.chance(0.04):
            self.officer_ids[person] = f"{self.dice.between(10_000_000, 99_999_999)}0001"
        return self.officer_ids[person]

    def _appointment(self, c: _Company, person: int, kind: str) -> None:
        dice, pop = self.dice, self.pop
        words = {"00": "Current Secretary", "01": "Current Director", "03": "Resigned Director"}
        appointed = date.fromordinal(c.incorporated.toordinal() + dice.between(0, 400))
        resigned = None
        if kind == "03":
            resigned = date.fromordinal(appointed.toordinal() + dice.between(30, 2000))
        if appointed > REFERENCE_DATE or (resigned and resigned > REFERENCE_DATE):
            appointed, resigned = c.incorporated, (c.incorporated if resigned else None)
        h = household_variant(pop, person, dice, ErrorRates(old_address=0.2, no_address=0))
        born = pop.birth_date(person)
        forenames = " ".join(filter(None, (pop.forenames(person), pop.middle_name(person))))
        officer_ref = self._officer_id(person)
        line = self.officers.write(
            {
                "person_number": officer_ref,
                "title": dice.pick(("MR", None)) if pop.sex[person] == 0 else None,
                "forenames": forenames.upper(),
                "surname": pop.surname_of(person).upper(),
                "honours": None,
                "address_line1": pop.households.line(h).upper(),
                "post_town": pop.households.town(h),
                "person_postcode": pop.households.postcode(h),
                "partial_date_of_birth": f"{born.year:04d}{born.month:02d}",
                "occupation": dice.pick(data.OCCUPATIONS).replace("_", " ").upper(),
                "nationality": data.NATIONALITIES[pop.nationality[person]][0].upper(),
                "usual_residential_country": _country(pop, h),
                "appointment_date": f"{appointed.isoformat()}T00:00:00",
                "appointment_type": kind,
                "appointment_type_description": words[kind],
                "corporate_indicator": None,
                "resignation_date": None if resigned is None else resigned.isoformat(),
                "company_number": c.number,
                "company_name": c.name,
            }
        )
        self.truth.add("officers.jsonl", line, f"{c.number}/{officer_ref}", person)

    def _ref(self) -> str:
        return self.dice.letters(_REF_CHARS, 27)

    def _controllers(self, c: _Company) -> None:
        dice, pop = self.dice, self.pop
        notified = date.fromordinal(max(c.incorporated, date(2016, 4, 6)).toordinal() + 14)
        notified = min(notified, REFERENCE_DATE)
        roll = dice.random()
        if not c.controllers and roll < 0.04:
            ref = self._ref()
            self.statements += 1
            self.psc.write(
                {
                    "company_number": c.number,
                    "data": {
                        "kind": "persons-with-significant-control-statement",
                        "links": {
                            "self": f"/company/{c.number}/persons-with-significant-control-"
                            f"statements/{ref}"
                        },
                        "notified_on": notified.isoformat(),
                        "statement": "no-individual-or-entity-with-signficant-control",
                    },
                }
            )
            return
        for person in c.controllers or c.directors[: 1 + (roll > 0.9)]:
            ref = self._ref()
            h = household_variant(pop, person, dice, ErrorRates(old_address=0.1, no_address=0))
            born = pop.birth_date(person)
            title = "Mr" if pop.sex[person] == 0 else dice.pick(("Mrs", "Ms", "Miss"))
            middle = pop.middle_name(person)
            elements = {
                "forename": pop.forenames(person),
                "surname": pop.surname_of(person),
                "title": title,
            } | ({"middle_name": middle} if middle else {})
            name = " ".join(
                filter(None, (title, pop.forenames(person), middle, pop.surname_of(person)))
            )
            line = self.psc.write(
                {
                    "company_number": c.number,
                    "data": {
                        "address": {
                            "address_line_1": pop.households.line(h),
                            "locality": pop.households.town(h).title(),
                            "postal_code": pop.households.postcode(h),
                            "country": _country(pop, h).title(),
                        },
                        "country_of_residence": _country(pop, h).title(),
                        "date_of_birth": {"month": born.month, "year": born.year},
                        "etag": dice.letters("0123456789abcdef", 40),
                        "kind": "individual-person-with-significant-control",
                        "links": {
                            "self": f"/company/{c.number}/persons-with-significant-control/"
                            f"individual/{ref}"
                        },
                        "name": name,
                        "name_elements": elements,
                        "nationality": data.NATIONALITIES[pop.nationality[person]][0],
                        "natures_of_control": [dice.pick(_CONTROL)],
                        "notified_on": notified.isoformat(),
                    },
                }
            )
            self.truth.add("psc.jsonl", line, f"{c.number}/{ref}", person)

    def close(self) -> dict[str, int]:
        self.psc.write(
            {
                "data": {
                    "kind": "totals#persons-of-significant-control-snapshot",
                    "persons_of_significant_control_count": self.psc.rows - self.statements,
                    "statements_count": self.statements,
                    "exemptions_count": 0,
                    "generated_at": f"{REFERENCE_DATE.isoformat()}T03:00:00Z",
                }
            },
            record=False,
        )
        for out in (self.companies, self.officers, self.psc):
            out.close()
        return {o.path.name: o.rows for o in (self.companies, self.officers, self.psc)}


def write_companies(
    out_dir: Path, rng: np.random.Generator, pop: Population, plan: Plan, truth: TruthLog
) -> dict[str, int]:
    writer = _Writer(out_dir, rng, pop, truth)
    dice = writer.dice
    for ocg in plan.ocgs:
        crew = ocg.with_role("enabler") + ocg.with_role("member")
        controllers = ocg.with_role("principal") if dice.chance(0.6) else ocg.with_role("broker")
        for _ in range(dice.between(1, 3)):
            trade = dice.pick(_FRONT_TRADES)
            sic = dict(data.COMPANY_TRADES)[trade]
            name = f"{dice.pick(data.COMPANY_WORDS)} {trade} LIMITED".upper()
            directors = [dice.pick(crew)]
            ocg.companies.append(writer.company(name, sic, directors, controllers[:1]))
    for network in plan.networks:
        trade = dice.pick(_CSAE_TRADES)
        name = f"{dice.pick(data.COMPANY_WORDS)} {trade} LIMITED".upper()
        sic = dict(data.COMPANY_TRADES)[trade]
        writer.company(name, sic, network.offenders[:1], [], household=network.location)
    adults = writer.adults
    count = max(30, len(pop) // 15)
    heads = rng.choice(adults, size=count)
    for person in heads.tolist():
        directors = [person]
        if dice.chance(0.35):
            directors.append(int(adults[dice.below(len(adults))]))
        if dice.random() < 0.5:
            trade, sic = dice.pick(data.COMPANY_TRADES)
            name = f"{dice.pick(data.COMPANY_WORDS)} {trade} LIMITED"
        else:
            trade, sic = dice.pick(data.COMPANY_TRADES)
            name = f"{pop.surname_of(person)} {trade} LTD"
        writer.company(name.upper(), sic, directors, [])
    return writer.close()
