"""Companies House companies: the BasicCompanyData bulk product (``clew load companies``).

Three shapes of the same data are read, told apart by the file (CSV, or JSON):

- the bulk CSV, with its header as published: names with leading spaces and dots
  (``" CompanyNumber"``, ``"RegAddress.AddressLine1"``, ``"SICCode.SicText_1"``,
  ``" PreviousName_1.CompanyName"``); dates dd/mm/yyyy; an empty field is no value;
- the same rows as JSON objects keyed by those names (``company-data-*.json`` in bulk
  pipelines);
- company objects from the data-fabric API (``reg_address_post_town``, ISO dates,
  ``historic_names``).

Fields are found by name, never position, compared as ``companies_house.key_name`` writes
them, so "RegAddress.PostTown" and "reg_address_post_town" are one field. Columns the bulk file
has that ``CompanyRecord`` does not keep (accounts, returns, mortgages, limited-partnership
counts, confirmation statements, the URI) are listed in ``NOT_KEPT``; a header name that is
neither kept nor listed is reported as a warning on the header row.

A CSV row with a different number of fields from the header, or without a company number or
name, is rejected with the reason. The header row itself is reported as a row with no records
(with warnings about its names); a header without CompanyNumber or CompanyName is rejected, and
so is every row after it, since none can be read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pydantic import ValidationError

from loaders.companies_house import (
    BadRow,
    Fields,
    address,
    care_of,
    iter_json_values,
    key_name,
    parse_date,
    po_box,
    sniff_json,
    validation_reason,
)
from loaders.reading import LoadContext, Parsed, RawRow, ReadResult, Rejected, iter_csv
from schema.records import CompanyRecord, PreviousName

REQUIRED = ("companynumber", "companyname")

KEPT = frozenset(
    {
        *REQUIRED,
        *(
            f"regaddress{part}"
            for part in (
                "careof",
                "pobox",
                "addressline1",
                "addressline2",
                "posttown",
                "county",
                "country",
                "postcode",
            )
        ),
        "companycategory",
        "companystatus",
        "countryoforigin",
        "dissolutiondate",
        "incorporationdate",
        *(f"siccodesictext{n}" for n in range(1, 5)),
        *(f"previousname{n}{part}" for n in range(1, 11) for part in ("condate", "companyname")),
    }
)
"""The bulk file's columns (as ``key_name`` writes them) that ``CompanyRecord`` keeps."""

NOT_KEPT = frozenset(
    {
        "accountsaccountrefday",
        "accountsaccountrefmonth",
        "accountsnextduedate",
        "accountslastmadeupdate",
        "accountsaccountcategory",
        "returnsnextduedate",
        "returnslastmadeupdate",
        "mortgagesnummortcharges",
        "mortgagesnummortoutstanding",
        "mortgagesnummortpartsatisfied",
        "mortgagesnummortsatisfied",
        "limitedpartnershipsnumgenpartners",
        "limitedpartnershipsnumlimpartners",
        "uri",
        "confstmtnextduedate",
        "confstmtlastmadeupdate",
    }
)
"""The bulk file's columns that are knowingly not loaded: ``CompanyRecord`` has no field for
them, and none of them identifies or links a company."""

_PREVIOUS = re.compile(r"previousname(\d+)(condate|companyname)")
_NO_SIC = "none supplied"  # the bulk file's words for a company that gave no SIC code


class CompaniesReader:
    """Reads BasicCompanyData (CSV or JSON) into ``CompanyRecord``s."""

    kind = "companies"

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        if sniff_json(path):
            yield from self._read_json(path, context)
        else:
            yield from self._read_csv(path, context)

    def _read_csv(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        names: list[str] | None = None
        keys: list[str] = []
        slots: list[int] = []
        unusable: str | None = None
        for item in iter_csv(path):
            if isinstance(item, Rejected):
                yield item
                continue
            row, fields = item
            if not fields:
                continue  # a blank line
            if names is None:
                names = [f.strip() for f in fields]
                keys = [key_name(f) for f in fields]
                slots = _previous_slots(keys)
                unusable, warnings = _check_header(names, keys)
                if unusable is not None:
                    yield Rejected(row, unusable)
                else:
                    yield Parsed(row, (), warnings)
                continue
            if unusable is not None:
                yield Rejected(row, f"no usable header: {unusable}")
            elif len(fields) != len(keys):
                yield Rejected(
                    row, f"{len(fields)} fields where the header has {len(keys)} columns"
                )
            else:
                columns = _Columns(dict(zip(keys, zip(names, fields, strict=True), strict=True)))
                yield _result(row, columns, slots, context)

    def _read_json(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        for item in iter_json_values(path):
            if isinstance(item, Rejected):
                yield item
                continue
            row, value = item
            if not isinstance(value, dict):
                yield Rejected(row, f"expected a JSON object, not {type(value).__name__}")
                continue
            columns = _Columns({key_name(k): (k, v) for k, v in value.items()}, value)
            yield _result(row, columns, _previous_slots(columns.values), context)


def _check_header(names: list[str], keys: list[str]) -> tuple[str | None, tuple[str, ...]]:
    missing = [n for n in REQUIRED if n not in keys]
    if missing:
        return (
            f"the header has no {' or '.join(missing)} column: this is not a BasicCompanyData "
            f"header (it starts {', '.join(repr(n) for n in names[:3])})",
            (),
        )
    warnings = []
    repeated = sorted({n for n in keys if keys.count(n) > 1})
    if repeated:
        return f"the header repeats columns {repeated}", ()
    unknown = [n for n, k in zip(names, keys, strict=True) if k not in KEPT | NOT_KEPT]
    if unknown:
        warnings.append(f"columns not read (not BasicCompanyData names): {unknown}")
    absent = sorted(KEPT - set(keys))
    if absent:
        shown = ", ".join(absent[:8]) + (", ..." if len(absent) > 8 else "")
        warnings.append(
            f"the header lacks {len(absent)} BasicCompanyData column(s) that are read "
            f"(as compared: {shown}): those fields are empty in every row"
        )
    return None, tuple(warnings)


def _result(row: RawRow, col: _Columns, slots: list[int], context: LoadContext) -> ReadResult:
    try:
        record, warnings = _company_record(col, slots, context, row)
    except BadRow as exc:
        return Rejected(row, str(exc))
    return Parsed(row, (record,), warnings)


def _previous_slots(keys: Iterable[str]) -> list[int]:
    """The numbers of the PreviousName_N columns present."""
    return sorted({int(m[1]) for k in keys if (m := _PREVIOUS.fullmatch(k))})


class _Columns:
    """A row's values by ``key_name``, each with the name the file gives it (for messages),
    type-checked as they are read; and, for JSON, the object (for its nested lists)."""

    __slots__ = ("nested", "values")

    def __init__(
        self, values: Mapping[str, tuple[str, object]], nested: Mapping[str, object] | None = None
    ) -> None:
        self.values = values
        self.nested = Fields(nested or {})

    def text(self, key: str) -> str | None:
        name, value = self.values.get(key, (key, None))
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadRow(f"{name} should be text, not {type(value).__name__} {value!r}")
        return value.strip() or None


def _company_record(
    col: _Columns, slots: list[int], context: LoadContext, row: RawRow
) -> tuple[CompanyRecord, tuple[str, ...]]:
    number, name = col.text("companynumber"), col.text("companyname")
    if number is None:
        raise BadRow("no CompanyNumber")
    if name is None:
        raise BadRow(f"company {number} has no CompanyName")
    warnings: list[str] = []
    sic = [
        text
        for n in range(1, 5)
        if (text := col.text(f"siccodesictext{n}")) and text.lower() != _NO_SIC
    ]
    registered = address(
        [
            care_of(col.text("regaddresscareof")),
            po_box(col.text("regaddresspobox")),
            col.text("regaddressaddressline1"),
            col.text("regaddressaddressline2"),
        ],
        locality=col.text("regaddressposttown"),
        region=col.text("regaddresscounty"),
        postcode=col.text("regaddresspostcode"),
        country=col.text("regaddresscountry"),
        label="RegAddress",
    )
    try:
        record = CompanyRecord(
            provenance=context.provenance(row),
            company_number=number,
            name=name,
            status=col.text("companystatus"),
            category=col.text("companycategory"),
            country_of_origin=col.text("countryoforigin"),
            incorporated_on=parse_date(col.text("incorporationdate"), label="IncorporationDate"),
            dissolved_on=parse_date(col.text("dissolutiondate"), label="DissolutionDate"),
            registered_address=registered,
            sic_codes=tuple(sic),
            previous_names=_previous_names(col, slots, warnings),
        )
    except ValidationError as exc:
        raise BadRow(f"company {number}: {validation_reason(exc)}") from exc
    warnings.extend(_embedded(col.nested))
    return record, tuple(warnings)


def _previous_names(
    col: _Columns, slots: list[int], warnings: list[str]
) -> tuple[PreviousName, ...]:
    found: list[tuple[str | None, str | None, str]] = []
    for n in slots:
        found.append(
            (
                col.text(f"previousname{n}companyname"),
                col.text(f"previousname{n}condate"),
                f"PreviousName_{n}",
            )
        )
    # The data-fabric API lists them as {"company_name": ..., "company_name_end_date": ...}.
    for i, item in enumerate(col.nested.items("historic_names")):
        entry = Fields(item, f"historic_names[{i}]")
        found.append((entry.text("company_name"), entry.text("company_name_end_date"), entry.path))
    names = []
    for name, changed, label in found:
        changed_on = parse_date(changed, label=f"{label} date")
        if name is None:
            if changed_on is not None:
                warnings.append(f"{label} has a date ({changed}) but no name: not kept")
            continue
        names.append(PreviousName(name=name, changed_on=changed_on))
    return tuple(names)


def _embedded(fields: Fields) -> list[str]:
    # Data-fabric company objects carry lists that are other kinds of record; say what this
    # reader leaves to others, so that nothing is dropped unnoticed.
    notes = []
    if appointments := fields.items("company_appointments_data_grid"):
        notes.append(
            f"{len(appointments)} officer appointment(s) in company_appointments_data_grid are "
            "not read here: load this file as `officers` as well"
        )
    if pscs := fields.items("company_persons_with_significant_control_data_grid"):
        notes.append(
            f"{len(pscs)} PSC(s) in company_persons_with_significant_control_data_grid are not "
            "read: they carry no PSC id (load the PSC snapshot for them)"
        )
    if addresses := fields.items("historic_addresses"):
        notes.append(
            f"{len(addresses)} former registered address(es) in historic_addresses are not "
            "kept: CompanyRecord has no field for them"
        )
    return notes
