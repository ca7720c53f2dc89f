"""Access properties (``schema.access``) on everything loaded before Clew kept them.

Records get theirs from their own marking and handling code; relationships from the records
that assert them (``record_ids``; for ``CALLED``, its sample of calls, which can only make it
more restrictive, until its phones' calls are loaded again); entities from the relationships that
touch them. Until this step has run, those older nodes and relationships are invisible to every
API caller: the access model fails closed. Each statement recomputes from the records, so running
it again changes nothing.
"""

from migrations.ops import RunCypher
from migrations.step import Step
from schema.access import NEVER

# A record's handling code: an intelligence report's own grading, else its source's.
_HANDLING = "coalesce(r.grading, r.handling, '')"
_CONDITIONAL = (
    f"({_HANDLING} <> '' AND NOT ({_HANDLING} ENDS WITH '/P' OR {_HANDLING} ENDS WITH '/1'))"
)

STEP = Step(
    version=5,
    name="access",
    description="see_any, see_plain and conditional on records, relationships and entities",
    ops=(
        RunCypher(
            description="records: access from their own marking and handling code",
            default=(
                "MATCH (r:Record) "
                f"WITH r, coalesce(r.sensitivity, 0) AS level, {_CONDITIONAL} AS cond "
                "SET r.see_any = level, "
                f"r.see_plain = CASE WHEN cond THEN {NEVER} ELSE level END, "
                "r.conditional = cond"
            ),
        ),
        RunCypher(
            description="relationships: access from the records that assert them",
            default=(
                "MATCH ()-[e]->() WHERE e.record_ids IS NOT NULL "
                "UNWIND e.record_ids AS rid MATCH (r:Record {id: rid}) "
                "WITH e, min(r.see_any) AS see_any, min(r.see_plain) AS see_plain, "
                "max(coalesce(r.sensitivity, 0)) AS level, "
                "max(CASE WHEN r.conditional THEN 1 ELSE 0 END) AS cond "
                "SET e.see_any = see_any, e.see_plain = see_plain, "
                "e.sensitivity = CASE WHEN level > coalesce(e.sensitivity, 0) THEN level "
                "ELSE coalesce(e.sensitivity, 0) END, "
                "e.conditional = cond = 1"
            ),
        ),
        RunCypher(
            description="entities: access from the relationships that touch them",
            default=(
                "MATCH (n)-[e]-() WHERE NOT n:Record AND e.see_any IS NOT NULL "
                "WITH n, min(e.see_any) AS see_any, min(e.see_plain) AS see_plain, "
                "max(coalesce(e.sensitivity, 0)) AS level, "
                "max(CASE WHEN e.conditional THEN 1 ELSE 0 END) AS cond "
                "SET n.see_any = see_any, n.see_plain = see_plain, "
                "n.sensitivity = CASE WHEN level > coalesce(n.sensitivity, 0) THEN level "
                "ELSE coalesce(n.sensitivity, 0) END, "
                "n.conditional = cond = 1"
            ),
        ),
    ),
)
