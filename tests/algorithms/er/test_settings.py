"""Comparisons and blocking rules derived from column kinds alone."""

from __future__ import annotations

from algorithms.er.settings import default_blocking_rules, default_comparisons
from algorithms.er.table import ColumnKind


def test_forename_and_surname_are_partners() -> None:
    specs = default_comparisons(
        {"f": ColumnKind.FORENAME, "s": ColumnKind.SURNAME, "d": ColumnKind.DATE_OF_BIRTH}
    )
    assert [(s.column, s.partner) for s in specs] == [("f", "s"), ("s", "f"), ("d", None)]
    two = default_comparisons(
        {"f1": ColumnKind.FORENAME, "f2": ColumnKind.FORENAME, "s": ColumnKind.SURNAME}
    )
    assert all(s.partner is None for s in two)


def test_rules_use_only_the_columns_present_and_pair_keys() -> None:
    kinds = {
        "f": ColumnKind.FORENAME,
        "s": ColumnKind.SURNAME,
        "d": ColumnKind.DATE_OF_BIRTH,
        "tel": ColumnKind.PHONE,
        "pc": ColumnKind.POSTCODE,
    }
    rules = default_blocking_rules(kinds)
    labels = [r.label for r in rules]
    assert labels[0] == "tel"
    assert "f + s (either order)" in labels
    assert "d + s.meta" in labels
    assert "pc + s.meta" in labels
    used = {k.partition(".")[0] for r in rules for k in r.keys}
    assert used <= set(kinds)
    # Apart from identifiers, phones and e-mails, no rule blocks on one broad key alone.
    assert all(len(r.keys) >= 2 for r in rules[1:])
    assert len(set(rules)) == len(rules)


def test_full_names_get_rules_of_their_own() -> None:
    labels = [
        r.label
        for r in default_blocking_rules({"n": ColumnKind.FULL_NAME, "d": ColumnKind.DATE_OF_BIRTH})
    ]
    assert "n.sorted" in labels
    assert "d + n.surname_meta" in labels


def test_columns_no_rule_knows_are_blocked_on_alone() -> None:
    rules = default_blocking_rules({"state": ColumnKind.CATEGORICAL})
    assert [r.label for r in rules] == ["state"]
