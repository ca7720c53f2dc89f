from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from loaders.column_mapping import ColumnMapping, HeaderError
from loaders.phones import CallReader, SubscriberReader, copenhagen_number
from loaders.reading import LoadContext, Parsed, Reader, Rejected
from schema.records import CallRecord, CallType, PhoneSubscriberRecord
from tests.loaders.support import DATA, read_by_line

COPENHAGEN = DATA / "copenhagen_calls"

CONTEXT = LoadContext(source="telco", load_batch="b1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))
UNDATED = datetime(2013, 9, 1, tzinfo=UTC)


def read(reader: Reader, path: Path) -> tuple[dict[int, Parsed], dict[int, Rejected]]:
    return read_by_line(reader, path, CONTEXT)


def call(result: Parsed) -> CallRecord:
    (record,) = result.records
    assert isinstance(record, CallRecord)
    return record


def test_readers_satisfy_the_protocol() -> None:
    readers: list[Reader] = [SubscriberReader(), CallReader()]
    assert [r.kind for r in readers] == ["subscribers", "calls"]


def test_subscribers(tmp_path: Path) -> None:
    path = tmp_path / "subs.csv"
    path.write_text(
        "number,subscriber_name,address,town,postcode,dob,subscribed_from,subscribed_to,network\n"
        '07700 900123,John Smith,"1 Low Rd",Leeds,ls27aa,1962-07,2019-01-01,2020-01-01,EE\n'
        "+44 7700 900124,,,,,,,,\n"
        "07700 9001,Short,,,,,,,\n"
        ",Nobody,,,,,,,\n"
        "07700 900125,Back,,,,,2020-01-01,2019-01-01,\n",
        encoding="utf-8",
    )
    parsed, rejected = read(SubscriberReader(), path)
    assert set(parsed) == {2, 3}
    (first,) = parsed[2].records
    assert isinstance(first, PhoneSubscriberRecord)
    assert first.number == "+447700900123"
    assert first.subscribed_from == date(2019, 1, 1)
    assert first.address is not None
    assert first.address.postcode == "LS2 7AA"
    assert "too short or mistyped" in rejected[4].reason
    assert rejected[5].reason == "number: required but blank"
    assert "subscription ends" in rejected[6].reason


def test_calls_in_the_documented_layout(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    rows = [
        "07700 900123,020 7946 0000,2020-04-03T14:05:00+01:00,65,CELL-1,voice",
        "+447700900123,07700 900124,2020-04-03 14:06:00Z,0,,SMS",
        "07700 900123,07700 900124,2020-04-03 14:07Z,-5,,",  # negative duration
        "07700 900123,07700 900124,2020-04-03 14:08Z,ten,,",  # not a number
        "07700 900123,07700 900124,2020-04-03 14:09Z,10,,fax",  # unknown call type
        "07700 900123,,2020-04-03 14:10Z,10,,",  # missing B number
        "07700 900123,07700 900124,2020-04-03 14:11,10,,",  # no offset, no zone declared
        "07700 900123,07700 900124,,10,,",  # no time, no undated_at
    ]
    path.write_text(
        "a_number,b_number,start,duration_s,cell_id,type\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    parsed, rejected = read(CallReader(), path)
    assert len(parsed) + len(rejected) == len(rows)
    assert set(parsed) == {2, 3}
    first = call(parsed[2])
    assert (first.a_number, first.b_number) == ("+447700900123", "+442079460000")
    assert first.started_at == datetime(2020, 4, 3, 13, 5, tzinfo=UTC)
    assert (first.duration_s, first.cell_id, first.call_type) == (65, "CELL-1", CallType.VOICE)
    assert call(parsed[3]).call_type is CallType.SMS
    assert "duration_s: -5 is below 0" in rejected[4].reason
    assert "'ten' is not a whole number" in rejected[5].reason
    assert "call_type" in rejected[6].reason
    assert rejected[7].reason == "b_number: required but blank"
    assert "no UTC offset" in rejected[8].reason
    assert "undated_at" in rejected[9].reason


def test_a_call_without_a_time_is_filed_under_undated_at(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "a_number,b_number,start,duration_s\n"
        "07700 900123,07700 900124,,10\n"
        "07700 900123,07700 900124,,10\n",
        encoding="utf-8",
    )
    parsed, rejected = read(CallReader(undated_at=UNDATED), path)
    assert not rejected
    a, b = call(parsed[2]), call(parsed[3])
    assert a.started_at == UNDATED + timedelta(microseconds=2)
    assert b.started_at == UNDATED + timedelta(microseconds=3)
    assert a.id != b.id  # two calls, two records
    assert not a.started_at_known  # the record itself says its time is not the call's
    assert "not the call's time" in parsed[2].warnings[0]
    again, _ = read(CallReader(undated_at=UNDATED), path)
    assert call(again[2]).id == a.id  # a reload changes nothing


def test_undated_at_must_name_its_offset() -> None:
    with pytest.raises(ValueError, match="offset"):
        CallReader(undated_at=datetime(2013, 9, 1))  # naive: the point of the test


def test_mapping_for_a_provider_export(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text(
        "Calling|Called|Start Time|Secs|IMEI\n07700 900123|07700 900124|03/04/2020 14:05|12|x\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping.model_validate(
        {
            "columns": {
                "a_number": "Calling",
                "b_number": "Called",
                "start": "Start Time",
                "duration_s": "Secs",
            },
            "delimiter": "|",
            "date_order": "dmy",
            "timezone": "Europe/London",
            "ignore": ["IMEI"],
        }
    )
    parsed, _ = read(CallReader(mapping), path)
    assert call(parsed[2]).started_at == datetime(2020, 4, 3, 13, 5, tzinfo=UTC)
    assert all("ambiguous" not in w for w in parsed[2].warnings)


# --- Copenhagen ---------------------------------------------------------------------------------


def test_copenhagen_numbers() -> None:
    assert copenhagen_number("0") == "+447700900000"
    assert copenhagen_number(" 846 ") == "+447700900846"
    for bad in ("1000", "-1", "12a", "", "\u0663"):
        with pytest.raises(ValueError, match="0 to 999"):
            copenhagen_number(bad)


def test_copenhagen_small_file_with_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(
        b"Source;Target;Weight\n300;301;121\n300;301;121\n1200;301;5\n300;301\n"
        b"300;301;x\n30\xff;301;4\n\n512;299;670\n"
    )
    parsed, rejected = read(CallReader(undated_at=UNDATED), path)
    assert set(parsed) == {2, 3, 9}
    assert call(parsed[2]).id != call(parsed[3]).id  # the same call twice is two calls
    assert call(parsed[9]).duration_s == 670
    assert "0 to 999" in rejected[4].reason
    assert "has 2 fields where the header has 3" in rejected[5].reason
    assert "not a whole number of seconds" in rejected[6].reason
    assert "not valid UTF-8" in rejected[7].reason


def test_copenhagen_without_undated_at_raises(tmp_path: Path) -> None:
    path = tmp_path / "sms.csv"
    path.write_text("Source;Target\n1;2\n", encoding="utf-8")
    with pytest.raises(HeaderError, match="undated_at"):
        list(CallReader().read(path, CONTEXT))


@pytest.mark.skipif(not COPENHAGEN.is_dir(), reason="shared data not present")
@pytest.mark.parametrize(("name", "call_type"), [("calls.csv", "voice"), ("sms.csv", "sms")])
def test_copenhagen_real_data(name: str, call_type: str) -> None:
    path = COPENHAGEN / name
    data_rows = sum(1 for line in path.read_text().splitlines()[1:] if line.strip())
    parsed, rejected = read(CallReader(undated_at=UNDATED), path)
    assert not rejected
    assert len(parsed) == data_rows
    calls = [call(p) for p in parsed.values()]
    assert len({c.id for c in calls}) == data_rows  # every row its own record
    assert {c.call_type for c in calls} == {CallType(call_type)}
    assert all(c.a_number.startswith("+447700900") for c in calls)
    assert all(UNDATED <= c.started_at < UNDATED + timedelta(seconds=1) for c in calls)
    if call_type == "voice":
        assert sum(c.duration_s for c in calls) > 0
