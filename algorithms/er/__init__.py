"""Entity resolution: blocking, comparison, a probabilistic score trained without labels, and
an explanation for every decision.

Start at ``link``; the stages are modules of their own (``table``, ``names``, ``features``,
``hubs``, ``blocking``, ``compare``, ``em``, ``model``, ``settings``, ``explain``).
"""

from algorithms.er.blocking import BlockingRule, BlockingStats, Candidates, pairs_completeness
from algorithms.er.explain import ComparisonExplanation, PairExplanation, explain_pair
from algorithms.er.hubs import Hub
from algorithms.er.link import (
    LinkResult,
    ScoredPairs,
    candidate_pairs,
    compare_pairs,
    link,
    score_pairs,
)
from algorithms.er.model import ComparisonParams, LevelParams, MatchModel, Threshold
from algorithms.er.prepared import prepare
from algorithms.er.settings import ComparisonSpec, LinkSettings
from algorithms.er.table import Column, ColumnKind, RecordTable

__all__ = [
    "BlockingRule",
    "BlockingStats",
    "Candidates",
    "Column",
    "ColumnKind",
    "ComparisonExplanation",
    "ComparisonParams",
    "ComparisonSpec",
    "Hub",
    "LevelParams",
    "LinkResult",
    "LinkSettings",
    "MatchModel",
    "PairExplanation",
    "RecordTable",
    "ScoredPairs",
    "Threshold",
    "candidate_pairs",
    "compare_pairs",
    "explain_pair",
    "link",
    "pairs_completeness",
    "prepare",
    "score_pairs",
]
