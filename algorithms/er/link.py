"""The entity-resolution pipeline: prepare, block, compare, estimate, score.

``link(table)`` runs it end to end without labels: columns are normalised and encoded
(``features``), over-shared values set aside (``hubs``), candidate pairs found (``blocking``),
compared (``compare``), ``u`` estimated from random pairs, ``m`` by one EM session per
blocking rule and the prior as the matches the model itself expects among the candidates
(``em``), and every candidate scored (``model``). The threshold is chosen without labels: a
pair is a match when the model itself finds a match more likely than not (probability >= 0.5),
the decision that minimises the expected number of wrong calls if the model is right.

``score_pairs(model, table, left, right)`` scores any pairs with a stored model, and
``candidate_pairs(table, rules, new_from=k)`` blocks new records (index >= k, appended to the
existing ones with ``RecordTable.concat``) against each other and the existing ones: together
they resolve new records incrementally without retraining.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from algorithms.er.blocking import (
    BlockingRule,
    BlockingStats,
    Candidates,
    candidate_pairs_from,
    pairs_completeness,
    possible_pairs,
    rule_columns,
    rule_pairs,
)
from algorithms.er.compare import Scorer, compare_column, scorer_for
from algorithms.er.em import (
    Session,
    Training,
    estimate_prior,
    level_frequencies,
    level_weights,
    patterns,
    sample_pairs,
    train_m,
)
from algorithms.er.hubs import Hub, describe_hubs
from algorithms.er.model import (
    ComparisonParams,
    LevelParams,
    MatchModel,
    Threshold,
    TrainingSession,
    probability,
    tf_adjustment,
    tf_counts,
    weights,
)
from algorithms.er.prepared import Prepared, prepare
from algorithms.er.settings import (
    ComparisonSpec,
    LinkSettings,
    resolve_comparisons,
    resolve_groups,
    resolve_rules,
)
from algorithms.er.table import ColumnKind, RecordTable
from schema.errors import ResolutionError

I8 = NDArray[np.int8]
I32 = NDArray[np.int32]
F32 = NDArray[np.float32]
F64 = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ScoredPairs:
    """Scored pairs, as arrays (STYLE 9: there may be hundreds of millions of them).

    ``left``/``right`` are record indices (``left < right``, sorted by ``(left, right)``);
    ``weight`` the total match weight in log2 odds, prior included; ``levels`` the level of
    each comparison (pairs x comparisons, -1 where either value is missing) and ``tf`` the
    term-frequency adjustment of each (log2, 0 where none applies); ``comparisons`` names
    the columns of both."""

    left: I32
    right: I32
    weight: F64
    probability: F64
    levels: I8
    tf: F32
    comparisons: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.left.size)

    def select(self, mask: NDArray[np.bool_]) -> ScoredPairs:
        return ScoredPairs(
            self.left[mask],
            self.right[mask],
            self.weight[mask],
            self.probability[mask],
            self.levels[mask],
            self.tf[mask],
            self.comparisons,
        )

    def index_of(self, i: int, j: int, n: int) -> int | None:
        """The row of pair (i, j), or None when it was not scored."""
        lo, hi = min(i, j), max(i, j)
        keys = self.left.astype(np.int64) * n + self.right
        key = lo * n + hi
        at = int(np.searchsorted(keys, key))
        return at if at < keys.size and keys[at] == key else None


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What ``link`` found: the trained model, every candidate pair scored, the blocking
    statistics, the over-shared values set aside, and seconds per stage."""

    model: MatchModel
    pairs: ScoredPairs
    blocking: BlockingStats
    hubs: list[Hub]
    timings: dict[str, float]
    prepared: Prepared

    def matches(self) -> ScoredPairs:
        """The pairs at or above the model's threshold."""
        return self.pairs.select(self.pairs.weight >= self.model.threshold.weight)

    def pairs_completeness(self, true_left: Sequence[int], true_right: Sequence[int]) -> float:
        """The share of true pairs (record indices) that blocking made candidates."""
        return pairs_completeness(
            self.pairs.left, self.pairs.right, self.prepared.n, true_left, true_right
        )


def _scorers(specs: Sequence[ComparisonSpec], prepared: Prepared) -> list[Scorer]:
    return [scorer_for(prepared.table.columns[s.column].kind) for s in specs]


def compare_pairs(
    prepared: Prepared,
    specs: Sequence[ComparisonSpec],
    left: NDArray[np.integer],
    right: NDArray[np.integer],
) -> tuple[I8, NDArray[np.int32]]:
    """Levels (pairs x comparisons) and exact-agreement value codes for term frequencies."""
    la = np.asarray(left, dtype=np.int64)
    ra = np.asarray(right, dtype=np.int64)
    levels = np.empty((la.size, len(specs)), dtype=np.int8)
    tf_codes = np.empty((la.size, len(specs)), dtype=np.int32)
    for c, (spec, scorer) in enumerate(zip(specs, _scorers(specs, prepared), strict=True)):
        partner = prepared.columns[spec.partner] if spec.partner else None
        result = compare_column(scorer, prepared.columns[spec.column], la, ra, partner=partner)
        levels[:, c] = result.levels
        tf_codes[:, c] = result.tf_code
    return levels, tf_codes


def _tf_matrix(model: MatchModel, prepared: Prepared, tf_codes: NDArray[np.int32]) -> F32:
    tf = np.zeros(tf_codes.shape, dtype=np.float32)
    for c, params in enumerate(model.comparisons):
        tf[:, c] = tf_adjustment(params, prepared.columns[params.column], tf_codes[:, c])
    return tf


def _scored(
    model: MatchModel,
    prepared: Prepared,
    left: I32,
    right: I32,
    levels: I8,
    tf_codes: NDArray[np.int32],
) -> ScoredPairs:
    tf = _tf_matrix(model, prepared, tf_codes)
    weight = weights(model, levels, tf)
    names = tuple(c.name for c in model.comparisons)
    return ScoredPairs(left, right, weight, probability(weight), levels, tf, names)


def link(table: RecordTable, settings: LinkSettings | None = None) -> LinkResult:
    """Resolve ``table`` without labels: deduplicate it, or link its datasets when it names
    them (see the module docstring)."""
    settings = settings or LinkSettings()
    timings: dict[str, float] = {}
    began = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    if len(table) < 2:
        raise ResolutionError(f"resolution needs at least two records, not {len(table)}")
    specs = resolve_comparisons(table, settings)
    rules = resolve_rules(table, settings)
    groups = resolve_groups(table, specs, settings)
    group_at = _group_indices(specs, groups)
    prepared = prepare(table, hub_limits=settings.hub_limits, region=settings.region)
    lap("prepare")
    candidates = candidate_pairs_from(
        prepared.columns,
        rules,
        n=prepared.n,
        dataset=prepared.dataset,
        max_block_size=settings.max_block_size,
        max_name_block_size=settings.max_name_block_size,
        rule_samples=settings.em_max_pairs,
        seed=settings.seed,
    )
    lap("blocking")
    levels, tf_codes = compare_pairs(prepared, specs, candidates.left, candidates.right)
    lap("compare")
    scorers = _scorers(specs, prepared)
    n_levels = [len(s.labels) for s in scorers]
    sl, sr = sample_pairs(
        prepared.n, settings.u_sample_pairs, dataset=prepared.dataset, seed=settings.seed
    )
    sample_levels, _ = compare_pairs(prepared, specs, sl, sr)
    u = level_frequencies(
        sample_levels, n_levels, [s.prior_u for s in scorers], weight=None, floor_one_pair=True
    )
    lap("u_sampling")
    possible = possible_pairs(prepared.n, prepared.dataset)
    sessions = _sessions(prepared, specs, rules, candidates, levels, settings, group_at)
    training = train_m(
        sessions,
        n_levels,
        m_prior=[s.prior_m for s in scorers],
        u=u,
        max_iterations=settings.em_max_iterations,
        tolerance=settings.em_tolerance,
    )
    seen = max((fit.share * pairs for _, pairs, fit in training.sessions), default=1.0)
    # The candidates' distinct level patterns, counted once for both estimates of the prior.
    rows, counts = patterns(levels)
    prior, expected = estimate_prior(
        rows,
        training.m,
        u,
        possible,
        start=seen / max(possible, 1),
        groups=group_at,
        counts=counts,
    )
    u = _u_without_matches(sample_levels, n_levels, scorers, training.m, u, prior, group_at)
    prior, expected = estimate_prior(
        rows, training.m, u, possible, start=prior, groups=group_at, counts=counts
    )
    lap("em")
    model = _model(
        prepared, specs, scorers, rules, settings, training, u, prior, expected, possible, sl.size
    ).model_copy(update={"dependent_groups": groups})
    pairs = _scored(model, prepared, candidates.left, candidates.right, levels, tf_codes)
    lap("scoring")
    hubs = describe_hubs(prepared.raw, prepared.hubs, settings.hub_limits, prepared.n)
    timings["total"] = time.perf_counter() - began
    return LinkResult(model, pairs, candidates.stats, hubs, timings, prepared)


def _sessions(
    prepared: Prepared,
    specs: Sequence[ComparisonSpec],
    rules: Sequence[BlockingRule],
    candidates: Candidates,
    levels: I8,
    settings: LinkSettings,
    groups: Sequence[Sequence[int]] = (),
) -> list[Session]:
    # Each rule's pairs again (the union kept only the first rule of each), found among the
    # candidates by their sorted pair codes; a sample of them where a rule makes very many.
    n = np.int64(prepared.n)
    keys = candidates.left.astype(np.int64) * n + candidates.right
    rng = np.random.default_rng(settings.seed)
    sessions = []
    for at, rule in enumerate(rules):
        if candidates.rule_keys is not None:
            # Kept by blocking, drawn as below: the same pairs without blocking again.
            rule_keys = candidates.rule_keys[at]
        else:
            left, right, _, _ = rule_pairs(
                prepared.columns,
                rule,
                n=prepared.n,
                dataset=prepared.dataset,
                max_block_size=settings.max_block_size,
                max_name_block_size=settings.max_name_block_size,
            )
            if left.size > settings.em_max_pairs:
                pick = rng.choice(left.size, settings.em_max_pairs, replace=False)
                left, right = left[pick], right[pick]
            rule_keys = left * n + right
        if rule_keys.size == 0:
            continue
        # Sorted first: a search for ascending keys stays in cache (twenty times faster on
        # millions of pairs), and a session's fit does not depend on the order of its pairs.
        rows = np.searchsorted(keys, np.sort(rule_keys))
        blocked = rule_columns(rule)
        free = np.array([s.column not in blocked for s in specs], dtype=bool)
        # A rule on one member of a dependent group pairs a household's members, who agree on
        # the others too; unless it also blocks on a forename, which they do not share.
        by_name = any(
            prepared.table.columns[c].kind in (ColumnKind.FORENAME, ColumnKind.FULL_NAME)
            for c in blocked
            if c in prepared.table.columns
        )
        for group in groups:
            if not by_name and not free[list(group)].all():
                free[list(group)] = False
        sessions.append(Session(rule.label, levels[rows], free))
    return sessions


def _u_without_matches(
    sample: I8,
    n_levels: Sequence[int],
    scorers: Sequence[Scorer],
    m: Sequence[F64],
    u: Sequence[F64],
    prior: float,
    groups: Sequence[Sequence[int]] = (),
) -> list[F64]:
    """``u`` counted again over the random pairs, each weighted by its probability of being a
    non-match under the fitted model. On a large table this changes nothing; on a small one the
    random pairs include a noticeable share of its matches, which would otherwise inflate ``u``
    at the agreeing levels (and so deflate their weights)."""
    log_odds = np.log2(prior / (1 - prior)) + level_weights(sample, m, u, groups)
    non_match = 1.0 / (1.0 + np.exp2(np.clip(log_odds, -1000, 1000)))
    return level_frequencies(
        sample,
        n_levels,
        [s.prior_u for s in scorers],
        weight=non_match,
        floor_one_pair=True,
    )


def _group_indices(
    specs: Sequence[ComparisonSpec], groups: Sequence[Sequence[str]]
) -> list[list[int]]:
    at = {s.label: k for k, s in enumerate(specs)}
    return [[at[name] for name in group] for group in groups]


def _threshold(settings: LinkSettings) -> Threshold:
    if settings.threshold_probability is not None:
        p = settings.threshold_probability
        return Threshold(
            probability=p,
            weight=float(np.log2(p / (1 - p))),
            method="given",
            reason="set in the link settings",
        )
    return Threshold(
        probability=0.5,
        weight=0.0,
        method="posterior",
        reason=(
            "chosen without labels: a pair is called a match when the model's own estimate "
            "(u from random pairs, m from EM per blocking rule, the prior from the matches "
            "the model expects among the candidates) makes a match more likely than not, "
            "which minimises the expected number of wrong calls"
        ),
    )


def _model(
    prepared: Prepared,
    specs: Sequence[ComparisonSpec],
    scorers: Sequence[Scorer],
    rules: Sequence[BlockingRule],
    settings: LinkSettings,
    training: Training,
    u: Sequence[F64],
    prior: float,
    expected: float,
    possible: int,
    u_pairs: int,
) -> MatchModel:
    m = training.m
    comparisons = []
    for c, (spec, scorer) in enumerate(zip(specs, scorers, strict=True)):
        e = prepared.columns[spec.column]
        counts, total = tf_counts(e) if spec.term_frequencies else ({}, 0)
        comparisons.append(
            ComparisonParams(
                name=spec.label,
                column=spec.column,
                kind=scorer.kind,
                partner=spec.partner,
                term_frequencies=spec.term_frequencies,
                levels=[
                    LevelParams(label=label, m=float(m[c][k]), u=float(u[c][k]))
                    for k, label in enumerate(scorer.labels)
                ],
                tf_counts=counts,
                tf_total=total,
                description=scorer.describe(),
            )
        )
    return MatchModel(
        mode="link" if prepared.dataset is not None else "dedupe",
        records=prepared.n,
        possible_pairs=possible,
        prior=prior,
        expected_matches=expected,
        comparisons=comparisons,
        threshold=_threshold(settings),
        em_iterations=sum(fit.iterations for _, _, fit in training.sessions),
        em_converged=all(fit.converged for _, _, fit in training.sessions),
        training=[
            TrainingSession(
                rule=label,
                pairs=pairs,
                expected_matches=fit.share * pairs,
                iterations=fit.iterations,
                converged=fit.converged,
            )
            for label, pairs, fit in training.sessions
        ],
        u_sample_pairs=u_pairs,
        blocking_rules=list(rules),
        max_block_size=settings.max_block_size,
        max_name_block_size=settings.max_name_block_size,
        hub_limits=settings.hub_limits,
        region=settings.region,
    )


def specs_of(model: MatchModel) -> list[ComparisonSpec]:
    """The comparisons a trained model runs."""
    return [
        ComparisonSpec(
            column=c.column,
            name=c.name,
            partner=c.partner,
            term_frequencies=c.term_frequencies,
        )
        for c in model.comparisons
    ]


def prepare_for(model: MatchModel, table: RecordTable) -> Prepared:
    """``table`` prepared as ``model`` was trained (its hub limits and phone region), after
    checking that the table has the columns, of the kinds, the model compares."""
    _check_columns(model, table)
    return prepare(table, hub_limits=model.hub_limits, region=model.region)


def extend_for(model: MatchModel, prepared: Prepared, new: RecordTable) -> Prepared:
    """``prepared`` (made by ``prepare_for(model, ...)``) extended with ``new``'s records:
    ``prepare_for(model, prepared.table.concat(new))`` without reading the old records again."""
    _check_columns(model, new)
    return prepared.extend(new, hub_limits=model.hub_limits, region=model.region)


def _check_columns(model: MatchModel, table: RecordTable) -> None:
    for c in model.comparisons:
        column = table.columns.get(c.column)
        if column is None or column.kind is not c.kind:
            found = "missing" if column is None else f"a {column.kind} column"
            raise ResolutionError(
                f"the model compares {c.column!r} as {c.kind}; in this table it is {found}"
            )


def score_pairs(
    model: MatchModel,
    table: RecordTable,
    left: Sequence[int] | NDArray[np.integer],
    right: Sequence[int] | NDArray[np.integer],
    *,
    prepared: Prepared | None = None,
) -> ScoredPairs:
    """Score pairs of ``table``'s records with a trained ``model`` (term frequencies from the
    model's own counts), in the order given."""
    prepared = prepared or prepare_for(model, table)
    la = np.asarray(left, dtype=np.int32)
    ra = np.asarray(right, dtype=np.int32)
    if la.shape != ra.shape:
        raise ResolutionError("left and right must have one index per pair")
    if la.size and (min(la.min(), ra.min()) < 0 or max(la.max(), ra.max()) >= prepared.n):
        raise ResolutionError(f"pair indices must lie in 0..{prepared.n - 1}")
    levels, tf_codes = compare_pairs(prepared, specs_of(model), la, ra)
    return _scored(model, prepared, la, ra, levels, tf_codes)


def candidate_pairs(
    table: RecordTable,
    rules: Sequence[BlockingRule] | None = None,
    *,
    new_from: int = 0,
    settings: LinkSettings | None = None,
    prepared: Prepared | None = None,
) -> Candidates:
    """Candidate pairs of ``table`` by ``rules`` (default: the settings' or those derived from
    the column kinds); with ``new_from`` only pairs with a record at or after that index."""
    settings = settings or LinkSettings()
    prepared = prepared or prepare(table, hub_limits=settings.hub_limits, region=settings.region)
    chosen = list(rules) if rules is not None else resolve_rules(table, settings)
    return candidate_pairs_from(
        prepared.columns,
        chosen,
        n=prepared.n,
        dataset=prepared.dataset,
        new_from=new_from,
        max_block_size=settings.max_block_size,
        max_name_block_size=settings.max_name_block_size,
    )
