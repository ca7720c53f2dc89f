"""``DocumentFacts``: what the extensions work out about a parsed document, kept per document.

The parser cache (``protection``) hands every request with the same query text the same
``DocumentNode`` object, so what depends only on the document (its validation errors under a
schema's rules, which variables its cost reads) can be kept with it and found by the object's
identity. Looking a document up by value would hash its whole tree on every request: graphql-core's
nodes hash structurally, and that walk cost more than the validation it saved for a query of 100
fields.

An entry holds its document, so the ``id`` it is found by cannot be reused by another object while
the entry lives; the documents are a bounded LRU, and each document's facts are bounded too (facts
that depend on variable values must not grow without limit under a caller who varies them).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from graphql.language import DocumentNode

MAX_FACTS = 32
"""Facts kept about one document (more are computed each time instead of kept)."""


class DocumentFacts:
    """Facts about up to ``maxsize`` documents, found by identity; thread-safe."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[int, tuple[DocumentNode, dict[Hashable, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, document: DocumentNode, key: Hashable) -> Any | None:
        """The fact ``key`` about ``document``, or ``None`` when none is kept."""
        with self._lock:
            entry = self._entries.get(id(document))
            if entry is None or entry[0] is not document:
                return None
            self._entries.move_to_end(id(document))
            return entry[1].get(key)

    def put(self, document: DocumentNode, key: Hashable, value: Any) -> None:
        with self._lock:
            entry = self._entries.get(id(document))
            if entry is None or entry[0] is not document:
                entry = (document, {})
                self._entries[id(document)] = entry
                while len(self._entries) > self.maxsize:
                    self._entries.popitem(last=False)
            if len(entry[1]) < MAX_FACTS:
                entry[1][key] = value
