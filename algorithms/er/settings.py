"""Link settings, and the comparisons and blocking rules derived from column kinds alone.

A user of ``clew dedupe`` names the id column and each column's kind, nothing more: the
defaults here must then work on a table never seen before. Comparisons: one per column, by its
kind's scorer (``compare.SCORERS``), forename and surname each other's partner (for names
written the wrong way round), term frequencies on. Blocking rules: every identifier, phone and
e-mail on its own; names in either order; phonetic names; the first forename (middle names
given by one source only) with the phonetic surname; the date of birth (day and month in
either order too) with a phonetic name, the locality or the address; the postcode with a name,
the year of birth or the street number; the address with the street number or the surname.
Each rule pairs two keys so that blocks stay small on a large region (a date of birth alone is
shared by dozens of people in a million); together they tolerate a typo in any one field.

Dependent comparisons: Fellegi-Sunter multiplies the evidence of its comparisons as if they
were independent, and for the attributes a household shares (surname, postcode, address,
street number, locality, a landline) they are not: two members of one family agree on all of
them at once, so adding their weights counts one fact ("same household") four times, and it
outweighs the forenames and dates of birth that tell the family apart. The comparisons on
those kinds form one *dependent group* (``DEPENDENT_KINDS``): the model counts only the
strongest agreement and the strongest disagreement within it (``model.group_weight``), and an
EM session blocked on one of them fits none of them (``em``). A user's own groups, by
comparison name, replace the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from algorithms.er.blocking import BlockingRule
from algorithms.er.hubs import DEFAULT_HUB_LIMITS
from algorithms.er.table import ColumnKind, RecordTable
from schema.errors import ResolutionError


class ComparisonSpec(BaseModel):
    """One comparison: a column compared by its kind's scorer. ``partner`` is the other name
    column (forename for a surname and the other way round), for the "swapped" level."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str
    name: str | None = None
    partner: str | None = None
    term_frequencies: bool = True

    @property
    def label(self) -> str:
        return self.name or self.column


class LinkSettings(BaseModel):
    """How ``link`` runs. Every field has a default that works from column kinds alone."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    comparisons: list[ComparisonSpec] | None = Field(
        default=None, description="None: one per column, from its kind"
    )
    blocking_rules: list[BlockingRule] | None = Field(
        default=None, description="None: derived from the column kinds"
    )
    max_block_size: int = Field(
        default=5_000, ge=2, description="blocks larger than this are skipped, and counted"
    )
    max_name_block_size: int | None = Field(
        default=100,
        ge=2,
        description="the cap for rules on names alone (blocking's module docstring); None: "
        "max_block_size",
    )
    u_sample_pairs: int = Field(
        default=200_000, ge=1_000, description="random pairs that estimate u"
    )
    em_max_iterations: int = Field(default=100, ge=1)
    em_max_pairs: int = Field(
        default=2_000_000, ge=1_000, description="pairs sampled from a rule for its EM session"
    )
    em_tolerance: float = Field(default=1e-5, gt=0)
    threshold_probability: float | None = Field(
        default=None,
        gt=0,
        lt=1,
        description="None: chosen without labels (a match is more likely than not)",
    )
    hub_limits: dict[ColumnKind, int] = Field(
        default_factory=lambda: dict(DEFAULT_HUB_LIMITS),
        description="distinct people a value of a kind may be shared by before it is ignored",
    )
    region: str = Field(default="GB", description="phone numbers without a country code")
    dependent_groups: list[list[str]] | None = Field(
        default=None,
        description="comparisons (by name) whose evidence is not independent: within a group "
        "only the strongest agreement and disagreement count; None: by kind (DEPENDENT_KINDS)",
    )
    seed: int = 0


DEPENDENT_KINDS: tuple[frozenset[ColumnKind], ...] = (
    frozenset(
        {
            ColumnKind.SURNAME,
            ColumnKind.POSTCODE,
            ColumnKind.ADDRESS,
            ColumnKind.STREET_NUMBER,
            ColumnKind.LOCALITY,
            ColumnKind.PHONE,
        }
    ),
)
"""Column kinds whose agreements go together among different people (one household)."""


def _first(kinds: Mapping[str, ColumnKind], kind: ColumnKind) -> str | None:
    return next((name for name, k in kinds.items() if k is kind), None)


def default_comparisons(kinds: Mapping[str, ColumnKind]) -> list[ComparisonSpec]:
    """One comparison per column; a lone forename and surname are each other's partner."""
    forenames = [c for c, k in kinds.items() if k is ColumnKind.FORENAME]
    surnames = [c for c, k in kinds.items() if k is ColumnKind.SURNAME]
    pair = len(forenames) == 1 and len(surnames) == 1
    specs = []
    for column, kind in kinds.items():
        partner = None
        if pair and kind is ColumnKind.FORENAME:
            partner = surnames[0]
        elif pair and kind is ColumnKind.SURNAME:
            partner = forenames[0]
        specs.append(ComparisonSpec(column=column, partner=partner))
    return specs


def default_blocking_rules(kinds: Mapping[str, ColumnKind]) -> list[BlockingRule]:
    """Blocking rules from column kinds (see the module docstring)."""
    rules: list[BlockingRule] = []

    def add(*keys: str | None, unordered: bool = False) -> None:
        if all(keys):
            rule = BlockingRule(keys=tuple(k for k in keys if k), unordered=unordered)
            if rule not in rules:
                rules.append(rule)

    for column, kind in kinds.items():
        if kind in (ColumnKind.IDENTIFIER, ColumnKind.PHONE, ColumnKind.EMAIL):
            add(column)
    fore = _first(kinds, ColumnKind.FORENAME)
    sur = _first(kinds, ColumnKind.SURNAME)
    full = _first(kinds, ColumnKind.FULL_NAME)
    dob = _first(kinds, ColumnKind.DATE_OF_BIRTH)
    postcode = _first(kinds, ColumnKind.POSTCODE)
    address = _first(kinds, ColumnKind.ADDRESS)
    number = _first(kinds, ColumnKind.STREET_NUMBER)
    locality = _first(kinds, ColumnKind.LOCALITY)
    fore_meta = f"{fore}.meta" if fore else f"{full}.first_meta" if full else None
    sur_meta = f"{sur}.meta" if sur else f"{full}.surname_meta" if full else None
    fore_initial = f"{fore}.initial" if fore else f"{full}.initial_surname" if full else None
    if fore and sur:
        add(fore, sur, unordered=True)
    if full:
        add(f"{full}.sorted")
    add(fore_meta, sur_meta)
    if fore:
        # The first forename alone: one source gives middle names, another does not.
        add(f"{fore}.first", sur_meta)
    if dob:
        add(dob, sur_meta)
        add(dob, fore_meta)
        add(f"{dob}.unordered", fore_initial)
        add(dob, locality)
        add(dob, address)
    if postcode:
        add(postcode, sur_meta)
        add(postcode, fore_meta)
        add(postcode, f"{dob}.year" if dob else None)
        add(postcode, number)
    if address:
        add(address, number or sur_meta)
        add(address, fore_meta)
    if locality:
        add(locality, sur_meta, fore_initial)
    if not rules:
        # No column a rule above uses: every column on its own, whatever it holds.
        for column in kinds:
            add(column)
    return rules


def resolve_comparisons(table: RecordTable, settings: LinkSettings) -> list[ComparisonSpec]:
    """The comparisons to run on ``table``, checked against its columns."""
    kinds = {name: col.kind for name, col in table.columns.items()}
    specs = settings.comparisons if settings.comparisons is not None else default_comparisons(kinds)
    labels = [s.label for s in specs]
    if len(set(labels)) != len(labels):
        raise ResolutionError(f"comparison names repeat: {labels}")
    for spec in specs:
        for column in (spec.column, spec.partner):
            if column is not None and column not in table.columns:
                raise ResolutionError(
                    f"comparison {spec.label!r} names column {column!r}; the table has "
                    f"{', '.join(table.columns)}"
                )
    if not specs:
        raise ResolutionError("no comparisons: the table has no columns to compare")
    return specs


def resolve_rules(table: RecordTable, settings: LinkSettings) -> list[BlockingRule]:
    kinds = {name: col.kind for name, col in table.columns.items()}
    if settings.blocking_rules is not None:
        return list(settings.blocking_rules)
    return default_blocking_rules(kinds)


def resolve_groups(
    table: RecordTable, specs: Sequence[ComparisonSpec], settings: LinkSettings
) -> list[list[str]]:
    """The dependent groups of comparisons (by name) on ``table``: the settings' own, checked,
    or the comparisons of each group of ``DEPENDENT_KINDS`` (where two or more are run)."""
    labels = [s.label for s in specs]
    if settings.dependent_groups is not None:
        seen: set[str] = set()
        for group in settings.dependent_groups:
            for name in group:
                if name not in labels:
                    raise ResolutionError(
                        f"dependent group {group} names {name!r}; the comparisons are {labels}"
                    )
                if name in seen:
                    raise ResolutionError(f"comparison {name!r} is in two dependent groups")
                seen.add(name)
        return [list(g) for g in settings.dependent_groups if len(g) > 1]
    groups = []
    for kinds in DEPENDENT_KINDS:
        group = [s.label for s in specs if table.columns[s.column].kind in kinds]
        if len(group) > 1:
            groups.append(group)
    return groups
