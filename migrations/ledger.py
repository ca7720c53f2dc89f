"""The migration ledger: which steps a graph has had, kept in the graph itself.

One ``(:ClewMigration)`` node per applied step, keyed by the step's ``id`` (``m0001``), carrying
its version, name, checksum, when it was applied (ISO-8601 UTC), how long it took and on which
engine. A unique constraint on ``ClewMigration.id`` is created before anything is recorded, and
rows are written with CREATE, not MERGE: if two migrators race, the second one's row is refused by
the engine instead of silently overwriting the first.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.store import GraphStore
from schema.errors import ConstraintViolation, MigrationError
from schema.specs import UniqueSpec

LEDGER_LABEL = "ClewMigration"
LEDGER_UNIQUE = UniqueSpec(label=LEDGER_LABEL, property="id")
"""The ledger's own schema object, applied before the first step (bootstrap)."""

# Cypher here (rather than in graph/) because the ledger is the migrations package's own data;
# it is the same on every engine.
READ_LEDGER = (
    "MATCH (m:ClewMigration) "
    "RETURN m.id AS id, m.version AS version, m.name AS name, m.checksum AS checksum, "
    "m.applied_at AS applied_at, m.duration_ms AS duration_ms, m.engine AS engine "
    "ORDER BY m.version"
)
RECORD_STEP = (
    "CREATE (m:ClewMigration {id: $id, version: $version, name: $name, checksum: $checksum, "
    "applied_at: $applied_at, duration_ms: $duration_ms, engine: $engine}) "
    "RETURN m.id AS id"
)


class LedgerEntry(BaseModel):
    """One applied step, as the ledger records it."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    id: str
    version: int = Field(ge=1)
    name: str
    checksum: str
    applied_at: str
    duration_ms: float = Field(ge=0)
    engine: str

    def label(self) -> str:
        return f"{self.id} {self.name}"


def ensure_ledger(store: GraphStore) -> None:
    """Create the ledger's unique constraint if it does not exist (idempotent)."""
    store.apply_schema(LEDGER_UNIQUE)


def read_ledger(store: GraphStore) -> tuple[LedgerEntry, ...]:
    """Every recorded step, in version order (none on a graph never migrated)."""
    rows = store.read(READ_LEDGER).records()
    entries = []
    for row in rows:
        # Engines may hand back a whole-number float as int; the model is strict otherwise.
        if isinstance(row.get("duration_ms"), int):
            row["duration_ms"] = float(row["duration_ms"])
        try:
            entries.append(LedgerEntry.model_validate(row))
        except ValueError as exc:
            raise MigrationError(
                f"the migration ledger in {store.location} holds an unreadable row "
                f"(id {row.get('id')!r}): {exc}"
            ) from exc
    return tuple(entries)


def record(store: GraphStore, entry: LedgerEntry) -> None:
    """Write ``entry`` to the ledger; refused if another migrator recorded that step first."""
    try:
        store.write(RECORD_STEP, entry.model_dump())
    except ConstraintViolation as exc:
        raise MigrationError(
            f"step {entry.label()} was recorded by another migrator while this one ran; "
            "its operations are idempotent, so run the migration again to check the ledger"
        ) from exc
