"""Property-based fuzzing of the schema: queries generated from the exported SDL
(api/graphql/schema.graphql) by hypothesis-graphql, sent through the real app as each role with a
purpose. No answer may be an internal error: expected refusals (``Refused``, limits, introspection
off) and validation errors are answers the caller can act on; a 500 or a masked ``INTERNAL``
error is a bug.

The default run is bounded (``max_examples`` below, no deadline: every request writes a durable
audit entry); ``-m slow`` runs the heavier profile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, queries
from starlette.testclient import TestClient

from api.auth.identity import Role
from api.graphql.sdl import SDL_PATH
from graph.audit_log import AuditLog
from graph.store import GraphStore
from tests.api.graphql.world import build_world
from tests.api.http.helpers import post

SDL = SDL_PATH.read_text(encoding="utf-8")
DEFAULT_EXAMPLES = 100
SLOW_EXAMPLES = 1_000

# DateTime arguments: valid instants (with and without an offset, far past and future) and text
# that is not one, which must be refused as an invalid value, not fail inside a resolver.
_instants = st.datetimes(
    min_value=datetime(1, 1, 1),
    max_value=datetime(9999, 12, 31),
    timezones=st.sampled_from([None, UTC]),
).map(lambda d: d.isoformat())
_datetime_text = st.one_of(
    _instants,
    st.text(max_size=40),
    st.sampled_from(["", "2026-13-01T00:00:00", "2026-02-30", "now", "9999-12-31T23:59:59+14:00"]),
)
CUSTOM_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "DateTime": _datetime_text.map(lambda text: graphql.StringValueNode(value=text)),
}
ROLES = st.lists(st.sampled_from(list(Role)), min_size=1, max_size=3, unique=True)
PURPOSES = st.sampled_from(
    ["OP-KESTREL associates of the missing child", "case 24/1187 review", "weekly review"]
)


def _fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        # One app serves every example of a test (it is stateless between requests).
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        # No example database: failures are printed, and nothing is written into the checkout.
        database=None,
    )


def assert_no_internal_error(answer: object, query: str) -> None:
    status = answer.status_code  # type: ignore[attr-defined]
    assert status != 500, (query, answer.text)  # type: ignore[attr-defined]
    assert status < 500 or status == 503, (query, status)
    body = answer.json()  # type: ignore[attr-defined]
    for error in body.get("errors") or []:
        assert (error.get("extensions") or {}).get("code") != "INTERNAL", (query, error)


def _check(
    client: TestClient,
    token_for: Callable[..., str],
    audit_log: AuditLog,
    query: str,
    roles: list[Role],
    purpose: str,
) -> None:
    answer = post(client, query, token=token_for("fuzz", *roles), purpose=purpose)
    assert_no_internal_error(answer, query)
    assert answer.status_code != 503, "the audit entry could not be written"
    entry = audit_log.read(limit=1).entries[0]
    assert entry.error_code != "internal", (query, entry)


def _valid_queries() -> st.SearchStrategy[str]:
    return queries(SDL, custom_scalars=CUSTOM_SCALARS)


def _invalid_queries() -> st.SearchStrategy[str]:
    return queries(SDL, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE)


# --- the default tier -------------------------------------------------------------------------


@pytest.mark.parametrize("introspection", [True, False], ids=["introspection-on", "off"])
def test_generated_queries_never_fail_internally(
    make_client: Callable[..., TestClient],
    token_for: Callable[..., str],
    audit_log: AuditLog,
    introspection: bool,
) -> None:
    client = make_client(api_introspection=introspection)

    @_fuzz_settings(DEFAULT_EXAMPLES // 2)
    @given(query=_valid_queries(), roles=ROLES, purpose=PURPOSES)
    def fuzz(query: str, roles: list[Role], purpose: str) -> None:
        _check(client, token_for, audit_log, query, roles, purpose)

    fuzz()


def test_queries_that_break_the_schema_are_refused_not_failed(
    client: TestClient, token_for: Callable[..., str], audit_log: AuditLog
) -> None:
    @_fuzz_settings(DEFAULT_EXAMPLES)
    @given(query=_invalid_queries(), roles=ROLES, purpose=PURPOSES)
    def fuzz(query: str, roles: list[Role], purpose: str) -> None:
        _check(client, token_for, audit_log, query, roles, purpose)

    fuzz()


# --- the slow tier ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("mode", [Mode.POSITIVE, Mode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_queries_never_fail_internally_heavy(
    make_client: Callable[..., TestClient],
    token_for: Callable[..., str],
    audit_log: AuditLog,
    mode: Mode,
) -> None:
    client = make_client(api_introspection=False, api_max_cost=1_000)

    @_fuzz_settings(SLOW_EXAMPLES)
    @given(
        query=queries(SDL, custom_scalars=CUSTOM_SCALARS, mode=mode), roles=ROLES, purpose=PURPOSES
    )
    def fuzz(query: str, roles: list[Role], purpose: str) -> None:
        _check(client, token_for, audit_log, query, roles, purpose)

    fuzz()


# --- on a graph with something in it ----------------------------------------------------------


def test_generated_queries_and_mutations_on_real_ids_never_fail_internally(
    client: TestClient, token_for: Callable[..., str], audit_log: AuditLog, store: GraphStore
) -> None:
    """Ids drawn from the access-test world (people, phones, reports, records: visible, hidden
    and unknown), so that resolvers run on data and not only on nulls; dates for the windows."""
    world = build_world(store)
    ids = [str(v) for v in vars(world).values()] + ["person_" + "a" * 26, "nonsense"]
    scalars = {
        **CUSTOM_SCALARS,
        "ID": st.sampled_from(ids).map(lambda text: graphql.StringValueNode(value=text)),
        "Date": st.sampled_from(["2020-01-01", "2026-12-31", "1900-02-29", "x"]).map(
            lambda text: graphql.StringValueNode(value=text)
        ),
    }

    @_fuzz_settings(DEFAULT_EXAMPLES // 2)
    @given(
        query=st.one_of(
            queries(SDL, custom_scalars=scalars), mutations(SDL, custom_scalars=scalars)
        ),
        roles=ROLES,
        purpose=PURPOSES,
    )
    def fuzz(query: str, roles: list[Role], purpose: str) -> None:
        _check(client, token_for, audit_log, query, roles, purpose)

    fuzz()
