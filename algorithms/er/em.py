"""Estimating the model without labels: ``u`` by random sampling, ``m`` by EM per blocking rule.

``u`` (how often each level occurs between two different people) is counted over pairs drawn
at random from all the pairs considered: almost all of them are non-matches, so their level
frequencies are ``u`` (``link`` counts them once more with each pair weighted by its chance
of being a non-match, which matters only on small tables).

``m`` (how often each level occurs between two records of one person) comes from expectation
maximisation, one session per blocking rule, as Splink does: over the pairs a rule makes,
the non-matches agree on the rule's own columns by construction but are as good as random
pairs on every other column, so there ``u`` can stay fixed at the sampled values and EM fits
only ``m`` and the share of matches, for the comparisons the rule does not block on. A single
EM over all candidates would not be sound: on a large table most candidates are different
people who share a common name (they were blocked on it), and a two-class mixture is then as
happy to call "shares a name" the match class. For the same reason a session fits none of a
dependent group (``settings.DEPENDENT_KINDS``) when its rule blocks on one member: the people
sharing a postcode and surname are mostly one household, who agree on the address and the
landline far more often than random pairs do, and a session free to fit the address would
learn "same household" as the match class, and with it that forenames and dates of birth
often disagree between two records of one person. A rule that also blocks on a forename keeps
the group free: it pairs people by their own name, which a household's members do not share.
Each comparison's ``m`` is the average of its
sessions' estimates, weighted by the matches each session saw with that comparison present.

The prior ``lambda`` (the chance that two records drawn from all pairs are one person) is then
the fixed point of ``lambda = sum of match probabilities over the candidates / all pairs``
under those ``m`` and ``u``.

EM runs over distinct level patterns with their counts (a few thousand rows however many
pairs), so it costs almost nothing. Each level starts from its scorer's prior ``m`` and ``u``
and keeps a little of it (a Dirichlet prior worth ``PRIOR_PAIRS`` pairs): a level that never
occurs in this data keeps a sensible weight instead of one computed from zero counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from algorithms.er.arrays import unique, unique_counts
from algorithms.er.model import combine

F64 = NDArray[np.float64]
I8 = NDArray[np.int8]
Probabilities = Sequence[float] | F64

PRIOR_PAIRS = 2.0
"""How many pairs' worth of the scorers' prior m and u each estimate keeps."""


def level_frequencies(
    levels: I8,
    n_levels: Sequence[int],
    prior: Sequence[Probabilities],
    *,
    weight: F64 | None,
    floor_one_pair: bool = False,
) -> list[F64]:
    """Per comparison, the frequency of each level over the non-null pairs (weighted), with
    ``PRIOR_PAIRS`` of ``prior`` added. ``floor_one_pair``: no level below one pair in the
    count, the frequency a level never seen in a sample of that size could still have (a
    level never drawn must not weigh as if it could never happen)."""
    out: list[F64] = []
    for c, size in enumerate(n_levels):
        col = levels[:, c]
        valid = col >= 0
        counts = np.bincount(
            col[valid], weights=None if weight is None else weight[valid], minlength=size
        ).astype(np.float64)
        counts += PRIOR_PAIRS * np.asarray(prior[c], dtype=np.float64)
        if floor_one_pair:
            np.maximum(counts, 1.0, out=counts)
        out.append(counts / counts.sum())
    return out


@dataclass(frozen=True, slots=True)
class EMResult:
    m: list[F64]
    u: list[F64]
    share: float
    """The share of matches among the pairs fitted."""
    iterations: int
    converged: bool
    support: F64
    """Per comparison, the expected matches with a value for it (how much ``m`` rests on)."""


DENSE_PATTERNS = 1 << 22
"""Up to this many possible patterns they are counted in a dense table, not by sorting."""


def patterns(levels: I8) -> tuple[I8, F64]:
    """Distinct rows of ``levels``, ascending, and how many pairs have each."""
    if levels.shape[0] == 0:
        return levels, np.empty(0)
    bases = levels.max(axis=0).astype(np.int64) + 2
    space = float(np.prod(bases.astype(np.float64)))
    if space >= 2.0**62:
        uniq, counts = np.unique(levels, axis=0, return_counts=True)
        return uniq.astype(np.int8), np.asarray(counts, dtype=np.float64)
    # One integer per row (levels + 1 as digits in mixed radix), counted, then decoded: no
    # sort of the rows (there may be tens of millions) and no gather of them.
    key = levels[:, 0].astype(np.int64) + 1
    for c in range(1, levels.shape[1]):
        key *= bases[c]
        key += levels[:, c]
        key += 1
    if space <= DENSE_PATTERNS:
        dense = np.bincount(key, minlength=int(space))
        codes = np.flatnonzero(dense)
        sizes = dense[codes].astype(np.float64)
    else:
        found, counts = unique_counts(key)
        codes, sizes = found, counts.astype(np.float64)
    rows = np.empty((codes.size, levels.shape[1]), dtype=np.int8)
    rest = codes.astype(np.int64)
    for c in range(levels.shape[1] - 1, -1, -1):
        rest, digit = np.divmod(rest, bases[c])
        rows[:, c] = digit - 1
    return rows, sizes


def expectation_maximisation(
    levels: I8,
    n_levels: Sequence[int],
    *,
    m_prior: Sequence[Probabilities],
    u_start: Sequence[F64],
    share_start: float,
    fix_u: bool = False,
    max_iterations: int = 100,
    tolerance: float = 1e-5,
) -> EMResult:
    """Fit m, the share of matches and (unless ``fix_u``) u to the pairs' levels. With no
    pairs there is nothing to fit: the priors come back, unconverged, with no matches."""
    rows, counts = patterns(levels)
    m = [np.asarray(p, dtype=np.float64) / np.sum(p) for p in m_prior]
    u = [np.asarray(p, dtype=np.float64) for p in u_start]
    if rows.shape[0] == 0:
        return EMResult(m, u, 0.0, 0, False, np.zeros(len(n_levels)))
    share = float(np.clip(share_start, 1e-6, 1 - 1e-6))
    converged = False
    iteration = 0
    w_match = np.zeros(rows.shape[0])
    for iteration in range(1, max_iterations + 1):  # noqa: B007 (reported)
        log_m = np.full(rows.shape[0], np.log(share))
        log_u = np.full(rows.shape[0], np.log1p(-share))
        for c in range(len(n_levels)):
            col = rows[:, c]
            valid = col >= 0
            log_m[valid] += np.log(m[c][col[valid]])
            log_u[valid] += np.log(u[c][col[valid]])
        posterior = 1.0 / (1.0 + np.exp(np.clip(log_u - log_m, -700, 700)))
        w_match = counts * posterior
        new_m = level_frequencies(rows, n_levels, m_prior, weight=w_match)
        if not fix_u:
            u = level_frequencies(rows, n_levels, u_start, weight=counts - w_match)
        new_share = float(np.clip(w_match.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        change = max(
            abs(new_share - share),
            max(float(np.max(np.abs(a - b))) for a, b in zip(new_m, m, strict=True)),
        )
        m, share = new_m, new_share
        if change < tolerance:
            converged = True
            break
    support = np.array([float(w_match[rows[:, c] >= 0].sum()) for c in range(len(n_levels))])
    return EMResult(m, u, share, iteration, converged, support)


@dataclass(frozen=True, slots=True)
class Session:
    """One EM session: the pairs of one blocking rule, and which comparisons it may fit (not
    those on the rule's own columns)."""

    label: str
    levels: I8
    free: NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Training:
    m: list[F64]
    sessions: list[tuple[str, int, EMResult]]
    """Each session's rule, pair count and fit."""


def train_m(
    sessions: Sequence[Session],
    n_levels: Sequence[int],
    *,
    m_prior: Sequence[Probabilities],
    u: Sequence[F64],
    max_iterations: int = 100,
    tolerance: float = 1e-5,
) -> Training:
    """``m`` from one EM session per rule, ``u`` fixed (see the module docstring). A
    comparison that no session may fit keeps its prior ``m``."""
    total = [np.zeros(k) for k in n_levels]
    support = np.zeros(len(n_levels))
    fits: list[tuple[str, int, EMResult]] = []
    for session in sessions:
        levels = session.levels.copy()
        levels[:, ~session.free] = -1
        fit = expectation_maximisation(
            levels,
            n_levels,
            m_prior=m_prior,
            u_start=u,
            share_start=0.5,
            fix_u=True,
            max_iterations=max_iterations,
            tolerance=tolerance,
        )
        fits.append((session.label, int(levels.shape[0]), fit))
        for c in np.flatnonzero(session.free):
            total[c] += fit.support[c] * fit.m[c]
            support[c] += fit.support[c]
    m = [
        total[c] / support[c]
        if support[c] > 0
        else np.asarray(m_prior[c], dtype=np.float64) / np.sum(m_prior[c])
        for c in range(len(n_levels))
    ]
    return Training(m, fits)


def estimate_prior(
    levels: I8,
    m: Sequence[F64],
    u: Sequence[F64],
    possible: int,
    *,
    start: float,
    groups: Sequence[Sequence[int]] = (),
    counts: F64 | None = None,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
) -> tuple[float, float]:
    """The prior ``lambda`` and the expected matches among the pairs ``levels``: the fixed
    point of ``lambda = sum of match probabilities / possible``, from ``start``, the pairs
    weighed as the model weighs them (``groups``: its dependent groups). With ``counts``,
    ``levels`` are already distinct patterns (``patterns``) and ``counts`` their pairs."""
    rows, counts = patterns(levels) if counts is None else (levels, counts)
    if rows.shape[0] == 0 or possible <= 0:
        return min(max(start, 1e-12), 0.5), 0.0
    bayes = level_weights(rows, m, u, groups)
    prior = float(np.clip(start, 1e-12, 0.5))
    expected = 0.0
    for _ in range(max_iterations):
        odds = bayes + np.log2(prior / (1 - prior))
        expected = float(np.sum(counts / (1.0 + np.exp2(-np.clip(odds, -1000, 1000)))))
        new = float(np.clip(expected / possible, 1e-12, 0.5))
        if abs(np.log(new / prior)) < tolerance:
            prior = new
            break
        prior = new
    return prior, expected


def level_weights(
    levels: I8, m: Sequence[F64], u: Sequence[F64], groups: Sequence[Sequence[int]] = ()
) -> F64:
    """Each row's total weight ``log2(m / u)`` without prior or term frequencies, the
    dependent ``groups`` combined as ``model.combine`` does."""
    parts = np.empty(levels.shape, dtype=np.float64)
    for c in range(levels.shape[1]):
        table = np.append(np.log2(m[c] / u[c]), 0.0)
        parts[:, c] = table[levels[:, c]]
    return combine(parts, groups)


def sample_pairs(
    n: int,
    size: int,
    *,
    dataset: NDArray[np.int32] | None,
    seed: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """``size`` distinct random pairs (``left < right``) of ``n`` records; across datasets
    when ``dataset`` is given. All pairs when there are fewer than ``size``."""
    rng = np.random.default_rng(seed)
    if n < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    total = n * (n - 1) // 2
    if dataset is None and total <= size:
        a, b = np.triu_indices(n, k=1)
        return a.astype(np.int64), b.astype(np.int64)
    keys = np.empty(0, dtype=np.int64)
    for _ in range(20):
        want = size - keys.size
        if want <= 0:
            break
        a = rng.integers(0, n, size=want * 2)
        b = rng.integers(0, n, size=want * 2)
        ok = a != b
        if dataset is not None:
            ok &= dataset[a] != dataset[b]
        lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
        keys = unique(np.concatenate([keys, lo * n + hi]))
        if dataset is not None and keys.size >= _across(dataset):
            break
    if keys.size > size:
        keys = rng.choice(keys, size=size, replace=False)
    return keys // n, keys % n


def _across(dataset: NDArray[np.int32]) -> int:
    sizes = np.bincount(dataset).astype(np.int64)
    return int((sizes.sum() ** 2 - (sizes**2).sum()) // 2)
