"""The Companies House PSC snapshot: persons with significant control, statements, overseas
entities' beneficial owners, and exemptions from keeping a PSC register (``clew load psc``).

Each line of the snapshot is ``{"company_number": ..., "data": {"kind": ..., ...}}`` with
``data`` as the public API's PSC resource; samples also come as a JSON array of such lines
(``companies_house.iter_json_values`` reads every framing). Every kind in ``PscKind`` becomes a
``PscRecord``; statements keep their statement code (``"no-individual-or-entity-with-..."``).
The PSC's id (``psc_ref``) is the last part of its ``links.self``, which Companies House keeps
for the life of the PSC; the ``etag`` changes with every edit and is not an id.

A corporate PSC (``corporate-entity`` and ``legal-person`` kinds) links company to company by
its ``identification.registration_number``. When the PSC is registered at Companies House (its
``place_registered`` or ``country_registered`` names the register or a UK jurisdiction) the
number is written as a company number ("686734" -> "00686734"), so that it meets the company's
own record; a corporate entity with no number is read with a warning that it can only be
matched by name. The whole ``identification`` block is kept on the record, and so is an
overseas entity's beneficial owner's ``is_sanctioned``.

A company exempt from keeping a PSC register (its voting shares are traded on a regulated
market, say) has one line of kind ``exemptions``, the API's exemptions resource
(``GET /company/{number}/exemptions``): ``data.exemptions`` maps each exemption to
``{"exemption_type": ..., "items": [{"exempt_from": ..., "exempt_to": ...}]}``. It becomes one
``PscRecord`` (``psc_ref`` "exemptions", from its ``links.self``) holding every period, one
``PscExemption`` each. The samples in ``shared/data`` hold no such line (their totals line counts
77 in the whole snapshot); the shape is the API's.

The snapshot ends with a totals line, ``{"data": {"kind":
"totals#persons-of-significant-control-snapshot", "persons_of_significant_control_count": ...,
"statements_count": ..., "exemptions_count": ..., "generated_at": ...}}``. It is no record: it is
reported as a row with no records and a warning carrying the totals and comparing them with the
lines of each kind read before it (a partial file, or a cut-off one, shows a difference).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from loaders.companies_house import (
    BadRow,
    Fields,
    api_address,
    iter_json_values,
    kept_registration,
    on_uk_register,
    parse_date,
    parse_partial_date,
    validation_reason,
)
from loaders.reading import LoadContext, Parsed, RawRow, ReadResult, Rejected
from schema.records import PscExemption, PscKind, PscRecord

TOTALS_KIND = "totals#persons-of-significant-control-snapshot"
"""The kind of the snapshot's last line, which carries the snapshot's counts."""


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
            counts[_counted_as(kind)] += 1
            try:
                record, warnings = psc_record(line, kind, context, row)
            except BadRow as exc:
                yield Rejected(row, str(exc))
                continue
            yield Parsed(row, (record,), warnings)


def _counted_as(kind: PscKind) -> str:
    # As the totals line counts them: beneficial owners and super-secure PSCs are PSCs.
    if kind.is_statement:
        return "statement"
    return "exemptions" if kind.is_exemptions else "psc"


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
        uk = on_uk_register(place, country_registered)
        registration = kept_registration(registration, uk=uk, warnings=warnings)
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
            address=api_address(data.obj("address")),
            natures_of_control=data.texts("natures_of_control"),
            notified_on=parse_date(data.text("notified_on"), label="data.notified_on"),
            ceased_on=parse_date(data.text("ceased_on"), label="data.ceased_on"),
            registration_number=registration,
            legal_form=ident.text("legal_form"),
            legal_authority=ident.text("legal_authority"),
            place_registered=place,
            country_registered=country_registered,
            is_sanctioned=data.flag("is_sanctioned"),
            statement=data.text("statement"),
            exemptions=_exemptions(data.obj("exemptions")),
        )
    except ValidationError as exc:
        raise BadRow(f"{kind.value} {psc_ref}: {validation_reason(exc)}") from exc
    return record, tuple(warnings)


def _exemptions(exemptions: Fields) -> tuple[PscExemption, ...]:
    """Every period of every exemption, in the order the line gives them."""
    out = []
    for key in exemptions.values:
        exemption = exemptions.obj(key)
        kind = exemption.text("exemption_type") or key.replace("_", "-")
        for i, item in enumerate(exemption.items("items")):
            period = Fields(item, f"{exemption.name('items')}[{i}]")
            label = period.path
            start = parse_date(period.text("exempt_from"), label=f"{label}.exempt_from")
            if start is None:
                raise BadRow(f"{label} has no exempt_from")
            try:
                out.append(
                    PscExemption(
                        exemption_type=kind,
                        exempt_from=start,
                        exempt_to=parse_date(period.text("exempt_to"), label=f"{label}.exempt_to"),
                    )
                )
            except ValidationError as exc:
                raise BadRow(f"{label}: {validation_reason(exc)}") from exc
    return tuple(out)


def _totals_warning(data: Fields, counts: Counter[str]) -> str:
    declared = {
        "psc": data.get("persons_of_significant_control_count"),
        "statement": data.get("statements_count"),
        "exemptions": data.get("exemptions_count"),
    }
    read = (
        f"{counts['psc']:,} PSC line(s), {counts['statement']:,} statement line(s) and "
        f"{counts['exemptions']:,} exemptions line(s)"
    )
    if counts["unreadable"]:
        read += f", and {counts['unreadable']:,} line(s) of no known kind"
    text = (
        f"snapshot totals (generated {data.get('generated_at')}): "
        f"{_count(declared['psc'])} PSCs, {_count(declared['statement'])} statements, "
        f"{_count(declared['exemptions'])} exemptions; this file holds {read} before it"
    )
    if any(declared[kind] != counts[kind] for kind in declared):
        text += ": the counts differ (a partial file, or a snapshot cut short)"
    return text


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else repr(value)
