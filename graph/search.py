"""The store side of search: candidate entities by full text and by exact keys, for one view.

Every query here filters each node it touches with ``View.exists`` in the store, so a candidate
the caller may not see is never returned. A candidate is only a candidate: its stored name,
aliases and text may come from records the caller cannot see, so the API rebuilds it as the
caller is shown it and checks the match again (``api.graphql.search``).

Full-text queries take the caller's words, never as they were typed: ``words`` keeps letters and
digits only (so no operator of an engine's query language ever reaches it), and each engine's
``SearchSyntax`` writes the words as its own query, each word as itself, a prefix, and (from four
letters) one edit away, the words joined by OR (ranking happens after the re-check, in Python).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from schema.access import View
from schema.graph_schema import GRAPH_SCHEMA
from schema.specs import FullTextSpec, check_identifier

MAX_WORDS: Final = 8
"""Words of the caller's text used in a full-text query (the rest add little and cost much)."""

MAX_WORD_LENGTH: Final = 40
FUZZY_FROM: Final = 4
"""The shortest word also matched one edit away (shorter ones match too much)."""

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text`` a full-text query may use: runs of letters and digits, lower-cased,
    two characters or more, at most ``MAX_WORDS`` distinct ones, each cut to
    ``MAX_WORD_LENGTH``."""
    out: list[str] = []
    for match in _WORD.finditer(text.casefold()):
        word = match.group(0)[:MAX_WORD_LENGTH]
        if len(word) >= 2 and word not in out:
            out.append(word)
        if len(out) == MAX_WORDS:
            break
    return out


@dataclass(frozen=True, slots=True)
class SearchSyntax:
    """How one engine's full-text procedure is called and its query language written."""

    procedure: str
    """The procedure that queries a node full-text index."""
    fuzzy: str
    """A word one edit away; ``{w}`` is the word."""
    prefix: str
    either: str
    """Alternatives joined: ``{0}`` and ``{1}``."""
    index_by_name: bool
    """Whether the index is named by its spec name (Neo4j) or by its label (FalkorDB)."""

    def term(self, word: str) -> str:
        """One word as itself, a prefix and, long enough and not a number, one edit away."""
        parts = [self.prefix.format(w=word)]
        if len(word) >= FUZZY_FROM and not word.isdigit():
            parts.append(self.fuzzy.format(w=word))
        return "(" + self.either.join(parts) + ")"

    def query(self, text: str) -> str | None:
        """The full-text query for ``text``, or None when it has no usable word."""
        found = words(text)
        if not found:
            return None
        return self.either.join(self.term(w) for w in found)

    def index(self, spec: FullTextSpec) -> str:
        return spec.name if self.index_by_name else spec.label


SYNTAX: Final[Mapping[str, SearchSyntax]] = {
    # RediSearch: %w% is Levenshtein 1, w* a prefix, | an OR.
    "falkordb": SearchSyntax(
        procedure="db.idx.fulltext.queryNodes",
        fuzzy="%{w}%",
        prefix="{w}*",
        either="|",
        index_by_name=False,
    ),
    # Lucene: w~1 is one edit away, w* a prefix.
    "neo4j": SearchSyntax(
        procedure="db.index.fulltext.queryNodes",
        fuzzy="{w}~1",
        prefix="{w}*",
        either=" OR ",
        index_by_name=True,
    ),
}
"""The search syntax of each engine (``GraphStore.engine``)."""


def fulltext_spec(label: str) -> FullTextSpec:
    """The full-text index the schema declares on ``label`` (``KeyError`` when none)."""
    node = GRAPH_SCHEMA.node(label)
    if not node.fulltext:
        raise KeyError(f"{label} has no full-text index")
    return FullTextSpec(label=label, properties=node.fulltext)


_LIVE = "n.retired_at IS NULL"
"""Persons merged away or left without records keep their node; search shows the survivors."""


def fulltext_candidates_query(syntax: SearchSyntax, label: str, view: View) -> str:
    """Nodes of ``label`` whose full-text index matches ``$query`` and that exist for ``view``,
    best first, at most ``$limit``: ``label``, ``props``, ``score`` (the engine's own)."""
    spec = fulltext_spec(label)
    return (
        f"CALL {syntax.procedure}('{syntax.index(spec)}', $query) YIELD node, score "
        f"WITH node AS n, score WHERE {view.exists('n')} AND {_LIVE} "
        f"RETURN '{spec.label}' AS label, properties(n) AS props, score "
        "ORDER BY score DESC LIMIT $limit"
    )


def exact_candidates_query(label: str, key: str, view: View) -> str:
    """Nodes of ``label`` whose property ``key`` is one of ``$values`` and that exist for
    ``view``, at most ``$limit``: ``label``, ``props``, ``score`` (1.0)."""
    checked = check_identifier(label)
    return (
        f"MATCH (n:{checked}) WHERE n.{check_identifier(key)} IN $values "
        f"AND {view.exists('n')} AND {_LIVE} "
        f"RETURN '{checked}' AS label, properties(n) AS props, 1.0 AS score "
        "ORDER BY n.id LIMIT $limit"
    )
