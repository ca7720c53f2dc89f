from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from loaders.edifact import (
    Message,
    Segment,
    SegmentError,
    iter_messages,
    iter_segments,
    service_chars,
    split_segment,
)
from loaders.edifact_dates import expand_year, parse_dtm
from loaders.reading import Parsed, Rejected
from tests.loaders.support import DATA, needs_data

GTAS = DATA / "gtas"

SAMPLES = {
    # file: (segments, messages); counted by splitting each file on its terminators by hand
    "apis_paxlst/Test1.txt": (111, 1),
    "apis_paxlst/apisMessage.txt": (38, 1),
    "pnrgov/2_pnrs_basic.edi": (137, 1),
    "pnrgov/pnr1.txt": (88, 1),
    "pnrgov/infant.edi": (85, 1),
}


def write(tmp_path: Path, data: str | bytes, name: str = "m.edi") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def segments(path: Path, **kwargs: int) -> list[Segment]:
    out = list(iter_segments(path, **kwargs))
    assert all(isinstance(s, Segment) for s in out), out
    return [s for s in out if isinstance(s, Segment)]


def message(body: list[str], ref: str = "M1", count: int | None = None) -> str:
    segs = [f"UNH+{ref}+PAXLST:D:05B:UN:IATA", *body]
    n = len(segs) + 1 if count is None else count
    return "'\n".join([*segs, f"UNT+{n}+{ref}"]) + "'\n"


# --- tokenizer ----------------------------------------------------------------------------------


def test_elements_components_and_release_character(tmp_path: Path) -> None:
    path = write(tmp_path, "NAD+FL+++O?'BRIEN:ANN?+MARIE+1 HIGH ST?:UNIT 2'FTX+??'")
    nad, ftx = segments(path)
    assert nad.tag == "NAD"
    assert nad.elements == (("FL",), ("",), ("",), ("O'BRIEN", "ANN+MARIE"), ("1 HIGH ST:UNIT 2",))
    assert nad.value(3, 1) == "ANN+MARIE"
    assert nad.value(9) == ""
    assert ftx.elements == (("?",),)


def test_lines_offsets_whitespace_and_wrapped_segments(tmp_path: Path) -> None:
    path = write(tmp_path, b"UNB+UNOA:4+X+Y+240101:1200+1'\r\n  TIF+SMITHJ\r\nR+JOHN'\r\n\r\nSRC'")
    unb, tif, src = segments(path)
    assert (unb.line, unb.offset) == (1, 0)
    assert (tif.line, tif.offset, tif.lead) == (2, 33, "\r\n  ")
    assert tif.value(0) == "SMITHJR"  # a line break inside a segment is wrapping, not data
    assert tif.text == "TIF+SMITHJ\r\nR+JOHN'"
    assert (src.line, src.elements) == (5, ())


def test_streaming_in_small_chunks_reads_the_same(tmp_path: Path) -> None:
    text = "".join(f"LOC+{i}+AB?'C'\n" for i in range(200))
    path = write(tmp_path, "UNA:+.? '" + text)
    whole = [(s.text, s.line, s.offset) for s in segments(path)]
    assert [(s.text, s.line, s.offset) for s in segments(path, chunk_size=3)] == whole
    assert len(whole) == 201
    assert whole[-1][1] == 200


def test_una_sets_the_separators(tmp_path: Path) -> None:
    path = write(tmp_path, "UNA|*,\\ ~UNB*UNOC|3*A*B~NAD*FL***DOE|JO\\~E~")
    una, unb, nad = segments(path)
    assert una.tag == "UNA"
    assert not una.warnings
    assert unb.elements == (("UNOC", "3"), ("A",), ("B",))
    assert nad.value(3, 1) == "JO~E"


def test_una_naming_a_non_ascii_terminator_falls_back_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "UNA:+.\\*\u2019 UNB+IATA:1+1A+KRC'FTX+14\\:30'")
    una, unb, ftx = segments(path)
    assert len(una.warnings) == 1
    assert "U+2019" in una.warnings[0]
    assert "terminator" in una.warnings[0]
    assert unb.offset == len("UNA:+.\\*\u2019 ".encode())
    assert ftx.value(0) == "14:30"


def test_service_chars_refuse_two_roles_for_one_character() -> None:
    chars, warnings = service_chars("::.? '")
    assert chars.component == ":"
    assert chars.element == "+"
    assert "two roles" in warnings[0]


def test_split_without_release_character() -> None:
    chars, _ = service_chars(":+. *'")
    assert chars.release is None
    assert split_segment("A+B?:C", chars) == (("A",), ("B?", "C"))


def test_bad_utf8_malformed_and_truncated_segments_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, b"NAD+FL+++M\xfcLLER'+BROKEN'LOC+125+FRA'DTM+189:17012")
    items = list(iter_segments(path))
    assert [type(i).__name__ for i in items] == [
        "SegmentError",
        "SegmentError",
        "Segment",
        "SegmentError",
    ]
    bad, malformed, loc, cut = items
    assert isinstance(bad, SegmentError)
    assert "not valid UTF-8" in bad.reason
    assert "b'\\xfc'" in bad.reason
    assert isinstance(malformed, SegmentError)
    assert "does not start with a tag" in malformed.reason
    assert isinstance(loc, Segment)
    assert loc.value(1) == "FRA"
    assert isinstance(cut, SegmentError)
    assert "truncated" in cut.reason
    assert cut.text == "DTM+189:17012"


def test_a_segment_without_terminator_is_cut_off_at_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "FTX+" + "A" * 100 + "'LOC+125+FRA'")
    items = list(iter_segments(path, chunk_size=16, max_segment=40))
    assert isinstance(items[0], SegmentError)
    assert "no segment terminator" in items[0].reason
    assert isinstance(items[-1], Segment)
    assert items[-1].tag == "LOC"


# --- messages -----------------------------------------------------------------------------------


def test_messages_with_envelope_checks(tmp_path: Path) -> None:
    text = (
        "UNB+UNOA:4+S+R+240101:1200+REF1'\n"
        + message(["BGM+745"], "A")
        + message(["BGM+745"], "B")
        + "UNZ+2+REF1'\n"
    )
    items = list(iter_messages(write(tmp_path, text)))
    assert [type(i).__name__ for i in items] == ["Message", "Message"]
    first = items[0]
    assert isinstance(first, Message)
    assert (first.reference, first.message_type, first.row.line) == ("A", "PAXLST", 2)
    assert first.row.text == "UNH+A+PAXLST:D:05B:UN:IATA'\nBGM+745'\nUNT+3+A'"
    assert first.count_problem is None
    assert first.interchange is not None
    assert first.interchange.control_ref == "REF1"
    assert first.interchange.prepared_year(latest=2026) == 2024


def test_count_mismatch_truncation_and_stray_segments(tmp_path: Path) -> None:
    text = (
        "UNB+UNOA:4+S+R+240101:1200+REF1'\n"
        + message(["BGM+745"], "A", count=9)
        + "UNH+B+PAXLST:D:05B:UN:IATA'\nBGM+745'\n"  # cut short: a new UNH comes first
        + "FTX+LOST'\n"  # still inside B
        + message(["BGM+745"], "C")
        + "FTX+STRAY'\nFTX+STRAY'\n"
        + "UNZ+5+REF2'\n"
    )
    items = list(iter_messages(write(tmp_path, text)))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Message", "Rejected", "Message", "Rejected", "Parsed"]
    a, b, c, stray, trailer = items
    assert isinstance(a, Message)
    assert a.count_problem is not None
    assert "UNT says message A has 9 segments, but 3 were read" in a.count_problem
    assert isinstance(b, Rejected)
    assert b.row.line == 5
    assert "message B (UNH at line 5) has no UNT trailer: UNH at line 8 came first" in b.reason
    assert b.row.text.endswith("FTX+LOST'")
    assert isinstance(c, Message)
    assert c.count_problem is None
    assert isinstance(stray, Rejected)
    assert stray.row.line == 11
    assert "2 segment(s) (FTX, FTX) outside any message" in stray.reason
    assert isinstance(trailer, Parsed)
    assert trailer.records == ()
    assert any("holds 5 messages, but 3 were read" in w for w in trailer.warnings)
    assert any("UNZ closes interchange 'REF2'" in w for w in trailer.warnings)


def test_a_bad_segment_rejects_its_message_only(tmp_path: Path) -> None:
    text = (message(["BGM+745", "NAD+FL+++M\udcfcLLER"], "A") + message(["BGM+745"], "B")).encode(
        "utf-8", errors="surrogateescape"
    )
    items = list(iter_messages(write(tmp_path, text)))
    assert [type(i).__name__ for i in items] == ["Rejected", "Message"]
    assert isinstance(items[0], Rejected)
    assert "line 3: not valid UTF-8" in items[0].reason


def test_end_of_file_inside_a_message_and_interchange(tmp_path: Path) -> None:
    text = "UNB+UNOA:4+S+R+240101:1200+REF1'\nUNH+A+PAXLST:D:05B:UN:IATA'\nBGM+745'\n"
    items = list(iter_messages(write(tmp_path, text)))
    assert [type(i).__name__ for i in items] == ["Rejected", "Parsed"]
    assert isinstance(items[0], Rejected)
    assert "the file ended" in items[0].reason
    assert isinstance(items[1], Parsed)
    assert "has no UNZ trailer" in items[1].warnings[0]


# --- dates --------------------------------------------------------------------------------------


def test_dates_and_two_digit_years() -> None:
    assert expand_year(78, latest=2014) == 1978
    assert expand_year(14, latest=2014) == 2014
    assert expand_year(17, latest=2064) == 2017
    assert parse_dtm("1701271725", "201", latest_year=2064) == datetime(2017, 1, 27, 17, 25)
    assert parse_dtm("780706", latest_year=2014) == date(1978, 7, 6)
    assert parse_dtm("20240229", "102", latest_year=2024) == date(2024, 2, 29)
    assert parse_dtm("000229", "101", latest_year=2020) == date(2000, 2, 29)
    with pytest.raises(ValueError, match="is not a date in format 101"):
        parse_dtm("781306", "101", latest_year=2014)
    with pytest.raises(ValueError, match="6 digits"):
        parse_dtm("78070", "101", latest_year=2014)
    with pytest.raises(ValueError, match="not one read here"):
        parse_dtm("7807", latest_year=2014)


# --- the GTAS samples ---------------------------------------------------------------------------


@needs_data
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_tokenize_exactly(name: str) -> None:
    path = GTAS / name
    items = list(iter_segments(path))
    read = segments(path)
    assert len(read) == len(items) == SAMPLES[name][0]
    # Everything in the file is in some segment or the whitespace before one.
    text = path.read_bytes().decode("utf-8")
    assert "".join(s.lead + s.text for s in read) == text.rstrip()
    raw = path.read_bytes()
    assert all(raw[s.offset : s.offset + 3].decode() == s.tag for s in read)
    assert [(s.text, s.line) for s in iter_segments(path, chunk_size=5)] == [
        (s.text, s.line) for s in read
    ]


@needs_data
def test_sample_envelopes() -> None:
    items = list(iter_messages(GTAS / "apis_paxlst" / "Test1.txt"))
    assert [type(i).__name__ for i in items] == ["Message", "Parsed", "Parsed"]
    msg = items[0]
    assert isinstance(msg, Message)
    assert msg.count_problem == (
        "UNT says message 1402010600 has 152 segments, but 107 were read from UNH to UNT: "
        "segments were lost or added on the way"
    )
    # The sample's trailers name a reference other than the headers'.
    une, unz = items[1], items[2]
    assert isinstance(une, Parsed)
    assert isinstance(unz, Parsed)
    assert une.warnings == ("UNE closes group '1402010600', but UNG at line 1 opened '1403010600'",)
    assert unz.warnings == (
        "UNZ closes interchange '1402010600', but UNB at line 1 opened '1403010600'",
    )
    (infant,) = list(iter_messages(GTAS / "pnrgov" / "infant.edi"))
    assert isinstance(infant, Message)
    assert len(infant.warnings) == 1
    assert "U+2019" in infant.warnings[0]
    assert infant.count_problem is not None
    assert "85 segments, but 82 were read" in infant.count_problem
    (apis,) = list(iter_messages(GTAS / "apis_paxlst" / "apisMessage.txt"))
    assert isinstance(apis, Message)
    assert (apis.reference, apis.count_problem, apis.row.line, len(apis.segments)) == (
        "PAX001",
        None,
        4,
        33,
    )


class _CountingFile:
    """A binary file that adds the bytes read from it to ``_CountingPath.total``."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle

    def __enter__(self) -> _CountingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(n)
        _CountingPath.total += len(data)
        return data


class _CountingPath(type(Path())):  # type: ignore[misc]
    total = 0

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return _CountingFile(super().open(*args, **kwargs))


def test_messages_stream_from_a_large_file(tmp_path: Path) -> None:
    body = ["BGM+745", *[f"FTX+AAA+++{'X' * 60}" for _ in range(10)]]
    n = 3000
    path = write(tmp_path, "".join(message(body, f"M{i}") for i in range(n)), "big.edi")
    size = path.stat().st_size
    assert size > 30 * (1 << 16)
    items = iter_messages(_CountingPath(path))
    first = next(items)
    assert isinstance(first, Message)
    assert first.reference == "M0"
    assert _CountingPath.total <= 2 * (1 << 16)  # a chunk ahead, not the file
    assert sum(1 for _ in items) == n - 1
    assert _CountingPath.total == size
