"""Index the day a missing episode was reported, for episodes whose source gives no time."""

from migrations.ops import CreateIndex
from migrations.step import Step
from schema.specs import IndexSpec

STEP = Step(
    version=3,
    name="missing_reported_on",
    description="range index on MissingEpisode.reported_on (episodes reported only to the day)",
    ops=(
        CreateIndex(
            spec=IndexSpec(entity="node", label="MissingEpisode", properties=("reported_on",))
        ),
    ),
)
