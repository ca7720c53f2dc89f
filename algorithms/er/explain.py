"""Why two records are one entity, or why not: a pair's score taken apart.

``explain_pair`` gives, for each comparison, the two values compared (as normalised), the level
they reached, that level's ``m`` and ``u``, its weight ``log2(m / u)`` and any term-frequency
adjustment, then the prior, the total and the probability against the model's threshold. It
works for any pair of the table, also one that blocking never made a candidate, and then says
so: which blocking rules the pair meets (none, or only through a block too large to compare),
so that a missed match can be traced to blocking or to the score. Over-shared values that were
set aside are listed with the comparison they would have counted in.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict

from algorithms.er.blocking import rule_rows
from algorithms.er.features import Encoded, display
from algorithms.er.link import LinkResult, prepare_for, score_pairs
from algorithms.er.model import MatchModel
from algorithms.er.prepared import Prepared
from algorithms.er.table import RecordTable
from schema.errors import ResolutionError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ComparisonExplanation(_Model):
    """One comparison's part in a pair's score."""

    comparison: str
    column: str
    left_value: str | None
    right_value: str | None
    level: int
    label: str
    m: float | None
    u: float | None
    weight: float
    tf_adjustment: float
    set_aside: list[str]
    """Over-shared values of either record this comparison ignored."""


class PairExplanation(_Model):
    """A pair's score, comparison by comparison, and the decision it led to."""

    left_id: str
    right_id: str
    left_index: int
    right_index: int
    comparisons: list[ComparisonExplanation]
    prior_weight: float
    dependence_adjustment: float = 0.0
    """What the model's dependent groups took off the plain sum of the comparisons' weights
    (only the strongest agreement and disagreement within a group count; ``model``)."""
    total_weight: float
    probability: float
    threshold_probability: float
    is_match: bool
    candidate: bool | None
    """Whether blocking made the pair a candidate (None: not known from a model alone)."""
    blocking_rules_met: list[str]
    summary: str


def _codes(e: Encoded, record: int) -> list[int]:
    return [int(c) for c in e.slots[e.offsets[record] : e.offsets[record + 1]]]


def _values(e: Encoded, record: int) -> list[str]:
    return [display(e, c) for c in _codes(e, record)]


def _shown(e: Encoded, record: int) -> str | None:
    values = _values(e, record)
    return " / ".join(values) if values else None


def explain_pair(
    result_or_model: LinkResult | MatchModel, table: RecordTable, i: int, j: int
) -> PairExplanation:
    """Explain the score of records ``i`` and ``j`` of ``table`` (see the module docstring)."""
    n = len(table)
    if not (0 <= i < n and 0 <= j < n) or i == j:
        raise ResolutionError(f"a pair needs two different record indices in 0..{n - 1}")
    if isinstance(result_or_model, LinkResult):
        model = result_or_model.model
        prepared = result_or_model.prepared
        candidate: bool | None = result_or_model.pairs.index_of(i, j, n) is not None
    else:
        model = result_or_model
        prepared = prepare_for(model, table)
        candidate = None
    scored = score_pairs(model, table, [i], [j], prepared=prepared)
    parts = []
    for c, params in enumerate(model.comparisons):
        level = int(scored.levels[0, c])
        e = prepared.columns[params.column]
        lv = params.levels[level] if level >= 0 else None
        raw = prepared.raw[params.column]
        hubs = set(prepared.hubs.get(params.column, np.empty(0, dtype=np.int64)).tolist())
        aside = sorted(
            {display(raw, code) for r in (i, j) for code in _codes(raw, r) if code in hubs}
        )
        parts.append(
            ComparisonExplanation(
                comparison=params.name,
                column=params.column,
                left_value=_shown(e, i),
                right_value=_shown(e, j),
                level=level,
                label=lv.label if lv else "missing",
                m=lv.m if lv else None,
                u=lv.u if lv else None,
                weight=lv.weight if lv else 0.0,
                tf_adjustment=float(scored.tf[0, c]),
                set_aside=aside,
            )
        )
    total = float(scored.weight[0])
    probability = float(scored.probability[0])
    rules = _rules_met(prepared, model, i, j)
    is_match = total >= model.threshold.weight
    return PairExplanation(
        left_id=str(table.ids[i]),
        right_id=str(table.ids[j]),
        left_index=i,
        right_index=j,
        comparisons=parts,
        prior_weight=model.prior_weight,
        dependence_adjustment=total
        - model.prior_weight
        - sum(p.weight + p.tf_adjustment for p in parts),
        total_weight=total,
        probability=probability,
        threshold_probability=model.threshold.probability,
        is_match=is_match,
        candidate=candidate,
        blocking_rules_met=rules,
        summary=_summary(parts, is_match, probability, candidate, rules),
    )


def _rules_met(prepared: Prepared, model: MatchModel, i: int, j: int) -> list[str]:
    # Each rule's keys for the two records only: a two-record slice of every column.
    sub = {name: e.take([i, j]) for name, e in prepared.columns.items()}
    met = []
    for rule in model.blocking_rules:
        records, codes = rule_rows(sub, rule, 2)
        shared = np.intersect1d(codes[records == 0], codes[records == 1])
        if shared.size:
            met.append(rule.label)
    return met


def _summary(
    parts: list[ComparisonExplanation],
    is_match: bool,
    probability: float,
    candidate: bool | None,
    rules: list[str],
) -> str:
    ranked = sorted(parts, key=lambda p: p.weight + p.tf_adjustment, reverse=True)

    def show(p: ComparisonExplanation) -> str:
        return f"{p.comparison} {p.label} ({p.weight + p.tf_adjustment:+.1f})"

    pro = [show(p) for p in ranked if p.weight + p.tf_adjustment > 0][:3]
    con = [show(p) for p in reversed(ranked) if p.weight + p.tf_adjustment < 0][:3]
    verdict = "one entity" if is_match else "not one entity"
    text = f"{verdict} (probability {probability:.4f})"
    if pro:
        text += "; for: " + ", ".join(pro)
    if con:
        text += "; against: " + ", ".join(con)
    if candidate is False:
        text += (
            "; never compared: no blocking rule put the records together"
            if not rules
            else "; never compared: the rules they meet (" + "; ".join(rules) + ") gave a block"
            " over the size cap"
        )
    return text
