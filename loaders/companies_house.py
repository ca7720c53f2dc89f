"""What the Companies House readers share: JSON framing, dates, names of fields, addresses.

The readers themselves are one per kind of file (``clew load KIND``):

==========  =========================  =========================================================
kind        reader                     files
==========  =========================  =========================================================
companies   ``ch_companies``           BasicCompanyData CSV; the same rows as JSON; company
                                       objects from the data-fabric API
psc         ``ch_psc``                 the PSC snapshot (JSON lines, or a JSON array of them)
officers    ``ch_officers``            officer appointments (data-fabric API / officers bulk
                                       snapshot fields), and appointment lists inside company
                                       objects
==========  =========================  =========================================================

JSON files come in every framing in practice: JSON lines (the PSC snapshot), a JSON array with
one element a line and trailing commas, a pretty-printed array, or one pretty-printed object
(an API response saved to a file). ``iter_json_values`` reads them all as a stream of top-level
values (the elements, when the file is an array), each with the lines it spans, without holding
the file in memory. A value that cannot be decoded is rejected with the JSON error and its
position in the file, and reading goes on from the next line that can start a value.

Every line of a file is accounted for: it lies in the span of exactly one ``Parsed`` or
``Rejected`` row (``RawRow.line`` to ``RawRow.line + RawRow.text.count("\\n")``), or it holds
only JSON punctuation between values (``[``, ``]``, ``,``) or whitespace.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from loaders.reading import RawRow, Rejected, iter_lines
from schema.base import PartialDate, PostalAddress, normalise_company_number

JSON_VALUE_LIMIT = 64 * 1024 * 1024
"""The most characters one JSON value may span before it is rejected as unterminated (a file
that never closes its first brace must not be read into memory whole)."""


class BadRow(ValueError):
    """A row that cannot be read; its message is the reject reason. Never leaves a reader."""


# --- JSON framing -------------------------------------------------------------------------------


def iter_json_values(
    path: Path, *, limit: int = JSON_VALUE_LIMIT
) -> Iterator[tuple[RawRow, object] | Rejected]:
    """The top-level JSON values of a file (a top-level array's elements), streamed.

    Each comes with a ``RawRow`` holding its first line and its exact text. Lines that are not
    UTF-8 are rejected on their own (``iter_lines``), and so is a value that had such a line in
    it, since what is left of it may decode to something the file did not say.
    """
    framer = _JsonFramer(str(path), limit)
    for item in iter_lines(path):
        if isinstance(item, Rejected):
            framer.taint(item.row.line)
            yield item
            continue
        yield from framer.feed(item)
    yield from framer.finish()


def _may_close(text: str) -> bool:
    # Decoding is tried only on lines that can end a value, so a pretty-printed object of n
    # lines costs a few decodes, not n.
    return text.rstrip().rstrip(",").rstrip().endswith(("}", "]"))


class _JsonFramer:
    def __init__(self, file: str, limit: int) -> None:
        self.file = file
        self.limit = limit
        self.decoder = json.JSONDecoder()
        self.lines: list[RawRow] = []  # lines not yet consumed, the first from `start`
        self.start = 0
        self.size = 0
        self.in_array = False
        self.tainted: list[int] = []

    def taint(self, line: int) -> None:
        if self.lines:
            self.tainted.append(line)

    def feed(self, row: RawRow) -> Iterator[tuple[RawRow, object] | Rejected]:
        self.lines.append(row)
        self.size += len(row.text) + 1
        # A value's first line is always tried, so that text which is not JSON at all (a CSV
        # given to a JSON reader) is rejected line by line rather than gathered up.
        if len(self.lines) == 1 or _may_close(row.text):
            yield from self._drain(final=False)
        if self.lines and self.size > self.limit:
            text = "\n".join(r.text for r in self.lines)[self.start :].strip()
            first = self.lines[0].line
            self._keep([], 0)
            yield Rejected(
                RawRow(self.file, first, text),
                f"JSON value longer than {self.limit:,} characters and still not closed",
            )

    def finish(self) -> Iterator[tuple[RawRow, object] | Rejected]:
        yield from self._drain(final=True)

    def _keep(self, lines: list[RawRow], start: int) -> None:
        self.lines, self.start = lines, start
        self.size = sum(len(r.text) + 1 for r in lines) - start
        self.tainted = [n for n in self.tainted if lines and n > lines[0].line]

    def _drain(self, *, final: bool) -> Iterator[tuple[RawRow, object] | Rejected]:
        lines = self.lines
        buf = "\n".join(r.text for r in lines)
        offsets = [0]
        for r in lines[:-1]:
            offsets.append(offsets[-1] + len(r.text) + 1)

        def index(pos: int) -> int:
            return bisect_right(offsets, pos) - 1

        def where(pos: int) -> str:
            i = index(pos)
            return f"line {lines[i].line}, column {pos - offsets[i] + 1}"

        def line_end(i: int) -> int:
            return offsets[i + 1] - 1 if i + 1 < len(offsets) else len(buf)

        pos = self.start
        while True:
            while pos < len(buf) and buf[pos].isspace():
                pos += 1
            if pos >= len(buf):
                self._keep([], 0)
                return
            char = buf[pos]
            if (char == "[" and not self.in_array) or (char in "]," and self.in_array):
                self.in_array = char != "]"
                pos += 1
                continue
            first = index(pos)
            try:
                value, end = self.decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                at_end = not buf[exc.pos :].strip()
                if at_end and not final:
                    self._keep(lines[first:], pos - offsets[first])  # the value goes on
                    return
                bad = index(exc.pos)
                if at_end:
                    end = len(buf)
                    reason = f"truncated JSON: {exc.msg} at the end of the file"
                elif (
                    bad > first
                    and buf[offsets[bad] : exc.pos].strip() == ""
                    and (buf[exc.pos] in "{[")
                ):
                    # A line opened a value that never closed (it was cut short) and the next
                    # value starts on its own line: reject the first, read on from the second.
                    end = offsets[bad] - 1
                    reason = (
                        f"truncated JSON: the value at {where(pos)} is not closed "
                        f"before line {lines[bad].line} ({exc.msg})"
                    )
                elif exc.msg.startswith("Unterminated string") or (
                    buf[exc.pos] == "\n" and exc.msg.startswith("Invalid control character")
                ):
                    # JSON text cannot break a line inside a string: the line was cut short.
                    end = line_end(bad)
                    reason = (
                        f"truncated JSON: a string is not closed at the end of line "
                        f"{lines[bad].line}"
                    )
                else:
                    end = line_end(bad)
                    reason = f"malformed JSON: {exc.msg.removesuffix(' at')} at {where(exc.pos)}"
                yield Rejected(RawRow(self.file, lines[first].line, buf[pos:end].strip()), reason)
                pos = end
                continue
            row = RawRow(self.file, lines[first].line, buf[pos:end])
            last = lines[index(end - 1)].line
            inside = [n for n in self.tainted if row.line < n < last]
            if inside:
                numbers = ", ".join(map(str, inside))
                yield Rejected(
                    row, f"JSON value spans undecodable line(s) {numbers}; re-export as UTF-8"
                )
            else:
                yield row, value
            pos = end


def sniff_json(path: Path) -> bool:
    """Whether the file's first non-blank character opens JSON (``{`` or ``[``)."""
    with path.open("rb") as fh:
        while chunk := fh.read(4096):
            text = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")
            if text:
                return text[:1] in (b"{", b"[")
    return False


# --- fields -------------------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def key_name(name: str) -> str:
    """A field name as compared: lower case, letters and digits only. The bulk CSV's
    " RegAddress.AddressLine1", its JSON form's "RegAddress.AddressLine1" and the API's
    "reg_address_address_line1" all become "regaddressaddressline1"."""
    return _NOT_ALNUM.sub("", name.lower())


class Fields:
    """A JSON object's fields, read with their types checked: a value of the wrong type is a
    ``BadRow`` naming the field by its path ("identification.registration_number")."""

    __slots__ = ("path", "values")

    def __init__(self, values: object, path: str = "") -> None:
        if not isinstance(values, dict):
            what = f"{path} should be" if path else "expected"
            raise BadRow(f"{what} a JSON object, not {_type(values)}")
        self.values: Mapping[str, object] = values
        self.path = path

    def name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str) -> object:
        return self.values.get(key)

    def text(self, key: str) -> str | None:
        """Text, stripped; None when absent, null or blank."""
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise BadRow(f"{self.name(key)} should be text, not {_type(value)} {value!r}")
        return value.strip() or None

    def obj(self, key: str) -> Fields:
        """A nested object (empty when absent or null)."""
        value = self.values.get(key)
        return Fields({} if value is None else value, self.name(key))

    def items(self, key: str) -> list[object]:
        """A list (empty when absent or null)."""
        value = self.values.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise BadRow(f"{self.name(key)} should be a list, not {_type(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of text."""
        values = self.items(key)
        if not all(isinstance(v, str) for v in values):
            raise BadRow(f"{self.name(key)} should be a list of text")
        return tuple(str(v) for v in values)

    def flag(self, key: str) -> bool | None:
        """true or false; None when absent or null."""
        value = self.values.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise BadRow(f"{self.name(key)} should be true or false, not {_type(value)} {value!r}")


def _type(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "null" if value is None else f"a {type(value).__name__}"
    )


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00:00(?:\.0+)?(?:Z|[+-]00:?00)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(text: str | None, *, label: str) -> date | None:
    """A Companies House date: "27/08/1864" (bulk CSV), "1864-08-27" (API),
    "1864-08-27T00:00:00" (data-fabric API), "18640827" (officers bulk files)."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if m := _DMY.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _ISO.fullmatch(text) or _COMPACT.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise BadRow(f"{label} {text!r} is not a date: {exc}") from exc
    raise BadRow(f"{label} {text!r} is not a date (dd/mm/yyyy, yyyy-mm-dd or yyyymmdd)")


def parse_partial_date(value: object, *, label: str) -> PartialDate | None:
    """A birth date as Companies House publishes it: "196207" or "196207  " (bulk files),
    "1962-07", or {"year": 1962, "month": 7} (API)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        if isinstance(value, dict):
            year, month = value.get("year"), value.get("month")
            if not isinstance(year, int) or not isinstance(month, int | None):
                raise BadRow(f"{label} {value!r} should hold a year and month as numbers")
            return PartialDate(year=year, month=month)
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"\d{6}", text):
                return PartialDate(year=int(text[:4]), month=int(text[4:]))
            return PartialDate.model_validate(text)
    except ValidationError as exc:
        reason = validation_reason(exc)
        raise BadRow(f"{label} {value!r} is not a year and month: {reason}") from exc
    raise BadRow(f"{label} should be text or an object, not {type(value).__name__}")


def address(
    lines: list[str | None],
    *,
    locality: str | None,
    region: str | None,
    postcode: str | None,
    country: str | None,
    label: str,
) -> PostalAddress | None:
    """A ``PostalAddress`` from parts, or None when every part is blank."""
    parts = [p for p in lines if p]
    if not (parts or locality or region or postcode or country):
        return None
    try:
        return PostalAddress(
            lines=tuple(parts), locality=locality, region=region, postcode=postcode, country=country
        )
    except ValidationError as exc:
        raise BadRow(f"{label}: {validation_reason(exc)}") from exc


def api_address(parts: Fields) -> PostalAddress | None:
    """An address as the public API writes one (``premises``, ``address_line_1``, ...,
    ``postal_code``), in PSC lines and officer items alike."""
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


def care_of(text: str | None) -> str | None:
    if text is None or text.upper().startswith(("C/O", "C/0", "CARE OF")):
        return text
    return f"C/O {text}"


def po_box(text: str | None) -> str | None:
    if text is None or text.upper().replace(".", "").startswith(("PO BOX", "P O BOX", "BOX")):
        return text
    return f"PO BOX {text}"


def validation_reason(exc: ValidationError) -> str:
    """A pydantic error as one line: "field: message; field: message"."""
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


# --- corporate bodies' registrations ------------------------------------------------------------

UK_REGISTER = re.compile(
    r"companies house|registrar of companies|register of companies|"
    r"^(england|wales|scotland|northern ireland|united kingdom|uk|great britain)\b",
    re.IGNORECASE,
)
"""Words in a place or country of registration that put a corporate body on the Companies House
register: the register itself ("Companies House Cardiff") or a UK jurisdiction ("England &
Wales")."""

UK_IDENTIFICATION_TYPE = "uk-limited-company"
"""The API's ``identification_type`` of a corporate officer on the Companies House register
(its other types, "eea", "non-eea", "other-corporate-body-or-firm", say nothing either way: UK
companies were filed as "eea" before 2021)."""


def on_uk_register(*places: str | None, identification_type: str | None = None) -> bool:
    """Whether a corporate body's registration is on the Companies House register, as far as
    the source says (its identification type, or a place or country of registration)."""
    if identification_type == UK_IDENTIFICATION_TYPE:
        return True
    return any(p is not None and UK_REGISTER.search(p) for p in places)


def gb_company_number(number: str | None, *, uk: bool) -> str | None:
    """A registration number as a Companies House company number, when it is one on that
    register; None otherwise (another register's numbers are not keys of the GB register)."""
    if number is None or not uk:
        return None
    try:
        return normalise_company_number(number)
    except ValueError:
        return None


def kept_registration(number: str, *, uk: bool, warnings: list[str]) -> str:
    """A registration number as a record keeps it: on the Companies House register, written as
    a company number ("686734" -> "00686734") so that it meets the company's own record; from
    any other register, as written."""
    if not uk:
        return number
    kept = gb_company_number(number, uk=True)
    if kept is None:
        warnings.append(
            f"registration number {number!r} is registered in the UK but is not a company "
            "number: kept as written"
        )
        return number
    return kept
