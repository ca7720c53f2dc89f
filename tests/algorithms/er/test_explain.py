"""Explanations: parts that add up, pairs never compared, explanations from a model alone."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from algorithms.er.explain import PairExplanation, explain_pair
from algorithms.er.link import LinkResult, link
from algorithms.er.table import Column, ColumnKind, RecordTable
from schema.errors import ResolutionError
from tests.algorithms.er.synthetic import Population, population


@pytest.fixture(scope="module")
def trained() -> tuple[Population, LinkResult]:
    pop = population(200, seed=4)
    return pop, link(pop.table)


def test_the_parts_add_up_to_the_total(trained: tuple[Population, LinkResult]) -> None:
    pop, result = trained
    pairs = result.matches()
    i, j = int(pairs.left[0]), int(pairs.right[0])
    why = explain_pair(result, pop.table, i, j)
    parts = sum(c.weight + c.tf_adjustment for c in why.comparisons)
    assert why.total_weight == pytest.approx(
        why.prior_weight + parts + why.dependence_adjustment, abs=1e-4
    )
    assert why.dependence_adjustment <= 1e-9  # a dependent group only ever counts less
    assert why.total_weight == pytest.approx(float(pairs.weight[0]), abs=1e-4)
    assert why.is_match
    assert why.candidate is True
    assert why.blocking_rules_met
    assert why.summary.startswith("one entity")
    assert [c.comparison for c in why.comparisons] == list(pairs.comparisons)
    exact = [c for c in why.comparisons if c.label == "exact"]
    assert all(c.m is not None and c.u is not None for c in exact)
    assert all(c.left_value == c.right_value for c in exact if c.comparison != "phone")


def test_a_pair_never_compared_says_so(trained: tuple[Population, LinkResult]) -> None:
    pop, result = trained
    person = pop.person
    # Two different people that no rule put together.
    n = len(pop.table)
    i, j = next(
        (a, b)
        for a in range(n)
        for b in range(a + 1, n)
        if person[a] != person[b] and result.pairs.index_of(a, b, n) is None
    )
    why = explain_pair(result, pop.table, i, j)
    assert why.candidate is False
    assert why.blocking_rules_met == []
    assert not why.is_match
    assert "never compared" in why.summary
    assert "against" in why.summary


def test_a_model_alone_explains_any_pair(trained: tuple[Population, LinkResult]) -> None:
    pop, result = trained
    why = explain_pair(result.model, pop.table, 0, 1)
    assert why.candidate is None
    assert why.left_id == pop.table.ids[0]
    assert why.threshold_probability == 0.5
    with pytest.raises(ResolutionError):
        explain_pair(result.model, pop.table, 3, 3)


def test_set_aside_values_are_named() -> None:
    names = [f"name{i}" for i in range(30)]
    table = RecordTable(
        [str(i) for i in range(30)],
        {
            "forename": Column(ColumnKind.FORENAME, names),
            "surname": Column(ColumnKind.SURNAME, [f"sur{i}" for i in range(30)]),
            "phone": Column(ColumnKind.PHONE, ["0800 000 1234"] * 30),
        },
    )
    result = link(table)
    why = explain_pair(result, table, 0, 1)
    phone = next(c for c in why.comparisons if c.comparison == "phone")
    assert phone.label == "missing"
    assert phone.set_aside == ["+448000001234"]


def test_explanations_refuse_unknown_fields(trained: tuple[Population, LinkResult]) -> None:
    pop, result = trained
    data = explain_pair(result, pop.table, 0, 1).model_dump()
    data["verdict"] = "yes"
    with pytest.raises(ValidationError):
        PairExplanation.model_validate(data)
