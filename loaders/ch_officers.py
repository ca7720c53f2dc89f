"""Companies House officer appointments (``clew load officers``).

Two shapes are read, from a JSON file holding one object, an array, or JSON lines:

- an appointment as the officers bulk snapshot holds it (Companies House's "Officers data
  product", Prod195/Prod198), in the data-fabric API's JSON (``GET /companyappointment/...``):
  ``person_number``, ``title``/``forenames``/``surname``/``honours``, the service address,
  ``partial_date_of_birth`` ("194404  "), ``appointment_type`` (a two-digit code, below),
  ``appointment_date`` and ``resignation_date``, ``corporate_indicator`` ("Y" for a company);
- a company object from the same API, whose ``company_appointments_data_grid`` lists the
  company's appointments with the bulk file's piped names ("MR|KEVIN DAVID|SMITH", read by
  ``schema.records.split_officer_name``) and the appointment type in words only. Such an entry
  has no corporate indicator: a name with no title, no forenames and no birth date is read as a
  corporate officer, with a warning saying so.

Appointment types (``APPOINTMENT_TYPES``) are Companies House's codes from the data
specification of the officers bulk products (Prod195 snapshot, Prod198 updates), mapped to the
roles the public API names in ``officer_role``. A "resigned" code keeps its code on the record
(``appointment_type``) even when no resignation date is given, so the ending is not lost; code
99 (an appointment entered in error) is rejected.

A disqualified director (``disqualified_director_details_grid``) is rejected as unsupported:
the schema has no record for disqualifications.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
from schema.records import OfficerAppointmentRecord, split_officer_name


@dataclass(frozen=True, slots=True)
class AppointmentType:
    code: str
    description: str
    role: str
    current: bool


def _types(*rows: tuple[str, str, str]) -> dict[str, AppointmentType]:
    return {
        code: AppointmentType(code, words, role, current=words.startswith("Current"))
        for code, words, role in rows
    }


_RECEIVER = "receiver-and-manager"

APPOINTMENT_TYPES = _types(
    ("00", "Current Secretary", "secretary"),
    ("01", "Current Director", "director"),
    ("02", "Resigned Secretary", "secretary"),
    ("03", "Resigned Director", "director"),
    ("04", "Current non-designated LLP Member", "llp-member"),
    ("05", "Current designated LLP Member", "llp-designated-member"),
    ("06", "Resigned non-designated LLP Member", "llp-member"),
    ("07", "Resigned designated LLP Member", "llp-designated-member"),
    ("11", "Current Judicial Factor", "judicial-factor"),
    ("12", "Current Receiver or Manager appointed under the Charities Act", _RECEIVER),
    ("13", "Current Manager appointed under the CAICE Act", "cic-manager"),
    ("14", "Resigned Judicial Factor", "judicial-factor"),
    (
        "15",
        "Resigned Receiver or Manager appointed under the Charities Act",
        "receiver-and-manager",
    ),
    ("16", "Resigned Manager appointed under the CAICE Act", "cic-manager"),
    ("17", "Current SE Member of Administrative Organ", "member-of-an-administrative-organ"),
    ("18", "Current SE Member of Supervisory Organ", "member-of-a-supervisory-organ"),
    ("19", "Current SE Member of Management Organ", "member-of-a-management-organ"),
    ("20", "Resigned SE Member of Administrative Organ", "member-of-an-administrative-organ"),
    ("21", "Resigned SE Member of Supervisory Organ", "member-of-a-supervisory-organ"),
    ("22", "Resigned SE Member of Management Organ", "member-of-a-management-organ"),
)
"""Companies House appointment type codes (officers bulk data specification), with the role
each names, as the public API writes ``officer_role``."""

ERRORED_APPOINTMENT = "99"

_BY_WORDS = {t.description.casefold(): t for t in APPOINTMENT_TYPES.values()}


def appointment_type(code: str | None, words: str | None) -> tuple[AppointmentType, list[str]]:
    """The appointment type from its code, or from its words where no code is given."""
    if code == ERRORED_APPOINTMENT:
        raise BadRow("appointment type 99: Companies House marks this appointment as in error")
    if code is not None:
        found = APPOINTMENT_TYPES.get(code)
        if found is None:
            raise BadRow(
                f"appointment type {code!r} is not a Companies House code "
                f"({', '.join(APPOINTMENT_TYPES)}, 99)"
            )
        if words is not None and words.casefold() != found.description.casefold():
            return found, [f"appointment type {code} is {found.description!r}, not {words!r}"]
        return found, []
    if words is None:
        raise BadRow("no appointment_type (nor appointment_type_description)")
    found = _BY_WORDS.get(" ".join(words.split()).casefold())
    if found is None:
        raise BadRow(f"appointment type {words!r} is not one Companies House uses")
    return found, []


_ENDED = (
    "appointment type {kind.code} ({kind.description}) gives no resignation date: the "
    "appointment has ended, on a date not given"
)


class OfficersReader:
    """Reads officer appointments into ``OfficerAppointmentRecord``s."""

    kind = "officers"

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        for item in iter_json_values(path):
            if isinstance(item, Rejected):
                yield item
                continue
            row, value = item
            try:
                records, warnings = officer_records(Fields(value), context, row)
            except BadRow as exc:
                yield Rejected(row, str(exc))
                continue
            yield Parsed(row, records, warnings)


def officer_records(
    obj: Fields, context: LoadContext, row: RawRow
) -> tuple[tuple[OfficerAppointmentRecord, ...], tuple[str, ...]]:
    """The appointments one JSON object holds, and warnings about them."""
    if "disqualified_director_details_grid" in obj:
        raise BadRow(
            "a disqualified director: not supported (the schema has no record for "
            "disqualification orders and undertakings)"
        )
    if "company_appointments_data_grid" in obj:
        return _company_grid(obj, context, row)
    if "appointment_type" in obj or "person_number" in obj:
        warnings: list[str] = []
        return (_appointment(obj, context, row, warnings),), tuple(warnings)
    raise BadRow(
        "not an officer appointment: expected person_number and appointment_type (an "
        "appointment) or company_appointments_data_grid (a company)"
    )


def _appointment(
    obj: Fields, context: LoadContext, row: RawRow, warnings: list[str]
) -> OfficerAppointmentRecord:
    kind, notes = appointment_type(
        obj.text("appointment_type"), obj.text("appointment_type_description")
    )
    warnings.extend(notes)
    corporate = obj.text("corporate_indicator")
    if corporate not in (None, "Y", "N"):
        raise BadRow(f"corporate_indicator {corporate!r} should be Y or blank")
    resigned_on = parse_date(obj.text("resignation_date"), label="resignation_date")
    if kind.current and resigned_on is not None:
        warnings.append(f"appointment type {kind.code} ({kind.description}) has a resignation date")
    elif not kind.current and resigned_on is None:
        warnings.append(_ENDED.format(kind=kind))
    return _record(
        context,
        row,
        company_number=obj.text("company_number"),
        officer_ref=obj.text("person_number"),
        names={k: obj.text(k) for k in ("title", "forenames", "surname", "honours")},
        corporate=corporate == "Y",
        birth_date=obj.get("partial_date_of_birth"),
        kind=kind,
        appointed_on=obj.text("appointment_date"),
        resigned_on=resigned_on,
        nationality=obj.text("nationality"),
        occupation=obj.text("occupation"),
        country_of_residence=obj.text("usual_residential_country"),
        address=address(
            [
                care_of(obj.text("care_of")),
                po_box(obj.text("po_box")),
                obj.text("address_line1"),
                obj.text("address_line2"),
            ],
            locality=obj.text("post_town"),
            region=obj.text("county"),
            postcode=obj.text("person_postcode"),
            country=obj.text("country"),
            label="address",
        ),
    )


def _company_grid(
    company: Fields, context: LoadContext, row: RawRow
) -> tuple[tuple[OfficerAppointmentRecord, ...], tuple[str, ...]]:
    number = company.text("company_number")
    warnings: list[str] = []
    records = []
    for i, item in enumerate(company.items("company_appointments_data_grid")):
        entry = Fields(item, f"company_appointments_data_grid[{i}]")
        try:
            kind, notes = appointment_type(
                entry.text("appointment_type"), entry.text("appointment_type_description")
            )
            piped = entry.text("name")
            if piped is None:
                raise BadRow("no name")
            try:
                names = split_officer_name(piped)
            except ValueError as exc:
                raise BadRow(str(exc)) from exc
            birth = entry.get("partial_date_of_birth")
            corporate = not (names["title"] or names["forenames"]) and not (
                isinstance(birth, str) and birth.strip()
            )
            if not kind.current:
                notes.append(_ENDED.format(kind=kind))
            if corporate:
                notes.append(f"{piped!r} read as a corporate officer (no forenames, no birth date)")
            records.append(
                _record(
                    context,
                    row,
                    company_number=number,
                    officer_ref=entry.text("person_number"),
                    names=names,
                    corporate=corporate,
                    birth_date=birth,
                    kind=kind,
                    appointed_on=entry.text("appointment_date"),
                )
            )
        except BadRow as exc:
            raise BadRow(f"{entry.path}: {exc}") from exc
        warnings.extend(f"{entry.path}: {note}" for note in notes)
    if not records:
        warnings.append(f"company {number} lists no appointments")
    return tuple(records), tuple(warnings)


def _record(
    context: LoadContext,
    row: RawRow,
    *,
    company_number: str | None,
    officer_ref: str | None,
    names: dict[str, str | None],
    corporate: bool,
    birth_date: object,
    kind: AppointmentType,
    appointed_on: str | None,
    resigned_on: object = None,
    **details: object,
) -> OfficerAppointmentRecord:
    if company_number is None:
        raise BadRow("no company_number")
    if names.get("surname") is None:
        raise BadRow("no surname (or corporate name)")
    try:
        return OfficerAppointmentRecord.model_validate(
            {
                "provenance": context.provenance(row),
                "company_number": company_number,
                "officer_ref": officer_ref,
                **names,
                "corporate": corporate,
                "birth_date": parse_partial_date(birth_date, label="partial_date_of_birth"),
                "appointment_type": kind.code,
                "role": kind.role,
                "appointed_on": parse_date(appointed_on, label="appointment_date"),
                "resigned_on": resigned_on,
                **details,
            }
        )
    except ValidationError as exc:
        raise BadRow(f"appointment at {company_number}: {validation_reason(exc)}") from exc
