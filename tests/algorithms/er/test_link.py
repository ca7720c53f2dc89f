"""The pipeline on a synthetic population: found matches, term frequencies, dates, hubs,
scoring with a stored model, incremental blocking."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.er.link import LinkResult, candidate_pairs, link, score_pairs
from algorithms.er.model import MatchModel
from algorithms.er.settings import ComparisonSpec, LinkSettings
from algorithms.er.table import Column, ColumnKind, RecordTable
from schema.errors import ResolutionError
from tests.algorithms.er.synthetic import Population, population

TWINS = (
    # Identical pairs but for the surname: common (smith) and rare (zaborowski).
    {"forename": "alex", "surname": "smith", "dob": "1971-02-03", "postcode": "E1 6AN"},
    {"forename": "alex", "surname": "smith", "dob": "1971-02-03", "postcode": "E1 6AN"},
    {"forename": "alex", "surname": "zaborowski", "dob": "1971-02-03", "postcode": "E1 6AN"},
    {"forename": "alex", "surname": "zaborowski", "dob": "1971-02-03", "postcode": "E1 6AN"},
    # Identical but for the date of birth: the same, transposed, different.
    {"forename": "kim", "surname": "lowe", "dob": "1985-04-09", "postcode": "N1 9GU"},
    {"forename": "kim", "surname": "lowe", "dob": "1985-04-09", "postcode": "N1 9GU"},
    {"forename": "kim", "surname": "lowe", "dob": "1985-09-04", "postcode": "N1 9GU"},
    {"forename": "kim", "surname": "lowe", "dob": "1962-12-25", "postcode": "N1 9GU"},
)


@pytest.fixture(scope="module")
def trained() -> tuple[Population, LinkResult]:
    pop = population(extra=TWINS)
    return pop, link(pop.table)


def test_finds_the_duplicates_without_labels(trained: tuple[Population, LinkResult]) -> None:
    pop, result = trained
    left, right = pop.true_pairs()
    assert result.pairs_completeness(left, right) == 1.0
    # The hand-made twins at the end are identical records of different people: left out.
    population_only = len(pop.table) - len(TWINS)
    matches = result.matches()
    matches = matches.select(matches.right < population_only)
    person = np.array(pop.person)
    right_calls = int((person[matches.left] == person[matches.right]).sum())
    assert right_calls / len(left) > 0.97  # recall
    assert right_calls / len(matches) > 0.97  # precision
    model = result.model
    assert model.threshold.method == "posterior"
    assert model.threshold.probability == 0.5
    assert model.em_converged
    assert model.expected_matches == pytest.approx(len(left), rel=0.1)
    assert set(result.timings) >= {"prepare", "blocking", "compare", "u_sampling", "em", "total"}
    stats = result.blocking
    assert stats.candidate_pairs == len(result.pairs)
    assert 0.9 < stats.reduction_ratio < 1.0


def test_a_rare_surname_counts_for_more_than_a_common_one(
    trained: tuple[Population, LinkResult],
) -> None:
    pop, result = trained
    first = len(pop.table) - len(TWINS)
    scored = score_pairs(result.model, pop.table, [first, first + 2], [first + 1, first + 3])
    surname = list(scored.comparisons).index("surname")
    assert scored.levels[:, surname].tolist() == [7, 7]  # both exact
    common, rare = scored.tf[:, surname]
    assert rare > common
    # The surname is in the household group with the postcode; the total rises with the
    # surname's rarity only where the surname is the group's strongest agreement.
    assert scored.weight[1] >= scored.weight[0]
    plain = link(pop.table, LinkSettings(dependent_groups=[]))
    again = score_pairs(plain.model, pop.table, [first, first + 2], [first + 1, first + 3])
    assert again.weight[1] > again.weight[0]


def test_transposed_day_and_month_score_between_exact_and_different(
    trained: tuple[Population, LinkResult],
) -> None:
    pop, result = trained
    kim = len(pop.table) - 4
    scored = score_pairs(result.model, pop.table, [kim, kim, kim], [kim + 1, kim + 2, kim + 3])
    dob = list(scored.comparisons).index("dob")
    labels = [result.model.comparison("dob").levels[lv].label for lv in scored.levels[:, dob]]
    assert labels == ["exact", "transposed", "else"]
    exact, transposed, different = scored.weight
    assert exact > transposed > different


def test_scoring_with_the_stored_model_gives_the_same_weights(
    trained: tuple[Population, LinkResult],
) -> None:
    pop, result = trained
    stored = MatchModel.model_validate_json(result.model.model_dump_json())
    assert stored == result.model
    pairs = result.pairs
    again = score_pairs(stored, pop.table, pairs.left, pairs.right)
    assert np.allclose(again.weight, pairs.weight)
    assert np.array_equal(again.levels, pairs.levels)


def test_new_records_are_blocked_against_existing_ones(
    trained: tuple[Population, LinkResult],
) -> None:
    pop, result = trained
    new_from = len(pop.table) - 50
    fresh = candidate_pairs(pop.table, result.model.blocking_rules, new_from=new_from)
    everything = set(zip(result.pairs.left.tolist(), result.pairs.right.tolist(), strict=True))
    expected = {(a, b) for a, b in everything if b >= new_from}
    assert set(zip(fresh.left.tolist(), fresh.right.tolist(), strict=True)) == expected


def test_a_switchboard_number_shared_by_fifty_people_stops_counting() -> None:
    pop = population(120, seed=3)
    switchboard = "0800 000 1234"
    cells = list(pop.table.columns["phone"].values)
    for k in range(0, 100, 2):  # fifty different people (every other record)
        cells[k] = switchboard
    table = RecordTable(
        pop.table.ids,
        {**pop.table.columns, "phone": Column(ColumnKind.PHONE, cells)},
    )
    result = link(table)
    assert [(h.column, h.value) for h in result.hubs] == [("phone", "+448000001234")]
    phone = list(result.pairs.comparisons).index("phone")
    person = np.array(pop.person)
    on_switchboard = np.zeros(len(table), dtype=bool)
    on_switchboard[0:100:2] = True
    both = on_switchboard[result.pairs.left] & on_switchboard[result.pairs.right]
    # No pair of them scores on the phone, and no rule paired them for it.
    assert np.all(result.pairs.levels[both, phone] == -1)
    strangers = both & (person[result.pairs.left] != person[result.pairs.right])
    assert not np.any(result.pairs.weight[strangers] >= 0)
    # The phone rule paired only records sharing a number of their own.
    own: dict[str, list[int]] = {}
    for k, cell in enumerate(cells):
        if isinstance(cell, str) and cell != switchboard:
            own.setdefault(cell.replace(" ", "")[-10:], []).append(k)
    sharing = sum(len(ks) * (len(ks) - 1) // 2 for ks in own.values())
    assert result.blocking.rules[0].rule == "phone"
    assert result.blocking.rules[0].pairs == sharing


def test_settings_are_checked_against_the_table() -> None:
    pop = population(20)
    with pytest.raises(ResolutionError, match="names column 'nope'"):
        link(pop.table, LinkSettings(comparisons=[ComparisonSpec(column="nope")]))
    with pytest.raises(ResolutionError, match="at least two records"):
        link(RecordTable(["a"], {"s": Column(ColumnKind.SURNAME, ["x"])}))


def test_a_given_threshold_is_used_and_said(trained: tuple[Population, LinkResult]) -> None:
    pop, _ = trained
    strict = link(pop.table, LinkSettings(threshold_probability=0.999))
    assert strict.model.threshold.method == "given"
    assert strict.model.threshold.weight == pytest.approx(np.log2(999))
    assert np.all(strict.matches().probability >= 0.999)


def test_a_stored_model_refuses_a_table_without_its_columns(
    trained: tuple[Population, LinkResult],
) -> None:
    _, result = trained
    other = RecordTable(["a", "b"], {"surname": Column(ColumnKind.SURNAME, ["x", "y"])})
    with pytest.raises(ResolutionError, match="forename"):
        score_pairs(result.model, other, [0], [1])


def test_a_prepared_table_reordered_scores_as_the_table_reordered(
    trained: tuple[Population, LinkResult],
) -> None:
    pop, result = trained
    n = len(pop.table)
    order = np.random.default_rng(3).permutation(n)
    taken = result.prepared.take(order)
    assert list(taken.table.ids) == [pop.table.ids[i] for i in order]
    # Position p of the reordered table is record order[p]: the same pairs, the same weights.
    at = {int(r): p for p, r in enumerate(order)}
    pairs = result.pairs
    left = [at[int(i)] for i in pairs.left]
    right = [at[int(j)] for j in pairs.right]
    again = score_pairs(result.model, taken.table, left, right, prepared=taken)
    assert np.allclose(again.weight, pairs.weight)
