"""A people CSV with planted duplicates, for the dedupe tests (engine and command)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST = [
    "Oliver",
    "Amelia",
    "Harry",
    "Isla",
    "Jack",
    "Ava",
    "George",
    "Mia",
    "Noah",
    "Ivy",
    "Leo",
    "Grace",
    "Oscar",
    "Freya",
    "Arthur",
    "Lily",
    "Muhammad",
    "Emily",
    "Thomas",
    "Ella",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Walker",
    "Khan",
    "Okafor",
    "Kowalski",
    "Nguyen",
    "Fitzgerald",
    "Zielinski",
    "Abara",
    "Quinlan",
    "Trevelyan",
]


def typo(text: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(text))
    return text[:i] + text[i + 1 :] if rng.random() < 0.5 else text[:i] + "x" + text[i:]


def write_people(path: Path, people: int = 400, seed: int = 3) -> dict[str, int]:
    """A CSV of ``people`` people, a third of them written two or three times with typos and
    gaps; returns each row's true person."""
    rng = random.Random(seed)
    truth: dict[str, int] = {}
    rows: list[dict[str, str]] = []
    for person in range(people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        dob = f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = f"07700 9{rng.randint(0, 99999):05d}"
        copies = 1 if rng.random() < 0.66 else rng.choice((2, 3))
        for copy in range(copies):
            f, s, d, p = first, last, dob, phone
            if copy:
                if rng.random() < 0.4:
                    s = typo(s, rng)
                if rng.random() < 0.3:
                    d = f"{d[:5]}{d[8:]}-{d[5:7]}" if int(d[8:]) <= 12 else ""
                if rng.random() < 0.3:
                    p = ""
            key = f"r{len(rows):05d}"
            truth[key] = person
            rows.append({"ref": key, "First Name": f, "Last Name": s, "Born": d, "Mobile": p})
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return truth


COLUMNS = """
id: ref
columns:
  First Name: forename
  Last Name: surname
  Born: date_of_birth
  Mobile: phone
"""
