"""Comparison levels: how two records' values of one column agree, as a small integer.

Every scorer here turns arrays of value codes (one pair of records per element) into levels:
-1 when either side has no value (no evidence either way), 0 when they disagree ("else"), and
higher levels for closer agreement up to the top level, exact agreement, where term frequencies
apply (a match on a rare surname says more than one on a common one). Each scorer documents its
levels in ``labels`` and ``describe()``; the model learns how much each level is worth.

String similarity runs in rapidfuzz's C++ (``process.cpdist``, element-wise over the pairs,
``workers=-1``), on the distinct value pairs only: the same two surnames meet many times.
Multi-valued cells (phones, e-mails, identifiers) are compared value by value and the best
agreement kept (any-match).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from algorithms.er.arrays import unique_inverse
from algorithms.er.features import Encoded
from algorithms.er.names import in_sorted
from algorithms.er.table import ColumnKind

I8 = NDArray[np.int8]
I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
LevelFn = Callable[[Encoded, I32, I32], I8]


Strings = NDArray[np.object_]


def _sim(scorer: Any, a: Strings, b: Strings, **kw: Any) -> NDArray[Any]:
    if a.size == 0:
        return np.empty(0)
    return process.cpdist(a, b, scorer=scorer, workers=-1, **kw)


def _jw(e: Encoded, a: I32, b: I32) -> NDArray[np.float32]:
    return _sim(JaroWinkler.normalized_similarity, e.strings[a], e.strings[b])


def _dl(strings: Strings, a: I32, b: I32, limit: int = 2) -> NDArray[np.int64]:
    """Damerau-Levenshtein distance, exact up to ``limit`` (``limit + 1`` beyond it)."""
    # Bit-parallel Levenshtein first (several times faster): a transposition costs it two
    # edits, so Damerau-Levenshtein <= limit implies Levenshtein <= 2 * limit.
    sa, sb = strings[a], strings[b]
    out = _sim(Levenshtein.distance, sa, sb, score_cutoff=2 * limit).astype(np.int64)
    near = np.flatnonzero(out <= 2 * limit)
    if near.size:
        out[near] = _sim(DamerauLevenshtein.distance, sa[near], sb[near], score_cutoff=limit + 1)
    np.minimum(out, limit + 1, out=out)
    return out


def _nickname(e: Encoded, a: I32, b: I32) -> NDArray[np.bool_]:
    if e.related is None:
        return np.zeros(a.shape, dtype=bool)
    fa, fb = e.attrs["first"][a].astype(np.int64), e.attrs["first"][b].astype(np.int64)
    n = len(e.texts["first_vocab"])
    return in_sorted(np.minimum(fa, fb) * n + np.maximum(fa, fb), e.related)


@dataclass(frozen=True, slots=True)
class Scorer:
    """How one kind of column is compared: level labels (index = level, 0 = "else"), the
    m and u a level is given before any data is seen (the prior the estimates start from and
    fall back to where a level is never observed), and the function computing levels."""

    kind: ColumnKind
    labels: tuple[str, ...]
    prior_m: tuple[float, ...]
    prior_u: tuple[float, ...]
    levels: LevelFn
    distinct_pairs: bool = True

    @property
    def top(self) -> int:
        """The exact-agreement level, where term frequencies apply."""
        return len(self.labels) - 1

    def describe(self) -> str:
        """What the scorer does, level by level (its function's docstring)."""
        return " ".join((self.levels.__doc__ or "").split())


def name_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Forename or surname: exact; close (one edit, or Jaro-Winkler >= 0.94, or for forenames
    the same first name with further names on one side only: "sophie" ~ "sophie courtney");
    nickname or
    diminutive ("bill" ~ "william"); phonetic (same Metaphone key: Mohammed ~ Muhammad) or one
    name's tokens within the other's ("smith" ~ "smith jones"); similar (Jaro-Winkler >= 0.8);
    swapped with the other name column (set by ``compare``); initial only ("j" ~ "john");
    else."""
    out = np.zeros(a.shape, dtype=np.int8)
    diff = a != b
    da, db = a[diff], b[diff]
    lv = np.zeros(da.shape, dtype=np.int8)
    length = e.attrs["length"]
    initial = ((length[da] == 1) | (length[db] == 1)) & (
        e.attrs["initial"][da] == e.attrs["initial"][db]
    )
    lv[initial] = 1
    jw = _jw(e, da, db)
    lv[jw >= 0.8] = 3
    meta = e.attrs["meta"]
    phon = (meta[da] == meta[db]) & (meta[da] >= 0)
    tokens = e.attrs["tokens"]
    idx = np.flatnonzero(((tokens[da] > 1) | (tokens[db] > 1)) & ~phon)
    within = np.zeros(da.shape, dtype=bool)
    if idx.size:
        ts = _sim(fuzz.token_set_ratio, e.strings[da[idx]], e.strings[db[idx]])
        within[idx[ts >= 100]] = True
    phon |= within
    lv[phon & ~initial] = 4
    lv[_nickname(e, da, db)] = 5
    # The same first name, a middle name given on one side only ("sophie" ~ "sophie
    # courtney"): as close as a typo, not a mere phonetic likeness.
    close = jw >= 0.94
    if e.kind is ColumnKind.FORENAME:
        first = e.attrs["first"]
        close |= within & (first[da] == first[db]) & (first[da] >= 0)
    # One edit apart implies Jaro-Winkler >= 0.7 for names of two letters or more.
    maybe = np.flatnonzero(~close & (jw >= 0.7))
    close[maybe] = _dl(e.strings, da[maybe], db[maybe], 1) <= 1
    lv[close & (length[da] > 1) & (length[db] > 1)] = 6
    out[diff] = lv
    out[~diff] = 7
    return out


def full_name_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Full name (forenames and surname, Companies House "MR|KEVIN DAVID|SMITH" read as Kevin
    David Smith): exact (the same tokens, in any order); first and last agree (middle names
    missing or different: Kevin David Smith ~ Kevin Smith); variant (surname within one edit,
    first forenames nickname-related or phonetically equal); similar (token-sorted similarity
    >= 0.85); initial (same surname, one side's first forename an initial of the other's);
    else."""
    at = e.attrs
    out = np.zeros(a.shape, dtype=np.int8)
    plain = e.texts["plain"]
    sim = _sim(fuzz.token_sort_ratio, plain[a], plain[b]) / 100.0
    out[sim >= 0.85] = 2
    sur_eq = at["surname"][a] == at["surname"][b]
    sur_close = sur_eq | (_dl(e.texts["surnames"], a, b, 1) <= 1)
    fa, fb = at["first"][a], at["first"][b]
    la, lb = at["first_length"][a], at["first_length"][b]
    first_initial = (at["first_initial"][a] == at["first_initial"][b]) & (la > 0) & (lb > 0)
    out[sur_eq & first_initial & ((la == 1) | (lb == 1)) & (out < 2)] = 1
    fmeta = at["first_meta"]
    variant = sur_close & ((fmeta[a] == fmeta[b]) & (fmeta[a] >= 0) | _nickname(e, a, b))
    out[variant & (la > 1) & (lb > 1)] = 3
    out[sur_eq & (fa == fb) & (la > 1)] = 4
    out[at["sorted"][a] == at["sorted"][b]] = 5
    return out


def date_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Date (of birth), full or partial: exact; month and year agree where one side gives only
    those (Companies House); day and month transposed; one typo (one edit of the digits);
    within 31 days; year agrees where one side gives only the year; same year; else."""
    at = e.attrs
    ya, yb, ma, mb, da, db = (
        at["year"][a],
        at["year"][b],
        at["month"][a],
        at["month"][b],
        at["day"][a],
        at["day"][b],
    )
    full = (ma > 0) & (mb > 0) & (da > 0) & (db > 0)
    out = np.zeros(a.shape, dtype=np.int8)
    out[full & (ya == yb)] = 1
    out[((ma == 0) | (mb == 0)) & (ya == yb)] = 2
    oa, ob = at["ordinal"][a], at["ordinal"][b]
    out[full & (oa >= 0) & (ob >= 0) & (np.abs(oa - ob) <= 31)] = 3
    idx = np.flatnonzero(full & (a != b))
    if idx.size:
        out[idx[_one_typo(at["digits"][a[idx]], at["digits"][b[idx]])]] = 4
    out[full & (ya == yb) & (da == mb) & (ma == db) & (da != ma)] = 5
    partial_month = ((da == 0) | (db == 0)) & (ma > 0) & (mb > 0)
    out[partial_month & (ya == yb) & (ma == mb)] = 6
    out[a == b] = 7
    return out


def _one_typo(x: NDArray[np.int8], y: NDArray[np.int8]) -> NDArray[np.bool_]:
    # Equal-length digit strings one edit apart: one digit changed, or two adjacent digits
    # swapped (Damerau-Levenshtein 1 without insertions, which would change the length).
    differ = x != y
    count = differ.sum(axis=1)
    swapped = (
        differ[:, :-1] & differ[:, 1:] & (x[:, :-1] == y[:, 1:]) & (x[:, 1:] == y[:, :-1])
    ).any(axis=1)
    return np.asarray((count == 1) | ((count == 2) & swapped), dtype=bool)


def phone_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Phone (E.164): exact; one typo or the same last eight digits (a number written with and
    without its country code); else."""
    out = np.zeros(a.shape, dtype=np.int8)
    tail = e.attrs["tail"]
    out[(tail[a] == tail[b]) | (_dl(e.strings, a, b, 1) <= 1)] = 1
    out[a == b] = 2
    return out


def email_levels(e: Encoded, a: I32, b: I32) -> I8:
    """E-mail: exact; the same local part at another domain, or one typo; else."""
    out = np.zeros(a.shape, dtype=np.int8)
    local = e.attrs["local"]
    out[(local[a] == local[b]) | (_dl(e.strings, a, b, 1) <= 1)] = 1
    out[a == b] = 2
    return out


def postcode_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Postcode: exact; one typo; same area (UK outward code, or all but the last digit);
    else."""
    out = np.zeros(a.shape, dtype=np.int8)
    area = e.attrs["area"]
    out[(area[a] == area[b]) & (area[a] >= 0)] = 1
    out[_dl(e.strings, a, b, 1) <= 1] = 2
    out[a == b] = 3
    return out


def address_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Address: exact (after folding and expanding street words); very similar (>= 0.9: the
    better of token-set similarity and similarity with spaces removed, so "wallaby place" ~
    "wallabyplace"); similar (>= 0.75); else."""
    sim = _sim(fuzz.ratio, e.texts["compact"][a], e.texts["compact"][b]) / 100.0
    # Token-set similarity (one address's words within the other's) only where the plain
    # similarity leaves the level open: it is the dearer of the two.
    open_ = np.flatnonzero((sim >= 0.5) & (sim < 0.9))
    if open_.size:
        ts = _sim(fuzz.token_set_ratio, e.strings[a[open_]], e.strings[b[open_]]) / 100.0
        sim[open_] = np.maximum(sim[open_], ts)
    out = np.zeros(a.shape, dtype=np.int8)
    out[sim >= 0.75] = 1
    out[sim >= 0.9] = 2
    out[a == b] = 3
    return out


def short_code_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Street number: exact; one typo; else."""
    out = np.zeros(a.shape, dtype=np.int8)
    out[_dl(e.strings, a, b, 1) <= 1] = 1
    out[a == b] = 2
    return out


def locality_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Locality (town, suburb): exact; similar (Jaro-Winkler >= 0.88); else."""
    out = np.zeros(a.shape, dtype=np.int8)
    out[_jw(e, a, b) >= 0.88] = 1
    out[a == b] = 2
    return out


def identifier_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Identifier (document, account, company number): exact; one edit; two edits; else."""
    out = np.zeros(a.shape, dtype=np.int8)
    dl = _dl(e.strings, a, b)
    out[dl <= 2] = 1
    out[dl <= 1] = 2
    out[a == b] = 3
    return out


def categorical_levels(e: Encoded, a: I32, b: I32) -> I8:
    """Category: exact; else."""
    return np.asarray(a == b, dtype=np.int8)


_NAME_LABELS = (
    "else",
    "initial",
    "swapped",
    "similar",
    "phonetic",
    "nickname",
    "close",
    "exact",
)
SCORERS: dict[ColumnKind, Scorer] = {
    s.kind: s
    for s in (
        Scorer(
            ColumnKind.FORENAME,
            _NAME_LABELS,
            (0.03, 0.02, 0.01, 0.03, 0.03, 0.03, 0.1, 0.75),
            (0.95, 0.004, 0.0005, 0.04, 0.003, 0.002, 0.002, 0.002),
            name_levels,
        ),
        Scorer(
            ColumnKind.SURNAME,
            _NAME_LABELS,
            (0.03, 0.01, 0.01, 0.03, 0.03, 0.01, 0.1, 0.78),
            (0.95, 0.004, 0.0005, 0.04, 0.003, 0.0005, 0.002, 0.002),
            name_levels,
        ),
        Scorer(
            ColumnKind.FULL_NAME,
            ("else", "initial", "similar", "variant", "first_last", "exact"),
            (0.03, 0.02, 0.05, 0.05, 0.1, 0.75),
            (0.99, 0.001, 0.005, 0.0005, 0.0002, 0.0002),
            full_name_levels,
        ),
        Scorer(
            ColumnKind.DATE_OF_BIRTH,
            (
                "else",
                "same_year",
                "year_only",
                "within_month",
                "typo",
                "transposed",
                "month_year",
                "exact",
            ),
            (0.03, 0.01, 0.02, 0.02, 0.08, 0.02, 0.05, 0.77),
            (0.97, 0.012, 0.001, 0.0015, 0.006, 0.0001, 0.0005, 0.0001),
            date_levels,
            distinct_pairs=False,
        ),
        Scorer(
            ColumnKind.PHONE,
            ("else", "typo", "exact"),
            (0.2, 0.05, 0.75),
            (0.999, 0.0005, 0.0005),
            phone_levels,
        ),
        Scorer(
            ColumnKind.EMAIL,
            ("else", "typo_or_local_part", "exact"),
            (0.2, 0.05, 0.75),
            (0.999, 0.0005, 0.0005),
            email_levels,
        ),
        Scorer(
            ColumnKind.POSTCODE,
            ("else", "area", "typo", "exact"),
            (0.05, 0.05, 0.1, 0.8),
            (0.95, 0.04, 0.01, 0.001),
            postcode_levels,
        ),
        Scorer(
            ColumnKind.ADDRESS,
            ("else", "similar", "very_similar", "exact"),
            (0.05, 0.05, 0.1, 0.8),
            (0.97, 0.02, 0.005, 0.001),
            address_levels,
        ),
        Scorer(
            ColumnKind.STREET_NUMBER,
            ("else", "typo", "exact"),
            (0.1, 0.1, 0.8),
            (0.8, 0.15, 0.05),
            short_code_levels,
        ),
        Scorer(
            ColumnKind.LOCALITY,
            ("else", "similar", "exact"),
            (0.1, 0.1, 0.8),
            (0.98, 0.01, 0.01),
            locality_levels,
        ),
        Scorer(
            ColumnKind.IDENTIFIER,
            ("else", "two_edits", "one_edit", "exact"),
            (0.1, 0.03, 0.07, 0.8),
            (0.999, 0.0005, 0.0003, 0.0002),
            identifier_levels,
        ),
        Scorer(
            ColumnKind.CATEGORICAL,
            ("else", "exact"),
            (0.1, 0.9),
            (0.8, 0.2),
            categorical_levels,
            distinct_pairs=False,
        ),
    )
}
"""The scorer for each column kind."""

SWAPPED = 2
"""The names' level for a forename and surname written the other way round."""


@dataclass(frozen=True, slots=True)
class Compared:
    """One comparison over pairs: ``levels`` (-1 null, 0 else ... top exact) and, for pairs at
    the top level, the code of the agreeing value (-1 elsewhere), for term frequencies."""

    levels: I8
    tf_code: I32


def compare_column(
    scorer: Scorer,
    e: Encoded,
    left: I32 | I64,
    right: I32 | I64,
    *,
    partner: Encoded | None = None,
) -> Compared:
    """Levels of ``scorer`` for records ``left[k]`` and ``right[k]`` on column ``e``;
    ``partner`` is the other name column, for the "swapped" level."""
    if not e.multi:
        return _compare_single(scorer, e, e.first[left], e.first[right], left, right, partner)
    return _compare_multi(scorer, e, np.asarray(left), np.asarray(right))


def _levels_of(scorer: Scorer, e: Encoded, ca: I32, cb: I32) -> I8:
    if not scorer.distinct_pairs or ca.size < 64:
        return scorer.levels(e, ca, cb)
    n = np.int64(len(e.values))
    key = ca.astype(np.int64) * n + cb
    uniq, inverse = unique_inverse(key)
    ua, ub = (uniq // n).astype(np.int32), (uniq % n).astype(np.int32)
    return scorer.levels(e, ua, ub)[inverse]


def _compare_single(
    scorer: Scorer,
    e: Encoded,
    ca: I32,
    cb: I32,
    left: I32 | I64,
    right: I32 | I64,
    partner: Encoded | None,
) -> Compared:
    levels = np.full(ca.shape, -1, dtype=np.int8)
    both = (ca >= 0) & (cb >= 0)
    levels[both] = _levels_of(scorer, e, ca[both], cb[both])
    if partner is not None:
        _mark_swapped(levels, e, partner, left, right)
    tf_code = np.where(levels == scorer.top, ca, -1).astype(np.int32)
    return Compared(levels, tf_code)


def _mark_swapped(
    levels: I8, e: Encoded, partner: Encoded, left: I32 | I64, right: I32 | I64
) -> None:
    # A forename written as the surname and the surname as the forename: both names agree
    # crosswise. That is one piece of evidence, so it is counted once: the surname comparison
    # takes the "swapped" level and the forename comparison none (null). Codes are made
    # comparable through the column's own value list.
    index = {v: i for i, v in enumerate(e.values)}
    as_own = np.array([index.get(v, -2) for v in partner.values], dtype=np.int32)
    own_l, own_r = e.first[left], e.first[right]
    pl, pr = partner.first[left], partner.first[right]
    cand = np.flatnonzero(
        (levels < SWAPPED + 2) & (own_l >= 0) & (own_r >= 0) & (pl >= 0) & (pr >= 0)
    )
    if cand.size == 0:
        return
    p_l = as_own[pl[cand]]
    p_r = as_own[pr[cand]]
    crossed = (p_r == own_l[cand]) & (p_l == own_r[cand]) & (own_l[cand] != own_r[cand])
    levels[cand[crossed]] = SWAPPED if e.kind is ColumnKind.SURNAME else -1


def _compare_multi(scorer: Scorer, e: Encoded, left: I64, right: I64) -> Compared:
    # Every value of one side against every value of the other; the best level wins, and at
    # the top level the rarest agreeing value (for term frequencies).
    off = e.offsets
    nl = (off[left + 1] - off[left]).astype(np.int64)
    nr = (off[right + 1] - off[right]).astype(np.int64)
    combos = nl * nr
    pair = np.repeat(np.arange(left.size, dtype=np.int64), combos)
    start = np.repeat(np.cumsum(combos) - combos, combos)
    k = np.arange(pair.size, dtype=np.int64) - start
    nr_p = nr[pair]
    sa = e.slots[off[left][pair] + k // np.maximum(nr_p, 1)]
    sb = e.slots[off[right][pair] + k % np.maximum(nr_p, 1)]
    lv = _levels_of(scorer, e, sa, sb) if sa.size else np.empty(0, dtype=np.int8)
    count = e.counts[sa] if sa.size else np.empty(0, dtype=np.int64)
    order = np.lexsort((count, -lv.astype(np.int16), pair))
    pair_o = pair[order]
    head = np.ones(pair_o.size, dtype=bool)
    head[1:] = pair_o[1:] != pair_o[:-1]
    best = order[head]
    levels = np.full(left.size, -1, dtype=np.int8)
    levels[pair[best]] = lv[best]
    tf_code = np.full(left.size, -1, dtype=np.int32)
    top = lv[best] == scorer.top
    tf_code[pair[best][top]] = sa[best][top]
    return Compared(levels, tf_code)


def scorer_for(kind: ColumnKind) -> Scorer:
    return SCORERS[kind]


def describe_all() -> dict[str, str]:
    """Each kind's scorer described, for documentation and explanations."""
    return {kind.value: s.describe() for kind, s in SCORERS.items()}
