"""Keys and indexes for entity resolution's bookkeeping (``schema.resolution``): analysts'
match decisions and resolution runs; and the index on ``SUBJECT_OF`` (person -> report)."""

from migrations.ops import CreateIndex, CreateUnique
from migrations.step import Step
from schema.specs import IndexSpec, UniqueSpec

STEP = Step(
    version=4,
    name="resolution",
    description="unique ids of MatchDecision and ResolutionRun, their lookups, SUBJECT_OF ids",
    ops=(
        CreateUnique(spec=UniqueSpec(label="MatchDecision", property="id")),
        CreateUnique(spec=UniqueSpec(label="ResolutionRun", property="id")),
        CreateIndex(spec=IndexSpec(label="MatchDecision", properties=("left_id",))),
        CreateIndex(spec=IndexSpec(label="MatchDecision", properties=("right_id",))),
        CreateIndex(spec=IndexSpec(label="ResolutionRun", properties=("started_at",))),
        CreateIndex(spec=IndexSpec(entity="relationship", label="SUBJECT_OF", properties=("id",))),
    ),
)
