"""The ground truth written beside a synthetic region, under ``truth/``:

====================  =====================================================================
file                  what it holds
====================  =====================================================================
records.csv           for every source row that describes a person (people, missing,
                      subscribers, officers, psc, passengers, report subjects): file, line,
                      key, the true ``person_id`` and a note (``duplicate``, ``burner; false
                      details``, ``user:P...`` when a parent holds a child's phone)
persons.csv           the region's people as they truly are
phones.csv            every number held in the region and who holds it
ocg_members.csv       organised crime groups: group, person, role (principal, broker,
                      enabler, member)
ocgs.jsonl            each group with its burners, vehicles, front companies and reports
csae_networks.jsonl   each network: offenders, the address children are taken to, its vehicle,
                      its CSAE reports, and the children connected with their paths
missing_children.csv  every child with missing episodes: connected or not, through what
====================  =====================================================================

A path is a list alternating nodes ("person:P0000042", "phone:+447...", "episode:ME...",
"address:POSTCODE|LINE", "vehicle:AB12CDE", "report:IR...") and relationships (``HAS_PHONE``,
``CALLED``, ``REPORTED_MISSING``, ``FOUND_AT``, ``LIVES_AT``, ``SUBJECT_OF``, ``MENTIONS``), read
from the child to a CSAE-tagged report. "Not connected" means no planted path: the random call
graph may still join a child to a network in a few hops, as real data does.
"""

from __future__ import annotations

import json
from pathlib import Path

from loaders import generate_data as data
from loaders.generate_output import CsvOut, JsonlOut
from loaders.generate_people import PeopleResult, nominal_ref
from loaders.generate_plants import ChildLink, Network, Plan
from loaders.generate_population import Population, e164, person_id


def _phone(pop: Population, plan: Plan, person: int) -> str:
    return f"phone:{e164(plan.phone_of(pop, person))}"


def child_path(
    pop: Population, plan: Plan, network: Network, link: ChildLink, people: PeopleResult
) -> list[str]:
    child = f"person:{person_id(link.child)}"
    offender = f"person:{person_id(link.offender)}"
    report = f"report:{network.report_refs[0]}"
    homes = pop.households
    if link.kind == "found_at":
        where = f"address:{homes.postcode(network.location)}|{homes.line(network.location)}"
        first = f"person:{person_id(network.offenders[0])}"
        episode = f"episode:{people.found_at[link.child]}"
        return [
            child,
            "REPORTED_MISSING",
            episode,
            "FOUND_AT",
            where,
            "LIVES_AT",
            first,
            "SUBJECT_OF",
            report,
        ]
    if link.kind == "calls":
        return [
            child,
            "HAS_PHONE",
            _phone(pop, plan, link.child),
            "CALLED",
            _phone(pop, plan, link.offender),
            "HAS_PHONE",
            offender,
            "SUBJECT_OF",
            report,
        ]
    if link.kind == "intermediary":
        return [
            child,
            "HAS_PHONE",
            _phone(pop, plan, link.child),
            "CALLED",
            _phone(pop, plan, link.intermediary),
            "CALLED",
            _phone(pop, plan, link.offender),
            "HAS_PHONE",
            offender,
            "SUBJECT_OF",
            report,
        ]
    vehicle = f"vehicle:{network.vehicle.replace(' ', '')}"
    return [
        child,
        "SUBJECT_OF",
        f"report:{link.report_ref}",
        "MENTIONS",
        vehicle,
        "MENTIONS",
        report,
    ]


def write_truth(
    truth_dir: Path, pop: Population, plan: Plan, people: PeopleResult
) -> dict[str, int]:
    rows: dict[str, int] = {}
    homes = pop.households
    with CsvOut(
        truth_dir / "persons.csv",
        (
            "person_id",
            "forenames",
            "middle_name",
            "surname",
            "sex",
            "dob",
            "nationality",
            "address",
            "town",
            "postcode",
            "phone",
            "nominal_ref",
        ),
    ) as out:
        batch = []
        for i in range(len(pop)):
            h = int(pop.household[i])
            batch.append(
                (
                    person_id(i),
                    pop.forenames(i),
                    pop.middle_name(i),
                    pop.surname_of(i),
                    "MF"[pop.sex[i]],
                    pop.birth_date(i).isoformat(),
                    data.NATIONALITIES[pop.nationality[i]][0],
                    homes.line(h),
                    homes.town(h),
                    homes.postcode(h),
                    e164(int(pop.phone[i])) if pop.phone[i] >= 0 else None,
                    nominal_ref(int(people.nominal[i])) if people.nominal[i] >= 0 else None,
                )
            )
            if len(batch) == 10_000:
                out.write_many(batch)
                batch = []
        out.write_many(batch)
        rows["truth/persons.csv"] = out.rows

    with CsvOut(truth_dir / "phones.csv", ("number", "person_id", "kind", "ocg_id")) as out:
        out.write_many(
            [
                (e164(int(n)), person_id(p), "personal", None)
                for p, n in enumerate(pop.phone.tolist())
                if n >= 0
            ]
        )
        out.write_many(
            [(e164(n), person_id(p), "personal", None) for p, n in sorted(plan.phones.items())]
        )
        out.write_many(
            [
                (e164(n), person_id(p), "burner", o.ocg_id)
                for o in plan.ocgs
                for p, nums in o.burners.items()
                for n in nums
            ]
        )
        rows["truth/phones.csv"] = out.rows

    with CsvOut(truth_dir / "ocg_members.csv", ("ocg_id", "person_id", "role")) as out:
        out.write_many([(o.ocg_id, person_id(p), r) for o in plan.ocgs for p, r in o.members])
        rows["truth/ocg_members.csv"] = out.rows

    with JsonlOut(truth_dir / "ocgs.jsonl") as jl:
        for o in plan.ocgs:
            jl.write(
                {
                    "ocg_id": o.ocg_id,
                    "tags": list(o.tags),
                    "members": [{"person_id": person_id(p), "role": r} for p, r in o.members],
                    "burners": {
                        person_id(p): [e164(n) for n in nums] for p, nums in o.burners.items()
                    },
                    "vehicles": o.vehicles,
                    "companies": o.companies,
                    "reports": o.report_refs,
                }
            )
        rows["truth/ocgs.jsonl"] = jl.rows

    paths = {}
    with JsonlOut(truth_dir / "csae_networks.jsonl") as jl:
        for net in plan.networks:
            children = []
            for link in net.links:
                paths[link.child] = child_path(pop, plan, net, link, people)
                children.append(
                    {
                        "person_id": person_id(link.child),
                        "nominal_ref": nominal_ref(int(people.nominal[link.child])),
                        "kind": link.kind,
                        "path": paths[link.child],
                        **(
                            {"intermediary": person_id(link.intermediary)}
                            if link.intermediary >= 0
                            else {}
                        ),
                    }
                )
            h = net.location
            jl.write(
                {
                    "network_id": net.network_id,
                    "offenders": [person_id(p) for p in net.offenders],
                    "location": {
                        "address": homes.line(h),
                        "town": homes.town(h),
                        "postcode": homes.postcode(h),
                    },
                    "vehicle": net.vehicle,
                    "reports": net.report_refs,
                    "children": children,
                }
            )
        rows["truth/csae_networks.jsonl"] = jl.rows

    with CsvOut(
        truth_dir / "missing_children.csv",
        (
            "person_id",
            "nominal_ref",
            "episodes",
            "connected",
            "network_id",
            "kind",
            "path",
        ),
    ) as out:
        for child in plan.missing_children:
            linked = plan.links.get(child)
            out.write(
                (
                    person_id(child),
                    nominal_ref(int(people.nominal[child])),
                    len(people.episodes.get(child, ())),
                    "yes" if linked else "no",
                    linked[0].network_id if linked else None,
                    linked[1].kind if linked else None,
                    json.dumps(paths[child], separators=(",", ":")) if linked else None,
                )
            )
        rows["truth/missing_children.csv"] = out.rows
    return rows
