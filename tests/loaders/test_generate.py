from __future__ import annotations

import csv
import hashlib
import json
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from loaders.ch_companies import CompaniesReader
from loaders.ch_officers import OfficersReader
from loaders.ch_psc import PscReader
from loaders.generate import SOURCES, GenerationSummary, generate_region
from loaders.intel_reports import IntelReportReader, extract_mentions
from loaders.normalise import is_uk_postcode
from loaders.passengers_csv import PassengersReader
from loaders.people import MissingEpisodeReader, PeopleReader
from loaders.phones import CallReader, SubscriberReader
from loaders.reading import LoadContext, Parsed, Reader, Rejected
from schema.records import (
    CallRecord,
    IntelReportRecord,
    MissingEpisodeRecord,
    PersonRecord,
    PhoneSubscriberRecord,
    Record,
)

CONTEXT = LoadContext(
    source="synthetic", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
)
READERS: dict[str, Reader] = {
    "people.csv": PeopleReader(),
    "missing.csv": MissingEpisodeReader(),
    "subscribers.csv": SubscriberReader(),
    "calls.csv": CallReader(),
    "reports.jsonl": IntelReportReader(),
    "companies.csv": CompaniesReader(),
    "psc.jsonl": PscReader(),
    "officers.jsonl": OfficersReader(),
    "passengers.csv": PassengersReader(),
}
PERSONS = 2_000


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> GenerationSummary:
    return generate_region(tmp_path_factory.mktemp("region"), PERSONS, seed=11)


@pytest.fixture(scope="module")
def records(region: GenerationSummary) -> dict[str, list[tuple[int, Record]]]:
    """Every source file read with its project reader: (line, record) per file."""
    out: dict[str, list[tuple[int, Record]]] = {}
    for name, reader in READERS.items():
        results = list(reader.read(region.out_dir / name, CONTEXT))
        rejected = [(r.row.line, r.reason) for r in results if isinstance(r, Rejected)]
        assert rejected == [], name
        out[name] = [
            (r.row.line, rec) for r in results if isinstance(r, Parsed) for rec in r.records
        ]
    return out


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_source_is_read_without_rejects_and_counts_match(
    region: GenerationSummary, records: dict[str, list[tuple[int, Record]]]
) -> None:
    assert set(SOURCES) == set(READERS)
    for name in READERS:
        assert region.rows[name] > 0, name
        assert len(records[name]) == region.rows[name], name
    assert len(records["calls.csv"]) > 2 * PERSONS
    manifest = json.loads((region.out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == region.rows
    assert region.lines()[0].startswith("2,000 persons, seed 11")


def test_same_seed_gives_byte_identical_files(region: GenerationSummary, tmp_path: Path) -> None:
    again = generate_region(tmp_path / "again", PERSONS, seed=11)
    other = generate_region(tmp_path / "other", PERSONS, seed=12)

    def digests(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    assert digests(again.out_dir) == digests(region.out_dir)
    assert digests(other.out_dir)["people.csv"] != digests(region.out_dir)["people.csv"]


def test_truth_refers_only_to_ids_and_rows_present(
    region: GenerationSummary, records: dict[str, list[tuple[int, Record]]]
) -> None:
    truth = region.out_dir / "truth"
    persons = {row["person_id"] for row in _csv(truth / "persons.csv")}
    assert len(persons) == PERSONS
    lines = {name: {line for line, _ in recs} for name, recs in records.items()}
    described = _csv(truth / "records.csv")
    assert described
    for row in described:
        assert row["person_id"] in persons
        assert int(row["line"]) in lines[row["file"]], row
    # every person-describing row has its truth
    for name in ("people.csv", "missing.csv", "subscribers.csv", "passengers.csv"):
        assert {int(r["line"]) for r in described if r["file"] == name} == lines[name]

    nominal = {r.nominal_ref for _, r in records["people.csv"] if isinstance(r, PersonRecord)}
    episodes = {
        r.episode_ref for _, r in records["missing.csv"] if isinstance(r, MissingEpisodeRecord)
    }
    reports = {
        r.report_ref: r for _, r in records["reports.jsonl"] if isinstance(r, IntelReportRecord)
    }
    numbers = {
        r.number for _, r in records["subscribers.csv"] if isinstance(r, PhoneSubscriberRecord)
    }
    called = set()
    for _, call in records["calls.csv"]:
        assert isinstance(call, CallRecord)
        called.update({call.a_number, call.b_number})

    roles = Counter(row["role"] for row in _csv(truth / "ocg_members.csv"))
    assert set(roles) == {"principal", "broker", "enabler", "member"}
    assert all(row["person_id"] in persons for row in _csv(truth / "ocg_members.csv"))
    for ocg in _jsonl(truth / "ocgs.jsonl"):
        assert set(ocg["reports"]) <= set(reports)

    missing = _csv(truth / "missing_children.csv")
    connected = [m for m in missing if m["connected"] == "yes"]
    assert connected
    assert len(missing) > 2 * len(connected)
    for child in missing:
        assert child["person_id"] in persons
        assert child["nominal_ref"] in nominal
    kinds = set()
    for network in _jsonl(truth / "csae_networks.jsonl"):
        assert all(p in persons for p in network["offenders"])
        first = reports[network["reports"][0]]
        assert first.csae
        for child in network["children"]:
            kinds.add(child["kind"])
            for node in child["path"][::2]:
                kind, _, value = node.partition(":")
                present = {
                    "person": persons,
                    "episode": episodes,
                    "report": set(reports),
                    "phone": called & numbers,
                }.get(kind)
                assert present is None or value in present, node
    assert kinds == {"found_at", "calls", "intermediary", "vehicle"}


def test_values_are_valid_looking(
    region: GenerationSummary, records: dict[str, list[tuple[int, Record]]]
) -> None:
    for _, sub in records["subscribers.csv"]:
        assert isinstance(sub, PhoneSubscriberRecord)
        assert phonenumbers.is_valid_number(phonenumbers.parse(sub.number))
        if sub.address is not None and sub.address.postcode is not None:
            assert is_uk_postcode(sub.address.postcode)
    for _, person in records["people.csv"]:
        assert isinstance(person, PersonRecord)
        for address in person.addresses:
            assert address.postcode is None or is_uk_postcode(address.postcode)
    kinds: Counter[str] = Counter()
    tagged = 0
    for _, report in records["reports.jsonl"]:
        assert isinstance(report, IntelReportRecord)
        tagged += report.csae
        kinds.update(m.kind.value for m in extract_mentions(report.text))
    assert tagged > 0
    assert {"phone", "postcode", "vehicle"} <= set(kinds)


def test_duplicates_and_errors_are_planted(region: GenerationSummary) -> None:
    described = _csv(region.out_dir / "truth" / "records.csv")
    people = [r for r in described if r["file"] == "people.csv"]
    per_person = Counter(r["person_id"] for r in people)
    assert any(n > 1 for n in per_person.values())
    truth = {r["person_id"]: r for r in _csv(region.out_dir / "truth" / "persons.csv")}
    rows = {i + 2: r for i, r in enumerate(_csv(region.out_dir / "people.csv"))}
    differs = sum(
        rows[int(r["line"])]["forenames"] != truth[r["person_id"]]["forenames"] for r in people
    )
    assert 0 < differs < len(people) / 2


def test_too_small_a_region_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_region(tmp_path, 10, seed=1)


@pytest.mark.slow
def test_a_hundred_thousand_persons(tmp_path: Path) -> None:
    began = time.perf_counter()
    summary = generate_region(tmp_path, 100_000, seed=5)
    elapsed = time.perf_counter() - began
    print(f"100,000 persons generated in {elapsed:.1f} s")  # timings are reported, not asserted
    for name, reader in READERS.items():
        results = reader.read(summary.out_dir / name, CONTEXT)
        assert not any(isinstance(r, Rejected) for r in results), name
