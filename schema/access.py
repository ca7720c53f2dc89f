"""Who may see what: the access properties stored on every node and relationship, and a caller's
``View`` of them.

A caller sees a record when its clearance reaches the record's protective marking and, for a
record whose handling code sets conditions on sharing, when it may read such records
(``api.auth.identity.Caller.may_see``). Everything else is seen *through* records:

- an entity or a relationship **exists** for a caller when at least one record behind it is
  visible to the caller (a phone named by an OFFICIAL subscriber record and by a SECRET report
  exists for an OFFICIAL caller; one named only by the report does not);
- its **descriptive properties** (a company's name, a call count, a person's aliases) are shown
  as stored only when *every* record behind it is visible; otherwise a keyed entity shows its
  key (the number, the postcode) and a person is recomputed from the visible records alone
  (survivorship over the visible mentions), so no value is ever shown that only a hidden record
  gives;
- lists of records (provenance, ``record_ids``) hold the visible ones only.

So that queries can filter without reading records, every node and relationship carries, kept
up to date on each write (and backfilled by migration m0005):

``see_any``
    the least restrictive marking among the records behind it (rank of ``Sensitivity``);
``see_plain``
    the same among those whose handling is unconditional, ``NEVER`` when there is none;
``sensitivity``
    the most restrictive marking among them (already kept: it only rises);
``conditional``
    whether any record behind it has a handling code with conditions.

A caller with clearance ``c`` who may read conditional records sees something iff
``see_any <= c``; one who may not, iff ``see_plain <= c``. It sees everything behind it iff
``sensitivity <= c`` and (it may read conditional records or ``conditional`` is false).
A node or relationship written before its access properties is invisible (``NULL <= c`` is not
true): the model fails closed.

A record's own access properties are computed from its marking and handling code; an entity's
from the records that describe it or name it (``RESOLVES_TO`` and ``REFERS_TO``, kept as those
links are written); a relationship's from the records that assert it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from schema.grading import Grading, Sensitivity

NEVER: Final = 9
"""A floor no clearance reaches: no record of that kind is behind the thing."""

ACCESS_PROPERTIES: Final = ("see_any", "see_plain", "sensitivity", "conditional")
"""The properties every node and relationship carries for access (module docstring)."""


@dataclass(frozen=True, slots=True)
class Access:
    """The access properties of one thing (module docstring), combined over its records."""

    see_any: int = NEVER
    see_plain: int = NEVER
    sensitivity: int = 0
    conditional: bool = False

    @classmethod
    def one(cls, sensitivity: int, conditional: bool) -> Access:
        """One record's: its marking, and whether its handling code sets conditions."""
        level = int(sensitivity)
        return cls(
            see_any=level,
            see_plain=NEVER if conditional else level,
            sensitivity=level,
            conditional=conditional,
        )

    @classmethod
    def of_record(cls, sensitivity: int, handling: Grading | str | None) -> Access:
        """A record's own, from its marking and its grading (or the grading's text)."""
        return cls.one(sensitivity, handling_is_conditional(handling))

    @classmethod
    def of_props(cls, props: Mapping[str, Any]) -> Access:
        """A record's own, from its node properties: ``sensitivity``, and its own ``grading``
        (an intelligence report's) or else its source's ``handling``."""
        handling = props.get("grading") or props.get("handling")
        return cls.of_record(int(props.get("sensitivity") or 0), handling)

    def join(self, other: Access) -> Access:
        """The access of something behind the records of both."""
        return Access(
            see_any=min(self.see_any, other.see_any),
            see_plain=min(self.see_plain, other.see_plain),
            sensitivity=max(self.sensitivity, other.sensitivity),
            conditional=self.conditional or other.conditional,
        )

    @classmethod
    def combined(cls, parts: Iterable[Access]) -> Access:
        out = cls()
        for part in parts:
            out = out.join(part)
        return out

    def properties(self) -> dict[str, Any]:
        return {
            "see_any": self.see_any,
            "see_plain": self.see_plain,
            "sensitivity": self.sensitivity,
            "conditional": self.conditional,
        }


def handling_is_conditional(handling: Grading | str | None) -> bool:
    """Whether a handling code (a ``Grading`` or its canonical text ``3x5x2:1/A/P``) sets
    conditions on sharing. Text that is not a grading counts as conditional: fail closed."""
    if handling is None or handling == "":
        return False
    if isinstance(handling, Grading):
        return handling.conditional
    try:
        return Grading.parse(str(handling)).conditional
    except ValueError:
        return True


@dataclass(frozen=True, slots=True)
class View:
    """What one caller may see: its clearance, and whether it may read records whose handling
    sets conditions. Built by the API from the caller; passed to every graph read."""

    clearance: Sensitivity
    conditional: bool

    @property
    def floor(self) -> str:
        """The access property a thing's existence is decided on, for this caller."""
        return "see_any" if self.conditional else "see_plain"

    @property
    def level(self) -> int:
        return int(self.clearance)

    def exists(self, variable: str) -> str:
        """Cypher: whether ``variable`` (a node or relationship) exists for this caller. Uses
        the parameter ``$view_level`` (``params()``)."""
        return f"{variable}.{self.floor} <= $view_level"

    def whole(self, variable: str) -> str:
        """Cypher: whether every record behind ``variable`` is visible to this caller."""
        if self.conditional:
            return f"coalesce({variable}.sensitivity, 0) <= $view_level"
        return (
            f"(coalesce({variable}.sensitivity, 0) <= $view_level "
            f"AND NOT coalesce({variable}.conditional, false))"
        )

    def params(self) -> dict[str, Any]:
        return {"view_level": self.level}

    def sees(self, props: Mapping[str, Any]) -> bool:
        """Whether a node or relationship (its properties) exists for this caller."""
        floor = props.get(self.floor)
        return isinstance(floor, int) and not isinstance(floor, bool) and floor <= self.level

    def sees_whole(self, props: Mapping[str, Any]) -> bool:
        """Whether every record behind it is visible to this caller."""
        if int(props.get("sensitivity") or 0) > self.level:
            return False
        return self.conditional or not bool(props.get("conditional"))

    def sees_record(self, props: Mapping[str, Any]) -> bool:
        """Whether a record (its node properties) is visible to this caller, from its own
        marking and handling (not from stored access properties, so that it holds for records
        written before them)."""
        own = Access.of_props(props)
        return (own.see_any if self.conditional else own.see_plain) <= self.level


EVERYTHING: Final = View(Sensitivity.TOP_SECRET, conditional=True)
"""The view of internal jobs (resolution, analytics), which read every record."""
