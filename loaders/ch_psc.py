"""The Companies House PSC snapshot: persons with significant control, statements, and
overseas entities' beneficial owners (``clew load psc``).

Each line of the snapshot is ``{"company_number": ..., "data": {"kind": ..., ...}}`` with
``data`` as the public API's PSC resource; samples also come as a JSON array of such lines
(``companies_house.iter_json_values`` reads every framing). Every kind in ``PscKind`` becomes a
``PscRecord``; statements keep their statement code (``"no-individual-or-entity-with-..."``).
The PSC's id (``psc_ref``) is the last part of its ``links.self``, which Companies House keeps
for the life of the PSC; the ``etag`` changes with every edit and is not an id.

A corporate PSC (``corporate-entity`` and ``legal-person`` kinds) links company to company by
its ``identification.registration_number``. When the PSC is registered at Companies House the
number is written as a company number ("686734" -> "00686734"), so that it meets the company's
own record; a corporate entity with no number is read with a warning that it can only be
matched by name. Where it is registered is read from ``identification.place_registered`` and
``country_registered``; the place itself is not kept (``PscRecord`` has no field for it).

The snapshot ends with a totals line, ``{"data": {"kind":
"totals#persons-of-significant-control-snapshot", "persons_of_significant_control_count": ...,
"statements_count": ..., "exemptions_count": ..., "generated_at": ...}}``. It is no record: it is
reported as a row with no records and a warning carrying the totals and comparing them with the
lines of each kind read before it (a partial file, or a cut-off one, shows a difference).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from loaders.companies_house import (
    BadRow,
    Fields,
    address,
    care_of,
    iter_json_values,
    parse_date,
    parse_partial_date,
    po_box,
    validation_reason,
)
from loaders.reading import LoadContext, Parsed, RawRow, ReadResult, Rejected
from schema.base import PostalAddress, normalise_company_number
from schema.records import PscKind, PscRecord

TOTALS_KIND = "totals#persons-of-significant-control-snapshot"
"""The kind of the snapshot's last line, which carries the snapshot's counts."""

_UK_REGISTER = re.compile(
    r"companies house|registrar of companies|register of companies|"
    r"^(england|wales|scotland|northern ireland|united kingdom|uk|great britain)\b",
    re.IGNORECASE,
)


class PscReader:
    """Reads the PSC snapshot into ``PscRecord``s."""

    kind = "psc"

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        counts: Counter[str] = Counter()
        for item in iter_json_values(path):
            if isinstance(item, Rejected):
                counts["unreadable"] += 1
                yield item
                continue
            row, value = item
            try:
                line = Fields(value)
                if line.get("data") is None:
                    raise BadRow('no "data": expected {"company_number": ..., "data": {...}}')
                data = line.obj("data")
                kind_text = data.text("kind")
                if kind_text == TOTALS_KIND:
                    yield Parsed(row, (), (_totals_warning(data, counts),))
                    continue
                kind = _kind(kind_text)
            except BadRow as exc:
                counts["unreadable"] += 1
                yield Rejected(row, str(exc))
                continue
            counts["statement" if kind.is_statement else "psc"] += 1
            try:
                record, warnings = psc_record(line, kind, context, row)
            except BadRow as exc:
                yield Rejected(row, str(exc))
                continue
            yield Parsed(row, (record,), warnings)


def _kind(text: str | None) -> PscKind:
    if text is None:
        raise BadRow('missing data.kind (expected {"company_number": ..., "data": {"kind": ...}})')
    try:
        return PscKind(text)
    except ValueError:
        known = ", ".join(k.value for k in PscKind)
        raise BadRow(f"data.kind {text!r} is not a PSC kind the schema knows ({known})") from None


def psc_record(
    line: Fields, kind: PscKind, context: LoadContext, row: RawRow
) -> tuple[PscRecord, tuple[str, ...]]:
    """One snapshot line (``{"company_number": ..., "data": {...}}``) as a ``PscRecord``."""
    warnings: list[str] = []
    company_number = line.text("company_number")
    if company_number is None:
        raise BadRow("missing company_number")
    data = line.obj("data")
    self_link = data.obj("links").text("self")
    if self_link is None:
        raise BadRow("missing data.links.self, which holds the PSC's id")
    psc_ref = self_link.rstrip("/").rsplit("/", 1)[-1]
    names = data.obj("name_elements")
    forenames = " ".join(
        p for key in ("forename", "other_forenames", "middle_name") if (p := names.text(key))
    )
    ident = data.obj("identification")
    registration = ident.text("registration_number")
    place = ident.text("place_registered")
    country_registered = ident.text("country_registered")
    if registration is not None and kind.is_corporate:
        registration = _registration(registration, place, country_registered, warnings)
    elif kind.value.startswith("corporate-entity"):
        # (A legal person, a government or a body set up by law, has no number to expect.)
        warnings.append(f"{kind.value} has no registration number: it can be matched by name only")
    if data.text("linked_psc_name") is not None:
        warnings.append("data.linked_psc_name is not kept: PscRecord has no field for it")
    try:
        record = PscRecord(
            provenance=context.provenance(row),
            company_number=company_number,
            psc_ref=psc_ref,
            psc_kind=kind,
            name=data.text("name"),
            title=names.text("title"),
            forenames=forenames or None,
            surname=names.text("surname"),
            birth_date=parse_partial_date(data.get("date_of_birth"), label="data.date_of_birth"),
            nationality=data.text("nationality"),
            country_of_residence=data.text("country_of_residence"),
            address=_address(data.obj("address")),
            natures_of_control=data.texts("natures_of_control"),
            notified_on=parse_date(data.text("notified_on"), label="data.notified_on"),
            ceased_on=parse_date(data.text("ceased_on"), label="data.ceased_on"),
            registration_number=registration,
            legal_form=ident.text("legal_form"),
            legal_authority=ident.text("legal_authority"),
            country_registered=country_registered,
            statement=data.text("statement"),
        )
    except ValidationError as exc:
        raise BadRow(f"{kind.value} {psc_ref}: {validation_reason(exc)}") from exc
    return record, tuple(warnings)


def _registration(number: str, place: str | None, country: str | None, warnings: list[str]) -> str:
    # A number registered at Companies House is written as a company number, so that the PSC
    # meets the company it names; numbers from other registers are kept as written.
    if not any(t and _UK_REGISTER.search(t) for t in (place, country)):
        return number
    try:
        return normalise_company_number(number)
    except ValueError:
        warnings.append(
            f"registration number {number!r} is registered in the UK but is not a company "
            "number: kept as written"
        )
        return number


def _address(parts: Fields) -> PostalAddress | None:
    premises, line1 = parts.text("premises"), parts.text("address_line_1")
    if premises and line1 and re.fullmatch(r"\d[\w\-/ ]{0,7}", premises):
        premises, line1 = None, f"{premises} {line1}"  # "9" + "Princes Square"
    return address(
        [
            care_of(parts.text("care_of")),
            po_box(parts.text("po_box")),
            premises,
            line1,
            parts.text("address_line_2"),
        ],
        locality=parts.text("locality"),
        region=parts.text("region"),
        postcode=parts.text("postal_code"),
        country=parts.text("country"),
        label=parts.path,
    )


def _totals_warning(data: Fields, counts: Counter[str]) -> str:
    declared = {
        "psc": data.get("persons_of_significant_control_count"),
        "statement": data.get("statements_count"),
    }
    read = f"{counts['psc']:,} PSC line(s) and {counts['statement']:,} statement line(s)"
    if counts["unreadable"]:
        read += f", and {counts['unreadable']:,} line(s) of no known kind"
    text = (
        f"snapshot totals (generated {data.get('generated_at')}): "
        f"{_count(declared['psc'])} PSCs, {_count(declared['statement'])} statements, "
        f"{_count(data.get('exemptions_count'))} exemptions; this file holds {read} before it"
    )
    if declared["psc"] != counts["psc"] or declared["statement"] != counts["statement"]:
        text += ": the counts differ (a partial file, or a snapshot cut short)"
    return text


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else repr(value)
