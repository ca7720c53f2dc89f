"""Pydantic models at every boundary: source records, graph nodes and edges, results.

Imports nothing else of Clew's; everything else imports it.

Modules, each one concept:

- ``base``: ``StrictModel``, ``PartialDate`` and the value types (E.164 numbers, postcodes,
  airport and airline codes, company numbers, postal addresses).
- ``ids``: deterministic ids from declared key fields (``IdKey``, ``Keyed``, ``make_id``) and the
  raw-row hash.
- ``grading``: 3x5x2 and 5x5x5 intelligence grading, handling codes, ``Sensitivity``.
- ``provenance``: where a record came from.
- ``records``: every source record kind (``:Record:<Kind>`` nodes), ``RECORD_TYPES`` and
  ``AnyRecord``; the models live in ``record`` (the base) and ``records_people``,
  ``records_companies``, ``records_travel``, ``records_phones``, ``records_intel``.
- ``countries``: ISO 3166 country codes (alpha-2 and alpha-3), a fixed table.
- ``audit``: the read audit's entries and their hash chain.
- ``entities``: the resolved entities (``Person``, ``Company``, ``Phone``...).
- ``edges``: relationships, each with the records that assert it.
- ``resolution``: entity-resolution bookkeeping: analysts' match decisions and resolution runs.
- ``graph_schema``: labels, relationship types and indexes, declared once (drives migrations).
- ``specs``: index, constraint and full-text declarations as data.
- ``errors``: Clew's exception tree.
"""
