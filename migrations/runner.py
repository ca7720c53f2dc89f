"""Plan and apply migration steps against a graph store.

``plan`` compares the steps in code with the ledger in the graph and says what is applied, what
is pending and what is wrong; it only reads. ``apply`` refuses to start while anything is wrong,
then applies each pending step in version order: its operations first, then its ledger row.

A crash (or an engine error) part way through a step leaves that step unrecorded; because every
operation is idempotent (see ``migrations.ops``), the next run applies the whole step again and
records it. Steps recorded before the failure stay recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from graph.results import Counters
from graph.store import GraphStore
from migrations.ledger import LedgerEntry, ensure_ledger, read_ledger, record
from migrations.ops import RunCypher
from migrations.step import Step, check_sequence
from schema.errors import ChecksumMismatch, ClewError, MigrationError


@dataclass(frozen=True, slots=True)
class PendingStep:
    """A step the graph has not had yet, as a plan shows it."""

    version: int
    id: str
    name: str
    description: str
    checksum: str
    ops: tuple[str, ...]
    """One description per operation, in order."""

    @classmethod
    def of(cls, step: Step) -> PendingStep:
        return cls(
            version=step.version,
            id=step.id,
            name=step.name,
            description=step.description,
            checksum=step.checksum,
            ops=tuple(op.describe() for op in step.ops),
        )


@dataclass(frozen=True, slots=True)
class MigrationPlan:
    """What ``apply`` would do to one store, and anything that stops it."""

    engine: str
    location: str
    applied: tuple[LedgerEntry, ...]
    pending: tuple[PendingStep, ...]
    problems: tuple[MigrationError, ...] = ()

    @property
    def ok(self) -> bool:
        """True when ``apply`` may go ahead (there may be nothing to do)."""
        return not self.problems

    @property
    def up_to_date(self) -> bool:
        return self.ok and not self.pending

    def describe(self) -> str:
        """The plan as text for a terminal."""
        lines = [
            f"migrations for {self.location} ({self.engine}): {len(self.applied)} applied, "
            f"{len(self.pending)} pending"
        ]
        for p in self.pending:
            lines.append(f"  {p.id} {p.name}: {p.description}")
            lines.extend(f"    - {op}" for op in p.ops)
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s), nothing will be applied:")
            lines.extend(f"  ! {problem}" for problem in self.problems)
        elif not self.pending:
            lines.append("  up to date")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class StepResult:
    """One step as applied."""

    version: int
    id: str
    name: str
    checksum: str
    ops: int
    duration_ms: float
    applied_at: str
    counters: Counters = field(default_factory=Counters)
    """What the step's data fixes changed (schema operations report nothing)."""


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """What ``apply`` did, with run statistics."""

    engine: str
    location: str
    dry_run: bool
    plan: MigrationPlan
    steps: tuple[StepResult, ...]
    duration_ms: float

    @property
    def applied(self) -> int:
        """How many steps this run applied."""
        return len(self.steps)

    @property
    def ops(self) -> int:
        """How many operations this run applied."""
        return sum(s.ops for s in self.steps)

    def describe(self) -> str:
        """The report as text for a terminal."""
        if self.dry_run:
            return "dry run, nothing applied\n" + self.plan.describe()
        if not self.steps:
            return f"migrations for {self.location} ({self.engine}): up to date, nothing applied"
        lines = [
            f"migrations for {self.location} ({self.engine}): applied {self.applied} step(s), "
            f"{self.ops} operation(s) in {self.duration_ms:.0f} ms"
        ]
        lines.extend(
            f"  {s.id} {s.name}: {s.ops} operation(s) in {s.duration_ms:.0f} ms" for s in self.steps
        )
        return "\n".join(lines)


def _problems(
    steps: tuple[Step, ...], ledger: tuple[LedgerEntry, ...], engine: str
) -> list[MigrationError]:
    by_id = {s.id: s for s in steps}
    recorded = {e.id for e in ledger}
    problems: list[MigrationError] = []
    for entry in ledger:
        step = by_id.get(entry.id)
        if step is None:
            problems.append(
                MigrationError(
                    f"the ledger records step {entry.label()} (applied {entry.applied_at}), "
                    "which this Clew does not have: the graph was migrated by a newer Clew; "
                    "upgrade Clew before migrating this graph"
                )
            )
        elif step.checksum != entry.checksum:
            problems.append(
                ChecksumMismatch(
                    f"step {step.label()} was changed after it was applied "
                    f"(recorded checksum {entry.checksum}, current {step.checksum}); "
                    "restore it as it was and write a new step instead of editing an applied one"
                )
            )
    newest_applied = max((e.version for e in ledger), default=0)
    for step in steps:
        if step.id in recorded:
            continue
        if step.version < newest_applied:
            problems.append(
                MigrationError(
                    f"step {step.label()} is pending but a later step (version {newest_applied}) "
                    "is already applied; steps must be applied in order"
                )
            )
        for op in step.ops:
            if isinstance(op, RunCypher):
                try:
                    op.statement(engine)
                except MigrationError as exc:
                    problems.append(MigrationError(f"step {step.label()}: {exc}"))
    return problems


def plan(store: GraphStore, steps: Sequence[Step]) -> MigrationPlan:
    """Compare ``steps`` with the ledger in ``store``; reads only."""
    ordered = check_sequence(steps)
    ledger = read_ledger(store)
    recorded = {e.id for e in ledger}
    return MigrationPlan(
        engine=store.engine,
        location=store.location,
        applied=ledger,
        pending=tuple(PendingStep.of(s) for s in ordered if s.id not in recorded),
        problems=tuple(_problems(ordered, ledger, store.engine)),
    )


def _refusal(problems: tuple[MigrationError, ...]) -> MigrationError:
    if len(problems) == 1:
        return problems[0]
    changed = all(isinstance(p, ChecksumMismatch) for p in problems)
    kind = ChecksumMismatch if changed else MigrationError
    return kind(
        f"{len(problems)} problems, nothing applied:\n" + "\n".join(f"- {p}" for p in problems)
    )


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _apply_step(store: GraphStore, step: Step, clock: Callable[[], datetime]) -> StepResult:
    started = time.perf_counter()
    counters = Counters()
    for n, op in enumerate(step.ops, start=1):
        try:
            counters += op.apply(store)
        except ClewError as exc:
            raise MigrationError(
                f"step {step.label()} failed at operation {n} of {len(step.ops)} "
                f"({op.describe()}): {exc}; nothing of it was recorded, and its operations are "
                "idempotent, so fix the cause and run the migration again"
            ) from exc
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    entry = LedgerEntry(
        id=step.id,
        version=step.version,
        name=step.name,
        checksum=step.checksum,
        applied_at=clock().astimezone(UTC).isoformat(timespec="milliseconds"),
        duration_ms=duration_ms,
        engine=store.engine,
    )
    record(store, entry)
    return StepResult(
        version=step.version,
        id=step.id,
        name=step.name,
        checksum=entry.checksum,
        ops=len(step.ops),
        duration_ms=duration_ms,
        applied_at=entry.applied_at,
        counters=counters,
    )


def apply(
    store: GraphStore,
    steps: Sequence[Step],
    *,
    dry_run: bool = False,
    on_step: Callable[[StepResult], None] | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> MigrationReport:
    """Apply the pending steps in version order and record each in the ledger.

    With ``dry_run`` the store is only read and the report carries the plan (problems included,
    not raised). Otherwise any problem in the plan is raised before anything is applied
    (``ChecksumMismatch`` for a changed applied step, ``MigrationError`` for the rest), and
    ``on_step`` is called after each step is recorded. Running again applies nothing.
    """
    started = time.perf_counter()
    the_plan = plan(store, steps)
    if dry_run:
        return MigrationReport(
            engine=store.engine,
            location=store.location,
            dry_run=True,
            plan=the_plan,
            steps=(),
            duration_ms=round((time.perf_counter() - started) * 1000, 3),
        )
    if the_plan.problems:
        raise _refusal(the_plan.problems)
    if the_plan.pending:
        ensure_ledger(store)
    by_id = {s.id: s for s in steps}
    results: list[StepResult] = []
    for pending in the_plan.pending:
        result = _apply_step(store, by_id[pending.id], clock)
        results.append(result)
        if on_step is not None:
            on_step(result)
    return MigrationReport(
        engine=store.engine,
        location=store.location,
        dry_run=False,
        plan=the_plan,
        steps=tuple(results),
        duration_ms=round((time.perf_counter() - started) * 1000, 3),
    )
