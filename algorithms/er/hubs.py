"""Over-shared values: a phone, e-mail, address or identifier that too many people share.

A call-centre or switchboard number, a company formation agent's address, a placeholder
document number: such a value links records of hundreds of different people, so an agreement
on it is no evidence that two records are one person. It is found by counting the distinct
people among the records that carry it, and then removed from the column before blocking and
comparison (the records keep their other values): it neither makes candidate pairs nor counts
in a score, and every explanation says it was set aside.

"Distinct people" without resolution done yet: records are told apart by a name key robust to
typos (the surname's Metaphone key and the forename's initial, or the same of a full name);
records without a name count as distinct. Limits are per column kind: a family shares a
landline, a household an address; a switchboard or a formation agent's address is shared by
far more than any household.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from algorithms.er.arrays import unique, unique_inverse
from algorithms.er.features import Encoded
from algorithms.er.table import ColumnKind

I64 = NDArray[np.int64]

DEFAULT_HUB_LIMITS: dict[ColumnKind, int] = {
    ColumnKind.PHONE: 20,
    ColumnKind.EMAIL: 20,
    ColumnKind.IDENTIFIER: 10,
    ColumnKind.ADDRESS: 40,
}
"""Distinct people a value of each kind may be shared by before it stops counting."""


class Hub(BaseModel):
    """A value set aside as over-shared."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str
    value: str
    records: int
    people: int
    limit: int


def person_keys(columns: Mapping[str, Encoded], n: int) -> I64:
    """A typo-tolerant person key per record (see the module docstring); records without a
    name get a key of their own."""
    key = np.full(n, -1, dtype=np.int64)
    by_kind = {e.kind: e for e in columns.values()}
    surname, forename = by_kind.get(ColumnKind.SURNAME), by_kind.get(ColumnKind.FORENAME)
    full = by_kind.get(ColumnKind.FULL_NAME)
    if surname is not None:
        meta = np.where(surname.first >= 0, surname.attrs["meta"][surname.first], -1)
        initial = (
            np.where(forename.first >= 0, forename.attrs["initial"][forename.first], 0)
            if forename is not None
            else np.zeros(n, dtype=np.int32)
        )
        key = np.where(meta >= 0, meta.astype(np.int64) * 0x110000 + initial, -1)
    elif full is not None:
        f = full.first
        meta = np.where(f >= 0, full.attrs["surname_meta"][f], -1)
        first = np.where(f >= 0, full.attrs["first_meta"][f], 0)
        key = np.where(meta >= 0, meta.astype(np.int64) * (1 << 31) + first, -1)
    # Records without a name key stand for themselves.
    alone = key < 0
    key[alone] = -1 - np.flatnonzero(alone)
    return key


def find_hubs(
    columns: Mapping[str, Encoded], limits: Mapping[ColumnKind, int], n: int
) -> dict[str, I64]:
    """The codes of the over-shared values of each column with a limit."""
    people = person_keys(columns, n)
    _, owner = unique_inverse(people)
    span = np.int64(n + 1)
    found: dict[str, I64] = {}
    for name, e in columns.items():
        limit = limits.get(e.kind)
        if limit is None or e.slots.size == 0:
            continue
        # Only values on more records than the limit can have more people than it.
        busy = np.flatnonzero(e.counts > limit)
        if busy.size == 0:
            continue
        mask = np.isin(e.slots, busy)
        owners = owner[e.record_of_slot()[mask]]
        pairs = unique(e.slots[mask].astype(np.int64) * span + owners)
        distinct = np.bincount(pairs // span, minlength=len(e.values))
        codes = np.flatnonzero(distinct > limit).astype(np.int64)
        if codes.size:
            found[name] = codes
    return found


def describe_hubs(
    columns: Mapping[str, Encoded],
    hubs: Mapping[str, I64],
    limits: Mapping[ColumnKind, int],
    n: int,
) -> list[Hub]:
    """The hubs as records for a report, most shared first."""
    people = person_keys(columns, n)
    out: list[Hub] = []
    for name, codes in hubs.items():
        e = columns[name]
        records = e.record_of_slot()
        for code in codes.tolist():
            holders = records[e.slots == code]
            out.append(
                Hub(
                    column=name,
                    value=e.values[code],
                    records=int(holders.size),
                    people=int(unique(people[holders]).size),
                    limit=limits[e.kind],
                )
            )
    return sorted(out, key=lambda h: -h.people)
