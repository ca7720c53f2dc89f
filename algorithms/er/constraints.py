"""Must-links and cannot-links kept consistent as they are added, strongest word first.

Clustering refuses a cannot-link between records that must-links join (``LinkConflict``): it
cannot choose which word to break. The resolver can, because its links have a ranking (an
analyst's latest judgement, then earlier ones, then a source's shared reference): adding them
to ``LinkGroups`` in that order keeps every link that agrees with those added before it and
turns away the rest, so what reaches clustering never contradicts itself.
"""

from __future__ import annotations


class LinkGroups:
    """Union-find over records ``0..n-1`` that also remembers which groups must stay apart.

    ``join`` refuses to unite two groups kept apart, ``separate`` refuses to part two records
    already in one group; each says whether the link was taken. Near-linear in the links added
    (path halving; a merge moves the smaller group's apart-set into the larger's)."""

    def __init__(self, n: int) -> None:
        self._parent = list(range(n))
        self._apart: dict[int, set[int]] = {}

    def find(self, x: int) -> int:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def together(self, a: int, b: int) -> bool:
        return self.find(a) == self.find(b)

    def join(self, a: int, b: int) -> bool:
        """Put ``a`` and ``b`` in one group, unless their groups are kept apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        apart_a, apart_b = self._apart.get(ra, set()), self._apart.get(rb, set())
        if rb in apart_a:
            return False
        keep, gone = (ra, rb) if len(apart_a) >= len(apart_b) else (rb, ra)
        self._parent[gone] = keep
        moved = self._apart.pop(gone, set())
        if moved:
            kept = self._apart.setdefault(keep, set())
            for other in moved:
                theirs = self._apart[other]
                theirs.discard(gone)
                theirs.add(keep)
                kept.add(other)
        return True

    def separate(self, a: int, b: int) -> bool:
        """Keep the groups of ``a`` and ``b`` apart, unless they are one group already."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self._apart.setdefault(ra, set()).add(rb)
        self._apart.setdefault(rb, set()).add(ra)
        return True
