"""The match model: Fellegi-Sunter weights, term-frequency adjustments and the threshold.

For a pair of records and each comparison at level ``l``, ``m`` is the probability of that
level when the records are one person and ``u`` when they are not; the pair's match weight is

    w = log2(lambda / (1 - lambda)) + sum over comparisons of log2(m_l / u_l)  [+ TF]

and its match probability ``2^w / (1 + 2^w)``. ``lambda`` (the prior) is the probability that
two records drawn at random from the pairs considered (all pairs, or all pairs across datasets)
are one person. At a comparison's exact level the term-frequency adjustment replaces the
level's average ``u`` by the agreeing value's own frequency ``f``: it adds
``log2(u_exact / f)``, so agreeing on a rare surname counts for more than on a common one
(the adjustment is negative for values commoner than average).

``f`` is estimated from the other records holding the value (``c - 2`` of the ``c`` that do,
the pair itself set aside) with a prior worth one record at the level's average frequency:
``f = (c - 2 + 1) / (N - 2 + 1 / u_exact)`` over the ``N`` records with a value. A value seen
only in the pair then keeps the level's average weight rather than the weight of a frequency
of ``1 / N``, which on a small table of high-cardinality values (dates of birth) would be far
above the truth; on a large table ``f`` tends to the value's plain frequency.

Dependent groups: comparisons whose agreements go together among different people (the
surname, postcode, address and landline a household shares; ``settings.DEPENDENT_KINDS``) are
not summed. Within a group only the strongest agreement and the strongest disagreement count:

    group weight = max(0, max of the members' weights) + min(0, min of the members' weights)

(each member's weight with its term-frequency adjustment). For members that agree together
whenever they agree at all, as a household's do, ``P(all agree | different people)`` is the
smallest of their ``u``, which is what the maximum counts; summing would count one fact once
per member. The cost is some evidence lost for true matches that agree on several members,
which their names and dates of birth make up for.

Every weight is kept per comparison, so each decision can be explained (``explain``). The model
is a pydantic document: it can be stored and used again to score new records against old ones
without retraining (``link.score_pairs``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from algorithms.er.blocking import BlockingRule
from algorithms.er.features import Encoded
from algorithms.er.table import ColumnKind

F64 = NDArray[np.float64]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelParams(_Model):
    """One comparison level: its label, ``m``, ``u`` and so its weight ``log2(m / u)``."""

    label: str
    m: float = Field(gt=0, le=1)
    u: float = Field(gt=0, le=1)

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


class ComparisonParams(_Model):
    """A trained comparison: which column, how it was compared, its levels (index = level,
    0 = else, last = exact) and, where term frequencies apply, the count of each value held
    by three records or more (``tf_counts``; a value held by two or fewer has no other holder
    than the pair itself) and the records with a value (``tf_total``)."""

    name: str
    column: str
    kind: ColumnKind
    partner: str | None = None
    term_frequencies: bool = True
    levels: list[LevelParams]
    tf_counts: dict[str, int] = Field(default_factory=dict)
    tf_total: int = 0
    description: str = ""

    def level_weights(self) -> F64:
        return np.array([lv.weight for lv in self.levels], dtype=np.float64)

    def frequencies(self, e: Encoded) -> F64:
        """The estimated frequency of each of ``e``'s values, from this model's counts (see
        the module docstring)."""
        others = np.array([self.tf_counts.get(v, 2) - 2 for v in e.values], dtype=np.float64)
        u_exact = self.levels[-1].u
        return (others + 1.0) / (max(self.tf_total - 2, 0) + 1.0 / u_exact)


class Threshold(_Model):
    """The match probability (and weight) at and above which a pair is called a match, and
    how it was chosen."""

    probability: float = Field(gt=0, lt=1)
    weight: float
    method: Literal["posterior", "given"]
    reason: str


class TrainingSession(_Model):
    """One EM session: the blocking rule whose pairs it fitted ``m`` on (see ``em``)."""

    rule: str
    pairs: int
    expected_matches: float
    iterations: int
    converged: bool


class MatchModel(_Model):
    """A trained Fellegi-Sunter model, everything needed to score and explain pairs."""

    version: Literal[1] = 1
    mode: Literal["dedupe", "link"]
    records: int
    possible_pairs: int
    prior: float = Field(gt=0, lt=1, description="lambda: P(match) for a random pair")
    expected_matches: float
    comparisons: list[ComparisonParams]
    threshold: Threshold
    em_iterations: int
    em_converged: bool
    training: list[TrainingSession] = Field(default_factory=list)
    u_sample_pairs: int
    blocking_rules: list[BlockingRule]
    max_block_size: int
    max_name_block_size: int | None = None
    hub_limits: dict[ColumnKind, int]
    region: str
    dependent_groups: list[list[str]] = Field(
        default_factory=list,
        description="comparisons (by name) of which only the strongest agreement and "
        "disagreement count (see the module docstring)",
    )

    @property
    def group_indices(self) -> list[list[int]]:
        """``dependent_groups`` as comparison indices."""
        at = {c.name: k for k, c in enumerate(self.comparisons)}
        return [[at[name] for name in group] for group in self.dependent_groups]

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def comparison(self, name: str) -> ComparisonParams:
        for c in self.comparisons:
            if c.name == name:
                return c
        raise KeyError(name)


def weights(model: MatchModel, levels: NDArray[np.int8], tf: NDArray[np.float32]) -> F64:
    """Total match weight per pair from its levels (pairs x comparisons, -1 = null) and its
    term-frequency adjustments: the prior plus ``combine`` of the comparisons' weights."""
    # Column by column on flat arrays, summed in the order ``combine`` sums: on tens of
    # millions of pairs a pairs x comparisons float matrix costs more in memory traffic than
    # the arithmetic does.
    groups = model.group_indices
    grouped = {c for g in groups for c in g}

    def part(c: int) -> F64:
        table = np.append(model.comparisons[c].level_weights(), 0.0)  # level -1 reads the 0
        w: F64 = table[levels[:, c]]
        w += tf[:, c]
        return w

    total = np.zeros(levels.shape[0], dtype=np.float64)
    for c in range(len(model.comparisons)):
        if c not in grouped:
            total += part(c)
    for group in groups:
        high = np.zeros(levels.shape[0], dtype=np.float64)
        low = np.zeros(levels.shape[0], dtype=np.float64)
        for c in group:
            w = part(c)
            np.maximum(high, w, out=high)
            np.minimum(low, w, out=low)
        high += low
        total += high
    return model.prior_weight + total


def combine(parts: F64, groups: Sequence[Sequence[int]]) -> F64:
    """Total weight per row of ``parts`` (rows x comparisons): the sum over comparisons, except
    that each dependent group adds only its strongest agreement and strongest disagreement."""
    grouped = [c for g in groups for c in g]
    alone = np.ones(parts.shape[1], dtype=bool)
    alone[grouped] = False
    total: F64 = parts[:, alone].sum(axis=1)
    for group in groups:
        sub = parts[:, list(group)]
        total += np.maximum(sub.max(axis=1), 0.0) + np.minimum(sub.min(axis=1), 0.0)
    return total


def group_weight(parts: Sequence[float]) -> float:
    """One dependent group's weight from its members' weights (see the module docstring)."""
    return max(0.0, *parts) + min(0.0, *parts)


def probability(weight: F64) -> F64:
    """Match probability from match weight (log2 odds)."""
    return 1.0 / (1.0 + np.exp2(-weight))


def tf_adjustment(
    params: ComparisonParams, e: Encoded, tf_code: NDArray[np.int32]
) -> NDArray[np.float32]:
    """``log2(u_exact / f)`` for pairs agreeing exactly on a value of frequency ``f``;
    0 elsewhere."""
    if not params.term_frequencies or tf_code.size == 0 or tf_code.max() < 0:
        return np.zeros(tf_code.shape, dtype=np.float32)
    u_exact = params.levels[-1].u
    # One adjustment per value, then a gather (code -1 reads the appended 0): cheaper than
    # masking tens of millions of pairs.
    table = np.log2(u_exact / params.frequencies(e)).astype(np.float32)
    out: NDArray[np.float32] = np.append(table, np.float32(0.0))[tf_code]
    return out


def tf_counts(e: Encoded) -> tuple[dict[str, int], int]:
    """The counts worth storing (values on three records or more) and the records with a
    value."""
    shared = np.flatnonzero(e.counts >= 3)
    return {e.values[i]: int(e.counts[i]) for i in shared.tolist()}, e.present
