"""Expected outcomes as data: the union members a field returns when the caller can fix
something (STYLE 5). Each implements ``UserError`` and says what to fix; anything else that goes
wrong is unexpected, masked for the caller and logged with the request id.

::

    interface UserError { message }
    ├── Refused        the caller's roles lack a permission (requiredPermission names it)
    └── InvalidInput   an argument cannot be used (field names it)
"""

from __future__ import annotations

import strawberry

from api.auth.identity import Permission
from api.graphql.context import Context
from schema.errors import Forbidden


@strawberry.interface(description="Something the caller can fix; the message says what.")
class UserError:
    message: str


@strawberry.type(description="The caller's roles do not grant the permission this field needs.")
class Refused(UserError):
    required_permission: str


@strawberry.type(description="An argument that cannot be used as given.")
class InvalidInput(UserError):
    field: str


def refused(ctx: Context, permission: Permission) -> Refused | None:
    """``None`` when the caller holds ``permission``; otherwise a ``Refused`` that names it and
    the roles that grant it, noted for the audit entry (outcome refused)."""
    try:
        ctx.caller.require(permission)
    except Forbidden as exc:
        ctx.exchange.refused.append(exc.permission)
        return Refused(message=str(exc), required_permission=exc.permission)
    return None


def invalid(ctx: Context, field: str, message: str) -> InvalidInput:
    """An ``InvalidInput`` for argument ``field``, noted for the audit entry."""
    ctx.exchange.invalid.append(field)
    return InvalidInput(message=message, field=field)
