"""A small, general UN/EDIFACT reader: segments streamed from a file, and messages (UNH..UNT)
checked against their trailers, one at a time.

An interchange is ``[UNA] UNB [UNG] UNH ... UNT [UNH ... UNT ...] [UNE] UNZ``: the optional
service string advice (``UNA`` and six characters), the interchange header and trailer, optional
functional groups, and the messages. Several interchanges may follow one another in a file.

Service characters are the syntax level A defaults (component ``:``, element ``+``, decimal
``.``, release ``?``, reserved space, segment terminator ``'``) unless a ``UNA`` names others;
they apply until that interchange's ``UNZ``. A release character makes the character after it
literal (``?'``, ``?+``, ``??``).

Reading rules, each for something the files in use do:

- whitespace between segments (a line break after each terminator, indentation) is not data,
  and line breaks *inside* a segment are dropped: senders wrap long segments at a fixed width,
  so "SMITHJ<CRLF>R" reads "SMITHJR";
- a ``UNA`` that names a service character outside ASCII (a word processor's "\u2019" for "'") is
  read with the default for that role, and every message of the interchange carries a warning;
- the version 4 repetition separator (UNA's fifth character) is not split on: values keep it;
- text is UTF-8. A segment that is not is an error naming the bytes (a file declared ``UNOC``,
  ISO 8859-1, is to be converted first: a Latin-1 reading of UTF-8 names would be wrong
  silently, and this way nothing is);
- a segment is at most 1 MiB (``max_segment``): a file whose terminator is not what the reader
  expects cannot fill memory before the error says so.

``iter_segments`` yields ``Segment`` or ``SegmentError`` (with the line and byte offset of the
segment's first character, 1-based line, 0-based byte). ``iter_messages`` groups them and yields,
in file order:

- ``Message``: a message from ``UNH`` to ``UNT`` whose every segment could be read. Its
  ``count_problem`` says when the ``UNT`` segment count or reference disagrees with what was
  read (the reader decides whether that rejects the message);
- ``Rejected``: a message that cannot be read (a segment that is not valid, or a message cut
  short: end of file, or a new ``UNH``, ``UNE`` or ``UNZ``, before its ``UNT``), or a run of
  segments outside any message;
- ``Parsed`` with no records and warnings: an envelope whose trailer disagrees with what was
  read (``UNE``/``UNZ`` control counts and references), or an interchange or group left open
  at the end of the file. The messages themselves are whole: what may be missing is a message.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loaders.edifact_dates import expand_year
from loaders.reading import Parsed, RawRow, Rejected

_WHITESPACE = frozenset(b" \t\r\n")
_CR_LF = frozenset(b"\r\n")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_ENVELOPE = frozenset({"UNA", "UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})

MAX_SEGMENT = 1 << 20


@dataclass(frozen=True, slots=True)
class ServiceChars:
    """The separators of an interchange; ``release`` is None when the UNA says it is not used."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    reserved: str = " "
    terminator: str = "'"


DEFAULT_CHARS = ServiceChars()
_ROLES = ("component", "element", "decimal", "release", "reserved", "terminator")


def service_chars(advice: str) -> tuple[ServiceChars, tuple[str, ...]]:
    """The separators a UNA's six characters name, and warnings for any replaced by the
    default (a character outside ASCII, a letter or digit, or one given two roles)."""
    chosen: dict[str, str] = {}
    warnings: list[str] = []
    for role, char in zip(_ROLES, advice, strict=True):
        default = getattr(DEFAULT_CHARS, role)
        if not char.isascii() or char.isalnum() or (char.isspace() and char != " "):
            warnings.append(
                f"UNA names {char!r} (U+{ord(char):04X}) as the {role} character, which "
                f"cannot be one; read with the default {default!r}"
            )
            char = default
        chosen[role] = char
    release = None if chosen["release"] == " " else chosen["release"]
    roles = [chosen["component"], chosen["element"], chosen["terminator"]]
    roles += [release] if release else []
    if len(set(roles)) < len(roles):
        warnings.append(f"UNA {advice!r} gives one character two roles; the defaults are used")
        return DEFAULT_CHARS, tuple(warnings)
    chars = ServiceChars(
        component=chosen["component"],
        element=chosen["element"],
        decimal=chosen["decimal"],
        release=release,
        reserved=chosen["reserved"],
        terminator=chosen["terminator"],
    )
    return chars, tuple(warnings)


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment: its tag, its data elements (after the tag, each a tuple of components,
    release characters removed), its exact text from tag to terminator, the whitespace that
    came before it, and where it starts."""

    tag: str
    elements: tuple[tuple[str, ...], ...]
    text: str
    lead: str
    line: int
    offset: int
    warnings: tuple[str, ...] = ()

    def value(self, element: int, component: int = 0) -> str:
        """A component's value without surrounding whitespace; "" when absent. ``element`` 0
        is the first after the tag (``NAD+FL+++DOE:JOHN``: ``value(3, 1)`` is "JOHN")."""
        if element < len(self.elements) and component < len(self.elements[element]):
            return self.elements[element][component].strip()
        return ""

    def where(self) -> str:
        return f"{self.tag} at line {self.line}"


@dataclass(frozen=True, slots=True)
class SegmentError:
    """A segment that could not be read, with its text as far as it could be decoded."""

    text: str
    lead: str
    line: int
    offset: int
    reason: str


def split_segment(content: str, chars: ServiceChars) -> tuple[tuple[str, ...], ...]:
    """A segment's text (without its terminator) as elements of components."""
    release = chars.release
    if release is None or release not in content:
        return tuple(tuple(e.split(chars.component)) for e in content.split(chars.element))
    elements: list[tuple[str, ...]] = []
    components: list[str] = []
    current: list[str] = []
    i, n = 0, len(content)
    while i < n:
        char = content[i]
        if char == release and i + 1 < n:
            current.append(content[i + 1])
            i += 2
            continue
        if char == chars.element:
            components.append("".join(current))
            elements.append(tuple(components))
            components, current = [], []
        elif char == chars.component:
            components.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    components.append("".join(current))
    elements.append(tuple(components))
    return tuple(elements)


def _escaped(buf: bytearray, index: int, start: int, release: int) -> bool:
    """Whether the byte at ``index`` follows an odd run of release characters (line breaks
    in between do not count: they are wrapping, not data)."""
    count = 0
    j = index - 1
    while j >= start and (buf[j] == release or buf[j] in _CR_LF):
        if buf[j] == release:
            count += 1
        j -= 1
    return count % 2 == 1


def iter_segments(
    path: Path, *, chunk_size: int = 1 << 16, max_segment: int = MAX_SEGMENT
) -> Iterator[Segment | SegmentError]:
    """The file's segments in order, streamed (see the module docstring for the rules)."""
    with path.open("rb") as fh:
        buf = bytearray(fh.read(chunk_size))
        pos = 3 if buf.startswith(codecs.BOM_UTF8) else 0
        base = 0  # file offset of buf[0]
        line = 1  # line number at buf[pos]
        eof = False
        chars = DEFAULT_CHARS

        def fill() -> bool:
            nonlocal eof
            if eof:
                return False
            more = fh.read(chunk_size)
            if not more:
                eof = True
                return False
            buf.extend(more)
            return True

        while True:
            if pos > chunk_size:
                del buf[:pos]
                base += pos
                pos = 0
            start = pos
            while True:
                while pos < len(buf) and buf[pos] in _WHITESPACE:
                    pos += 1
                if pos < len(buf) or not fill():
                    break
            lead = buf[start:pos].decode("ascii")
            line += lead.count("\n")
            if pos >= len(buf):
                return
            offset = base + pos
            while len(buf) - pos < 27 and fill():
                pass
            if buf[pos : pos + 3] == b"UNA":
                una = _read_una(buf, pos)
                if isinstance(una, SegmentError):
                    yield SegmentError(una.text, lead, line, offset, una.reason)
                    pos = min(len(buf), pos + 9)
                    continue
                text, chars, warnings = una
                yield Segment(
                    "UNA", tuple((c,) for c in text[3:]), text, lead, line, offset, warnings
                )
                pos += len(text.encode("utf-8"))
                continue
            terminator = ord(chars.terminator)
            release = None if chars.release is None else ord(chars.release)
            search, end = pos, -1
            while True:
                index = buf.find(terminator, search)
                if index != -1 and release is not None and _escaped(buf, index, pos, release):
                    search = index + 1
                    continue
                if index != -1:
                    end = index + 1
                    break
                search = len(buf)
                if len(buf) - pos > max_segment:
                    raw = bytes(buf[pos : pos + max_segment])
                    yield SegmentError(
                        raw.decode("utf-8", errors="replace"),
                        lead,
                        line,
                        offset,
                        f"no segment terminator {chars.terminator!r} in {max_segment} bytes: "
                        "the file's separators are not the ones its UNA (or the default) names",
                    )
                    line += raw.count(b"\n")
                    pos += max_segment
                    break
                if not fill():
                    raw = bytes(buf[pos:])
                    yield SegmentError(
                        raw.decode("utf-8", errors="replace"),
                        lead,
                        line,
                        offset,
                        f"the file ends inside a segment (no terminator {chars.terminator!r}): "
                        "it is truncated",
                    )
                    return
            if end == -1:
                continue
            raw = bytes(buf[pos:end])
            pos = end
            item = _segment(raw, chars, lead, line, offset)
            line += raw.count(b"\n")
            if isinstance(item, Segment) and item.tag == "UNZ":
                chars = DEFAULT_CHARS
            yield item


def _read_una(buf: bytearray, pos: int) -> tuple[str, ServiceChars, tuple[str, ...]] | SegmentError:
    decoder = codecs.getincrementaldecoder("utf-8")()
    text = "UNA"
    i = pos + 3
    try:
        while len(text) < 9 and i < len(buf):
            text += decoder.decode(bytes(buf[i : i + 1]))
            i += 1
    except UnicodeDecodeError:
        text = ""
    if len(text) < 9:
        raw = bytes(buf[pos : pos + 12]).decode("utf-8", errors="replace")
        return SegmentError(raw, "", 0, 0, f"UNA {raw!r} is not UNA and six service characters")
    chars, warnings = service_chars(text[3:])
    return text, chars, warnings


def _segment(
    raw: bytes, chars: ServiceChars, lead: str, line: int, offset: int
) -> Segment | SegmentError:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.end]
        return SegmentError(
            raw.decode("utf-8", errors="replace"),
            lead,
            line,
            offset,
            f"not valid UTF-8 (bytes {bad!r} at byte {offset + exc.start}); re-export or "
            "convert the file to UTF-8",
        )
    content = text[: -len(chars.terminator)].replace("\r", "").replace("\n", "")
    elements = split_segment(content, chars)
    tag = elements[0][0].strip()
    if not _TAG.fullmatch(tag) or len(elements[0]) != 1:
        shown = content if len(content) <= 40 else content[:40] + "..."
        return SegmentError(
            text, lead, line, offset, f"malformed segment {shown!r}: it does not start with a tag"
        )
    return Segment(tag, elements[1:], text, lead, line, offset)


# --- messages -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Interchange:
    """What a UNB says: syntax (e.g. "UNOA:4", "IATA:1"), sender, recipient, preparation date
    and time as written ("140202:0600"), and control reference."""

    syntax: str
    sender: str
    recipient: str
    prepared: str
    control_ref: str
    line: int

    def prepared_year(self, *, latest: int) -> int | None:
        """The year the interchange was prepared (a two-digit year read as ``expand_year``
        reads it), or None when the UNB does not say."""
        text = self.prepared.split(":")[0]
        if len(text) == 8 and text.isdigit():
            return int(text[:4])
        if len(text) == 6 and text.isdigit():
            return expand_year(int(text[:2]), latest=latest)
        return None


@dataclass(frozen=True, slots=True)
class Message:
    """A message whose every segment was read: ``row`` is its exact text from UNH to UNT (with
    the UNH line), ``segments`` run from UNH to UNT."""

    row: RawRow
    segments: tuple[Segment, ...]
    reference: str
    message_type: str
    interchange: Interchange | None
    count_problem: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def qualified_reference(self) -> str:
        """The interchange control reference and the message reference ("IC1/M1"): together
        they name the message to its sender. The message reference alone outside an
        interchange; "" when neither is given."""
        control = "" if self.interchange is None else self.interchange.control_ref
        return "/".join(part for part in (control, self.reference) if part)


@dataclass(slots=True)
class _Open:
    segments: list[Segment | SegmentError]
    parts: list[str]

    @property
    def first(self) -> Segment | SegmentError:
        return self.segments[0]

    def add(self, item: Segment | SegmentError) -> None:
        self.parts.append(item.lead + item.text if self.segments else item.text)
        self.segments.append(item)

    def row(self, file: str) -> RawRow:
        return RawRow(file, self.first.line, "".join(self.parts))


@dataclass(slots=True)
class _Envelope:
    segment: Segment
    reference: str
    count: int = 0
    groups: int = 0


def iter_messages(path: Path) -> Iterator[Message | Rejected | Parsed]:
    """The file's messages, broken messages and stray segments as rejects, and envelope
    warnings, in file order (see the module docstring)."""
    file = str(path)
    interchange: _Envelope | None = None
    group: _Envelope | None = None
    message: _Open | None = None
    stray: _Open | None = None
    una_warnings: tuple[str, ...] = ()

    def cut_short(why: str) -> Iterator[Rejected]:
        nonlocal message
        if message is not None:
            first = message.first
            ref = first.value(0) if isinstance(first, Segment) else "?"
            yield Rejected(
                message.row(file),
                f"message {ref} (UNH at line {first.line}) has no UNT trailer: {why} "
                "(a truncated or spliced file)",
            )
            message = None

    def flush_stray() -> Iterator[Rejected]:
        nonlocal stray
        if stray is not None:
            tags = [s.tag if isinstance(s, Segment) else "?" for s in stray.segments]
            errors = [s.reason for s in stray.segments if isinstance(s, SegmentError)]
            reason = (
                f"{len(tags)} segment(s) ({', '.join(tags[:5])}{', ...' if len(tags) > 5 else ''})"
                " outside any message (UNH..UNT)"
            )
            if errors:
                reason += ": " + "; ".join(errors[:3])
            yield Rejected(stray.row(file), reason)
            stray = None

    def warn(segment: Segment, warnings: list[str]) -> Iterator[Parsed]:
        if warnings:
            yield Parsed(RawRow(file, segment.line, segment.text), (), tuple(warnings))

    for item in iter_segments(path):
        tag = item.tag if isinstance(item, Segment) else None
        if message is not None and tag not in _ENVELOPE:
            message.add(item)
            continue
        if message is None and tag not in _ENVELOPE:
            if stray is None:
                stray = _Open([], [])
            stray.add(item)
            continue
        assert isinstance(item, Segment)
        yield from flush_stray()
        if tag == "UNT":
            if message is None:
                yield Rejected(RawRow(file, item.line, item.text), "UNT without a UNH before it")
                continue
            message.add(item)
            yield _close(message, file, interchange, una_warnings)
            message = None
            continue
        yield from cut_short(f"{tag} at line {item.line} came first")
        if tag == "UNA":
            yield from _unclosed(file, group, interchange)
            group = interchange = None
            una_warnings = item.warnings
        elif tag == "UNB":
            yield from _unclosed(file, group, interchange)
            group = None
            interchange = _Envelope(item, item.value(4))
        elif tag == "UNG":
            yield from _unclosed(file, group, None)
            group = _Envelope(item, item.value(4))
            if interchange is not None:
                interchange.groups += 1
        elif tag == "UNH":
            message = _Open([], [])
            message.add(item)
            for envelope in (interchange, group):
                if envelope is not None:
                    envelope.count += 1
        elif tag == "UNE":
            yield from warn(item, _trailer(item, group, "group", "UNG", "messages"))
            group = None
        elif tag == "UNZ":
            yield from _unclosed(file, group, None)
            group = None
            counted = "groups" if interchange is not None and interchange.groups else "messages"
            yield from warn(item, _trailer(item, interchange, "interchange", "UNB", counted))
            interchange = None
            una_warnings = ()
    yield from flush_stray()
    yield from cut_short("the file ended")
    yield from _unclosed(file, group, interchange)


def _close(
    message: _Open, file: str, interchange: _Envelope | None, una_warnings: tuple[str, ...]
) -> Message | Rejected:
    row = message.row(file)
    errors = [s for s in message.segments if isinstance(s, SegmentError)]
    unh, unt = message.segments[0], message.segments[-1]
    assert isinstance(unh, Segment)
    assert isinstance(unt, Segment)
    reference = unh.value(0)
    if errors:
        reasons = "; ".join(f"line {e.line}: {e.reason}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        return Rejected(row, f"message {reference}: segment(s) not readable: {reasons}{more}")
    segments = tuple(s for s in message.segments if isinstance(s, Segment))
    problems = []
    declared = unt.value(0)
    if not declared.isdigit():
        problems.append(f"UNT segment count {declared!r} is not a number")
    elif int(declared) != len(segments):
        problems.append(
            f"UNT says message {reference} has {int(declared)} segments, but {len(segments)} "
            "were read from UNH to UNT: segments were lost or added on the way"
        )
    if unt.value(1) != reference:
        problems.append(f"UNT closes message {unt.value(1)!r}, but UNH opened {reference!r}")
    envelope = None
    if interchange is not None:
        unb = interchange.segment
        syntax = ":".join(c.strip() for c in unb.elements[0]) if unb.elements else ""
        envelope = Interchange(
            syntax=syntax,
            sender=unb.value(1),
            recipient=unb.value(2),
            prepared=":".join(c.strip() for c in unb.elements[3]) if len(unb.elements) > 3 else "",
            control_ref=interchange.reference,
            line=unb.line,
        )
    return Message(
        row=row,
        segments=segments,
        reference=reference,
        message_type=unh.value(1, 0),
        interchange=envelope,
        count_problem="; ".join(problems) or None,
        warnings=una_warnings,
    )


def _trailer(
    trailer: Segment, opened: _Envelope | None, what: str, header: str, counted: str
) -> list[str]:
    if opened is None:
        return [f"{trailer.tag} closes no {what}: no {header} before it"]
    out = []
    declared = trailer.value(0)
    read = opened.count if counted == "messages" else opened.groups
    if not declared.isdigit() or int(declared) != read:
        out.append(
            f"{trailer.tag} says {what} {opened.reference} holds {declared or 'no count'} "
            f"{counted}, but {read} were read: {counted} may be missing from the file"
        )
    if trailer.value(1) != opened.reference:
        out.append(
            f"{trailer.tag} closes {what} {trailer.value(1)!r}, but {header} at line "
            f"{opened.segment.line} opened {opened.reference!r}"
        )
    return out


def _unclosed(
    file: str, group: _Envelope | None, interchange: _Envelope | None
) -> Iterator[Parsed]:
    for envelope, trailer, what in ((group, "UNE", "group"), (interchange, "UNZ", "interchange")):
        if envelope is not None:
            seg = envelope.segment
            yield Parsed(
                RawRow(file, seg.line, seg.text),
                (),
                (
                    f"{what} {envelope.reference} ({seg.tag} at line {seg.line}) has no {trailer} "
                    "trailer: the file may be truncated",
                ),
            )
