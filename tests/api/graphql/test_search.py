"""``search`` end to end over HTTP, on records written through the real write path and resolved:
ranking, why each hit matched, invalid input, and above all that nothing is found by a value the
caller may not see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from algorithms.er.resolve import run_resolution
from graph.audit_log import AuditLog
from graph.store import GraphStore
from loaders.entities import GraphWrites
from loaders.map_companies import company_writes
from loaders.map_people import person_writes, subscriber_writes
from loaders.map_reports import report_writes
from schema.base import PartialDate
from schema.entities import Phone
from schema.grading import Grading, Sensitivity
from schema.graph_schema import GRAPH_SCHEMA
from schema.provenance import Provenance
from schema.records import (
    CompanyRecord,
    IntelReportRecord,
    PersonAddress,
    PersonRecord,
    PhoneSubscriberRecord,
    Record,
    ReportSubject,
)
from tests.api.graphql.world import write_all as write
from tests.api.http.helpers import post

T0 = datetime(2026, 1, 1, tzinfo=UTC)

SEARCH = """
query Search($text: String!, $kinds: [SearchKind!], $limit: Int! = 20) {
  search(text: $text, kinds: $kinds, limit: $limit) {
    __typename
    ... on SearchHits {
      hits { score matchedField matchedValue reason
             entity { id kind name aliases properties } }
    }
    ... on UserError { message }
    ... on InvalidInput { field }
    ... on Refused { requiredPermission }
  }
}
"""
ENTITY = "query E($id: ID!) { entity(id: $id) { __typename ... on Entity { id name aliases } } }"


def prov(source: str, line: int, marking: Sensitivity, handling: str | None = None) -> Provenance:
    return Provenance(
        source=source,
        source_file="f.csv",
        line=line,
        load_batch="b1",
        loaded_at=T0,
        raw_hash=f"{line:064d}",
        sensitivity=marking,
        handling=None if handling is None else Grading.model_validate(handling),
    )


OFFICIAL, SECRET = Sensitivity.OFFICIAL, Sensitivity.SECRET
PHONE = "+447700900123"
CONDITIONAL_PHONE = "+447700900999"


def records() -> list[tuple[Record, GraphWrites]]:
    smith = PersonRecord(
        provenance=prov("pnc", 2, OFFICIAL),
        nominal_ref="NM1",
        forenames="John",
        surname="Smith",
        dob=PartialDate.model_validate("1984-03-02"),
        phones=(PHONE,),
        addresses=(PersonAddress(lines=("12 High Street", "Leeds"), postcode="ls1 4ab"),),
    )
    other = PersonRecord(
        provenance=prov("pnc", 3, OFFICIAL),
        nominal_ref="NM2",
        forenames="John",
        surname="Smith",
        dob=PartialDate.model_validate("1990-07-15"),
    )
    # The alias "Kestrel Vane" comes only from a SECRET report, linked by the nominal reference.
    secret = IntelReportRecord(
        provenance=prov("intel", 4, SECRET),
        report_ref="IR-S",
        reported_on=date(2025, 3, 6),
        force="West Yorkshire Police",
        grading=Grading.model_validate("2B P"),
        text="Subject seen loading a blue Transit van at the Quarry Lane lockups.",
        subjects=(ReportSubject(name="Kestrel Vane", nominal_ref="NM1", role="suspect"),),
    )
    plain = IntelReportRecord(
        provenance=prov("intel", 5, OFFICIAL),
        report_ref="IR-O",
        reported_on=date(2025, 4, 1),
        force="West Yorkshire Police",
        grading=Grading.model_validate("1A P"),
        text="A red Vauxhall Astra was parked outside the warehouse overnight.",
    )
    # A number only a conditionally handled subscriber record names.
    conditional = PhoneSubscriberRecord(
        provenance=prov("telco", 6, OFFICIAL, handling="1A C"),
        number=CONDITIONAL_PHONE,
    )
    company = CompanyRecord(
        provenance=prov("ch", 7, OFFICIAL),
        company_number="1234567",
        name="Northern Haulage Limited",
    )
    return [
        (r, w)
        for r, w in (
            (smith, person_writes(smith)),
            (other, person_writes(other)),
            (secret, report_writes(secret)),
            (plain, report_writes(plain)),
            (conditional, subscriber_writes(conditional)),
            (company, company_writes(company)),
        )
    ]


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    for obj in GRAPH_SCHEMA.schema_objects():
        store.apply_schema(obj)
    write(store, records())
    run_resolution(store, now=T0, run_id="run1")
    return store


Search = Callable[..., dict[str, Any]]


@pytest.fixture
def search(client: TestClient, token_for: Callable[..., str], graph: GraphStore) -> Search:
    def run(
        text: str,
        *roles: str,
        clearance: Sensitivity = OFFICIAL,
        kinds: list[str] | None = None,
        limit: int | None = None,
    ) -> dict[str, Any]:
        token = token_for("ann", *(roles or ("analyst",)), clearance=clearance)
        variables: dict[str, Any] = {"text": text, "kinds": kinds}
        if limit is not None:
            variables["limit"] = limit
        answer = post(client, SEARCH, token=token, variables=variables)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["search"]
        return result

    return run


def hits(result: dict[str, Any]) -> list[dict[str, Any]]:
    assert result["__typename"] == "SearchHits", result
    found: list[dict[str, Any]] = result["hits"]
    return found


def names(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(h["entity"]["kind"], h["entity"]["name"]) for h in hits(result)]


# --- finding and ranking -----------------------------------------------------------------------


def test_a_date_of_birth_ranks_the_person_born_that_day_first(search: Search) -> None:
    found = hits(search("john smith 1984-03-02", kinds=["PERSON"]))
    assert [h["entity"]["properties"]["dob"] for h in found] == ["1984-03-02", "1990-07-15"]
    best = found[0]
    assert best["score"] == 1.0
    assert best["matchedField"] == "name"
    assert best["matchedValue"] == "John Smith"
    assert best["reason"] == "name ~ 'john smith' (1.00); date of birth equal"
    assert found[1]["score"] == pytest.approx(0.8)
    assert found[1]["reason"].endswith("date of birth differs")


def test_a_misspelt_name_is_found_with_a_lower_score(search: Search) -> None:
    found = hits(search("Jhon Smithe", kinds=["PERSON"]))
    assert len(found) == 2
    assert all(0.75 <= h["score"] < 1.0 for h in found)


@pytest.mark.parametrize("typed", ["07700 900123", "+44 7700 900123", "00447700900123"])
def test_a_phone_is_found_in_any_notation(search: Search, typed: str) -> None:
    (hit,) = hits(search(typed, "viewer", kinds=["PHONE"]))
    assert hit["entity"]["id"] == Phone.entity_id(e164=PHONE)
    assert (hit["matchedField"], hit["matchedValue"], hit["score"]) == ("e164", PHONE, 1.0)


def test_companies_by_name_and_by_number(search: Search) -> None:
    (by_name,) = hits(search("northern haulage", kinds=["COMPANY"]))
    assert by_name["entity"]["name"] == "Northern Haulage Limited"
    assert by_name["matchedField"] == "name"
    (by_number,) = hits(search("01234567", kinds=["COMPANY"]))
    assert (by_number["matchedField"], by_number["matchedValue"]) == ("number", "01234567")


def test_addresses_by_postcode_in_any_case_and_by_text(search: Search) -> None:
    (by_postcode,) = hits(search("ls14ab", kinds=["ADDRESS"]))
    assert (by_postcode["matchedField"], by_postcode["matchedValue"]) == ("postcode", "LS1 4AB")
    (by_text,) = hits(search("12 high street leeds", kinds=["ADDRESS"]))
    assert by_text["matchedField"] == "text"


def test_report_text_is_searched_with_a_snippet(search: Search) -> None:
    (hit,) = hits(search("vauxhall astra", "viewer", kinds=["REPORT"]))
    assert hit["entity"]["kind"] == "IntelReport"
    assert hit["matchedField"] == "text"
    assert "red Vauxhall Astra" in hit["matchedValue"]


def test_all_kinds_by_default_and_the_limit(search: Search) -> None:
    everything = hits(search("john smith 07700900123 LS1 4AB"))
    kinds = {h["entity"]["kind"] for h in everything}
    assert {"Person", "Phone", "Address"} <= kinds
    scores = [h["score"] for h in everything]
    assert scores == sorted(scores, reverse=True)
    assert len(hits(search("john smith", limit=1))) == 1


def test_the_audit_notes_only_the_hits(search: Search, audit_log: AuditLog) -> None:
    found = hits(search("john smith 1984-03-02", kinds=["PERSON"], limit=1))
    entry = audit_log.read(limit=1).entries[0]
    assert (entry.returned.count, list(entry.returned.ids)) == (1, [found[0]["entity"]["id"]])


# --- what the caller may not see is never matched ----------------------------------------------


def test_an_alias_from_a_secret_record_is_found_only_with_secret_clearance(
    search: Search, graph: GraphStore
) -> None:
    # The person exists for OFFICIAL, and its stored alias text holds the SECRET alias: the
    # store finds it as a candidate, and the check on what OFFICIAL is shown must drop it.
    (stored,) = graph.read(
        "MATCH (p:Person) WHERE p.alias_text CONTAINS 'Kestrel' RETURN p.see_plain"
    ).rows
    assert stored[0] <= OFFICIAL
    assert hits(search("Kestrel Vane", clearance=OFFICIAL, kinds=["PERSON"])) == []
    assert hits(search("Kestrel Vane", clearance=OFFICIAL)) == []
    by_name = hits(search("John Smith", clearance=OFFICIAL, kinds=["PERSON"]))
    assert all("Kestrel Vane" not in h["entity"]["aliases"] for h in by_name)
    secret = hits(search("Kestrel Vane", clearance=SECRET, kinds=["PERSON"]))
    assert secret[0]["matchedField"] == "alias"
    assert secret[0]["matchedValue"] == "Kestrel Vane"
    assert secret[0]["entity"]["properties"]["dob"] == "1984-03-02"


def test_a_phone_named_only_by_a_conditional_record_needs_read_conditional(
    search: Search,
) -> None:
    assert hits(search("07700 900999", "viewer", kinds=["PHONE"])) == []
    (hit,) = hits(search("07700 900999", "analyst", kinds=["PHONE"]))
    assert hit["matchedValue"] == CONDITIONAL_PHONE


def test_a_secret_report_is_not_found_by_its_text_below_secret(search: Search) -> None:
    assert hits(search("transit van quarry", clearance=OFFICIAL, kinds=["REPORT"])) == []
    (hit,) = hits(search("transit van quarry", clearance=SECRET, kinds=["REPORT"]))
    assert "blue Transit van" in hit["matchedValue"]


@pytest.mark.parametrize(
    ("roles", "clearance"),
    [(("viewer",), OFFICIAL), (("analyst",), OFFICIAL), (("analyst",), SECRET)],
)
@pytest.mark.parametrize(
    "text", ["john smith", "kestrel vane", "07700 900999", "transit van", "LS1 4AB", "smith 1984"]
)
def test_no_hit_is_an_entity_the_caller_cannot_open(
    client: TestClient,
    token_for: Callable[..., str],
    search: Search,
    roles: tuple[str, ...],
    clearance: Sensitivity,
    text: str,
) -> None:
    token = token_for("ann", *roles, clearance=clearance)
    for hit in hits(search(text, *roles, clearance=clearance)):
        entity_id = hit["entity"]["id"]
        opened = post(client, ENTITY, token=token, variables={"id": entity_id}).json()
        assert opened["data"]["entity"] is not None, (text, hit)
        assert opened["data"]["entity"]["name"] == hit["entity"]["name"]
        assert opened["data"]["entity"]["aliases"] == hit["entity"]["aliases"]


# --- input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "field"),
    [
        ("", 20, "text"),
        ("   ", 20, "text"),
        ("x" * 201, 20, "text"),
        ("smith", 0, "limit"),
        ("smith", 201, "limit"),
    ],
)
def test_invalid_input_names_the_field(search: Search, text: str, limit: int, field: str) -> None:
    result = search(text, limit=limit)
    assert result["__typename"] == "InvalidInput"
    assert result["field"] == field


def test_search_needs_its_permission(search: Search) -> None:
    result = search("smith", "auditor")
    assert result["__typename"] == "Refused"
    assert result["requiredPermission"] == "entities:search"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.text(
        alphabet=st.sampled_from([*"aé1 -|()@*%~\"'{}[]:;\\/!.,+_$^&<>?=#", "\u0301", "中"]),
        min_size=1,
        max_size=60,
    )
)
def test_odd_text_never_fails(search: Search, text: str) -> None:
    result = search(text)
    assert result["__typename"] in ("SearchHits", "InvalidInput")
