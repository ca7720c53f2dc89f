from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from loaders.ch_psc import TOTALS_KIND, PscReader
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.base import PartialDate
from schema.records import PscKind, PscRecord
from tests.loaders.support import DATA, accounted, needs_data

FIXTURES = DATA / "companies_house" / "psc_pipeline_fixtures"

CONTEXT = LoadContext(
    source="companies_house", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
)


def read(path: Path) -> list[ReadResult]:
    return list(PscReader().read(path, CONTEXT))


def pscs(results: Iterable[ReadResult]) -> list[PscRecord]:
    out: list[PscRecord] = []
    for r in results:
        if isinstance(r, Parsed):
            out.extend(rec for rec in r.records if isinstance(rec, PscRecord))
    return out


@needs_data
def test_every_fixture_kind_is_read_and_every_line_accounted_for() -> None:
    kinds: Counter[str] = Counter()
    totals = 0
    for path in sorted(FIXTURES.glob("psc-data-*.json")):
        results = read(path)
        accounted(path, results)
        assert not [r for r in results if isinstance(r, Rejected)], path
        for r in results:
            assert isinstance(r, Parsed)
            if not r.records:
                totals += 1
                assert r.warnings[0].startswith("snapshot totals (generated 2024-11-22T03:43:03Z)")
        kinds.update(p.psc_kind.value for p in pscs(results))
    assert totals == 16
    assert kinds == {
        "corporate-entity-person-with-significant-control": 9,
        "individual-person-with-significant-control": 5,
        "persons-with-significant-control-statement": 1,
        "corporate-entity-beneficial-owner": 1,
        "legal-person-person-with-significant-control": 1,
        "legal-person-beneficial-owner": 1,
        "super-secure-person-with-significant-control": 1,
    }


@needs_data
def test_individual_statement_and_totals_line() -> None:
    path = FIXTURES / "psc-data-1.json"
    results = read(path)
    individual, statement = pscs(results)
    assert individual.company_number == "08209948"
    assert individual.psc_ref == "FReSTxwXcJbAHBrerDpmTylkW48"
    assert (individual.title, individual.forenames, individual.surname) == (
        "Mr",
        "Marc Anthony",
        "Feldman",
    )
    assert individual.name == "Mr Marc Anthony Feldman"
    assert individual.birth_date == PartialDate(year=1961, month=12)
    assert individual.natures_of_control == ("ownership-of-shares-75-to-100-percent",)
    assert individual.notified_on == date(2021, 12, 13)
    assert individual.address is not None
    assert individual.address.lines == ("9 Princes Square",)
    assert individual.address.postcode == "HG1 1ND"
    assert individual.provenance.line == 2
    assert statement.psc_kind is PscKind.STATEMENT
    assert statement.statement == "no-individual-or-entity-with-signficant-control"
    assert statement.ceased_on == date(2021, 12, 13)
    totals = results[-1]
    assert isinstance(totals, Parsed)
    assert totals.row.line == 4
    assert totals.records == ()
    assert totals.warnings == (
        "snapshot totals (generated 2024-11-22T03:43:03Z): 12,799,821 PSCs, 774,422 "
        "statements, 77 exemptions; this file holds 1 PSC line(s), 1 statement line(s) and 0 "
        "exemptions line(s) before it: the counts differ (a partial file, or a snapshot cut "
        "short)",
    )


@needs_data
def test_corporate_psc_links_company_to_company() -> None:
    (psc,) = pscs(read(FIXTURES / "psc-data-2.json"))
    assert psc.psc_kind is PscKind.CORPORATE_ENTITY
    assert (psc.company_number, psc.registration_number) == ("07434180", "00686734")
    assert psc.name == "Robert Hitchins Limited"
    assert psc.legal_form == "Private Limited Company"
    assert psc.country_registered == "England & Wales"
    assert psc.address is not None
    assert psc.address.lines == ("The Manor", "Boddington Lane", "Boddington")
    # A corporate PSC with no registration number can be matched by name only.
    (result, _) = read(FIXTURES / "psc-data-10.json")
    assert isinstance(result, Parsed)
    assert result.warnings == (
        "corporate-entity-person-with-significant-control has no registration number: it can "
        "be matched by name only",
    )


@needs_data
def test_the_whole_identification_is_kept() -> None:
    (uk,) = pscs(read(FIXTURES / "psc-data-2.json"))
    assert (uk.place_registered, uk.legal_authority) == ("Companies House Cardiff", "Companies Act")
    results = read(FIXTURES / "psc-data-15.json")
    (abroad,) = pscs(results)
    # Registered in Connecticut: not a Companies House number, so kept as written.
    assert (abroad.registration_number, abroad.place_registered, abroad.country_registered) == (
        "41-0406690",
        "Connecticut",
        "Minnesota, Usa",
    )
    assert abroad.legal_form == "Private"
    assert isinstance(results[0], Parsed)
    assert results[0].warnings == ()


@needs_data
def test_super_secure_and_overseas_beneficial_owners() -> None:
    (secure,) = pscs(read(FIXTURES / "psc-data-7.json"))
    assert secure.psc_kind is PscKind.SUPER_SECURE
    assert (secure.name, secure.psc_ref) == (None, "NcZQQA0LMrXYV1u0fGRHLrGIL_I")
    (owner,) = pscs(read(FIXTURES / "psc-data-6.json"))
    assert owner.psc_kind is PscKind.LEGAL_PERSON_BENEFICIAL_OWNER
    assert owner.company_number == "OE031044"
    assert owner.address is not None
    assert owner.address.lines == ("Czernin Palace", "Loretánské Náměstí 5")
    assert owner.is_sanctioned is False
    (corporate_owner,) = pscs(read(FIXTURES / "psc-data-4.json"))
    assert corporate_owner.is_sanctioned is False
    assert secure.is_sanctioned is None


def psc_line(number: str, ref: str, **data: object) -> str:
    body = {
        "kind": "individual-person-with-significant-control",
        "name": "Ann Example",
        "links": {"self": f"/company/{number}/persons-with-significant-control/individual/{ref}"},
        "natures_of_control": ["ownership-of-shares-25-to-50-percent"],
        "notified_on": "2020-01-02",
        **data,
    }
    return json.dumps({"company_number": number, "data": body})


def test_bad_lines_are_rejected_and_the_load_goes_on(tmp_path: Path) -> None:
    totals = {"kind": TOTALS_KIND, "persons_of_significant_control_count": 4}
    lines = [
        psc_line("01234567", "a1"),
        psc_line("01234567", "a2")[:70],  # cut short
        psc_line("01234567", "a3").replace("Ann", "\udce9nn"),  # replaced below by a raw byte
        psc_line("01234567", "a4", natures_of_control="ownership"),
        psc_line("01234567", "a5", notified_on="2020-02-30"),
        psc_line("01234567", "a6", kind="exemptions"),
        json.dumps({"company_number": "01234567"}),
        psc_line("01234567", "a8", kind="individual", registration_number="x"),
        psc_line("01234567", "a9", kind="statement", statement="psc-exists-but-not-identified"),
        json.dumps({"data": {**totals, "statements_count": 1, "exemptions_count": 0}}),
    ]
    path = tmp_path / "psc.txt"
    path.write_bytes(
        "\n".join(lines).encode("utf-8", errors="surrogateescape").replace(b"\\udce9", b"\xe9")
    )
    results = read(path)
    accounted(path, results)
    rejected = {r.row.line: r.reason for r in results if isinstance(r, Rejected)}
    assert rejected[2].startswith("truncated JSON: ")
    assert rejected[3].startswith("not valid UTF-8 (bytes b'\\xe9'")
    assert rejected[4] == "data.natures_of_control should be a list, not text"
    assert (
        rejected[5] == "data.notified_on '2020-02-30' is not a date: day is out of range for month"
    )
    assert rejected[6] == "exemptions a6: a company's PSC exemptions need at least one exemption"
    assert rejected[7] == 'no "data": expected {"company_number": ..., "data": {...}}'
    assert len(rejected) == 6
    assert [(p.provenance.line, p.psc_ref, p.psc_kind.value) for p in pscs(results)] == [
        (1, "a1", "individual-person-with-significant-control"),
        (8, "a8", "individual-person-with-significant-control"),
        (9, "a9", "persons-with-significant-control-statement"),
    ]
    last = results[-1]
    assert isinstance(last, Parsed)
    # Lines rejected after their kind was known count as lines of that kind read.
    assert last.warnings == (
        "snapshot totals (generated None): 4 PSCs, 1 statements, 0 exemptions; this file holds "
        "4 PSC line(s), 1 statement line(s) and 1 exemptions line(s), and 3 line(s) of no known "
        "kind before it: the counts differ (a partial file, or a snapshot cut short)",
    )


def test_totals_that_differ_say_so(tmp_path: Path) -> None:
    path = tmp_path / "psc.txt"
    totals = {
        "kind": TOTALS_KIND,
        "persons_of_significant_control_count": 2,
        "statements_count": 0,
        "exemptions_count": 0,
        "generated_at": "2026-01-01T00:00:00Z",
    }
    path.write_text(psc_line("1234", "x") + "\n" + json.dumps({"data": totals}) + "\n", "utf-8")
    first, last = read(path)
    assert isinstance(first, Parsed)
    assert first.records[0].company_number == "00001234"  # type: ignore[attr-defined]
    assert isinstance(last, Parsed)
    assert last.warnings == (
        "snapshot totals (generated 2026-01-01T00:00:00Z): 2 PSCs, 0 statements, 0 exemptions; "
        "this file holds 1 PSC line(s), 0 statement line(s) and 0 exemptions line(s) before it: "
        "the counts differ (a partial file, or a snapshot cut short)",
    )


def test_a_statement_without_its_text_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "psc.txt"
    path.write_text(psc_line("01234567", "s1", kind="statement"), "utf-8")
    (result,) = read(path)
    assert isinstance(result, Rejected)
    assert result.reason == (
        "persons-with-significant-control-statement s1: a PSC statement needs its statement text"
    )


def exemptions_line(number: str, exemptions: object) -> str:
    data = {
        "etag": "95753161ed97c525df753458c24b372ec2909393",
        "kind": "exemptions",
        "links": {"self": f"/company/{number}/exemptions"},
        "exemptions": exemptions,
    }
    return json.dumps({"company_number": number, "data": data})


def test_exemptions_are_a_kind_of_line_with_their_periods(tmp_path: Path) -> None:
    exemptions = {
        "psc_exempt_as_trading_on_uk_regulated_market": {
            "exemption_type": "psc-exempt-as-trading-on-uk-regulated-market",
            "items": [{"exempt_from": "2018-06-18"}],
        },
        "disclosure_transparency_rules_chapter_five_applies": {
            "exemption_type": "disclosure-transparency-rules-chapter-five-applies",
            "items": [
                {"exempt_from": "2016-06-30", "exempt_to": "2017-01-01"},
                {"exempt_from": "2021-02-02", "exempt_to": "2023-02-02"},
            ],
        },
        # No exemption_type: the key says it.
        "psc_exempt_as_shares_admitted_on_market": {"items": [{"exempt_from": "2019-01-01"}]},
    }
    totals = {
        "kind": TOTALS_KIND,
        "persons_of_significant_control_count": 1,
        "statements_count": 0,
        "exemptions_count": 1,
        "generated_at": "2026-01-01T00:00:00Z",
    }
    lines = [
        psc_line("00445790", "p1"),
        exemptions_line("445790", exemptions),
        json.dumps({"data": totals}),
    ]
    path = tmp_path / "psc.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read(path)
    accounted(path, results)
    _, record = pscs(results)
    assert (record.psc_kind, record.psc_ref, record.company_number) == (
        PscKind.EXEMPTIONS,
        "exemptions",
        "00445790",
    )
    assert record.name is None
    assert [(e.exemption_type, e.exempt_from, e.exempt_to) for e in record.exemptions] == [
        ("psc-exempt-as-trading-on-uk-regulated-market", date(2018, 6, 18), None),
        ("disclosure-transparency-rules-chapter-five-applies", date(2016, 6, 30), date(2017, 1, 1)),
        ("disclosure-transparency-rules-chapter-five-applies", date(2021, 2, 2), date(2023, 2, 2)),
        ("psc-exempt-as-shares-admitted-on-market", date(2019, 1, 1), None),
    ]
    assert record.id == PscRecord.record_id(
        "companies_house", company_number="00445790", psc_ref="exemptions"
    )
    assert json.loads(record.node_properties()["exemptions"])[0] == {
        "exemption_type": "psc-exempt-as-trading-on-uk-regulated-market",
        "exempt_from": "2018-06-18",
        "exempt_to": None,
    }
    last = results[-1]
    assert isinstance(last, Parsed)
    assert last.warnings == (
        "snapshot totals (generated 2026-01-01T00:00:00Z): 1 PSCs, 0 statements, 1 exemptions; "
        "this file holds 1 PSC line(s), 0 statement line(s) and 1 exemptions line(s) before it",
    )


def test_bad_exemptions_are_rejected(tmp_path: Path) -> None:
    kind = "psc_exempt_as_trading_on_regulated_market"
    lines = [
        exemptions_line("1", {kind: {"items": [{"exempt_to": "2020-01-01"}]}}),
        exemptions_line(
            "1", {kind: {"items": [{"exempt_from": "2020-01-01", "exempt_to": "2019"}]}}
        ),
        exemptions_line(
            "1", {kind: {"items": [{"exempt_from": "2020-01-01", "exempt_to": "2019-01-01"}]}}
        ),
        exemptions_line("1", {}),
        exemptions_line("1", [kind]),
        psc_line("1", "a1", exemptions={kind: {"items": [{"exempt_from": "2020-01-01"}]}}),
    ]
    path = tmp_path / "psc.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reasons = [r.reason for r in read(path) if isinstance(r, Rejected)]
    items = f"data.exemptions.{kind}.items[0]"
    assert reasons == [
        f"{items} has no exempt_from",
        f"{items}.exempt_to '2019' is not a date (dd/mm/yyyy, yyyy-mm-dd or yyyymmdd)",
        f"{items}: {kind.replace('_', '-')} ends (2019-01-01) before it starts (2020-01-01)",
        "exemptions exemptions: a company's PSC exemptions need at least one exemption",
        "data.exemptions should be a JSON object, not a list",
        "individual-person-with-significant-control a1: a "
        "individual-person-with-significant-control has no exemptions",
    ]


@pytest.mark.parametrize("kind", list(PscKind))
def test_every_kind_is_read(tmp_path: Path, kind: PscKind) -> None:
    data: dict[str, object] = {"kind": kind.value, "name": "Ann Example"}
    if kind.is_statement:
        data = {"kind": kind.value, "statement": "psc-details-not-confirmed"}
    elif kind.is_exemptions:
        exempt = {"items": [{"exempt_from": "2020-01-01"}]}
        data = {
            "kind": kind.value,
            "exemptions": {"psc_exempt_as_trading_on_regulated_market": exempt},
        }
    elif kind.is_super_secure:
        data = {"kind": kind.value, "description": "super-secure-persons-with-significant-control"}
    path = tmp_path / "psc.txt"
    path.write_text(psc_line("01234567", "k1", natures_of_control=[], **data) + "\n", "utf-8")
    (record,) = pscs(read(path))
    assert record.psc_kind is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("psc-exemptions", PscKind.EXEMPTIONS),
        ("exemption", PscKind.EXEMPTIONS),
        ("statements", PscKind.STATEMENT),
        ("legal_person", PscKind.LEGAL_PERSON),
    ],
)
def test_short_kinds(text: str, kind: PscKind) -> None:
    assert PscKind(text) is kind
