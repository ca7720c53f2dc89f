"""Versioned graph schema steps with a ledger in the graph.

``plan(store, discover())`` says what is applied and pending (``clew migrate --dry-run``);
``apply(store, discover())`` applies what is pending and records it (``clew migrate``).
"""

from migrations.ledger import LEDGER_UNIQUE, LedgerEntry, read_ledger
from migrations.ops import (
    CreateFullText,
    CreateIndex,
    CreateUnique,
    DropFullText,
    DropIndex,
    DropUnique,
    Op,
    RunCypher,
)
from migrations.runner import (
    MigrationPlan,
    MigrationReport,
    PendingStep,
    StepResult,
    apply,
    plan,
)
from migrations.step import Step, check_sequence, schema_after
from migrations.steps import discover

__all__ = [
    "LEDGER_UNIQUE",
    "CreateFullText",
    "CreateIndex",
    "CreateUnique",
    "DropFullText",
    "DropIndex",
    "DropUnique",
    "LedgerEntry",
    "MigrationPlan",
    "MigrationReport",
    "Op",
    "PendingStep",
    "RunCypher",
    "Step",
    "StepResult",
    "apply",
    "check_sequence",
    "discover",
    "plan",
    "read_ledger",
    "schema_after",
]
