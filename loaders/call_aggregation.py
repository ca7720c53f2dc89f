"""Call records aggregated into ``CALLED`` edge rows, one per ordered pair of numbers.

A row holds, for calls from ``a_number`` to ``b_number``: how many (``count``), their total
duration, the first and last start times, the most restrictive sensitivity among them, and the
ids of a **bounded sample** of the records (``record_ids``): the ``sample_size // 2`` earliest
and the rest of ``sample_size`` latest, by start time then id, so the records behind
``first_seen`` and ``last_seen`` are always among them.

Why a sample, not every id: a pair of numbers that call each other daily for years has thousands
of calls, and an edge property holding them all makes every read of that edge, and every
projection for the algorithms, carry them. Nothing is lost by bounding it: every call stays its
own ``CallRecord`` node, keyed by ``a_number``, ``b_number``, ``started_at`` and type, so the
full list behind an edge is the records with its two numbers (an indexed lookup); ``count``
against ``len(record_ids)`` says whether the sample is all of them (``CalledRow.complete``).

Memory is O(distinct pairs x sample_size), whatever the number of calls: the input is any
iterable (a reader's stream, the store's records in id windows) and is consumed once. Partial
aggregations (per file, per worker) combine with ``CallAggregator.merge``; the result does not
depend on the order calls arrive in. A record given twice counts twice: aggregate distinct
records (one load's file, or the store's ``CallRecord`` nodes), not overlapping extracts.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from schema.edges import Called
from schema.entities import Phone
from schema.grading import Sensitivity
from schema.records import CallRecord

DEFAULT_SAMPLE_SIZE = 20


@dataclass(frozen=True, slots=True)
class CalledRow:
    """The calls from one number to another, aggregated."""

    a_number: str
    b_number: str
    count: int
    total_duration_s: int
    first_seen: datetime
    last_seen: datetime
    record_ids: tuple[str, ...]
    """A sample of the records' ids, sorted (see the module docstring)."""
    sensitivity: Sensitivity = Sensitivity.OFFICIAL

    @property
    def complete(self) -> bool:
        """Whether ``record_ids`` holds every record aggregated."""
        return len(self.record_ids) == self.count

    def to_edge(self, phone_id: Callable[[str], str] | None = None) -> Called:
        """The ``CALLED`` edge between the two numbers' ``Phone`` entities (``phone_id`` maps a
        number to its entity id; by default the ``Phone`` id of the E.164 number)."""
        ident = phone_id or (lambda number: Phone.entity_id(e164=number))
        return Called(
            start=ident(self.a_number),
            end=ident(self.b_number),
            record_ids=self.record_ids,
            sensitivity=self.sensitivity,
            count=self.count,
            total_duration_s=self.total_duration_s,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
        )


_Key = tuple[datetime, str]
"""A call's place in the sample order: start time, then record id."""


@dataclass(frozen=True, slots=True)
class _Desc:
    """A key in reverse order, so that a min-heap of them keeps the smallest keys with the
    largest on top, ready to be dropped."""

    key: _Key

    def __lt__(self, other: _Desc) -> bool:
        return self.key > other.key


@dataclass(slots=True)
class _Pair:
    first: datetime
    last: datetime
    count: int = 0
    total: int = 0
    sensitivity: Sensitivity = Sensitivity.OFFICIAL
    earliest: list[_Desc] = field(default_factory=list)  # the earliest keys, latest on top
    latest: list[_Key] = field(default_factory=list)  # the latest keys, earliest on top


class CallAggregator:
    """Streams calls into per-pair aggregates (module docstring)."""

    def __init__(self, *, sample_size: int = DEFAULT_SAMPLE_SIZE) -> None:
        if sample_size < 1:
            raise ValueError("sample_size must be at least 1")
        self.sample_size = sample_size
        self._early_n = (sample_size + 1) // 2
        self._late_n = sample_size // 2
        self._pairs: dict[tuple[str, str], _Pair] = {}
        self.calls = 0

    def __len__(self) -> int:
        return len(self._pairs)

    def add(self, call: CallRecord) -> None:
        self.add_values(
            call.a_number,
            call.b_number,
            call.started_at,
            call.duration_s,
            call.id,
            call.sensitivity,
        )

    def add_values(
        self,
        a_number: str,
        b_number: str,
        started_at: datetime,
        duration_s: int,
        record_id: str,
        sensitivity: Sensitivity = Sensitivity.OFFICIAL,
    ) -> None:
        """One call given as values (the hot path when calls come from the store as tuples,
        where building a ``CallRecord`` per row would cost more than the aggregation)."""
        pair = self._pairs.get((a_number, b_number))
        if pair is None:
            pair = self._pairs[(a_number, b_number)] = _Pair(started_at, started_at)
        self.calls += 1
        pair.count += 1
        pair.total += duration_s
        pair.first = min(pair.first, started_at)
        pair.last = max(pair.last, started_at)
        if sensitivity > pair.sensitivity:
            pair.sensitivity = sensitivity
        self._sample(pair, (started_at, record_id))

    def _sample(self, pair: _Pair, key: _Key) -> None:
        if len(pair.earliest) < self._early_n:
            heapq.heappush(pair.earliest, _Desc(key))
        elif key < pair.earliest[0].key:
            heapq.heapreplace(pair.earliest, _Desc(key))
        if self._late_n:
            if len(pair.latest) < self._late_n:
                heapq.heappush(pair.latest, key)
            elif key > pair.latest[0]:
                heapq.heapreplace(pair.latest, key)

    def merge(self, other: CallAggregator) -> None:
        """Add another aggregation's calls to this one (same sample size)."""
        if other.sample_size != self.sample_size:
            raise ValueError("aggregations with different sample sizes cannot be merged")
        for key, theirs in other._pairs.items():
            pair = self._pairs.get(key)
            if pair is None:
                pair = self._pairs[key] = _Pair(theirs.first, theirs.last)
            pair.count += theirs.count
            pair.total += theirs.total
            pair.first = min(pair.first, theirs.first)
            pair.last = max(pair.last, theirs.last)
            pair.sensitivity = max(pair.sensitivity, theirs.sensitivity)
            # A call can be in both of their heaps; offer it once.
            for sampled in {d.key for d in theirs.earliest} | set(theirs.latest):
                self._sample(pair, sampled)
        self.calls += other.calls

    def rows(self) -> Iterator[CalledRow]:
        """The aggregated rows, ordered by (a_number, b_number)."""
        for (a, b), pair in sorted(self._pairs.items()):
            ids = {d.key[1] for d in pair.earliest} | {k[1] for k in pair.latest}
            yield CalledRow(
                a_number=a,
                b_number=b,
                count=pair.count,
                total_duration_s=pair.total,
                first_seen=pair.first,
                last_seen=pair.last,
                record_ids=tuple(sorted(ids)),
                sensitivity=pair.sensitivity,
            )


@dataclass(frozen=True, slots=True)
class CallAggregation:
    """The rows and the run's statistics."""

    rows: tuple[CalledRow, ...]
    calls: int
    pairs: int
    sample_size: int


def aggregate_calls(
    calls: Iterable[CallRecord], *, sample_size: int = DEFAULT_SAMPLE_SIZE
) -> CallAggregation:
    """Aggregate a stream of call records into ``CALLED`` rows (module docstring)."""
    aggregator = CallAggregator(sample_size=sample_size)
    for call in calls:
        aggregator.add(call)
    rows = tuple(aggregator.rows())
    return CallAggregation(rows, aggregator.calls, len(rows), sample_size)
