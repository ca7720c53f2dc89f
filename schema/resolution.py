"""Entity-resolution bookkeeping kept in the graph: analysts' decisions and the runs.

- ``MatchDecision``: an analyst's judgement that two person mentions are the same person
  (``Judgement.POSITIVE``) or different people (``Judgement.NEGATIVE``). Decisions are
  append-only: each is its own node, nothing is overwritten, and for a pair the latest one
  applies. Every resolution run reads them all and hands them to clustering as must-links and
  cannot-links, so a decision holds across every re-run.
- ``ResolutionRun``: what one run did, with the trained model as JSON text, so that
  ``clew resolve explain`` can re-score a merged entity's pairs exactly as the run did, without
  training again.

Mention ids are record ids, or ``<record id>#subject<i>`` for a report's subjects, so they are
plain text here rather than ``Id``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from schema.base import NonEmptyStr, UtcDatetime
from schema.edges import Judgement
from schema.ids import IdKey, Keyed


class MatchDecision(Keyed):
    """An analyst's judgement on two mentions; the pair is stored sorted (left < right)."""

    label: ClassVar[str] = "MatchDecision"
    id_key: ClassVar[IdKey] = IdKey("match_decision", ("left_id", "right_id", "decided_at"))

    left_id: NonEmptyStr
    right_id: NonEmptyStr
    judgement: Literal[Judgement.POSITIVE, Judgement.NEGATIVE]
    decided_by: NonEmptyStr
    decided_at: UtcDatetime
    reason: NonEmptyStr

    @model_validator(mode="before")
    @classmethod
    def _sorted(cls, data: object) -> object:
        # The pair has no direction: (a, b) and (b, a) are one pair, so one key order.
        if isinstance(data, dict) and isinstance(data.get("left_id"), str):
            a, b = data["left_id"], data.get("right_id")
            if isinstance(b, str) and b < a:
                data = {**data, "left_id": b, "right_id": a}
        return data

    @model_validator(mode="after")
    def _two(self) -> MatchDecision:
        if self.left_id == self.right_id:
            raise ValueError("a decision needs two different mentions")
        return self

    @property
    def same(self) -> bool:
        return self.judgement is Judgement.POSITIVE

    def node_properties(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class ResolutionRun(Keyed):
    """One run of entity resolution: its mode, times, rule version, counts, model and
    cluster statistics (both as JSON text: nested values are stored as text on nodes)."""

    label: ClassVar[str] = "ResolutionRun"
    id_key: ClassVar[IdKey] = IdKey("resolution_run", ("run_id",))

    run_id: NonEmptyStr
    mode: Literal["full", "incremental"]
    started_at: UtcDatetime
    finished_at: UtcDatetime
    rule_version: NonEmptyStr = Field(description="short hash of the model the run used")
    records: int = Field(ge=0)
    mentions: int = Field(ge=0)
    candidate_pairs: int = Field(ge=0)
    matches: int = Field(ge=0)
    entities: int = Field(ge=0)
    created: int = Field(ge=0)
    merged: int = Field(ge=0)
    split: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    decisions: int = Field(ge=0, description="analyst decisions honoured")
    decisions_overridden: int = Field(
        default=0, ge=0, description="analyst decisions overridden by later ones they contradict"
    )
    nominal_links_dropped: int = Field(
        default=0, ge=0, description="nominal-reference links an analyst's 'different' overrode"
    )
    deferred: int = Field(
        default=0, ge=0, description="links an incremental run left for a full run (a split)"
    )
    joined: int = Field(
        default=0, ge=0, description="new mentions an incremental run added to existing persons"
    )
    model_json: str = Field(description="the MatchModel, JSON text")
    cluster_stats_json: str = Field(description="the ClusterStats, JSON text")

    def node_properties(self) -> dict[str, object]:
        return self.model_dump(mode="json")


RESOLUTION_TYPES: tuple[type[MatchDecision] | type[ResolutionRun], ...] = (
    MatchDecision,
    ResolutionRun,
)
"""Bookkeeping node models (neither records nor entities), each with its own label."""
