"""Pydantic models at every boundary: source records, graph nodes and edges, results.

Imports nothing else of Clew's; everything else imports it.
"""
