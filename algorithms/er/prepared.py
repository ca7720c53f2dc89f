"""A table prepared for matching: its columns normalised and encoded (``features``), its
over-shared values set aside (``hubs``), and how to reorder it or add records to it without
normalising anything twice (``Prepared.take``, ``Prepared.extend``: what incremental resolution
and its saved preparation, ``prepared_cache``, rest on)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from algorithms.er.features import Encoded, encode_table, extend_column, factorise
from algorithms.er.hubs import DEFAULT_HUB_LIMITS, find_hubs
from algorithms.er.table import Column, ColumnKind, RecordTable

I32 = NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A table's columns encoded, with over-shared values removed (``columns``) and as read
    (``raw``), the codes of the values removed, and dataset codes (link mode)."""

    table: RecordTable
    columns: dict[str, Encoded]
    raw: dict[str, Encoded]
    hubs: dict[str, NDArray[np.int64]]
    dataset: I32 | None

    @property
    def n(self) -> int:
        return len(self.table)

    @classmethod
    def assemble(
        cls, table: RecordTable, raw: dict[str, Encoded], hubs: dict[str, NDArray[np.int64]]
    ) -> Prepared:
        """The preparation of ``table`` from its encoded columns and their over-shared values."""
        columns = {name: e.without(hubs[name]) if name in hubs else e for name, e in raw.items()}
        dataset = None
        if table.dataset is not None:
            codes, _ = factorise([str(d) for d in table.dataset])
            dataset = codes
        return cls(table, columns, raw, hubs, dataset)

    def take(self, order: Sequence[int] | NDArray[np.integer]) -> Prepared:
        """The same preparation for the records ``order`` (a permutation or a subset), without
        normalising anything again: value codes, over-shared values and counts are the whole
        table's, as blocking and scoring need them."""
        idx = [int(i) for i in np.asarray(order, dtype=np.int64)]
        table = self.table
        # Records of a checked table, in another order: no need to check every cell again.
        reordered = RecordTable.trusted(
            [table.ids[i] for i in idx],
            {
                name: Column(col.kind, [col.values[i] for i in idx])
                for name, col in table.columns.items()
            },
            None if table.dataset is None else [table.dataset[i] for i in idx],
        )
        return Prepared(
            reordered,
            {name: e.take(idx) for name, e in self.columns.items()},
            {name: e.take(idx) for name, e in self.raw.items()},
            self.hubs,
            None if self.dataset is None else self.dataset[np.asarray(idx, dtype=np.int64)],
        )

    def extend(
        self,
        new: RecordTable,
        *,
        hub_limits: Mapping[ColumnKind, int] | None = None,
        region: str = "GB",
    ) -> Prepared:
        """This preparation with ``new``'s records appended (``hub_limits`` and ``region`` as it
        was prepared with): only their cells are read and only values not seen before are
        normalised. The result is ``prepare(self.table.concat(new))``, value codes included;
        counts and over-shared values are the whole table's again."""
        table = self.table.concat(new)
        raw = {
            name: extend_column(e, new.columns[name], region=region) for name, e in self.raw.items()
        }
        return _prepared(table, raw, hub_limits)


def _prepared(
    table: RecordTable, raw: dict[str, Encoded], hub_limits: Mapping[ColumnKind, int] | None
) -> Prepared:
    limits = DEFAULT_HUB_LIMITS if hub_limits is None else hub_limits
    return Prepared.assemble(table, raw, find_hubs(raw, limits, len(table)))


def prepare(
    table: RecordTable,
    *,
    hub_limits: Mapping[ColumnKind, int] | None = None,
    region: str = "GB",
) -> Prepared:
    """Encode ``table`` and set its over-shared values aside (``hub_limits``: distinct people
    per value by column kind; default ``hubs.DEFAULT_HUB_LIMITS``)."""
    return _prepared(table, encode_table(table, region=region), hub_limits)
