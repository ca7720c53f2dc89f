"""Intelligence reports (kind ``reports``), and the mentions found in their text.

**Layout.** JSON lines: one JSON object per line, UTF-8; blank lines are skipped. Keys (a column
mapping, ``loaders.column_mapping``, may rename them as it renames CSV headers; its
``date_order`` and ``default_country`` apply too):

===============  ========  ====================================================================
key              required  value
===============  ========  ====================================================================
id               yes       the report's reference, a string or a whole number
date             yes       the report's date ("2020-04-03", "03/04/2020" by the source's
                           declared order, or an ISO date and time, whose date as written is
                           taken)
force            see unit  the force or agency that owns the report
unit             see       the unit within it, or that owns the report; a report needs force,
                 force     unit or both (some sources give only the unit), and one with
                           neither is rejected
grading          yes       3x5x2 ("1A P", "1/A/P") or 5x5x5 ("B2 4"), as ``schema.grading``
                           reads it; the handling code may be given apart, below
handling_code              "P"/"C" (3x5x2) or 1-5 (5x5x5), when ``grading`` holds two parts;
                           when both give one, they must agree
tags                       a list of strings (or one string separated by "|" or ";"): "CSAE",
                           "CCE", "COUNTY_LINES"
text             yes       the free text, kept exactly as written (mentions are spans into it)
subjects                   a list of named subjects: a name as a string, or an object with
                           ``name`` and optionally ``dob``, ``nominal_ref``, ``role``
===============  ========  ====================================================================

A line that is not JSON (a truncated line, say) is rejected with the decoder's message; so is
one that is not an object, repeats a key, has a key the layout does not read, or a value of the
wrong type; the lines after it are read as usual.

**Mentions.** ``extract_mentions`` finds, in a report's text, what it names in a form a machine
can check, each with its span (code-point offsets, as ``schema.edges.Mentions`` keeps them), the
text as written and the normalised value:

- phone numbers, by ``phonenumbers.PhoneNumberMatcher`` for the default country (GB): numbers
  in an allocated range, and numbers written in dialling form (a leading "0" or "+") that are
  possible but unallocated (Ofcom's drama numbers; noted on the mention). Bare digit runs that
  are merely possible (reference numbers) are not taken;
- e-mail addresses (lower-cased);
- UK postcodes (Royal Mail's format, any case; "SW1A 1AA");
- UK vehicle registrations in upper case: current (2001 on, "AB12 CDE"), prefix (1983-2001,
  "A123 BCD") and suffix (1963-1983, "ABC 123D") formats, normalised without spaces as
  ``schema.base.Vrm`` compares them. Dateless marks ("ABC 123", "1234 AB") are not taken: in
  free text they match flat numbers and references far more often than cars. The suffix format
  also matches some model names ("BMW 320D"): a mention is a lead to check, not a fact.

Overlapping finds are resolved by kind, in that order (an e-mail address containing digits is
an e-mail address, not a phone number). Mentions are kept apart from asserted facts: they become
``MENTIONS`` edges from the report, never fields of a record.

Names of known entities are found by a ``Gazetteer`` built from the graph's entities, which is a
later piece of work: ``extract_mentions`` and ``find_known_entities`` take one; nothing here
pretends to be one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

from loaders.column_mapping import ColumnMapping, Layout, check_mapping, rejection_reason
from loaders.normalise import (
    UK_POSTCODE_PATTERN,
    normalise_uk_postcode,
    parse_date,
    parse_full_date,
    phone_from_match,
)
from loaders.reading import LoadContext, Parsed, RawRow, ReadResult, Rejected, iter_lines
from schema.base import normalise_email
from schema.grading import Grading
from schema.records import IntelReportRecord

REPORTS = Layout(
    "reports",
    required=("id", "date", "grading", "text"),
    optional=("force", "unit", "handling_code", "tags", "subjects"),
)

_SUBJECT_KEYS = ("name", "dob", "nominal_ref", "role")


class _LineError(ValueError):
    """A report line's value is unusable; the message names the key."""


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _LineError(f"key {key!r} appears twice")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise _LineError(f"{name} is not a JSON number")


@dataclass(slots=True)
class _Line:
    """One decoded report line, by documented key."""

    values: dict[str, Any]
    mapping: ColumnMapping
    warnings: list[str] = field(default_factory=list)

    def label(self, key: str) -> str:
        theirs = self.mapping.header_for(key)
        return key if theirs == key else f"{key} ({theirs!r})"

    def _fail(self, key: str, message: str) -> _LineError:
        return _LineError(f"{self.label(key)}: {message}")

    def string(self, key: str, *, required: bool = False, numbers: bool = False) -> str | None:
        value = self.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self._fail(key, "required but missing or blank")
            return None
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self._fail(key, f"expected a string, got {_json_type(value)}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(v.strip() for v in value.replace(";", "|").split("|") if v.strip())
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, f"expected a list of strings, got {_json_type(value)}")
        return tuple(value)

    def report_date(self, key: str) -> date:
        text = self.string(key, required=True)
        assert text is not None  # required
        try:
            day, warnings = parse_full_date(text, order=self.mapping.date_order)
        except ValueError as exc:
            try:
                day, warnings = datetime.fromisoformat(text.strip()).date(), ()
            except ValueError:
                raise self._fail(key, str(exc)) from exc
        self.warnings.extend(f"{self.label(key)}: {w}" for w in warnings)
        return day

    def grading(self) -> Grading:
        text = self.string("grading", required=True)
        assert text is not None  # required
        handling = self.string("handling_code", numbers=True)
        try:
            grading = Grading.parse(text if handling is None else f"{text} {handling}")
        except ValueError as joined:
            if handling is None:
                raise self._fail("grading", rejection_reason(joined)) from joined
            try:
                grading = Grading.parse(text)
            except ValueError:
                raise self._fail("grading", rejection_reason(joined)) from joined
            if grading.handling_code != handling.strip().upper():
                raise self._fail(
                    "handling_code",
                    f"{handling!r} disagrees with the grading's own handling code "
                    f"{grading.handling_code!r} ({text!r})",
                ) from None
        return grading

    def subjects(self) -> tuple[dict[str, Any], ...]:
        value = self.values.get("subjects")
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self._fail("subjects", f"expected a list, got {_json_type(value)}")
        return tuple(self._subject(i, item) for i, item in enumerate(value))

    def _subject(self, index: int, item: Any) -> dict[str, Any]:
        where = f"subjects[{index}]"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise self._fail(where, f"expected a name or an object, got {_json_type(item)}")
        unknown = sorted(set(item) - set(_SUBJECT_KEYS))
        if unknown:
            raise self._fail(
                where,
                f"unknown key(s) {', '.join(map(repr, unknown))}; known: "
                f"{', '.join(_SUBJECT_KEYS)}",
            )
        for key, value in item.items():
            if value is not None and not isinstance(value, str):
                raise self._fail(f"{where}.{key}", f"expected a string, got {_json_type(value)}")
        subject = dict(item)
        if isinstance(subject.get("dob"), str) and subject["dob"].strip():
            try:
                reading = parse_date(subject["dob"], order=self.mapping.date_order)
            except ValueError as exc:
                raise self._fail(f"{where}.dob", str(exc)) from exc
            self.warnings.extend(f"{where}.dob: {w}" for w in reading.warnings)
            subject["dob"] = reading.value
        return subject


def _decode(text: str, mapping: ColumnMapping) -> _Line:
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise _LineError(f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(data, dict):
        raise _LineError(f"a report line must be a JSON object, got {_json_type(data)}")
    theirs = {mapping.header_for(k): k for k in REPORTS.columns}
    unknown = sorted(set(data) - set(theirs))
    if unknown:
        known = ", ".join(theirs)
        raise _LineError(f"unknown key(s) {', '.join(map(repr, unknown))}; known: {known}")
    return _Line({theirs[k]: v for k, v in data.items()}, mapping)


def _report(row: RawRow, context: LoadContext, mapping: ColumnMapping) -> Parsed:
    line = _decode(row.text, mapping)
    text = line.string("text", required=True)
    force, unit = line.string("force"), line.string("unit")
    if force is None and unit is None:
        raise _LineError(
            f"neither {line.label('force')} nor {line.label('unit')} given: a report needs the "
            "force or the unit that owns it"
        )
    record = IntelReportRecord.model_validate(
        {
            "provenance": context.provenance(row),
            "report_ref": line.string("id", required=True, numbers=True),
            "reported_on": line.report_date("date"),
            "force": force,
            "unit": unit,
            "grading": line.grading(),
            "tags": line.strings("tags"),
            "text": text,
            "subjects": line.subjects(),
        }
    )
    return Parsed(row, (record,), tuple(line.warnings))


@dataclass(slots=True)
class IntelReportReader:
    """Reads intelligence reports as JSON lines (see the module docstring for the layout)."""

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    kind: str = field(default="reports", init=False)

    def __post_init__(self) -> None:
        check_mapping(self.mapping, REPORTS)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        for item in iter_lines(path):
            if isinstance(item, Rejected):
                yield item
                continue
            if not item.text.strip():
                continue
            try:
                yield _report(item, context, self.mapping)
            except ValueError as exc:
                yield Rejected(item, rejection_reason(exc))


# --- mentions -----------------------------------------------------------------------------------

EXTRACTOR_VERSION = "1"
"""Changes when what the extractors find changes (kept on ``MENTIONS`` edges)."""


class MentionKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    VEHICLE = "vehicle"
    ENTITY = "entity"


@dataclass(frozen=True, slots=True)
class Mention:
    """Something a text names: where (``start`` to ``end``, code points), as written, and its
    normalised value (E.164, e-mail address, postcode, registration, or a known entity's id)."""

    kind: MentionKind
    start: int
    end: int
    text: str
    value: str
    extractor: str
    note: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or self.end - self.start != len(self.text):
            raise ValueError(f"span {self.start}-{self.end} does not fit {self.text!r}")


class Gazetteer(Protocol):
    """Finds the names of known entities (people, companies, places) in text. Entity
    resolution builds one from the graph; none exists yet."""

    @property
    def name(self) -> str:
        """The extractor name its mentions carry."""
        ...

    def find(self, text: str) -> Iterable[Mention]: ...


_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)
_POSTCODE = re.compile(rf"(?<![A-Za-z0-9]){UK_POSTCODE_PATTERN}(?![A-Za-z0-9])", re.IGNORECASE)
_VEHICLE = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"[A-HJ-PR-Y]{2}\d{2} ?[A-HJ-PR-Z]{3}"  # current: AB12 CDE
    r"|[A-HJ-NP-TV-Y]\d{1,3} ?[A-HJ-PR-Z]{3}"  # prefix: A123 BCD
    r"|[A-HJ-PR-Z]{3} ?\d{1,3} ?[A-HJ-NP-TV-Y]"  # suffix: ABC 123D
    r")(?![A-Za-z0-9])"
)
_DIALLING_FORM = re.compile(r"^\(?[0+]")
_PRIORITY = (
    MentionKind.EMAIL,
    MentionKind.PHONE,
    MentionKind.POSTCODE,
    MentionKind.VEHICLE,
    MentionKind.ENTITY,
)


def find_phones(text: str, *, default_country: str = "GB") -> list[Mention]:
    out: list[Mention] = []
    matcher = PhoneNumberMatcher(text, default_country, leniency=Leniency.POSSIBLE)
    for match in matcher:
        number = match.number
        valid = phonenumbers.is_valid_number(number)
        if not valid and not _DIALLING_FORM.match(match.raw_string):
            continue
        try:
            reading = phone_from_match(number, match.raw_string)
        except ValueError:
            continue
        note = "not in an allocated range" if not valid else None
        if reading.extension:
            note = "; ".join(filter(None, (note, f"extension {reading.extension}")))
        out.append(
            Mention(
                MentionKind.PHONE,
                match.start,
                match.end,
                match.raw_string,
                reading.e164,
                "phonenumbers",
                note,
            )
        )
    return out


def find_emails(text: str) -> list[Mention]:
    return [
        Mention(MentionKind.EMAIL, m.start(), m.end(), m[0], normalise_email(m[0]), "regex:email")
        for m in _EMAIL.finditer(text)
    ]


def find_postcodes(text: str) -> list[Mention]:
    return [
        Mention(
            MentionKind.POSTCODE,
            m.start(),
            m.end(),
            m[0],
            normalise_uk_postcode(m[0]),
            "regex:uk_postcode",
        )
        for m in _POSTCODE.finditer(text)
    ]


def find_vehicles(text: str) -> list[Mention]:
    return [
        Mention(
            MentionKind.VEHICLE, m.start(), m.end(), m[0], m[0].replace(" ", ""), "regex:uk_vrm"
        )
        for m in _VEHICLE.finditer(text)
    ]


def find_known_entities(text: str, gazetteer: Gazetteer) -> list[Mention]:
    """The gazetteer's finds, each checked to be a span of ``text`` as it says."""
    out: list[Mention] = []
    for mention in gazetteer.find(text):
        if text[mention.start : mention.end] != mention.text:
            raise ValueError(
                f"gazetteer {gazetteer.name!r} gave span {mention.start}-{mention.end} as "
                f"{mention.text!r}, but the text there is {text[mention.start : mention.end]!r}"
            )
        out.append(mention)
    return out


def extract_mentions(
    text: str, *, default_country: str = "GB", gazetteer: Gazetteer | None = None
) -> tuple[Mention, ...]:
    """Every mention in ``text``, in text order, overlaps resolved (module docstring)."""
    found = {
        MentionKind.EMAIL: find_emails(text),
        MentionKind.PHONE: find_phones(text, default_country=default_country),
        MentionKind.POSTCODE: find_postcodes(text),
        MentionKind.VEHICLE: find_vehicles(text),
        MentionKind.ENTITY: [] if gazetteer is None else find_known_entities(text, gazetteer),
    }
    taken: list[Mention] = []
    for kind in _PRIORITY:
        for mention in found[kind]:
            if not any(mention.start < t.end and t.start < mention.end for t in taken):
                taken.append(mention)
    return tuple(sorted(taken, key=lambda m: (m.start, m.end)))
