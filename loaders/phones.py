"""Phone subscriber records (kind ``subscribers``) and call-data records (kind ``calls``).

Both are CSV with a header row, read through an optional column mapping
(``loaders.column_mapping``). Phone numbers may be written in any notation
(``loaders.normalise.normalise_phone``); national numbers are read as the mapping's
``default_country`` (GB). Records hold E.164.

``subscribers``: one ``PhoneSubscriberRecord`` per row.

================  ========  ===================================================================
column            required  value
================  ========  ===================================================================
number            yes       the subscribed number
subscriber_name             as the provider has it
address                     street lines, separated by commas
town
postcode
dob                         the subscriber's date of birth, full or partial
subscribed_from             date the subscription started
subscribed_to               date it ended
network
account_ref
================  ========  ===================================================================

``calls``: one ``CallRecord`` per row, ``a_number,b_number,start,duration_s[,cell_id][,type]``.

================  ========  ===================================================================
column            required  value
================  ========  ===================================================================
a_number          yes       the calling party
b_number          yes       the called party
start             yes       start time: ISO 8601 with an offset, or a local time in the
                            mapping's declared ``timezone``; may be blank (see below)
duration_s        yes       whole seconds, 0 or more (0 for a text)
cell_id                     the serving cell, as the provider writes it
type                        ``voice`` (default) or ``sms``
================  ========  ===================================================================

**The Copenhagen format.** A calls file whose header is ``Source;Target;Weight`` (calls, weight
= duration in seconds) or ``Source;Target`` (texts) is the Copenhagen Networks Study layout
(Sapiezynski et al. 2019). Its parties are study ids, not numbers, and ``CallRecord`` requires
E.164, so each id ``n`` (0 to 999) becomes ``+447700900nnn`` (``copenhagen_number``): Ofcom
reserves 07700 900000 to 900999 for drama and never allocates them, so a synthesised number can
never be mistaken for, or merge with, a real subscriber's. An id outside 0 to 999 is rejected.

**Calls without a time.** ``CallRecord.started_at`` is required and is part of its key, and the
Copenhagen files carry no times at all (they were removed upstream). A call without a time is
loaded only when the reader is given ``undated_at``, the instant the extract stands for (for
Copenhagen, any instant the analyst chooses, e.g. the start of the study): the call's
``started_at`` is then ``undated_at`` plus the row's line number in microseconds. The offset
keeps each row of a file a record of its own (two calls between the same numbers would otherwise
share a key and collapse into one) and deterministic on reload (two undated files of one source
need different ``undated_at`` instants), while staying within milliseconds of the
declared instant; every such row carries a warning that its time is not the call's. The
``CALLED`` edges built from them have ``first_seen``/``last_seen`` at that instant and mean
"within the extract", nothing finer. Without ``undated_at``, a row with a blank ``start`` is
rejected, and a Copenhagen file raises ``HeaderError`` before any row (no row in it could load).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from loaders.column_mapping import (
    Cells,
    ColumnMapping,
    HeaderError,
    Layout,
    check_mapping,
    read_table,
    rejection_reason,
)
from loaders.people import postal_address
from loaders.reading import LoadContext, Parsed, RawRow, ReadResult, Rejected, iter_csv
from schema.records import CallRecord, CallType, PhoneSubscriberRecord

SUBSCRIBERS = Layout(
    "subscribers",
    required=("number",),
    optional=(
        "subscriber_name",
        "address",
        "town",
        "postcode",
        "dob",
        "subscribed_from",
        "subscribed_to",
        "network",
        "account_ref",
    ),
)

CALLS = Layout(
    "calls",
    required=("a_number", "b_number", "start", "duration_s"),
    optional=("cell_id", "type"),
)

COPENHAGEN_HEADERS = {"source;target;weight": CallType.VOICE, "source;target": CallType.SMS}
"""The Copenhagen Networks Study headers, as folded, and the kind of call each file holds."""

_DRAMA_MOBILE = "+447700900"  # Ofcom's drama range 07700 900000 to 07700 900999


def copenhagen_number(study_id: str) -> str:
    """The E.164 number standing for a Copenhagen study id: ``n`` -> ``+447700900nnn``."""
    text = study_id.strip()
    if not (text.isascii() and text.isdigit()) or int(text) > 999:
        raise ValueError(
            f"study id {study_id!r} is not a whole number from 0 to 999 (the ids map onto "
            "Ofcom's 1,000 drama numbers)"
        )
    return f"{_DRAMA_MOBILE}{int(text):03d}"


def _undated(undated_at: datetime, row: RawRow) -> tuple[datetime, str]:
    started = undated_at + timedelta(microseconds=row.line)
    return started, (
        f"no call time in the source: started_at is the declared undated_at "
        f"{undated_at.isoformat()} plus {row.line} microseconds (its line number), "
        "not the call's time"
    )


def _subscriber(context: LoadContext) -> Callable[[RawRow, Cells], PhoneSubscriberRecord]:
    def build(row: RawRow, cells: Cells) -> PhoneSubscriberRecord:
        cells.required("number")
        return PhoneSubscriberRecord.model_validate(
            {
                "provenance": context.provenance(row),
                "number": cells.phone("number"),
                "subscriber_name": cells.text("subscriber_name"),
                "address": postal_address(cells, "address", "town", "postcode"),
                "dob": cells.partial_date("dob"),
                "subscribed_from": cells.date("subscribed_from"),
                "subscribed_to": cells.date("subscribed_to"),
                "network": cells.text("network"),
                "account_ref": cells.text("account_ref"),
            }
        )

    return build


def _call(
    context: LoadContext, undated_at: datetime | None
) -> Callable[[RawRow, Cells], CallRecord]:
    def build(row: RawRow, cells: Cells) -> CallRecord:
        for name in ("a_number", "b_number", "duration_s"):
            cells.required(name)
        started = cells.datetime("start")
        known = started is not None
        if started is None:
            if undated_at is None:
                raise ValueError(
                    "start: blank, and the reader was given no undated_at to file calls "
                    "without a time under"
                )
            started, warning = _undated(undated_at, row)
            cells.warnings.append(warning)
        kind = cells.text("type")
        return CallRecord.model_validate(
            {
                "provenance": context.provenance(row),
                "a_number": cells.phone("a_number"),
                "b_number": cells.phone("b_number"),
                "started_at": started,
                "started_at_known": known,
                "duration_s": cells.integer("duration_s", minimum=0),
                "cell_id": cells.text("cell_id"),
                "call_type": CallType.VOICE if kind is None else kind,
            }
        )

    return build


@dataclass(slots=True)
class SubscriberReader:
    """Reads a subscribers CSV (see the module docstring for its layout)."""

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    kind: str = field(default="subscribers", init=False)

    def __post_init__(self) -> None:
        check_mapping(self.mapping, SUBSCRIBERS)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        return read_table(path, SUBSCRIBERS, self.mapping, _subscriber(context))


@dataclass(slots=True)
class CallReader:
    """Reads a calls CSV in the documented layout or the Copenhagen format (module docstring).

    ``undated_at`` (aware) is the instant calls without a time are filed under; None refuses
    them.
    """

    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    undated_at: datetime | None = None
    kind: str = field(default="calls", init=False)

    def __post_init__(self) -> None:
        check_mapping(self.mapping, CALLS)
        if self.undated_at is not None and self.undated_at.utcoffset() is None:
            raise ValueError("undated_at must name its UTC offset")

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        call_type = COPENHAGEN_HEADERS.get(_first_line(path))
        if call_type is not None:
            return self._copenhagen(path, context, call_type)
        return read_table(path, CALLS, self.mapping, _call(context, self.undated_at))

    def _copenhagen(
        self, path: Path, context: LoadContext, call_type: CallType
    ) -> Iterator[ReadResult]:
        if self.undated_at is None:
            raise HeaderError(
                str(path),
                (
                    "a Copenhagen-format file has no call times: give the reader undated_at, "
                    "the instant to file its calls under",
                ),
            )
        undated_at = self.undated_at
        width = 3 if call_type is CallType.VOICE else 2
        header_seen = False
        for item in iter_csv(path, delimiter=";"):
            if isinstance(item, Rejected):
                yield item
                continue
            row, fields = item
            if not any(f.strip() for f in fields):
                continue
            if not header_seen:
                header_seen = True
                continue
            if len(fields) != width:
                yield Rejected(row, f"has {len(fields)} fields where the header has {width}")
                continue
            try:
                started, warning = _undated(undated_at, row)
                duration = fields[2].strip() if width == 3 else "0"
                if not (duration.isascii() and duration.isdigit()):
                    raise ValueError(f"Weight: {duration!r} is not a whole number of seconds")
                record = CallRecord(
                    provenance=context.provenance(row),
                    a_number=copenhagen_number(fields[0]),
                    b_number=copenhagen_number(fields[1]),
                    started_at=started,
                    duration_s=int(duration),
                    call_type=call_type,
                )
            except ValueError as exc:
                yield Rejected(row, rejection_reason(exc))
                continue
            yield Parsed(row, (record,), (warning,))


def _first_line(path: Path) -> str:
    """The file's first line, folded, without a byte-order mark ("" when unreadable)."""
    with path.open("rb") as fh:
        raw = fh.readline(4096)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    return raw.decode("utf-8", errors="replace").strip().casefold()
