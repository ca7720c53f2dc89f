"""``search(text, kinds, limit)``: fuzzy search over people, companies, phones, addresses and
report text, ranked, each hit saying why it matched.

How a search runs, and why so:

1. **Read the text** (``Query.of``): dates of birth (``1984-03-02``, ``2/3/1984``), phone
   numbers in any notation (``phonenumbers``, region GB, to E.164), UK postcodes (written
   ``LS1 4AB``), company numbers (``01234567``, ``SC012345``); what is left after dates and
   phones is the name or the words.
2. **Candidates from the store** (``graph.search``), each query filtered to what exists for the
   caller: full text on person names and aliases, company names, address text and report text;
   exact keys for phones, company numbers, postcodes and dates of birth. Over-fetched
   (``candidates_for``), because some candidates will not survive step 4.
3. **As the caller is shown them** (``api.graphql.entities.visible_entities``): a candidate's
   stored names, aliases and text may come from records the caller may not see; the entity is
   rebuilt from the records it may see (a person) or reduced to its key (anything else).
4. **The match is checked again** on what the caller is shown, with rapidfuzz, and a candidate
   that no longer matches is dropped. So no hit ever matches on a value the caller cannot see,
   and nothing in the answer tells that such a value exists.

The score (0..1, ``Match.score``), per kind:

- person: ``name`` = the best of the name and each alias,
  ``max(token_sort_ratio, 0.95 * token_set_ratio) / 100`` (word order forgiven, a missing
  middle name costs a little); it must reach ``NAME_MATCH``. With a date in the text,
  ``0.8 * name + 0.2 * dob``, where dob is 1 when equal, 0.5 when a partial date of birth could
  be it, else 0, so that of two John Smiths the one born that day ranks first. A date alone
  finds people born that day (score = dob).
- company: the name as a person's, or 1 for its registered number.
- phone: 1 for the same E.164 number.
- address: the mean of what the text gives of postcode (1 when equal) and street text
  (``token_set_ratio``, at least ``NAME_MATCH``); one of them must match.
- report: the mean, over the words asked, of each word's best ``ratio`` against the report's
  words (a word the report has as a prefix counts as equal); it must reach ``WORDS_MATCH``.

Ties rank by kind, then name, then id, so the order is stable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Final

import phonenumbers
import strawberry
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from api.auth.identity import Permission
from api.graphql.context import Context
from api.graphql.entities import Entity, visible_entities
from api.graphql.errors import InvalidInput, Refused, invalid, refused
from api.graphql.visible import view_of
from graph.search import (
    SYNTAX,
    exact_candidates_query,
    fulltext_candidates_query,
    words,
)
from schema.base import PartialDate, normalise_company_number, normalise_postcode
from schema.entities import Phone

MAX_TEXT: Final = 200
DEFAULT_LIMIT: Final = 20
NAME_MATCH: Final = 0.75
"""The least name (or address text) similarity that counts as a match."""
WORDS_MATCH: Final = 0.75
"""The least mean word similarity that counts as a report match."""
WORD_MATCH: Final = 80
"""The least ``ratio`` for one word of a report to count as found (for the snippet)."""


@strawberry.enum(description="What a search looks at.")
class SearchKind(Enum):
    PERSON = "Person"
    COMPANY = "Company"
    PHONE = "Phone"
    ADDRESS = "Address"
    REPORT = "IntelReport"


@strawberry.type(description="One entity a search found, with its score and why it matched.")
class SearchHit:
    entity: Entity
    score: float = strawberry.field(
        description="0..1, best 1: name or text similarity (rapidfuzz); with a date, "
        "0.8 name + 0.2 date of birth; 1 for an equal number, phone or postcode."
    )
    matched_field: str = strawberry.field(
        description="What matched: name, alias, dob, number, e164, postcode, text."
    )
    matched_value: str = strawberry.field(
        description="The value that matched, as the caller is shown it."
    )
    reason: str = strawberry.field(
        description="Why, in words: \"name ~ 'john smith' (0.92); date of birth equal\"."
    )


@strawberry.type(description="The hits of a search, best first.")
class SearchHits:
    hits: list[SearchHit]


# --- reading the text --------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_UK_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b")
_COMPANY_NUMBER = re.compile(r"\b(?:[A-Z]{2}\d{6}|\d{6,8})\b")
_MIN_PHONE_DIGITS: Final = 9


@dataclass(frozen=True, slots=True)
class Query:
    """What a search's text asks for (module docstring, step 1)."""

    text: str
    words: str
    """The text less dates and phone numbers: a name, an address, words of a report."""
    dates: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    company_numbers: tuple[str, ...] = ()

    @classmethod
    def of(cls, text: str) -> Query:
        rest = text
        dates: list[str] = []
        for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_UK_DATE, (2, 1, 0))):
            for m in pattern.finditer(rest):
                y, mo, d = (int(m.group(i + 1)) for i in order)
                try:
                    dates.append(date(y, mo, d).isoformat())
                except ValueError:
                    continue
            rest = pattern.sub(" ", rest)
        phones: list[str] = []
        for found in phonenumbers.PhoneNumberMatcher(
            rest, "GB", leniency=phonenumbers.Leniency.POSSIBLE
        ):
            if sum(c.isdigit() for c in found.raw_string) < _MIN_PHONE_DIGITS:
                continue
            phones.append(
                phonenumbers.format_number(found.number, phonenumbers.PhoneNumberFormat.E164)
            )
            rest = rest.replace(found.raw_string, " ")
        upper = text.upper()
        postcodes = [normalise_postcode(m.group(0)) for m in _POSTCODE.finditer(upper)]
        numbers = [normalise_company_number(m.group(0)) for m in _COMPANY_NUMBER.finditer(upper)]
        return cls(
            text=text,
            words=" ".join(rest.split()),
            dates=_unique(dates),
            phones=_unique(phones),
            postcodes=_unique(postcodes),
            company_numbers=_unique(numbers),
        )

    def words_without_postcodes(self) -> str:
        return " ".join(_POSTCODE.sub(" ", self.words.upper()).split()).casefold()


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --- the check on what the caller is shown -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    score: float
    field: str
    value: str
    reason: str


def name_similarity(asked: str, value: str) -> float:
    """0..1: word order forgiven; words missing from either side cost a little."""
    a, b = default_process(asked), default_process(value)
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b), 0.95 * fuzz.token_set_ratio(a, b)) / 100


def _best_name(asked: str, props: Mapping[str, Any], aliases: Sequence[str]) -> Match | None:
    named = [("name", str(props["name"]))] if props.get("name") else []
    candidates = named + [("alias", a) for a in aliases]
    best: Match | None = None
    for which, value in candidates:
        s = name_similarity(asked, value)
        if best is None or s > best.score:
            best = Match(s, which, value, f"{which} ~ {asked.casefold()!r} ({s:.2f})")
    return best if best is not None and best.score >= NAME_MATCH else None


def _dob(dates: Sequence[str], props: Mapping[str, Any]) -> tuple[float, str]:
    stored = props.get("dob")
    if not stored:
        return 0.0, "no date of birth"
    try:
        dob = PartialDate.model_validate(str(stored))
    except ValueError:
        return 0.0, "no date of birth"
    if str(dob) in dates:
        return 1.0, "date of birth equal"
    if any(dob.could_be(date.fromisoformat(d)) for d in dates):
        return 0.5, f"date of birth could be ({dob})"
    return 0.0, "date of birth differs"


def properties_of(entity: Entity) -> Mapping[str, Any]:
    """An entity's properties as the caller is shown them (a JSON object)."""
    props = entity.properties
    return props if isinstance(props, Mapping) else {}


def match_person(q: Query, entity: Entity) -> Match | None:
    props = properties_of(entity)
    if q.words and words(q.words):
        found = _best_name(q.words, props, entity.aliases)
        if found is None:
            return None
        if not q.dates:
            return found
        dob, why = _dob(q.dates, props)
        return Match(
            0.8 * found.score + 0.2 * dob, found.field, found.value, f"{found.reason}; {why}"
        )
    if q.dates:
        dob, why = _dob(q.dates, props)
        if dob > 0:
            return Match(dob, "dob", str(props["dob"]), why)
    return None


def match_company(q: Query, entity: Entity) -> Match | None:
    props = properties_of(entity)
    number = str(props.get("number") or "")
    if number and number in q.company_numbers:
        return Match(1.0, "number", number, f"company number {number} equal")
    if q.words and words(q.words):
        return _best_name(q.words, props, entity.aliases)
    return None


def match_phone(q: Query, entity: Entity) -> Match | None:
    e164 = str(properties_of(entity).get("e164") or "")
    if e164 and e164 in q.phones:
        return Match(1.0, "e164", e164, f"phone number {e164} equal")
    return None


def match_address(q: Query, entity: Entity) -> Match | None:
    props = properties_of(entity)
    parts: list[float] = []
    reasons: list[str] = []
    first: tuple[str, str] | None = None
    postcode = str(props.get("postcode") or "")
    if q.postcodes:
        equal = bool(postcode) and postcode in q.postcodes
        parts.append(1.0 if equal else 0.0)
        reasons.append(f"postcode {postcode} equal" if equal else "postcode differs")
        if equal:
            first = ("postcode", postcode)
    asked = q.words_without_postcodes()
    text = str(props.get("text") or "")
    if words(asked):
        s = name_similarity(asked, text) if text else 0.0
        parts.append(s)
        reasons.append(f"address ~ {asked!r} ({s:.2f})")
        if s >= NAME_MATCH and first is None:
            first = ("text", text)
    if first is None:
        return None
    return Match(sum(parts) / len(parts), first[0], first[1], "; ".join(reasons))


def match_report(q: Query, entity: Entity) -> Match | None:
    text = str(properties_of(entity).get("text") or "")
    asked = words(q.words)
    if not text or not asked:
        return None
    have = words_of(text)
    if not have:
        return None
    total = 0.0
    first_found: str | None = None
    for word in asked:
        if any(h.startswith(word) for h in have):
            best, found = 100.0, next(h for h in have if h.startswith(word))
        else:
            found, best, _ = process.extractOne(word, have, scorer=fuzz.ratio)
        total += best
        if best >= WORD_MATCH and first_found is None:
            first_found = found
    score = total / len(asked) / 100
    if score < WORDS_MATCH or first_found is None:
        return None
    return Match(
        score, "text", snippet(text, first_found), f"text ~ {' '.join(asked)!r} ({score:.2f})"
    )


def words_of(text: str) -> list[str]:
    """Every distinct word of a report's text, lower-cased (not cut to a query's few)."""
    return list(dict.fromkeys(m.group(0) for m in re.finditer(r"[^\W_]+", text.casefold())))


def snippet(text: str, word: str, width: int = 60) -> str:
    """Up to ``width`` characters either side of the first place ``word`` occurs in ``text``."""
    at = text.casefold().find(word)
    if at < 0:
        return text[: 2 * width]
    start, end = max(0, at - width), min(len(text), at + len(word) + width)
    return ("..." if start else "") + text[start:end] + ("..." if end < len(text) else "")


MATCHERS: Final = {
    SearchKind.PERSON: match_person,
    SearchKind.COMPANY: match_company,
    SearchKind.PHONE: match_phone,
    SearchKind.ADDRESS: match_address,
    SearchKind.REPORT: match_report,
}
KIND_OF_LABEL: Final = {k.value: k for k in SearchKind}
_KIND_ORDER: Final = {k: i for i, k in enumerate(SearchKind)}


# --- the store ---------------------------------------------------------------------------------


def candidates_for(limit: int) -> int:
    """Candidates fetched per store query: more than asked, as some will not survive the check
    on what the caller is shown."""
    return max(50, 4 * limit)


def plan(
    q: Query, kinds: Iterable[SearchKind], ctx: Context, fetch: int
) -> list[tuple[str, dict[str, Any]]]:
    """The candidate queries for ``q`` (module docstring, step 2): text and parameters."""
    view = view_of(ctx.caller)
    syntax = SYNTAX[ctx.store.engine]
    base = {**view.params(), "limit": fetch}
    out: list[tuple[str, dict[str, Any]]] = []
    fulltext = syntax.query(q.words)
    address_text = syntax.query(q.words_without_postcodes())

    def add_fulltext(label: str, query: str | None) -> None:
        if query is not None:
            out.append((fulltext_candidates_query(syntax, label, view), {**base, "query": query}))

    def add_exact(label: str, key: str, values: Sequence[str]) -> None:
        if values:
            out.append((exact_candidates_query(label, key, view), {**base, "values": list(values)}))

    chosen = set(kinds)
    if SearchKind.PERSON in chosen:
        add_fulltext("Person", fulltext)
        dobs = [*q.dates, *{d[:7] for d in q.dates}, *{d[:4] for d in q.dates}]
        add_exact("Person", "dob", dobs)
    if SearchKind.COMPANY in chosen:
        add_fulltext("Company", fulltext)
        add_exact("Company", "number", q.company_numbers)
    if SearchKind.PHONE in chosen:
        add_exact("Phone", "id", [Phone.entity_id(e164=p) for p in q.phones])
    if SearchKind.ADDRESS in chosen:
        add_fulltext("Address", address_text)
        add_exact("Address", "postcode", q.postcodes)
    if SearchKind.REPORT in chosen:
        add_fulltext("IntelReport", fulltext)
    return out


async def search(
    ctx: Context, text: str, kinds: Sequence[SearchKind] | None, limit: int
) -> SearchHits | Refused | InvalidInput:
    """The resolver's work (module docstring)."""
    denied = refused(ctx, Permission.SEARCH)
    if denied is not None:
        return denied
    asked = text.strip()
    if not asked:
        return invalid(ctx, "text", "text is empty: give a name, a number, a postcode or words")
    if len(text) > MAX_TEXT:
        return invalid(ctx, "text", f"text is {len(text)} characters long; at most {MAX_TEXT}")
    if not 1 <= limit <= ctx.limits.max_page_size:
        return invalid(ctx, "limit", f"limit must be 1 to {ctx.limits.max_page_size}")
    q = Query.of(asked)
    chosen = list(dict.fromkeys(kinds)) if kinds else list(SearchKind)
    rows: dict[str, dict[str, Any]] = {}
    for query, params in plan(q, chosen, ctx, candidates_for(limit)):
        for row in (await ctx.read(query, params)).records():
            props = dict(row["props"])
            rows.setdefault(str(props["id"]), {"label": str(row["label"]), "props": props})
    if not rows:
        return SearchHits(hits=[])
    # Candidates are not noted for the audit: only the hits are shown.
    shown = await visible_entities(ctx, list(rows.values()), note=False)
    hits = rank(q, shown)[:limit]
    ctx.returned(h.entity.id for h in hits)
    return SearchHits(hits=hits)


def rank(q: Query, entities: Iterable[Entity]) -> list[SearchHit]:
    """The entities that match ``q`` as shown, best first (module docstring)."""
    found: list[tuple[SearchKind, SearchHit]] = []
    for entity in entities:
        kind = KIND_OF_LABEL.get(entity.kind)
        if kind is None:
            continue
        m = MATCHERS[kind](q, entity)
        if m is None:
            continue
        hit = SearchHit(
            entity=entity,
            score=round(min(1.0, max(0.0, m.score)), 4),
            matched_field=m.field,
            matched_value=m.value,
            reason=m.reason,
        )
        found.append((kind, hit))
    found.sort(
        key=lambda kh: (-kh[1].score, _KIND_ORDER[kh[0]], kh[1].entity.name, kh[1].entity.id)
    )
    return [hit for _, hit in found]
