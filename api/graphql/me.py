"""``me``: who the API takes the caller to be, and the purpose it recorded for this request.

Clients show it so that an analyst sees what the audit trail will say about them.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from api.graphql.context import Context
from schema.grading import Sensitivity


@strawberry.enum(description="Protective marking a caller is cleared to see, least first.")
class Clearance(Enum):
    # The names of ``schema.grading.Sensitivity`` (tests/api/graphql checks they agree); its own
    # class is not decorated, so that the schema layer knows nothing of GraphQL.
    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL_SENSITIVE"
    SECRET = "SECRET"  # noqa: S105 - a marking, not a password
    TOP_SECRET = "TOP_SECRET"  # noqa: S105 - a marking, not a password

    @classmethod
    def of(cls, sensitivity: Sensitivity) -> Clearance:
        return cls[sensitivity.name]


@strawberry.type(name="Purpose", description="Why this request is asked (X-Clew-Purpose).")
class PurposeInfo:
    text: str
    reference: str | None = strawberry.field(
        description="The operation or case reference the purpose begins with (normalised)."
    )
    kind: str = strawberry.field(description="operation, case or text.")


@strawberry.type(description="The caller of this request.")
class Me:
    user: str
    roles: list[str]
    clearance: Clearance
    permissions: list[str]
    purpose: PurposeInfo
    token_expires_at: datetime


def me_of(ctx: Context) -> Me:
    caller = ctx.caller
    purpose = ctx.purpose
    return Me(
        user=caller.user,
        roles=sorted(r.value for r in caller.roles),
        clearance=Clearance.of(caller.clearance),
        permissions=sorted(p.value for p in caller.permissions),
        purpose=PurposeInfo(text=purpose.text, reference=purpose.reference, kind=purpose.kind),
        token_expires_at=caller.expires_at,
    )
