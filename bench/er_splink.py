"""Splink's side of ``bench/er.py``: the models, each as a competent Splink user would write it.

Splink 5 on DuckDB, timed from registering the DataFrame to predictions (and clusters).

FEBRL (``run_splink``)
    The settings of Splink's own FEBRL examples (docs/demos/examples/duckdb/febrl3 and febrl4):
    their blocking rules and comparisons, deterministic rules for the prior, u from
    ``max_pairs=1e6`` random pairs, two EM sessions; predictions at ``p >= 0.2``, matches at
    ``p >= 0.5`` and, for FEBRL3, ``cluster_pairwise_predictions_at_threshold(0.5)``.

The region's people (``run_splink_region``)
    A people model in the way Splink's person examples build one (the historical-people and
    FEBRL demos), on the same mentions Clew gets:

    - *cleaning first*, as Splink's docs ask ("input data should be standardised"): names,
      addresses and e-mails lower-cased and stripped of punctuation; ``first_name`` is the
      first forename (sources disagree on middle names: "STACEY SOPHIE" against "Stacey");
      postcodes upper-cased with one space; ``dob`` is a full date and ``dob_ym`` its year and
      month, which is all a Companies House officer's birth date gives; the first e-mail;
      phones and identifiers stay arrays.
    - *comparisons*: ``NameComparison`` on ``first_name`` and ``surname`` with term-frequency
      adjustments; a date-of-birth comparison in ``DateOfBirthComparison``'s manner that also
      reads partial dates (exact, one typo, same year and month, same year, else); ``gender``
      exact; ``ArrayIntersectAtSizes`` on identifiers; and one *home* comparison for the
      postcode, the address and the phones together (same address and phone, a shared phone,
      same address with different phones, same address, same postcode, same postcode
      district, else). Fellegi-Sunter multiplies its comparisons' evidence as if independent,
      and a household shares its address and often a phone (a child's record carries a
      parent's number): as separate comparisons they counted one fact twice and made every
      parent and child of one surname a match (cluster F1 0.90 against 0.91 combined on the
      10,000-person region). E-mails are left out: 2% of mentions carry one and no two agree,
      so EM cannot fit the comparison (it drove its m to underflow).
    - *blocking*: names, each name with the year and month of birth, the postcode with each
      name, and any shared phone or identifier (``arrays_to_explode``).
    - *training*: the prior from deterministic rules (first name, surname and full date of
      birth; a shared identifier; a shared phone with the surname) at ``REGION_RECALL``; u
      from ``max_pairs=5e6`` random pairs; EM sessions blocked on the names (fits date of
      birth, home, identifiers) and on the date of birth (fits the names), without term
      frequencies, as the examples do; predictions at ``p >= 0.2``, clusters by
      ``cluster_pairwise_predictions_at_threshold(0.5)``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from bench.er_scores import Row, cluster_scores, pair_scores, person, truth_scores

REGION_RECALL: Final = 1.0
"""The share of true matching pairs the prior's deterministic rules are taken to find: the value
of 0.3, 0.6, 0.8 and 1.0 that gave Splink its best cluster F1 on the 10,000-person region (0.87,
0.91, 0.92, 0.92), chosen with the labels, in the peer's favour."""


def run_splink(dataset: str, rows: Sequence[Row]) -> dict[str, Any]:
    """Splink with its own FEBRL example settings, from a DataFrame to predictions."""
    import logging

    import pandas as pd  # type: ignore[import-untyped]
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from splink.blocking_rule_library import CustomRule
    from splink.internals.blocking_rule_creator import BlockingRuleCreator

    frame = pd.DataFrame(list(rows)).replace("", None)
    frame["cluster"] = frame["rec_id"].map(person)
    began = time.perf_counter()
    db_api = DuckDBAPI()
    blocking: list[BlockingRuleCreator | dict[str, Any]]
    deterministic: list[str | BlockingRuleCreator]
    if dataset == "febrl4":
        blocking = [
            block_on("given_name", "surname"),
            CustomRule("l.given_name = r.surname and l.surname = r.given_name"),
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="link_only",
            blocking_rules_to_generate_predictions=blocking,
            comparisons=[
                cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
                cl.NameComparison("surname").configure(term_frequency_adjustments=True),
                cl.DateOfBirthComparison(
                    "date_of_birth",
                    input_is_string=True,
                    datetime_format="%Y%m%d",
                    invalid_dates_as_null=True,
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                    term_frequency_adjustments=True
                ),
            ],
            retain_intermediate_calculation_columns=True,
        )
        parts = [frame[frame["dataset"] == d].drop(columns="dataset") for d in ("a", "b")]
        linker = Linker([db_api.register(p) for p in parts], settings, log_level=logging.WARNING)
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
        ]
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(rule), estimate_without_term_frequencies=True
            )
    else:
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        settings = SettingsCreator(
            unique_id_column_name="rec_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking,
            comparisons=[
                cl.NameComparison("given_name"),
                cl.NameComparison("surname"),
                cl.DateOfBirthComparison(
                    "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
                ),
                cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
                cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
                cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=True,
        )
        linker = Linker(db_api.register(frame), settings, log_level=logging.WARNING)
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.9)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        for rule in ("date_of_birth", "postcode"):
            linker.training.estimate_parameters_using_expectation_maximisation(block_on(rule))
    # Splink's DataFrame methods are untyped.
    predictions: Any = linker.inference.predict(threshold_match_probability=0.2)
    out: dict[str, Any] = {}
    if dataset == "febrl3":
        clustered: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=0.5
        )
        clusters = clustered.as_pandas_dataframe()
        seconds = time.perf_counter() - began
        by_id = dict(zip(clusters["rec_id"], clusters["cluster_id"], strict=True))
        labels = np.array([by_id[r["rec_id"]] for r in rows])
        out["clusters"] = cluster_scores(rows, labels).__dict__
        out["cluster_method"] = "cluster_pairwise_predictions_at_threshold"
    else:
        seconds = time.perf_counter() - began
    found = predictions.as_pandas_dataframe()
    found = found[found["match_probability"] >= 0.5]
    index = {r["rec_id"]: i for i, r in enumerate(rows)}
    left = np.array([index[x] for x in found["rec_id_l"]], dtype=np.int64)
    right = np.array([index[x] for x in found["rec_id_r"]], dtype=np.int64)
    out |= {"seconds": seconds, "pairs": pair_scores(rows, left, right).__dict__}
    return out


_PUNCTUATION: Final = re.compile(r"[^\w\s@.+-]")


def _clean(value: str | None) -> str | None:
    if not value:
        return None
    folded = " ".join(_PUNCTUATION.sub(" ", value.lower()).split())
    return folded or None


def _postcode(value: str | None) -> str | None:
    if not value:
        return None
    compact = re.sub(r"\s+", "", value.upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact or None


def splink_frame(mentions: Any) -> Any:
    """The mentions as a cleaned DataFrame, one row each (the cleaning is untimed, as the
    reading of FEBRL's CSV files is)."""
    import pandas as pd

    data: dict[str, list[Any]] = {c: [] for c in _FRAME_COLUMNS}
    for m in mentions.mentions:
        forename = _clean(m.forename)
        dob = m.date_of_birth or ""
        data["unique_id"].append(m.mention_id)
        data["first_name"].append(forename.split()[0] if forename else None)
        data["surname"].append(_clean(m.surname))
        data["dob"].append(dob if len(dob) == 10 else None)
        data["dob_ym"].append(dob[:7] if len(dob) >= 7 else None)
        data["gender"].append(_clean(m.gender))
        data["postcode"].append(_postcode(m.postcode))
        data["address"].append(_clean(m.address))
        data["email"].append(m.email[0].strip().lower() if m.email else None)
        data["phone"].append(list(m.phone) or None)
        data["identifier"].append(list(m.identifier) or None)
    return pd.DataFrame(data)


_FRAME_COLUMNS: Final = (
    "unique_id",
    "first_name",
    "surname",
    "dob",
    "dob_ym",
    "gender",
    "postcode",
    "address",
    "email",
    "phone",
    "identifier",
)


def region_settings() -> Any:
    """The people model's settings (see the module docstring)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob_ym"),
            cll.ExactMatchLevel("dob"),
            cll.DamerauLevenshteinLevel("dob", 1),
            cll.ExactMatchLevel("dob_ym"),
            cll.CustomLevel(
                "substr(dob_ym_l, 1, 4) = substr(dob_ym_r, 1, 4)", label_for_charts="same year"
            ),
            cll.ElseLevel(),
        ],
    )
    home = cl.CustomComparison(
        output_column_name="home",
        comparison_levels=[
            cll.CustomLevel(
                "(postcode_l IS NULL OR postcode_r IS NULL) "
                "AND (phone_l IS NULL OR phone_r IS NULL)",
                label_for_charts="null",
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "postcode_l = postcode_r AND address_l = address_r "
                "AND len(list_intersect(phone_l, phone_r)) > 0",
                label_for_charts="same address and phone",
            ),
            cll.ArrayIntersectLevel("phone", min_intersection=1),
            cll.CustomLevel(
                "postcode_l = postcode_r AND address_l = address_r "
                "AND phone_l IS NOT NULL AND phone_r IS NOT NULL",
                label_for_charts="same address, different phones",
            ),
            cll.CustomLevel(
                "postcode_l = postcode_r AND address_l = address_r",
                label_for_charts="same address",
            ),
            cll.ExactMatchLevel("postcode"),
            cll.CustomLevel(
                "split_part(postcode_l, ' ', 1) = split_part(postcode_r, ' ', 1)",
                label_for_charts="same postcode district",
            ),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "surname"),
            block_on("surname", "dob_ym"),
            block_on("first_name", "dob_ym"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("phone", arrays_to_explode=["phone"]),
            block_on("identifier", arrays_to_explode=["identifier"]),
        ],
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            dob,
            cl.ExactMatch("gender"),
            home,
            cl.ArrayIntersectAtSizes("identifier", [1]),
        ],
        retain_intermediate_calculation_columns=False,
    )


def run_splink_region(mentions: Any, truth: NDArray[Any]) -> dict[str, Any]:
    """Splink's people model on the region's mentions, from the DataFrame to clusters."""
    import logging

    from splink import DuckDBAPI, Linker, block_on

    frame = splink_frame(mentions)
    began = time.perf_counter()
    linker = Linker(DuckDBAPI().register(frame), region_settings(), log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("identifier", arrays_to_explode=["identifier"]),
            block_on("surname", "phone", arrays_to_explode=["phone"]),
        ],
        recall=REGION_RECALL,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    for rule in (block_on("first_name", "surname"), block_on("dob")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    # Splink's DataFrame methods are untyped.
    predictions: Any = linker.inference.predict(threshold_match_probability=0.2)
    clustered: Any = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.5
    )
    clusters = clustered.as_pandas_dataframe()
    seconds = time.perf_counter() - began
    by_id = dict(zip(clusters["unique_id"], clusters["cluster_id"], strict=True))
    labels = np.array([by_id[m.mention_id] for m in mentions.mentions])
    return {
        "seconds": seconds,
        "clusters": truth_scores(truth, labels).__dict__,
        "predictions": int(
            predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
        ),
    }
