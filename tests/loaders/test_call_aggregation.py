from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from loaders.call_aggregation import CallAggregator, CalledRow, aggregate_calls
from loaders.phones import CallReader
from loaders.reading import LoadContext, Parsed, RawRow
from schema.entities import Phone
from schema.grading import Sensitivity
from schema.records import CallRecord, CallType
from tests.loaders.support import DATA

COPENHAGEN = DATA / "copenhagen_calls"

T0 = datetime(2020, 4, 3, 12, 0, tzinfo=UTC)
A, B, C = "+447700900001", "+447700900002", "+447700900003"


def make_call(
    a: str,
    b: str,
    minutes: int,
    duration: int = 60,
    *,
    sensitivity: Sensitivity = Sensitivity.OFFICIAL,
) -> CallRecord:
    context = LoadContext("telco", "b1", T0, sensitivity=sensitivity)
    return CallRecord(
        provenance=context.provenance(RawRow("calls.csv", minutes + 1, f"{a},{b},{minutes}")),
        a_number=a,
        b_number=b,
        started_at=T0 + timedelta(minutes=minutes),
        duration_s=duration,
        call_type=CallType.VOICE,
    )


def by_pair(rows: tuple[CalledRow, ...]) -> dict[tuple[str, str], CalledRow]:
    return {(r.a_number, r.b_number): r for r in rows}


def test_pairs_are_directed_and_aggregated() -> None:
    calls = [make_call(A, B, 0, 10), make_call(A, B, 30, 20), make_call(B, A, 5, 7)]
    result = aggregate_calls(calls)
    assert (result.calls, result.pairs) == (3, 2)
    rows = by_pair(result.rows)
    ab = rows[(A, B)]
    assert (ab.count, ab.total_duration_s) == (2, 30)
    assert (ab.first_seen, ab.last_seen) == (T0, T0 + timedelta(minutes=30))
    assert ab.record_ids == tuple(sorted(c.id for c in calls[:2]))
    assert ab.complete
    assert rows[(B, A)].count == 1


def test_sample_is_bounded_and_keeps_first_and_last() -> None:
    calls = [make_call(A, B, m) for m in range(100)]
    (row,) = aggregate_calls(calls, sample_size=6).rows
    assert row.count == 100
    assert not row.complete
    by_minute = {c.id: int((c.started_at - T0).total_seconds() // 60) for c in calls}
    assert sorted(by_minute[i] for i in row.record_ids) == [0, 1, 2, 97, 98, 99]


def test_result_does_not_depend_on_input_order() -> None:
    calls = [make_call(a, b, m, m % 7) for m in range(60) for a, b in ((A, B), (B, C))]
    shuffled = calls[:]
    random.Random(4).shuffle(shuffled)
    assert aggregate_calls(calls, sample_size=5) == aggregate_calls(shuffled, sample_size=5)


def test_merged_partial_aggregations_equal_one_pass() -> None:
    calls = [make_call(a, b, m, m) for m in range(40) for a, b in ((A, B), (A, C))]
    left, right = CallAggregator(sample_size=4), CallAggregator(sample_size=4)
    for i, c in enumerate(calls):
        (left if i % 3 else right).add(c)
    left.merge(right)
    assert tuple(left.rows()) == aggregate_calls(calls, sample_size=4).rows
    assert left.calls == len(calls)
    with pytest.raises(ValueError, match="sample sizes"):
        left.merge(CallAggregator(sample_size=5))


def test_memory_is_per_pair_not_per_call() -> None:
    def stream() -> Iterator[CallRecord]:
        for m in range(3000):
            yield make_call(A if m % 2 else B, C, m)

    aggregator = CallAggregator(sample_size=4)
    for c in stream():
        aggregator.add(c)
    assert len(aggregator) == 2
    assert aggregator.calls == 3000
    for row in aggregator.rows():
        assert len(row.record_ids) == 4
        assert row.count == 1500


def test_sensitivity_is_the_most_restrictive() -> None:
    calls = [make_call(A, B, 0), make_call(A, B, 1, sensitivity=Sensitivity.SECRET)]
    (row,) = aggregate_calls(calls).rows
    assert row.sensitivity is Sensitivity.SECRET


def test_rows_become_called_edges_between_phones() -> None:
    calls = [make_call(A, B, 0, 10), make_call(A, B, 9, 5)]
    (row,) = aggregate_calls(calls).rows
    edge = row.to_edge()
    assert edge.start == Phone.entity_id(e164=A)
    assert edge.end == Phone.entity_id(e164=B)
    assert (edge.count, edge.total_duration_s) == (2, 15)
    assert edge.record_ids == row.record_ids
    assert edge.first_seen == T0
    assert edge.last_seen == T0 + timedelta(minutes=9)


def test_sample_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CallAggregator(sample_size=0)


@pytest.mark.skipif(not COPENHAGEN.is_dir(), reason="shared data not present")
def test_copenhagen_calls_aggregate() -> None:
    undated = datetime(2013, 9, 1, tzinfo=UTC)
    context = LoadContext("copenhagen", "b1", T0)
    reader = CallReader(undated_at=undated)
    calls = (
        record
        for result in reader.read(COPENHAGEN / "calls.csv", context)
        if isinstance(result, Parsed)
        for record in result.records
        if isinstance(record, CallRecord)
    )
    result = aggregate_calls(calls, sample_size=10)
    assert result.calls == sum(r.count for r in result.rows)
    assert result.pairs == len({(r.a_number, r.b_number) for r in result.rows})
    assert result.pairs < result.calls
    assert all(len(r.record_ids) == min(r.count, 10) for r in result.rows)
    assert all(undated <= r.first_seen <= r.last_seen for r in result.rows)
    busiest = max(result.rows, key=lambda r: r.count)
    assert busiest.to_edge().count == busiest.count
