"""The purpose a request states: task-based access, one ``X-Clew-Purpose`` header per request.

Every query names why it is asked, so that the audit trail can answer "who looked at this person,
and for what?". A purpose is one of:

- an **operation** reference: ``OP-KESTREL``, ``Op Kestrel``, ``Operation Kestrel: associates``
  (kept as ``OP-KESTREL``);
- a **case** reference: ``CASE/2026/0142``, ``case 2026-0142`` (kept as ``CASE/2026/0142``);
- **free text** of 3 to 200 printable characters with at least three letters or digits, for work
  that has no reference yet ("threat to life: missing child seen at Leeds station").

The reference, when the text begins with one, is kept apart from the text so that the audit
trail can group by it; the whole stated text is kept too. Clew does not check a reference
against a case system (it has none to ask): it records what was stated, and a free-text purpose
is one a supervisor can find and review.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import model_validator

from schema.base import StrictModel

PURPOSE_HEADER = "X-Clew-Purpose"
MIN_LENGTH = 3
MAX_LENGTH = 200

PurposeKind = Literal["operation", "case", "text"]

# "OP-KESTREL", "Op Kestrel", "Operation Kestrel-2": a separator after OP is required, so that
# "operational review" is free text and not operation "ERATIONAL".
_OPERATION = re.compile(
    r"^OP(?:ERATION)?[\s\-_:]+(?P<name>[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)(?![A-Z0-9])", re.IGNORECASE
)
_CASE = re.compile(
    r"^CASE[\s\-_:/]*(?P<year>\d{4})[/\-](?P<number>[A-Z0-9]{1,12})(?![A-Z0-9])", re.IGNORECASE
)


class Purpose(StrictModel):
    """A stated purpose: ``text`` as stated (whitespace runs collapsed), ``reference`` the
    operation or case reference it begins with (normalised), if any.

    Built from the header's text with ``Purpose.parse`` (or ``Purpose.model_validate(text)``);
    a value that states no purpose raises pydantic's ``ValidationError`` (a ``ValueError``) whose
    message says what a purpose looks like.
    """

    text: str
    reference: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        stated = data.get("text") if isinstance(data, dict) else data
        if not isinstance(stated, str):
            return data  # pydantic reports the missing or mistyped field
        text = " ".join(stated.split())
        if not MIN_LENGTH <= len(text) <= MAX_LENGTH:
            raise ValueError(
                f"a purpose is {MIN_LENGTH} to {MAX_LENGTH} characters, this one is "
                f"{len(text)}; {_EXAMPLES}"
            )
        if not text.isprintable():
            raise ValueError(f"a purpose is printable text; {_EXAMPLES}")
        if sum(c.isalnum() for c in text) < MIN_LENGTH:
            raise ValueError(f"a purpose needs at least three letters or digits; {_EXAMPLES}")
        reference = _reference(text)
        if isinstance(data, dict) and data.get("reference", reference) != reference:
            raise ValueError(f"reference {data['reference']!r} is not the one {text!r} states")
        return {**(data if isinstance(data, dict) else {}), "text": text, "reference": reference}

    @classmethod
    def parse(cls, text: str) -> Purpose:
        return cls.model_validate(text)

    @property
    def kind(self) -> PurposeKind:
        if self.reference is None:
            return "text"
        return "operation" if self.reference.startswith("OP-") else "case"

    def __str__(self) -> str:
        return self.text


_EXAMPLES = (
    "state an operation or case reference (OP-KESTREL, CASE/2026/0142) or a short reason "
    f"({MIN_LENGTH}-{MAX_LENGTH} characters)"
)


def _reference(text: str) -> str | None:
    if m := _OPERATION.match(text):
        return f"OP-{m['name'].upper()}"
    if m := _CASE.match(text):
        return f"CASE/{m['year']}/{m['number'].upper()}"
    return None
