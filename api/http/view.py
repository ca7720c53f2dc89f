"""The GraphQL endpoint (``/graphql``): strawberry's ASGI view, with Clew's access model.

For each request, in order:

1. the body is read up to ``CLEW_API_MAX_BODY_BYTES`` (413 beyond);
2. the context getter identifies the caller from ``Authorization: Bearer`` and
   ``X-Clew-Purpose`` (``api.auth.caller_from_headers``); without a valid token the answer is
   401, without a purpose 400, each a GraphQL error whose message says what to send;
3. strawberry parses, validates (limits included), costs and executes the query;
4. the request is recorded in the read audit (``graph.audit_log``), allowed or refused, with
   what it returned. **If the entry cannot be written, the answer is withheld**: the caller
   gets 503 and nothing of the result, because an analyst platform must not serve reads it has
   not recorded. (A refusal is withheld the same way: the rule has no exception to reason about.)
5. the metrics and one JSON log line (no variables, no query text, no token) are written.

Only POST carries queries: a query in a URL would be kept by proxies and browser history. GET
serves GraphiQL, in development only. No subscriptions, batching or uploads.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

import anyio.to_thread
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.schema import BaseSchema

from api.auth.identity import Caller
from api.auth.keys import JwksKeys
from api.auth.tokens import TokenVerifier, caller_from_headers, verify_token
from api.graphql.context import Context, Exchange
from api.http.logs import REQUEST_LOGGER
from api.http.recording import Ending, audit_event, auth_ending, exchange_ending
from api.http.services import Services, services_of
from schema.audit import Outcome
from schema.errors import AuthError, InvalidToken, MissingPurpose

log = logging.getLogger("clew.api")
request_log = logging.getLogger(REQUEST_LOGGER)

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# GraphiQL (development only) is one HTML page that loads its scripts and styles from unpkg and
# runs inline scripts; everything else stays as strict as the API's own policy.
GRAPHIQL_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://unpkg.com; "
    "style-src 'unsafe-inline' https://unpkg.com; img-src data: https://unpkg.com; "
    "font-src data: https://unpkg.com; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)
AUDIT_UNAVAILABLE = (
    "this request could not be recorded in the read audit, so its answer is withheld: try "
    "again, and tell the service's operator if it persists"
)
_AUTH_CODES = {
    "MissingToken": "UNAUTHENTICATED",
    "InvalidToken": "INVALID_TOKEN",
    "MissingPurpose": "MISSING_PURPOSE",
    "Forbidden": "FORBIDDEN",
    "KeySetUnavailable": "KEYS_UNAVAILABLE",
}


class Refusal(Exception):
    """Raised by the context getter: the request cannot be served as its caller. ``caller`` is
    who sent it, when the token was good and the purpose was not."""

    def __init__(self, error: AuthError, caller: Caller | None = None) -> None:
        self.error = error
        self.caller = caller
        super().__init__(str(error))


class BodyTooLarge(Exception):
    """The body went past ``CLEW_API_MAX_BODY_BYTES`` while it was read.

    Both exceptions are control flow inside this module (caught in ``GraphQLView._answer``),
    never raised out of it: what a caller sees is the answer they become."""


def error_response(
    status: int,
    message: str,
    code: str,
    request_id: str,
    *,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A GraphQL-shaped error answer (``{"data": null, "errors": [...]}``)."""
    error = {
        "message": message,
        "extensions": {"code": code, **extensions, "requestId": request_id},
    }
    return JSONResponse({"data": None, "errors": [error]}, status_code=status, headers=headers)


def _request_id(request: Request) -> str:
    # A well-formed id from a proxy in front is kept, so that its logs and ours line up.
    given = request.headers.get(REQUEST_ID_HEADER)
    return given if given and _REQUEST_ID.match(given) else uuid.uuid4().hex


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def receive_within_limit() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    return receive_within_limit


def _refuse_json_constants(name: str) -> float:
    # NaN and infinities are not JSON, and the audit log could not record them reproducibly.
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _identify(verifier: TokenVerifier, request: Request, now: datetime) -> Caller | None:
    """Who sent a request whose purpose was refused (its token was verified already)."""
    _, _, token = request.headers.get("authorization", "").strip().partition(" ")
    try:
        return verify_token(verifier, token, now)
    except AuthError:
        return None


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, schema: BaseSchema, *, graphiql: bool) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if graphiql else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
        )

    def decode_json(self, data: str | bytes) -> object:
        return json.loads(data, parse_constant=_refuse_json_constants)

    async def get_context(self, request: Request, response: Any) -> Context:  # type: ignore[override]
        services = services_of(request)
        now = datetime.now(UTC)
        verifier = services.verifier
        try:
            if isinstance(verifier.keys, JwksKeys):
                # A JWKS may have to be fetched over the network: not on the event loop.
                caller = await anyio.to_thread.run_sync(
                    caller_from_headers, verifier, request.headers, now
                )
            else:
                caller = caller_from_headers(verifier, request.headers, now)
        except MissingPurpose as exc:
            raise Refusal(exc, _identify(verifier, request, now)) from exc
        except AuthError as exc:
            raise Refusal(exc) from exc
        context = Context(
            caller=caller,
            store=services.store,
            audit=services.audit,
            limits=services.limits,
            request_id=request.state.request_id,
            observe_store=services.metrics.store_latency.observe,
        )
        request.state.context = context
        return context

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> Any:
        exchange = context.exchange
        exchange.query = request_data.query or ""
        exchange.operation = request_data.operation_name
        exchange.variables = dict(request_data.variables or {})
        return await super().execute_single(
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=request_data,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no subscriptions over websockets
            await send({"type": "websocket.close", "code": 1008})
            return
        started = perf_counter()
        at = datetime.now(UTC)
        services = services_of(Request(scope))
        request = Request(scope, _limited(receive, services.max_body_bytes))
        request_id = request.state.request_id = _request_id(request)
        if self.graphql_ide and self.should_render_graphql_ide(self.request_adapter_class(request)):
            # The page is static and holds no data; the queries it sends are audited.
            ide = HTMLResponse(
                self.graphql_ide_html, headers={"content-security-policy": GRAPHIQL_CSP}
            )
            await ide(scope, receive, send)
            return
        response, caller, exchange, ending = await self._answer(request, services, request_id)
        duration = perf_counter() - started
        event = audit_event(
            at=at,
            caller=caller,
            exchange=exchange,
            ending=ending,
            duration_ms=duration * 1000,
            client_address=request.client.host if request.client else None,
            user_agent=request.headers.get("user-agent"),
        )
        try:
            await anyio.to_thread.run_sync(services.audit.append, event)
        except Exception:
            log.exception("the audit entry could not be written", extra={"request_id": request_id})
            services.metrics.audit_failures.inc()
            response = error_response(503, AUDIT_UNAVAILABLE, "AUDIT_UNAVAILABLE", request_id)
            ending = Ending(Outcome.ERROR, "audit-unavailable")
        services.metrics.request(exchange.root_fields, ending.outcome.value, duration)
        if request_log.isEnabledFor(logging.INFO):  # the line is built only to be written
            request_log.info(
                "graphql request",
                extra={
                    "request_id": request_id,
                    "user": event.user,
                    "operation": event.operation,
                    "outcome": ending.outcome.value,
                    "error_code": ending.error_code,
                    "status": response.status_code,
                    "duration_ms": round(duration * 1000, 3),
                },
            )
        response.headers[REQUEST_ID_HEADER] = request_id
        await response(scope, receive, send)

    async def _answer(
        self, request: Request, services: Services, request_id: str
    ) -> tuple[Response, Caller | None, Exchange, Ending]:
        """Run the request; the response, who asked, what happened, how it ended."""
        try:
            response = await self.run(request)
        except Refusal as refusal:
            exchange = await self._sent(request)
            error = refusal.error
            extras: dict[str, Any] = {}
            headers = {}
            if isinstance(error, MissingPurpose):
                extras["header"] = error.header
            if error.http_status == 401:
                headers["WWW-Authenticate"] = 'Bearer realm="clew"' + (
                    ', error="invalid_token"' if isinstance(error, InvalidToken) else ""
                )
            code = _AUTH_CODES.get(type(error).__name__, "UNAUTHENTICATED")
            answer = error_response(
                error.http_status, str(error), code, request_id, headers=headers, **extras
            )
            return answer, refusal.caller, exchange, auth_ending(error)
        except BodyTooLarge:
            message = f"the request body is over {services.max_body_bytes} bytes"
            answer = error_response(413, message, "TOO_LARGE", request_id)
            return answer, None, Exchange(), Ending(Outcome.ERROR, "too-large")
        except HTTPException as exc:  # not a GraphQL request: bad JSON, no query, a GET query
            context = getattr(request.state, "context", None)
            answer = error_response(exc.status_code, exc.reason, "BAD_REQUEST", request_id)
            if isinstance(context, Context):
                return (
                    answer,
                    context.caller,
                    context.exchange,
                    Ending(Outcome.ERROR, "bad-request"),
                )
            return answer, None, Exchange(), Ending(Outcome.ERROR, "bad-request")
        except Exception:
            log.exception("the GraphQL view failed", extra={"request_id": request_id})
            context = getattr(request.state, "context", None)
            answer = error_response(500, "Unexpected error", "INTERNAL", request_id)
            caller = context.caller if isinstance(context, Context) else None
            exchange = context.exchange if isinstance(context, Context) else Exchange()
            return answer, caller, exchange, Ending(Outcome.ERROR, "internal")
        context = request.state.context
        return response, context.caller, context.exchange, exchange_ending(context.exchange)

    async def _sent(self, request: Request) -> Exchange:
        """What a refused request asked, as far as its body can be read (for the audit)."""
        try:
            data = await self.parse_http_body(self.request_adapter_class(request))
        except Exception:  # a refused request may also be malformed; record what is known
            return Exchange()
        if not isinstance(data, GraphQLRequestData):
            return Exchange()
        return Exchange(
            query=data.query or "",
            operation=data.operation_name,
            variables=dict(data.variables or {}),
        )
