"""``resolution(entityId)``: why a person's records are one person; ``decide``: an analyst's
judgement on two mentions, honoured by every later run (``algorithms.er.decisions``).

Both see only the records the caller may see (``schema.access``): the members, the pairs
explained among them and the decisions shown are the visible ones, and a mention the caller may
not see is answered exactly as one that does not exist.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import Enum
from typing import Final

import strawberry
from strawberry.types import Info

from algorithms.er.decisions import decide as record_decision
from algorithms.er.decisions import record_of
from algorithms.er.entity_explain import EntityExplanation, explain_entity
from algorithms.er.explain import PairExplanation
from api.auth.identity import Permission
from api.graphql.context import Context
from api.graphql.entities import Entity, load_entities
from api.graphql.errors import InvalidInput, Refused, invalid, refused
from api.graphql.visible import view_of
from graph.entity_reads import label_of
from schema.errors import ResolutionError

MENTION_ID: Final = re.compile(r"^rec_[a-z0-9_]+_[a-z2-7]{26}(#subject[0-9]{1,4})?$")
"""A person mention's id: its record's, and for a report's subject, which one."""


@strawberry.type(description="One comparison's part in a pair's match weight.")
class ComparisonEvidence:
    comparison: str
    left_value: str | None
    right_value: str | None
    level: str = strawberry.field(description="The level reached, e.g. 'exact', 'nickname'.")
    weight: float = strawberry.field(description="log2 odds this comparison adds.")
    term_frequency_adjustment: float
    set_aside: list[str] = strawberry.field(
        description="Over-shared values (switchboards, formation agents) that did not count."
    )


@strawberry.type(description="A pair of mentions scored comparison by comparison.")
class PairEvidence:
    left_mention: str
    right_mention: str
    total_weight: float
    probability: float
    threshold_probability: float
    is_match: bool
    summary: str
    comparisons: list[ComparisonEvidence]

    @classmethod
    def of(cls, p: PairExplanation) -> PairEvidence:
        return cls(
            left_mention=p.left_id,
            right_mention=p.right_id,
            total_weight=p.total_weight,
            probability=p.probability,
            threshold_probability=p.threshold_probability,
            is_match=p.is_match,
            summary=p.summary,
            comparisons=[
                ComparisonEvidence(
                    comparison=c.comparison,
                    left_value=c.left_value,
                    right_value=c.right_value,
                    level=c.label,
                    weight=c.weight,
                    term_frequency_adjustment=c.tf_adjustment,
                    set_aside=c.set_aside,
                )
                for c in p.comparisons
            ],
        )


@strawberry.type(description="One mention of the person, with how it joined.")
class ResolutionMember:
    mention_id: str
    record_id: str
    kind: str
    source: str
    name: str | None
    date_of_birth: str | None
    score: float | None
    rule: str | None
    decided_by: str | None
    strongest_link: PairEvidence | None = strawberry.field(
        description="Its strongest pair with another visible member, explained."
    )


@strawberry.type(description="The match evidence behind a resolved person.")
class Resolution:
    entity: Entity
    rule_version: str | None
    members: list[ResolutionMember]


@strawberry.enum(description="An analyst's judgement on two mentions.")
class Judgement(Enum):
    SAME = "same"
    DIFFERENT = "different"


@strawberry.type(description="A recorded decision; the next resolution run honours it.")
class Decision:
    id: str
    left_mention: str
    right_mention: str
    judgement: Judgement
    decided_by: str
    decided_at: datetime
    reason: str


def _members(explained: EntityExplanation) -> list[ResolutionMember]:
    return [
        ResolutionMember(
            mention_id=m.mention_id,
            record_id=m.record_id,
            kind=m.label,
            source=m.source,
            name=m.name,
            date_of_birth=m.date_of_birth,
            score=m.score,
            rule=m.rule,
            decided_by=m.decided_by,
            strongest_link=None if m.best is None else PairEvidence.of(m.best),
        )
        for m in explained.members
    ]


async def resolution(
    info: Info[Context, None], entity_id: strawberry.ID
) -> Resolution | Refused | InvalidInput | None:
    ctx = info.context
    denied = refused(ctx, Permission.READ_RESOLUTION)
    if denied is not None:
        return denied
    text = str(entity_id)
    if label_of(text) != "Person":
        return invalid(ctx, "entityId", "resolution explains persons: give a person_... id")
    view = view_of(ctx.caller)
    found = await load_entities(ctx, [text])
    if text not in found:
        return None
    try:
        explained = await ctx.run_sync(
            lambda: explain_entity(ctx.store, text, visible=view.sees_record)
        )
    except ResolutionError:
        return None
    entity = found[text]
    if explained.entity_id != text:  # a retired person, followed to its successor
        successor = (await load_entities(ctx, [explained.entity_id])).get(explained.entity_id)
        if successor is None:
            return None
        entity = successor
    return Resolution(
        entity=entity, rule_version=explained.rule_version, members=_members(explained)
    )


async def decide(
    info: Info[Context, None],
    left_mention: str,
    right_mention: str,
    judgement: Judgement,
    reason: str,
) -> Decision | Refused | InvalidInput:
    ctx = info.context
    denied = refused(ctx, Permission.DECIDE)
    if denied is not None:
        return denied
    for field, text in (("leftMention", left_mention), ("rightMention", right_mention)):
        if not MENTION_ID.match(text):
            return invalid(
                ctx,
                field,
                f"{text[:80]!r} is not a mention id: resolution(entityId) lists them "
                "(rec_<kind>_<26 characters>, with #subjectN for a report's subject)",
            )
    if not reason.strip():
        return invalid(ctx, "reason", "say why: the reason is kept with the decision")
    if len(reason) > 2_000:
        return invalid(ctx, "reason", "keep the reason under 2,000 characters")
    view = view_of(ctx.caller)
    now = datetime.now(UTC)
    try:
        made = await ctx.run_sync(
            lambda: record_decision(
                ctx.store,
                left_mention,
                right_mention,
                same=judgement is Judgement.SAME,
                by=ctx.caller.user,
                reason=reason.strip(),
                now=now,
                visible=view.sees_record,
            )
        )
    except ResolutionError as exc:
        field = "leftMention" if left_mention in str(exc) else "rightMention"
        return invalid(ctx, field, f"{exc}: give the mention ids that resolution shows")
    ctx.returned([record_of(left_mention), record_of(right_mention)])
    return Decision(
        id=made.id,
        left_mention=made.left_id,
        right_mention=made.right_id,
        judgement=Judgement.SAME if judgement is Judgement.SAME else Judgement.DIFFERENT,
        decided_by=made.decided_by,
        decided_at=made.decided_at,
        reason=made.reason,
    )
