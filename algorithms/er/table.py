"""The table entity resolution reads: record ids, typed columns, and (to link) dataset names.

A ``RecordTable`` is column-oriented on purpose: every later stage (normalisation, blocking,
comparison) works a column at a time over arrays, never a record at a time. A cell is a string,
``None`` (missing), or a tuple of strings for a multi-valued cell (a person with two phone
numbers); every value of a multi-valued cell is a blocking key, and a comparison takes the best
agreement over the values on both sides.

Dates are ISO strings, full or partial ("1962-07-14", "1962-07", "1962"), as Companies House
gives officers' birth dates; the compact "19620714" is read as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from schema.errors import ResolutionError, UnknownColumnKind

Cell = str | tuple[str, ...] | None
"""One cell: a value, several values, or missing."""


class ColumnKind(StrEnum):
    """What a column holds, which decides how it is normalised, blocked on and compared."""

    FORENAME = "forename"
    SURNAME = "surname"
    FULL_NAME = "full_name"
    DATE_OF_BIRTH = "date_of_birth"
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    ADDRESS = "address"
    STREET_NUMBER = "street_number"
    LOCALITY = "locality"
    IDENTIFIER = "identifier"
    CATEGORICAL = "categorical"
    # The same members under their configuration names (issue 4 writes them so): aliases, so
    # iteration and ``known`` lists still give each kind once.
    forename = "forename"
    surname = "surname"
    full_name = "full_name"
    date_of_birth = "date_of_birth"
    phone = "phone"
    email = "email"
    postcode = "postcode"
    address = "address"
    street_number = "street_number"
    locality = "locality"
    identifier = "identifier"
    categorical = "categorical"

    @classmethod
    def parse(cls, text: str, *, column: str | None = None) -> ColumnKind:
        """The kind named ``text`` (case and surrounding space ignored); raises
        ``UnknownColumnKind`` listing the known kinds otherwise."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise UnknownColumnKind(
                text, column=column, known=tuple(k.value for k in cls)
            ) from None


MULTI_VALUED: frozenset[ColumnKind] = frozenset(
    {ColumnKind.PHONE, ColumnKind.EMAIL, ColumnKind.IDENTIFIER}
)
"""Kinds whose cells may hold several values (any-match in comparison)."""


@dataclass(frozen=True)
class Column:
    """One column: its kind and one cell per record. ``kind`` may be given as its name."""

    kind: ColumnKind
    values: Sequence[Cell]

    def __post_init__(self) -> None:
        kind: object = self.kind
        if not isinstance(kind, ColumnKind):
            object.__setattr__(self, "kind", ColumnKind.parse(str(kind)))


@dataclass(frozen=True)
class RecordTable:
    """Records to resolve: ``ids[i]`` names record ``i``; every column has one cell per record.

    ``dataset`` (one name per record) asks for linking rather than deduplication: only pairs
    of records from different datasets are then compared.
    """

    ids: Sequence[str]
    columns: Mapping[str, Column]
    dataset: Sequence[str] | None = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name, column in self.columns.items():
            if len(column.values) != n:
                raise ResolutionError(
                    f"column {name!r} has {len(column.values)} cells for {n} record ids"
                )
            if column.kind not in MULTI_VALUED and any(isinstance(v, tuple) for v in column.values):
                raise ResolutionError(
                    f"column {name!r} ({column.kind}) has multi-valued cells; only "
                    f"{', '.join(sorted(MULTI_VALUED))} columns may"
                )
        if self.dataset is not None and len(self.dataset) != n:
            raise ResolutionError(f"dataset has {len(self.dataset)} names for {n} record ids")

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def is_link(self) -> bool:
        """Whether pairs are only formed across datasets."""
        return self.dataset is not None

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        id_column: str,
        kinds: Mapping[str, ColumnKind | str],
        dataset_column: str | None = None,
    ) -> RecordTable:
        """A table from row mappings (a CSV's ``DictReader``), keeping the columns in ``kinds``;
        blank cells are missing."""
        parsed = {
            name: k if isinstance(k, ColumnKind) else ColumnKind.parse(k, column=name)
            for name, k in kinds.items()
        }
        ids: list[str] = []
        cells: dict[str, list[Cell]] = {name: [] for name in parsed}
        datasets: list[str] = []
        for row in rows:
            ids.append(str(row[id_column]))
            for name in parsed:
                cells[name].append(_cell(row.get(name)))
            if dataset_column is not None:
                datasets.append(str(row[dataset_column]))
        columns = {name: Column(parsed[name], cells[name]) for name in parsed}
        return cls(ids, columns, datasets if dataset_column is not None else None)

    @classmethod
    def trusted(
        cls, ids: Sequence[str], columns: Mapping[str, Column], dataset: Sequence[str] | None
    ) -> RecordTable:
        """A table of parts already checked (checked tables joined or reordered, or one saved
        from a checked table), made without checking every cell again: at a million records
        the check costs seconds, and an incremental run joins the existing table to the new
        records every time."""
        table = object.__new__(cls)
        object.__setattr__(table, "ids", ids)
        object.__setattr__(table, "columns", columns)
        object.__setattr__(table, "dataset", dataset)
        return table

    def concat(self, other: RecordTable) -> RecordTable:
        """This table's records followed by ``other``'s (the same columns): new records are
        then the indices from ``len(self)`` on, for incremental blocking and scoring."""
        if set(self.columns) != set(other.columns):
            raise ResolutionError(
                f"tables differ in columns: {sorted(self.columns)} and {sorted(other.columns)}"
            )
        if (self.dataset is None) != (other.dataset is None):
            raise ResolutionError("one table names datasets and the other does not")
        columns = {
            name: Column(col.kind, [*col.values, *other.columns[name].values])
            for name, col in self.columns.items()
        }
        dataset = (
            [*self.dataset, *other.dataset]
            if self.dataset is not None and other.dataset is not None
            else None
        )
        # Both tables were checked: the joined one needs no check of its cells.
        return RecordTable.trusted([*self.ids, *other.ids], columns, dataset)


def _cell(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        kept = tuple(str(v).strip() for v in value if v is not None and str(v).strip())
        return kept or None
    text = str(value).strip()
    return text or None
