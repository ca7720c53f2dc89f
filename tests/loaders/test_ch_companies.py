from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from loaders.ch_companies import CompaniesReader
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.records import CompanyRecord, PreviousName
from tests.loaders.support import DATA, accounted, needs_data

CH = DATA / "companies_house"

CONTEXT = LoadContext(
    source="companies_house", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
)
HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,SICCode.SicText_1,SICCode.SicText_2,PreviousName_1.CONDATE,"
    " PreviousName_1.CompanyName"
)


def read(path: Path) -> list[ReadResult]:
    return list(CompaniesReader().read(path, CONTEXT))


def records(results: Iterable[ReadResult]) -> list[CompanyRecord]:
    out: list[CompanyRecord] = []
    for r in results:
        if isinstance(r, Parsed):
            out.extend(rec for rec in r.records if isinstance(rec, CompanyRecord))
    return out


def rejects(results: Iterable[ReadResult]) -> list[tuple[int, str]]:
    return [(r.row.line, r.reason) for r in results if isinstance(r, Rejected)]


@needs_data
def test_bulk_csv_sample_with_its_real_header() -> None:
    path = CH / "basic_company_data_sample" / "companies-sample.csv"
    results = read(path)
    accounted(path, results)
    header = results[0]
    assert isinstance(header, Parsed)
    assert (header.row.line, header.records, header.warnings) == (1, (), ())
    companies = records(results)
    assert len(companies) == 11
    assert rejects(results) == []
    by_number = {c.company_number: c for c in companies}
    first = by_number["08209948"]
    assert first.name == "! LTD"
    assert first.incorporated_on == date(2012, 9, 11)
    assert first.sic_codes == ("99999",)
    assert first.registered_address is not None
    assert str(first.registered_address) == "9 PRINCES SQUARE, HARROGATE, HG1 1ND, ENGLAND"
    assert first.provenance.line == 2
    assert by_number["07687209"].previous_names == (
        PreviousName(name="!OBAC FITTINGS LIMITED", changed_on=date(2011, 7, 15)),
    )
    assert by_number["FC031362"].sic_codes == ()  # "None Supplied"
    assert by_number["SC421617"].status == "Liquidation"
    assert by_number["02714021"].status == "Active - Proposal to Strike off"


@needs_data
def test_hard_wrapped_csv_is_rejected_row_by_row() -> None:
    # This fixture was saved with its lines wrapped at 118 characters: the header's first
    # physical line has 7 columns, and no later row has 7 fields.
    path = CH / "psc_pipeline_fixtures" / "basic-company-data-1.csv"
    results = read(path)
    accounted(path, results)
    header = results[0]
    assert isinstance(header, Parsed)
    assert header.warnings[0] == "columns not read (not BasicCompanyData names): ['RegAddr']"
    assert "the header lacks 33 BasicCompanyData column(s)" in header.warnings[1]
    assert records(results) == []
    bad = rejects(results)
    assert [line for line, _ in bad] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15]
    assert bad[0] == (2, "8 fields where the header has 7 columns")
    assert bad[10] == (12, "26 fields where the header has 7 columns")  # lines 12-13


@needs_data
def test_bulk_rows_as_json() -> None:
    path = CH / "psc_pipeline_fixtures" / "company-data-1.json"
    results = read(path)
    accounted(path, results)
    companies = records(results)
    assert [(c.company_number, c.name, c.provenance.line) for c in companies] == [
        ("08209948", "! LTD", 2),
        ("11399177", "!? LTD", 3),
    ]
    assert companies[1].sic_codes == ("47710",)


@needs_data
def test_data_fabric_company_objects() -> None:
    path = CH / "datafabric_api_examples" / "Company_example1.json"
    results = read(path)
    accounted(path, results)
    (company,) = records(results)
    assert company.company_number == "00001556"
    assert company.incorporated_on == date(1864, 8, 27)
    assert company.previous_names == (
        PreviousName(name="VULCAN FOUNDRY LIMITED", changed_on=date(2005, 7, 22)),
    )
    assert company.sic_codes == ("7499",)
    path = CH / "datafabric_api_examples" / "Company_example2.json"
    (result,) = read(path)
    assert isinstance(result, Parsed)
    assert result.records[0].provenance.line == 1
    assert [w.split(" in ")[0] for w in result.warnings] == [
        "3 officer appointment(s)",
        "2 PSC(s)",
        "3 former registered address(es)",
    ]


def test_bad_rows_are_rejected_and_the_load_goes_on(tmp_path: Path) -> None:
    good = '"GOOD {n} LTD","{n}","","","1 HIGH ST","","LEEDS","","","LS1 1AA",' + (
        '"Private Limited Company","Active","United Kingdom","","01/02/2003",'
        '"70100 - Activities of head offices","None Supplied","",""'
    )
    rows = [
        HEADER,
        good.format(n="123"),
        good.format(n="456").replace("LEEDS", "L\xe9EDS"),  # Latin-1, not UTF-8
        '"SHORT LTD","789"',
        good.format(n=""),
        good.format(n="999").replace("01/02/2003", "31/02/2003"),
        good.format(n="998").replace('"70100', '"ABC'),
        good.format(n="997").replace('"",""', '"01/01/2001",""'),
        good.format(n="SC000321"),
    ]
    path = tmp_path / "BasicCompanyData.csv"
    path.write_bytes("\n".join(rows).encode("utf-8").replace(b"\xc3\xa9", b"\xe9") + b"\n")
    results = read(path)
    accounted(path, results)
    assert [(c.company_number, c.provenance.line) for c in records(results)] == [
        ("00000123", 2),
        ("00000997", 8),
        ("SC000321", 9),
    ]
    assert records(results)[0].sic_codes == ("70100",)
    assert rejects(results) == [
        (3, "not valid UTF-8 (bytes b'\\xe9' at column 45); re-export the file as UTF-8"),
        (4, "2 fields where the header has 19 columns"),
        (5, "no CompanyNumber"),
        (6, "IncorporationDate '31/02/2003' is not a date: day is out of range for month"),
        (
            7,
            "company 998: sic_codes.0: 'ABC - Activities of head offices' is not a SIC "
            "code (four or five digits)",
        ),
    ]
    (warned,) = [r for r in results if isinstance(r, Parsed) and r.warnings and r.records]
    assert warned.row.line == 8
    assert warned.warnings == ("PreviousName_1 has a date (01/01/2001) but no name: not kept",)


def test_a_header_without_company_number_rejects_every_row(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Name,Number\nA,1\nB,2\n", encoding="utf-8")
    results = read(path)
    accounted(path, results)
    bad = rejects(results)
    assert bad[0] == (
        1,
        "the header has no companynumber or companyname column: this is not a BasicCompanyData "
        "header (it starts 'Name', 'Number')",
    )
    assert [line for line, _ in bad] == [1, 2, 3]
    assert bad[1][1].startswith("no usable header: the header has no companynumber")


def test_json_of_the_wrong_type_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(
        '[{"CompanyNumber": 123, "CompanyName": "A"},\n"text",\n'
        '{"CompanyNumber": "1", "CompanyName": "B", "IncorporationDate": "2001-02-03"}]\n',
        encoding="utf-8",
    )
    results = read(path)
    accounted(path, results)
    assert rejects(results) == [
        (1, "CompanyNumber should be text, not int 123"),
        (2, "expected a JSON object, not str"),
    ]
    assert [c.incorporated_on for c in records(results)] == [date(2001, 2, 3)]
