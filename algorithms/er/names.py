"""Personal names as entity resolution compares them.

- **Folding**: accents stripped, case folded, Cyrillic and Greek transliterated letter by letter
  (a compact table here: matching needs "Юрий" and "Yuriy" to land near each other, which the
  phonetic keys then finish), apostrophes dropped ("O'Neil" -> "oneil"), other punctuation as
  spaces ("Smith-Jones" -> "smith jones").
- **Titles and suffixes** ("Mr", "Dr", "Jnr", "III") are dropped; they say nothing of identity.
- **Companies House officer form** "MR|KEVIN DAVID|SMITH" (title | forenames | surname) and
  "SMITH, Kevin David" are read into forenames and surname.
- **Nicknames and diminutives** come from the ``nicknames`` package (Apache-2.0, a hand-curated
  CSV of English given names: "bill" ~ "william"): two forenames are related when the sets
  {name} + its canonical names intersect.
- **Transliteration variants** (Mohammed / Muhammad / Mohamed, Aleksandr / Alexander) meet on
  their Metaphone key (``jellyfish``, Rust), which drops vowels and folds "x"/"ks".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import jellyfish
import numpy as np
from nicknames import NickNamer
from numpy.typing import NDArray

from algorithms.er.arrays import unique

_TITLE_WORDS = (
    "mr mrs ms miss mx master dr doctor prof professor sir dame lord lady rev revd reverend "
    "fr father sister brother hon capt major col sgt"
)
TITLES: frozenset[str] = frozenset(_TITLE_WORDS.split())
"""Titles, as folded, dropped from names before they are compared."""

_SUFFIX_WORDS = "jr jnr junior sr snr senior ii iii iv esq"
SUFFIXES: frozenset[str] = frozenset(_SUFFIX_WORDS.split())
"""Generational and honorific suffixes, dropped likewise."""

_CYRILLIC_LATIN = (
    "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g"
)
_CYRILLIC = dict(
    zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ", _CYRILLIC_LATIN.split(" "), strict=True)
)
_GREEK_LATIN = "a v g d e z i th i k l m n x o p r s s t y f ch ps o"
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", _GREEK_LATIN.split(" "), strict=True))
# Latin letters that carry no combining mark to strip (\u0131: dotless i).
_OTHER = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"}
_TRANSLITERATE = str.maketrans(
    {k: ("" if v == "-" else v) for k, v in (_CYRILLIC | _GREEK | _OTHER).items()}
)
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``text`` as compared: transliterated, unaccented, case-folded, punctuation as spaces."""
    if text.isascii():
        # Most values: nothing to decompose or transliterate.
        folded = text.lower().replace("'", "").replace("`", "")
    else:
        # Transliterated before decomposing ("й" is a letter of its own, not "и" with a mark)
        # and after (accented Greek letters are their base letter once decomposed).
        folded = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATE))
        folded = "".join(c for c in folded if not unicodedata.combining(c))
        folded = _APOSTROPHES.sub("", folded.translate(_TRANSLITERATE))
    return " ".join(_NON_WORD.sub(" ", folded).split())


def name_tokens(text: str) -> list[str]:
    """A name's folded tokens without titles and suffixes, in written order."""
    return [t for t in fold(text).split() if t not in TITLES and t not in SUFFIXES]


@dataclass(frozen=True, slots=True)
class PersonName:
    """A full name read into forenames and surname (both folded, titles dropped)."""

    forenames: tuple[str, ...]
    surname: str

    @property
    def tokens(self) -> tuple[str, ...]:
        return (*self.forenames, self.surname) if self.surname else self.forenames


def parse_full_name(text: str) -> PersonName | None:
    """Read a full name: "MR|KEVIN DAVID|SMITH" (Companies House officers: title, forenames,
    surname), "SMITH, Kevin David" (surname first), or "Kevin David Smith" (surname last).
    None when nothing but titles is left."""
    if "|" in text:
        parts = text.split("|")
        forenames, surname = parts[-2], parts[-1]
        fore = name_tokens(forenames)
        sur = name_tokens(surname)
    elif "," in text:
        surname, forenames = text.split(",", 1)
        fore = name_tokens(forenames)
        sur = name_tokens(surname)
    else:
        tokens = name_tokens(text)
        fore, sur = tokens[:-1], tokens[-1:]
    if not sur and fore:
        fore, sur = fore[:-1], fore[-1:]
    if not sur:
        return None
    return PersonName(tuple(fore), " ".join(sur))


def phonetic(text: str) -> str:
    """The Metaphone key of a (folded) name, spaces ignored; "" for no letters."""
    compact = text.replace(" ", "")
    return jellyfish.metaphone(compact) if compact.isalpha() else compact


@functools.cache
def _nick_groups() -> dict[str, frozenset[str]]:
    # The package's own table, read once: each name with its canonical forms (the table lists
    # relations both ways, so "bill" -> {william, ...} and "william" -> {bill, ...}).
    lookup = NickNamer().canonical_lookup
    return {name: frozenset({name, *canon}) for name, canon in lookup.items()}


def nickname_group(name: str) -> frozenset[str]:
    """The name and its canonical forms; two names are nickname-related when theirs meet."""
    return _nick_groups().get(name, frozenset({name}))


def related_pairs(values: Sequence[str]) -> NDArray[np.int64]:
    """Sorted keys ``a * len(values) + b`` (``a < b``) of every pair of ``values`` whose first
    tokens are nickname-related, for a vectorised membership test over candidate pairs."""
    n = len(values)
    by_canonical: dict[str, list[int]] = {}
    for code, value in enumerate(values):
        first = value.split(" ", 1)[0]
        for canonical in nickname_group(first):
            by_canonical.setdefault(canonical, []).append(code)
    keys: list[NDArray[np.int64]] = []
    for codes in by_canonical.values():
        if len(codes) < 2:
            continue
        c = np.asarray(codes, dtype=np.int64)
        a, b = np.triu_indices(len(c), k=1)
        lo, hi = np.minimum(c[a], c[b]), np.maximum(c[a], c[b])
        keys.append(lo * n + hi)
    if not keys:
        return np.empty(0, dtype=np.int64)
    return unique(np.concatenate(keys))


def in_sorted(keys: NDArray[np.int64], table: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Which ``keys`` are in the sorted array ``table``."""
    if table.size == 0:
        return np.zeros(keys.shape, dtype=bool)
    at = np.searchsorted(table, keys)
    at[at == table.size] = 0
    return np.asarray(table[at] == keys, dtype=bool)
