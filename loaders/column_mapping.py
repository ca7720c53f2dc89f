"""Declarative column mappings, and reading a CSV through one.

Each CSV kind documents its layout (``Layout``: the column names it reads, which are required).
A file whose headers differ is loaded with a small YAML file instead of code::

    columns:                    # documented name: the file's header
      nominal_ref: "PNC ID"
      surname: "Family Name"
      dob: "Date of Birth"
    date_order: dmy             # dmy (UK), mdy or ymd: how numeric dates are written
    default_country: GB         # the country of national phone numbers (ISO 3166 alpha-2)
    delimiter: ";"              # one character; "," when not given
    timezone: Europe/London     # the zone of times written without an offset
    ignore: ["Officer notes"]   # headers the file has that are knowingly not loaded

Every key is optional. A documented name the kind does not read is an error that lists the ones
it does; so is an option with a value that cannot work. Headers are matched without regard to
case or surrounding spaces. A header in the file that is neither read nor in ``ignore`` is an
error: a column left behind unnoticed is data dropped silently.

Errors (``schema.errors`` has the root)::

    ClewError
    └── LayoutError             a file's layout cannot be read
        ├── ColumnMappingError  the mapping file is invalid (``problems`` lists each)
        └── HeaderError         the file's header lacks a required column, repeats one, or has
                                one that is neither read nor ignored

A file whose header is unusable raises ``HeaderError`` from the reader before any row: nothing
in it can be read, and one error says so better than a rejected row for each line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from loaders.normalise import (
    DateOrder,
    normalise_phone,
    parse_date,
    parse_datetime,
    parse_full_date,
)
from loaders.reading import Parsed, RawRow, ReadResult, Rejected, iter_csv
from schema.base import PartialDate
from schema.errors import ClewError
from schema.records import Record


class LayoutError(ClewError):
    """A file's layout (its mapping or its header) cannot be read."""


class ColumnMappingError(LayoutError):
    """The mapping file is invalid; ``problems`` says what, one item each."""

    def __init__(self, source: str, problems: tuple[str, ...]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"column mapping {source}: " + "; ".join(problems))


class HeaderError(LayoutError):
    """A file's header cannot be read with the kind's layout and the mapping given."""

    def __init__(self, path: str, problems: tuple[str, ...]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Layout:
    """A kind's documented CSV columns."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


class ColumnMapping(BaseModel):
    """How one source's files differ from a kind's documented layout.

    Validate with ``for_layout`` (or a ``layout`` in the validation context) to check the
    documented names; without one the names are taken as they are.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] = Field(default_factory=dict)
    date_order: DateOrder | None = None
    default_country: str = "GB"
    delimiter: str = ","
    timezone: str | None = None
    ignore: tuple[str, ...] = ()

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        layout = info.context.get("layout") if isinstance(info.context, Mapping) else None
        if isinstance(layout, Layout):
            unknown = sorted(set(value) - set(layout.columns))
            if unknown:
                raise ValueError(
                    f"{', '.join(map(repr, unknown))} not documented for {layout.kind!r}; "
                    f"known: {', '.join(layout.columns)}"
                )
        seen: dict[str, str] = {}
        for name, header in value.items():
            key = _header_key(header)
            if not key:
                raise ValueError(f"{name!r} is mapped to a blank header")
            if key in seen:
                raise ValueError(f"{seen[key]!r} and {name!r} are both mapped to {header!r}")
            seen[key] = name
        return value

    @field_validator("default_country")
    @classmethod
    def _country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"{value!r} is not a region phonenumbers knows (ISO 3166 alpha-2)")
        return code

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, value: str) -> str:
        if len(value) != 1 or value in '"\r\n':
            raise ValueError(f"{value!r} is not a delimiter (one character, not a quote)")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"{value!r} is not an IANA time zone name") from exc
        return value

    @model_validator(mode="after")
    def _ignored_not_mapped(self) -> Self:
        mapped = {_header_key(h) for h in self.columns.values()}
        both = [h for h in self.ignore if _header_key(h) in mapped]
        if both:
            raise ValueError(f"{', '.join(map(repr, both))} both mapped and ignored")
        return self

    @classmethod
    def for_layout(cls, data: Any, layout: Layout) -> ColumnMapping:
        """Validate ``data`` (the parsed YAML) against ``layout``; raises
        ``ColumnMappingError`` listing each problem."""
        try:
            return cls.model_validate(data or {}, context={"layout": layout})
        except ValidationError as exc:
            raise ColumnMappingError(f"for {layout.kind!r}", explain(exc)) from exc

    @property
    def zone(self) -> tzinfo | None:
        return None if self.timezone is None else ZoneInfo(self.timezone)

    def header_for(self, name: str) -> str:
        """The header the file gives the documented column ``name``."""
        return self.columns.get(name, name)


def load_column_mapping(path: Path, layout: Layout) -> ColumnMapping:
    """Read and validate a YAML mapping file for ``layout``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ColumnMappingError(str(path), (f"cannot be read: {exc}",)) from exc
    if data is not None and not isinstance(data, dict):
        raise ColumnMappingError(str(path), ("must be a mapping of options (columns: ...)",))
    try:
        return ColumnMapping.model_validate(data or {}, context={"layout": layout})
    except ValidationError as exc:
        raise ColumnMappingError(str(path), explain(exc)) from exc


def explain(exc: ValidationError) -> tuple[str, ...]:
    """A pydantic error as short sentences, one per problem, each naming where it is."""
    out: list[str] = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        out.append(f"{where}: {message}" if where else message)
    return tuple(out)


def rejection_reason(exc: Exception) -> str:
    """The reason a row is rejected, from the error that refused it."""
    if isinstance(exc, ValidationError):
        return "; ".join(explain(exc))
    return str(exc)


def _header_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- reading a table ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Header:
    """Where each documented column is in a file."""

    positions: dict[str, int]
    width: int


def resolve_header(path: str, fields: list[str], layout: Layout, mapping: ColumnMapping) -> Header:
    """Locate the layout's columns in a header row, or raise ``HeaderError`` with every
    problem at once."""
    keys = [_header_key(f) for f in fields]
    problems: list[str] = []
    repeated = sorted({fields[i] for i, k in enumerate(keys) if keys.count(k) > 1})
    if repeated:
        problems.append(f"header repeats {', '.join(map(repr, repeated))}")
    positions: dict[str, int] = {}
    for name in layout.columns:
        header = mapping.header_for(name)
        key = _header_key(header)
        if key in keys:
            positions[name] = keys.index(key)
        elif name in layout.required:
            mapped = "" if header == name else f" (mapped from {name!r})"
            problems.append(f"no {header!r} column{mapped}")
    ignored = {_header_key(h) for h in mapping.ignore}
    read = set(positions.values())
    extra = [f for i, f in enumerate(fields) if i not in read and keys[i] not in ignored]
    if extra:
        problems.append(
            f"columns {', '.join(map(repr, extra))} are not read: map them in the column "
            f"mapping's columns (documented: {', '.join(layout.columns)}) or list them in ignore"
        )
    if problems:
        raise HeaderError(path, tuple(problems))
    return Header(positions, len(fields))


def iter_table(
    path: Path, layout: Layout, mapping: ColumnMapping
) -> Iterator[tuple[RawRow, Cells] | Rejected]:
    """A CSV's data rows as ``Cells`` by documented name, or rejected (undecodable, malformed,
    the wrong number of fields). Blank lines, and lines of empty fields only, hold no data and
    are skipped. Raises
    ``HeaderError`` before any row when the header cannot be read."""
    header: Header | None = None
    for item in iter_csv(path, delimiter=mapping.delimiter):
        if isinstance(item, Rejected):
            if header is None:
                raise HeaderError(str(path), (f"the header line cannot be read: {item.reason}",))
            yield item
            continue
        row, fields = item
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = resolve_header(str(path), fields, layout, mapping)
            continue
        if len(fields) != header.width:
            yield Rejected(
                row,
                f"has {len(fields)} fields where the header has {header.width}"
                f" (delimiter {mapping.delimiter!r})",
            )
            continue
        values = {name: fields[i] for name, i in header.positions.items()}
        yield row, Cells(values, mapping)
    if header is None:
        raise HeaderError(str(path), ("the file is empty: no header line",))


class CellError(ValueError):
    """A cell's value cannot be read; the message names the column."""


@dataclass(slots=True)
class Cells:
    """One row's values by documented name, read into typed values. Each reading method raises
    ``CellError`` naming the column (and the file's header for it) and collects warnings."""

    values: dict[str, str]
    mapping: ColumnMapping
    warnings: list[str] = field(default_factory=list)

    def _label(self, name: str) -> str:
        header = self.mapping.header_for(name)
        return name if header == name else f"{name} ({header!r})"

    def _fail(self, name: str, message: str) -> CellError:
        return CellError(f"{self._label(name)}: {message}")

    def _warn(self, name: str, warnings: tuple[str, ...]) -> None:
        self.warnings.extend(f"{self._label(name)}: {w}" for w in warnings)

    def text(self, name: str) -> str | None:
        """The cell with whitespace collapsed; None when blank or absent."""
        value = " ".join(self.values.get(name, "").split())
        return value or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise self._fail(name, "required but blank")
        return value

    def items(self, name: str) -> tuple[str, ...]:
        """A list cell: values separated by "|" or ";", blanks dropped."""
        raw = self.values.get(name, "").replace(";", "|")
        return tuple(v for v in (" ".join(p.split()) for p in raw.split("|")) if v)

    def partial_date(self, name: str) -> PartialDate | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            reading = parse_date(value, order=self.mapping.date_order)
        except ValueError as exc:
            raise self._fail(name, str(exc)) from exc
        self._warn(name, reading.warnings)
        return reading.value

    def date(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            day, warnings = parse_full_date(value, order=self.mapping.date_order)
        except ValueError as exc:
            raise self._fail(name, str(exc)) from exc
        self._warn(name, warnings)
        return day

    def datetime(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            reading = parse_datetime(value, order=self.mapping.date_order, zone=self.mapping.zone)
        except ValueError as exc:
            raise self._fail(name, str(exc)) from exc
        self._warn(name, reading.warnings)
        return reading.value

    def phone(self, name: str) -> str | None:
        value = self.text(name)
        return None if value is None else self._phone(name, value)

    def phones(self, name: str) -> tuple[str, ...]:
        return tuple(self._phone(name, v) for v in self.items(name))

    def _phone(self, name: str, value: str) -> str:
        try:
            reading = normalise_phone(value, default_country=self.mapping.default_country)
        except ValueError as exc:
            raise self._fail(name, str(exc)) from exc
        self._warn(name, reading.warnings)
        return reading.e164

    def integer(self, name: str, *, minimum: int | None = None) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = int(value.replace(",", "").replace("_", ""))
        except ValueError as exc:
            raise self._fail(name, f"{value!r} is not a whole number") from exc
        if minimum is not None and number < minimum:
            raise self._fail(name, f"{number} is below {minimum}")
        return number


def check_mapping(mapping: ColumnMapping, layout: Layout) -> ColumnMapping:
    """``mapping`` validated against ``layout`` (a mapping built without one may name columns
    the kind does not read); raises ``ColumnMappingError``."""
    return ColumnMapping.for_layout(mapping.model_dump(), layout)


def read_table(
    path: Path,
    layout: Layout,
    mapping: ColumnMapping,
    build: Callable[[RawRow, Cells], Record],
) -> Iterator[ReadResult]:
    """Read a CSV through ``mapping``: each data row is parsed by ``build`` (which raises
    ``ValueError`` to reject it) or rejected, in file order, with the cells' warnings."""
    for item in iter_table(path, layout, mapping):
        if isinstance(item, Rejected):
            yield item
            continue
        row, cells = item
        try:
            record = build(row, cells)
        except ValueError as exc:
            yield Rejected(row, rejection_reason(exc))
            continue
        yield Parsed(row, (record,), tuple(cells.warnings))
