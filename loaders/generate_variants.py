"""How one person comes to be written differently in different sources: the realistic errors
the synthetic region plants (typos, nicknames, day and month swapped, missing fields, an old
address), and the small random helpers the row writers share.

Row writers make a handful of random choices per row; drawing each from numpy costs a
microsecond, so ``Dice`` hands out floats from a pre-drawn block (deterministic for the seed
like everything else).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np

from loaders import generate_data as data
from loaders.generate_population import Population

T = TypeVar("T")

_KEYBOARD = {
    "a": "sqz", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}  # fmt: skip


class Dice:
    """Uniform floats from pre-drawn blocks of a numpy generator."""

    __slots__ = ("_block", "_next", "_rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._block: list[float] = []
        self._next = 0

    def random(self) -> float:
        if self._next >= len(self._block):
            self._block = self._rng.random(65_536).tolist()
            self._next = 0
        value = self._block[self._next]
        self._next += 1
        return value

    def chance(self, p: float) -> bool:
        return self.random() < p

    def below(self, n: int) -> int:
        return min(int(self.random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """An integer from ``low`` to ``high`` inclusive."""
        return low + self.below(high - low + 1)

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def letters(self, alphabet: str, count: int) -> str:
        base = len(alphabet)
        out: list[str] = []
        while len(out) < count:
            # One float gives several characters (base ** 6 stays well inside its 53 bits).
            value = int(self.random() * base**6)
            for _ in range(min(6, count - len(out))):
                value, digit = divmod(value, base)
                out.append(alphabet[digit])
        return "".join(out)

    def digits(self, count: int) -> str:
        text = str(int(self.random() * 10**count))
        return text.zfill(count)


@dataclass(frozen=True, slots=True)
class ErrorRates:
    """How often a source gets each part of a person wrong."""

    nickname: float = 0.06
    forename_typo: float = 0.02
    surname_typo: float = 0.03
    initial_only: float = 0.02
    no_forenames: float = 0.01
    dob_swapped: float = 0.03
    dob_year_typo: float = 0.01
    dob_year_only: float = 0.01
    no_dob: float = 0.06
    old_address: float = 0.15
    no_address: float = 0.05


CLEAN = ErrorRates(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)


def typo(text: str, dice: Dice) -> str:
    """One keyboard slip: a neighbouring key, two letters swapped, one dropped or doubled."""
    if len(text) < 3:
        return text
    i = dice.between(1, len(text) - 2)
    kind = dice.below(4)
    char = text[i]
    if kind == 0 and char.lower() in _KEYBOARD:
        near = dice.pick(_KEYBOARD[char.lower()])
        return text[:i] + (near.upper() if char.isupper() else near) + text[i + 1 :]
    if kind == 1 and text[i + 1].isalpha() and text[i + 1] != char:
        return text[:i] + text[i + 1] + char + text[i + 2 :]
    if kind == 2:
        return text[:i] + text[i + 1 :]
    return text[:i] + char + text[i:]


def forename_variant(pop: Population, i: int, dice: Dice, rates: ErrorRates) -> str | None:
    name = pop.forenames(i)
    roll = dice.random()
    if roll < rates.no_forenames:
        return None
    roll -= rates.no_forenames
    if roll < rates.initial_only:
        return name[0]
    roll -= rates.initial_only
    if roll < rates.nickname:
        return dice.pick(data.NICKNAMES[name]) if name in data.NICKNAMES else name
    roll -= rates.nickname
    if roll < rates.forename_typo:
        return typo(name, dice)
    return name


def surname_variant(pop: Population, i: int, dice: Dice, rates: ErrorRates) -> str:
    name = pop.surname_of(i)
    return typo(name, dice) if dice.chance(rates.surname_typo) else name


def dob_variant(pop: Population, i: int, dice: Dice, rates: ErrorRates) -> str | None:
    """The date of birth as the source has it, ISO-written ("1984-07-03", "1984")."""
    born = pop.birth_date(i)
    roll = dice.random()
    if roll < rates.no_dob:
        return None
    roll -= rates.no_dob
    if roll < rates.dob_year_only:
        return f"{born.year:04d}"
    roll -= rates.dob_year_only
    if roll < rates.dob_swapped and born.day <= 12 and born.day != born.month:
        born = date(born.year, born.day, born.month)
    elif roll < rates.dob_swapped + rates.dob_year_typo:
        born = _with_year(born, born.year + dice.pick((-1, 1, -10, 10)))
    return born.isoformat()


def _with_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def household_variant(pop: Population, i: int, dice: Dice, rates: ErrorRates) -> int:
    """The household whose address the source has (an earlier one, or -1 for none)."""
    roll = dice.random()
    if roll < rates.no_address:
        return -1
    if roll < rates.no_address + rates.old_address:
        return int(pop.previous_household[i])
    return int(pop.household[i])


def vehicle_registration(dice: Dice) -> str:
    """A current-format UK registration ("AB12 CDE")."""
    age = dice.pick(("05", "08", "11", "14", "16", "18", "19", "21", "55", "58", "61", "65", "68"))
    memory = dice.letters("ABCDEFGHJKLMNOPRSTUVWXY", 2)
    return f"{memory}{age} {dice.letters('ABCDEFGHJKLMNPRSTUVWXYZ', 3)}"
