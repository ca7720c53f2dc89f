"""Intelligence grading, handling codes and the sensitivity that decides who may see a thing.

Two UK grading systems are in the data:

- **3x5x2** (College of Policing APP, current): source evaluation 1-3, intelligence assessment
  A-E, handling code P or C.
- **5x5x5** (National Intelligence Model, legacy; older reports keep it): source evaluation A-E,
  intelligence evaluation 1-5, handling code 1-5.

``Grading.parse`` reads the ways analysts write them ("1A P", "1-A-P", "1/A/P", "B2 4",
"3x5x2: 2/B/C"): separators and case are forgiven, values are not. The systems tell themselves
apart by the first character (a digit in 3x5x2, a letter in 5x5x5); a named system is checked
against it. The canonical written form is ``"3x5x2:1/A/P"``; a grading serialises as that text.

``Sensitivity`` is the protective marking (UK Government Security Classifications) carried on
every record beside its grading. Clew's access model compares it with the caller's clearance, so
it is ordered, and anything derived from records is as sensitive as the most sensitive of them
(``most_restrictive``).
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Any, Literal

from pydantic import model_serializer, model_validator

from schema.base import StrictModel

GradingSystem = Literal["3x5x2", "5x5x5"]

SOURCE_EVALUATION: dict[str, dict[str, str]] = {
    "3x5x2": {"1": "reliable", "2": "untested", "3": "not reliable"},
    "5x5x5": {
        "A": "always reliable",
        "B": "mostly reliable",
        "C": "sometimes reliable",
        "D": "unreliable",
        "E": "untested source",
    },
}

INTELLIGENCE_EVALUATION: dict[str, dict[str, str]] = {
    "3x5x2": {
        "A": "known directly to the source",
        "B": "known indirectly to the source but corroborated",
        "C": "known indirectly to the source",
        "D": "not known",
        "E": "suspected to be false or malicious",
    },
    "5x5x5": {
        "1": "known to be true without reservation",
        "2": "known personally to the source but not to the officer",
        "3": "not known personally to the source but corroborated",
        "4": "cannot be judged",
        "5": "suspected to be false",
    },
}

HANDLING_CODES: dict[str, dict[str, str]] = {
    "3x5x2": {
        "P": "lawful sharing permitted",
        "C": "lawful sharing permitted with conditions",
    },
    "5x5x5": {
        "1": "may be disseminated to other law enforcement and prosecuting agencies",
        "2": "may be disseminated to UK non-prosecuting parties",
        "3": "may be disseminated to non-EEA law enforcement agencies",
        "4": "may be disseminated within the originating agency only",
        "5": "no further dissemination: refer to the originator",
    },
}

# APP calls the second part an assessment, the NIM an evaluation.
_INTELLIGENCE_TERM = {"3x5x2": "intelligence assessment", "5x5x5": "intelligence evaluation"}

# The codes under which sharing needs no further conditions.
_UNCONDITIONAL = {"3x5x2": "P", "5x5x5": "1"}

_X = "\\s*[x\u00d7]\\s*"  # "3x5x2", "3 x 5 x 2", and with the multiplication sign
_SYSTEM = re.compile(rf"^\s*(3{_X}5{_X}2|5{_X}5{_X}5)\s*[:\-]?", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s/\-_.,:;|]+")


def _valid(table: dict[str, str]) -> str:
    return ", ".join(f"{code} ({meaning})" for code, meaning in table.items())


class Grading(StrictModel):
    """A 3x5x2 or 5x5x5 grading with its handling code."""

    system: GradingSystem
    source_evaluation: str
    intelligence_evaluation: str
    handling_code: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            return _split(data)
        return data

    @model_validator(mode="after")
    def _check(self) -> Grading:
        checks = (
            ("source evaluation", self.source_evaluation, SOURCE_EVALUATION),
            (
                _INTELLIGENCE_TERM[self.system],
                self.intelligence_evaluation,
                INTELLIGENCE_EVALUATION,
            ),
            ("handling code", self.handling_code, HANDLING_CODES),
        )
        for what, value, tables in checks:
            table = tables[self.system]
            if value not in table:
                raise ValueError(f"{value!r} is not a {self.system} {what}; valid: {_valid(table)}")
        return self

    @classmethod
    def parse(cls, text: str) -> Grading:
        """Read a written grading; raises pydantic's ``ValidationError`` (a ``ValueError``)
        with a message that lists the valid values."""
        return cls.model_validate(text)

    @model_serializer
    def _as_text(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return (
            f"{self.system}:{self.source_evaluation}/{self.intelligence_evaluation}"
            f"/{self.handling_code}"
        )

    @property
    def conditional(self) -> bool:
        """Whether sharing is subject to conditions (3x5x2 C, 5x5x5 2-5)."""
        return self.handling_code != _UNCONDITIONAL[self.system]

    def describe(self) -> str:
        """The grading in words, for an analyst."""
        return "; ".join(
            (
                f"source: {SOURCE_EVALUATION[self.system][self.source_evaluation]}",
                "intelligence: "
                + INTELLIGENCE_EVALUATION[self.system][self.intelligence_evaluation],
                f"handling: {HANDLING_CODES[self.system][self.handling_code]}",
            )
        )


def _split(text: str) -> dict[str, str]:
    named: str | None = None
    rest = text
    m = _SYSTEM.match(text)
    if m:
        named = "3x5x2" if m.group(1).replace(" ", "")[0] == "3" else "5x5x5"
        rest = text[m.end() :]
    chars = _SEPARATORS.sub("", rest).upper()
    if len(chars) != 3:
        raise ValueError(
            f"{text!r} is not a grading: expected three parts, as in '1A P' (3x5x2) or "
            "'B2 4' (5x5x5)"
        )
    system = "3x5x2" if chars[0].isdigit() else "5x5x5"
    if named is not None and named != system:
        raise ValueError(
            f"{text!r} names {named} but is written as {system} "
            "(3x5x2 starts with a digit 1-3, 5x5x5 with a letter A-E)"
        )
    return {
        "system": system,
        "source_evaluation": chars[0],
        "intelligence_evaluation": chars[1],
        "handling_code": chars[2],
    }


class Sensitivity(IntEnum):
    """Protective marking, least to most restrictive; read from its name as well
    ("OFFICIAL-SENSITIVE", "official sensitive")."""

    OFFICIAL = 0
    OFFICIAL_SENSITIVE = 1
    SECRET = 2
    TOP_SECRET = 3

    @classmethod
    def _missing_(cls, value: object) -> Sensitivity | None:
        if isinstance(value, str):
            name = re.sub(r"[\s\-]+", "_", value.strip().upper())
            return cls.__members__.get(name)
        return None


def most_restrictive(*levels: Sensitivity) -> Sensitivity:
    """The sensitivity of something derived from things at ``levels`` (OFFICIAL when none)."""
    return max(levels, default=Sensitivity.OFFICIAL)
