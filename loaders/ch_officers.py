"""Companies House officer appointments (``clew load officers``).

Three shapes are read, from a JSON file holding one object, an array, or JSON lines:

- an appointment as the officers bulk snapshot holds it (Companies House's "Officers data
  product", Prod195/Prod198), in the data-fabric API's JSON (``GET /companyappointment/...``):
  ``person_number``, ``title``/``forenames``/``surname``/``honours``, the service address,
  ``partial_date_of_birth`` ("194404  "), ``appointment_type`` (a two-digit code, below),
  ``appointment_date`` and ``resignation_date``, ``corporate_indicator`` ("Y" for a company);
- a company object from the same API, whose ``company_appointments_data_grid`` lists the
  company's appointments with the bulk file's piped names ("MR|KEVIN DAVID|SMITH", read by
  ``schema.records.split_officer_name``) and the appointment type in words only. Such an entry
  has no corporate indicator: a name with no title, no forenames and no birth date is read as a
  corporate officer, with a warning saying so;
- the public data API's officers: a company's officer list (``GET /company/{number}/officers``,
  kind "officer-list"), an officer's appointment list (``GET /officers/{id}/appointments``, kind
  "personal-appointment"), or one item of either. An item has ``name`` ("SMITH, Kevin David")
  or ``name_elements``, ``officer_role``, ``appointed_on``, ``resigned_on``, ``date_of_birth``
  (year and month), the service ``address``, and for a corporate officer ``identification``.
  The officer's id is the one in ``links.officer.appointments`` (or the appointment list's own
  link), the company's number the one in ``appointed_to`` (or the officer list's own link). A
  role "corporate-director" is read as role "director" of a corporate officer, as the bulk
  products write it, so that one appointment reads alike from every shape; the API gives no
  appointment type code.

Appointment types (``APPOINTMENT_TYPES``) are Companies House's codes from the data
specification of the officers bulk products (Prod195 snapshot, Prod198 updates), mapped to the
roles the public API names in ``officer_role``. A "resigned" code keeps its code on the record
(``appointment_type``) even when no resignation date is given, so the ending is not lost; code
99 (an appointment entered in error) is rejected.

**Corporate officers.** The bulk snapshot and the data-fabric shapes name a corporate officer
only; the public API adds its ``identification`` (``identification_type``,
``registration_number``, ``place_registered``, ``legal_authority``, ``legal_form``), read in any
shape where it is present and kept on the record. A registration on the Companies House
register (type "uk-limited-company", or a place registered that names the register or a UK
jurisdiction) is written as a company number, and ``loaders.map_companies`` links that company
``OFFICER_OF`` the company appointed to; a number from another register is kept as written (see
``map_companies`` for why it is no key). A corporate officer with no number is read with a
warning that it can be matched by name only.

**Disqualified directors.** None of these shapes carries a disqualification marker:
disqualification orders and undertakings are a separate Companies House product (the
disqualified directors data, and the API's ``/disqualified-officers``). A data-fabric
disqualified director (``disqualified_director_details_grid``) is rejected saying so: the schema
has no record kind for disqualifications yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from loaders.companies_house import (
    BadRow,
    Fields,
    address,
    api_address,
    care_of,
    iter_json_values,
    kept_registration,
    on_uk_register,
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


Records = tuple[tuple[OfficerAppointmentRecord, ...], tuple[str, ...]]

API_LISTS = frozenset({"officer-list", "personal-appointment"})
"""The kinds of the public API's lists of officers: a company's, and an officer's."""


def officer_records(obj: Fields, context: LoadContext, row: RawRow) -> Records:
    """The appointments one JSON object holds, and warnings about them."""
    if "disqualified_director_details_grid" in obj:
        raise BadRow(
            "a disqualified director: not an appointment, and not supported (disqualifications "
            "are a separate Companies House product; the schema has no record for them)"
        )
    if "company_appointments_data_grid" in obj:
        return _company_grid(obj, context, row)
    warnings: list[str] = []
    if obj.text("kind") in API_LISTS and "items" in obj:
        return _api_list(obj, context, row)
    if "officer_role" in obj:
        return (_api_item(obj, context, row, warnings, _ListContext()),), tuple(warnings)
    if "appointment_type" in obj or "person_number" in obj:
        return (_appointment(obj, context, row, warnings),), tuple(warnings)
    raise BadRow(
        "not an officer appointment: expected person_number and appointment_type (an "
        "appointment), company_appointments_data_grid (a company), officer_role (an API "
        "officer) or an API officer-list or personal-appointment list"
    )


# --- the bulk snapshot's fields (data-fabric API) -----------------------------------------------


def _appointment(
    obj: Fields, context: LoadContext, row: RawRow, warnings: list[str]
) -> OfficerAppointmentRecord:
    kind, notes = appointment_type(
        obj.text("appointment_type"), obj.text("appointment_type_description")
    )
    warnings.extend(notes)
    indicator = obj.text("corporate_indicator")
    if indicator not in (None, "Y", "N"):
        raise BadRow(f"corporate_indicator {indicator!r} should be Y or blank")
    identified = bool(obj.obj("identification").values)
    corporate = indicator == "Y" or (indicator is None and identified)
    resigned_on = parse_date(obj.text("resignation_date"), label="resignation_date")
    if kind.current and resigned_on is not None:
        warnings.append(f"appointment type {kind.code} ({kind.description}) has a resignation date")
    elif not kind.current and resigned_on is None:
        warnings.append(_ENDED.format(kind=kind))
    # An identification on an officer marked "N" is kept, for the record to refuse it.
    registration = _registration(obj, warnings) if corporate or identified else {}
    return _record(
        context,
        row,
        company_number=obj.text("company_number"),
        officer_ref=obj.text("person_number"),
        names={k: obj.text(k) for k in ("title", "forenames", "surname", "honours")},
        corporate=corporate,
        birth_date=obj.get("partial_date_of_birth"),
        role=kind.role,
        appointment_type=kind.code,
        appointed_on=parse_date(obj.text("appointment_date"), label="appointment_date"),
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
        **registration,
    )


def _company_grid(company: Fields, context: LoadContext, row: RawRow) -> Records:
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
                notes.append(
                    f"{piped!r} read as a corporate officer (no forenames, no birth date) with no "
                    "registration number: it can be matched by name only"
                )
            records.append(
                _record(
                    context,
                    row,
                    company_number=number,
                    officer_ref=entry.text("person_number"),
                    names=names,
                    corporate=corporate,
                    birth_date=birth,
                    role=kind.role,
                    appointment_type=kind.code,
                    appointed_on=parse_date(
                        entry.text("appointment_date"), label="appointment_date"
                    ),
                )
            )
        except BadRow as exc:
            raise BadRow(f"{entry.path}: {exc}") from exc
        warnings.extend(f"{entry.path}: {note}" for note in notes)
    if not records:
        warnings.append(f"company {number} lists no appointments")
    return tuple(records), tuple(warnings)


# --- the public data API ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ListContext:
    """What an API list says of all its items: the company (a company's officer list), or the
    officer (an officer's appointment list: its id, birth date, and whether it is a company)."""

    company_number: str | None = None
    officer_ref: str | None = None
    birth_date: object = None
    corporate: bool = False


def _api_list(obj: Fields, context: LoadContext, row: RawRow) -> Records:
    link = obj.obj("links").text("self")
    shared = _ListContext(
        company_number=_link_part(link, "company"),
        officer_ref=_link_part(link, "officers"),
        birth_date=obj.get("date_of_birth"),
        corporate=obj.flag("is_corporate_officer") is True,
    )
    warnings: list[str] = []
    records = []
    for i, item in enumerate(obj.items("items")):
        entry = Fields(item, f"items[{i}]")
        notes: list[str] = []
        try:
            records.append(_api_item(entry, context, row, notes, shared))
        except BadRow as exc:
            raise BadRow(f"{entry.path}: {exc}") from exc
        warnings.extend(f"{entry.path}: {note}" for note in notes)
    if not records:
        warnings.append(f"the {obj.text('kind')} list ({link}) holds no appointments")
    return tuple(records), tuple(warnings)


def _link_part(link: str | None, after: str) -> str | None:
    """The path segment after ``after`` in an API link: "/company/01234567/officers" and
    "company" give "01234567"; "/officers/AbC/appointments" and "officers" give "AbC"."""
    if link is None:
        return None
    parts = [p for p in link.split("?", 1)[0].split("/") if p]
    for i, part in enumerate(parts[:-1]):
        if part == after:
            return parts[i + 1]
    return None


def _api_item(
    item: Fields, context: LoadContext, row: RawRow, warnings: list[str], shared: _ListContext
) -> OfficerAppointmentRecord:
    role = item.text("officer_role")
    if role is None:
        raise BadRow("no officer_role")
    corporate_role = role.lower().startswith("corporate-")
    links = item.obj("links")
    company_number = (
        item.obj("appointed_to").text("company_number")
        or item.text("company_number")
        or _link_part(links.text("company"), "company")
        or shared.company_number
    )
    if company_number is None:
        raise BadRow(
            "no company number: an officer-list item names its company only in the list's "
            "links.self, so load the whole list"
        )
    corporate = corporate_role or shared.corporate or bool(item.obj("identification").values)
    appointed_on = parse_date(item.text("appointed_on"), label="appointed_on")
    if appointed_on is None and (before := item.text("appointed_before")) is not None:
        warnings.append(f"appointed before {before} (a pre-1992 appointment): no date is known")
    registration = _registration(item, warnings) if corporate else {}
    return _record(
        context,
        row,
        company_number=company_number,
        officer_ref=_link_part(links.obj("officer").text("appointments"), "officers")
        or shared.officer_ref,
        names=_api_names(item, corporate, warnings),
        corporate=corporate,
        birth_date=item.get("date_of_birth") or shared.birth_date,
        role=role[len("corporate-") :] if corporate_role else role,
        appointment_type=None,
        appointed_on=appointed_on,
        resigned_on=parse_date(item.text("resigned_on"), label="resigned_on"),
        nationality=item.text("nationality"),
        occupation=item.text("occupation"),
        country_of_residence=item.text("country_of_residence"),
        address=api_address(item.obj("address")),
        **registration,
    )


def _api_names(item: Fields, corporate: bool, warnings: list[str]) -> dict[str, str | None]:
    elements = item.obj("name_elements")
    if elements.values:
        forenames = " ".join(
            p for key in ("forename", "other_forenames") if (p := elements.text(key))
        )
        return {
            "title": elements.text("title"),
            "forenames": forenames or None,
            "surname": elements.text("surname"),
            "honours": elements.text("honours"),
        }
    name = item.text("name")
    if corporate or name is None:
        return {"title": None, "forenames": None, "surname": name, "honours": None}
    surname, comma, forenames = name.partition(",")
    if not comma:
        warnings.append(f"name {name!r} is not SURNAME, Forenames: read whole as the surname")
    return {
        "title": None,
        "forenames": forenames.strip() or None,
        "surname": surname.strip() or None,
        "honours": None,
    }


# --- shared -------------------------------------------------------------------------------------

_IDENTIFICATION = (
    "identification_type",
    "registration_number",
    "place_registered",
    "legal_authority",
    "legal_form",
)


def _registration(obj: Fields, warnings: list[str]) -> dict[str, str | None]:
    """A corporate officer's ``identification``, its number written as a company number when
    it is on the Companies House register."""
    ident = obj.obj("identification")
    fields = {key: ident.text(key) for key in _IDENTIFICATION}
    number = fields["registration_number"]
    if number is None:
        warnings.append(
            "a corporate officer with no registration number: it can be matched by name only"
        )
    else:
        uk = on_uk_register(
            fields["place_registered"], identification_type=fields["identification_type"]
        )
        fields["registration_number"] = kept_registration(number, uk=uk, warnings=warnings)
    return fields


def _record(
    context: LoadContext,
    row: RawRow,
    *,
    company_number: str | None,
    officer_ref: str | None,
    names: dict[str, str | None],
    corporate: bool,
    birth_date: object,
    role: str,
    appointment_type: str | None,
    appointed_on: date | None,
    resigned_on: date | None = None,
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
                "appointment_type": appointment_type,
                "role": role,
                "appointed_on": appointed_on,
                "resigned_on": resigned_on,
                **details,
            }
        )
    except ValidationError as exc:
        raise BadRow(f"appointment at {company_number}: {validation_reason(exc)}") from exc
