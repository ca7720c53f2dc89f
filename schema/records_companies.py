"""Companies House records: companies, officer appointments, PSCs and their statements.

See ``schema.records`` for every kind and its key."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from schema.base import (
    CompanyNumber,
    NatureOfControl,
    NonEmptyStr,
    PartialDate,
    PostalAddress,
    Role,
    SicCode,
    StrictModel,
    check_span,
)
from schema.ids import IdKey
from schema.record import Record


class PreviousName(StrictModel):
    name: NonEmptyStr
    changed_on: date | None = None


class CompanyRecord(Record):
    """A company from Companies House's BasicCompanyData."""

    label: ClassVar[str] = "CompanyRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_company", ("company_number",))

    kind: Literal["company"] = "company"
    company_number: CompanyNumber
    name: NonEmptyStr
    status: NonEmptyStr | None = Field(default=None, description='e.g. "Active", "Dissolved"')
    category: NonEmptyStr | None = Field(default=None, description='e.g. "Private Limited Company"')
    country_of_origin: NonEmptyStr | None = None
    incorporated_on: date | None = None
    dissolved_on: date | None = None
    registered_address: PostalAddress | None = None
    sic_codes: tuple[SicCode, ...] = ()
    previous_names: tuple[PreviousName, ...] = ()

    @model_validator(mode="after")
    def _dates(self) -> CompanyRecord:
        try:
            check_span(self.incorporated_on, self.dissolved_on)
        except ValueError as exc:
            raise ValueError(f"company {self.company_number} {exc}") from exc
        return self


def split_officer_name(text: str) -> dict[str, str | None]:
    """Companies House's piped officer name, "MR|KEVIN DAVID|SMITH" (title, forenames, surname,
    then honours where given), as ``title``, ``forenames``, ``surname``, ``honours``."""
    parts = [" ".join(p.split()) or None for p in text.split("|")]
    if not 1 <= len(parts) <= 4:
        raise ValueError(f"{text!r} is not TITLE|FORENAMES|SURNAME[|HONOURS]")
    if len(parts) == 1:
        parts = [None, None, parts[0]]
    elif len(parts) == 2:
        parts = [None, *parts]
    parts += [None] * (4 - len(parts))
    title, forenames, surname, honours = parts
    if surname is None:
        raise ValueError(f"{text!r} has no surname (or corporate name)")
    return {"title": title, "forenames": forenames, "surname": surname, "honours": honours}


class OfficerAppointmentRecord(Record):
    """One appointment of an officer (director, secretary, LLP member...) to a company.

    A corporate officer's name is in ``surname``, as Companies House writes it, and its
    registration, where the source gives one (the API's ``identification``), in
    ``registration_number`` and the fields after it: a number on the Companies House register is
    written as a company number, others as the source writes them. The registration is not part
    of the key: the same appointment read from a source without it keeps its id.
    """

    label: ClassVar[str] = "OfficerAppointmentRecord"
    id_key: ClassVar[IdKey] = IdKey(
        "rec_officer",
        (
            "company_number",
            "officer_ref",
            "role",
            "surname",
            "forenames",
            "birth_date",
            "appointed_on",
        ),
        casefold=frozenset({"surname", "forenames"}),
        optional=frozenset({"officer_ref", "forenames", "birth_date", "appointed_on"}),
    )

    kind: Literal["officer_appointment"] = "officer_appointment"
    company_number: CompanyNumber
    officer_ref: NonEmptyStr | None = Field(
        default=None, description="Companies House person number or officer id"
    )
    title: NonEmptyStr | None = None
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr
    honours: NonEmptyStr | None = None
    corporate: bool = False
    birth_date: PartialDate | None = Field(
        default=None, description="year and month only, as Companies House publishes"
    )
    appointment_type: str | None = Field(
        default=None, pattern=r"^\d{2}$", description='bulk-file code, e.g. "01" director'
    )
    role: Role
    appointed_on: date | None = None
    resigned_on: date | None = None
    nationality: NonEmptyStr | None = None
    occupation: NonEmptyStr | None = None
    country_of_residence: NonEmptyStr | None = None
    address: PostalAddress | None = None
    identification_type: NonEmptyStr | None = Field(
        default=None, description='"uk-limited-company", "eea", "non-eea"... as the API gives it'
    )
    registration_number: NonEmptyStr | None = Field(
        default=None, description="a corporate officer's own registration number"
    )
    place_registered: NonEmptyStr | None = None
    legal_authority: NonEmptyStr | None = None
    legal_form: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _check(self) -> OfficerAppointmentRecord:
        if self.birth_date is not None and self.birth_date.day is not None:
            raise ValueError("an officer's birth date is published as year and month only")
        registration = (
            self.identification_type,
            self.registration_number,
            self.place_registered,
            self.legal_authority,
            self.legal_form,
        )
        if not self.corporate and any(v is not None for v in registration):
            raise ValueError("only a corporate officer has a registration (identification)")
        try:
            check_span(self.appointed_on, self.resigned_on)
        except ValueError as exc:
            raise ValueError(f"appointment {exc}") from exc
        return self

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p)


class PscKind(StrEnum):
    """The kinds of line in Companies House's PSC snapshot that describe a company's control:
    PSCs, overseas entities' beneficial owners, statements, and exemptions from keeping a PSC
    register (short forms such as "individual", "statement" and "psc-exemptions" are read as
    well). The snapshot's closing totals line is no record, and so no kind."""

    INDIVIDUAL = "individual-person-with-significant-control"
    CORPORATE_ENTITY = "corporate-entity-person-with-significant-control"
    LEGAL_PERSON = "legal-person-person-with-significant-control"
    SUPER_SECURE = "super-secure-person-with-significant-control"
    STATEMENT = "persons-with-significant-control-statement"
    EXEMPTIONS = "exemptions"
    INDIVIDUAL_BENEFICIAL_OWNER = "individual-beneficial-owner"
    CORPORATE_ENTITY_BENEFICIAL_OWNER = "corporate-entity-beneficial-owner"
    LEGAL_PERSON_BENEFICIAL_OWNER = "legal-person-beneficial-owner"
    SUPER_SECURE_BENEFICIAL_OWNER = "super-secure-beneficial-owner"

    @classmethod
    def _missing_(cls, value: object) -> PscKind | None:
        if not isinstance(value, str):
            return None
        short = value.strip().lower().replace("_", "-").replace(" ", "-")
        if short in ("statement", "statements"):
            return cls.STATEMENT
        if short in ("exemption", "psc-exemption", "psc-exemptions"):
            return cls.EXEMPTIONS
        for kind in cls:
            if kind.value == short or kind.value == f"{short}-person-with-significant-control":
                return kind
        return None

    @property
    def is_statement(self) -> bool:
        return self is PscKind.STATEMENT

    @property
    def is_exemptions(self) -> bool:
        return self is PscKind.EXEMPTIONS

    @property
    def names_no_one(self) -> bool:
        """Statements and exemptions are about the company's register, not a controller."""
        return self.is_statement or self.is_exemptions

    @property
    def is_super_secure(self) -> bool:
        return self.value.startswith("super-secure")

    @property
    def is_corporate(self) -> bool:
        return self.value.startswith(("corporate-entity", "legal-person"))


class PscExemption(StrictModel):
    """A period in which a company was exempt from keeping a PSC register, and why
    (``exemption_type`` as Companies House writes it, e.g.
    "psc-exempt-as-trading-on-uk-regulated-market")."""

    exemption_type: NonEmptyStr
    exempt_from: date
    exempt_to: date | None = None

    @model_validator(mode="after")
    def _span(self) -> PscExemption:
        try:
            check_span(self.exempt_from, self.exempt_to)
        except ValueError as exc:
            raise ValueError(f"{self.exemption_type} {exc}") from exc
        return self


class PscRecord(Record):
    """A person with significant control (or statement, overseas beneficial owner, or a
    company's exemptions from keeping a PSC register)."""

    label: ClassVar[str] = "PscRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_psc", ("company_number", "psc_ref"))

    kind: Literal["psc"] = "psc"
    company_number: CompanyNumber
    psc_ref: NonEmptyStr = Field(description="Companies House's id for the PSC or statement")
    psc_kind: PscKind
    name: NonEmptyStr | None = None
    title: NonEmptyStr | None = None
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr | None = None
    birth_date: PartialDate | None = None
    nationality: NonEmptyStr | None = None
    country_of_residence: NonEmptyStr | None = None
    address: PostalAddress | None = None
    natures_of_control: tuple[NatureOfControl, ...] = ()
    notified_on: date | None = None
    ceased_on: date | None = None
    registration_number: NonEmptyStr | None = Field(
        default=None, description="a corporate PSC's own registration number"
    )
    legal_form: NonEmptyStr | None = None
    legal_authority: NonEmptyStr | None = None
    place_registered: NonEmptyStr | None = Field(
        default=None, description='the register, as written: "Companies House", "Delaware"'
    )
    country_registered: NonEmptyStr | None = None
    is_sanctioned: bool | None = Field(
        default=None, description="an overseas entity's beneficial owner under sanctions"
    )
    statement: NonEmptyStr | None = None
    exemptions: tuple[PscExemption, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> PscRecord:
        kind = self.psc_kind
        if kind.is_statement and self.statement is None:
            raise ValueError("a PSC statement needs its statement text")
        if kind.is_exemptions != bool(self.exemptions):
            raise ValueError(
                "a company's PSC exemptions need at least one exemption"
                if kind.is_exemptions
                else f"a {kind.value} has no exemptions"
            )
        if not kind.names_no_one and not kind.is_super_secure and self.name is None:
            raise ValueError(f"a {kind.value} needs a name")
        if self.registration_number is not None and not kind.is_corporate:
            raise ValueError(f"a {kind.value} has no registration number")
        try:
            check_span(self.notified_on, self.ceased_on)
        except ValueError as exc:
            raise ValueError(f"control {exc}") from exc
        return self
