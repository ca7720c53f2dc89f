"""Versioned graph schema steps with a ledger in the graph."""
