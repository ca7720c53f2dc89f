"""Weights from levels, term-frequency adjustments, the model as a stored document."""

from __future__ import annotations

import math

import numpy as np
import pytest

from algorithms.er.features import encode_column
from algorithms.er.model import (
    ComparisonParams,
    LevelParams,
    MatchModel,
    Threshold,
    probability,
    tf_adjustment,
    tf_counts,
    weights,
)
from algorithms.er.table import Column, ColumnKind


def _params(**kw: object) -> ComparisonParams:
    return ComparisonParams(
        name="surname",
        column="surname",
        kind=ColumnKind.SURNAME,
        levels=[
            LevelParams(label="else", m=0.1, u=0.9),
            LevelParams(label="exact", m=0.9, u=0.1),
        ],
        **kw,  # type: ignore[arg-type]
    )


def _model(params: ComparisonParams) -> MatchModel:
    return MatchModel(
        mode="dedupe",
        records=100,
        possible_pairs=4950,
        prior=0.01,
        expected_matches=49.5,
        comparisons=[params],
        threshold=Threshold(probability=0.5, weight=0.0, method="posterior", reason="test"),
        em_iterations=3,
        em_converged=True,
        u_sample_pairs=4950,
        blocking_rules=[],
        max_block_size=10,
        hub_limits={ColumnKind.PHONE: 20},
        region="GB",
    )


def test_weights_add_prior_levels_and_adjustments() -> None:
    model = _model(_params())
    levels = np.array([[1], [0], [-1]], dtype=np.int8)
    tf = np.array([[0.5], [0.0], [0.0]], dtype=np.float32)
    got = weights(model, levels, tf)
    prior = math.log2(0.01 / 0.99)
    assert got.tolist() == pytest.approx(
        [prior + math.log2(9) + 0.5, prior + math.log2(1 / 9), prior]
    )
    assert probability(np.array([0.0, 10.0])).tolist() == pytest.approx([0.5, 1024 / 1025])


def test_common_values_weigh_less_than_rare_ones() -> None:
    e = encode_column(Column(ColumnKind.SURNAME, ["smith"] * 30 + ["zaborowski"] * 2 + ["x"] * 68))
    counts, total = tf_counts(e)
    assert counts == {"smith": 30, "x": 68}  # values on two records have no other holder
    assert total == 100
    params = _params(tf_counts=counts, tf_total=total)
    codes = np.array([e.values.index("smith"), e.values.index("zaborowski"), -1], dtype=np.int32)
    common, rare, none = tf_adjustment(params, e, codes).tolist()
    assert rare > 0 > common
    assert none == 0.0
    off = _params(tf_counts=counts, tf_total=total, term_frequencies=False)
    assert tf_adjustment(off, e, codes).tolist() == [0.0, 0.0, 0.0]


def test_the_model_round_trips_through_json() -> None:
    model = _model(_params(tf_counts={"smith": 3}, tf_total=10))
    again = MatchModel.model_validate_json(model.model_dump_json())
    assert again == model
    assert again.comparison("surname").level_weights().tolist() == pytest.approx(
        [math.log2(1 / 9), math.log2(9)]
    )
    assert again.prior_weight == pytest.approx(math.log2(0.01 / 0.99))
