"""Index the REFERS_TO links from records to the keyed entities they name."""

from migrations.ops import CreateIndex
from migrations.step import Step
from schema.specs import IndexSpec

STEP = Step(
    version=2,
    name="refers_to",
    description="index on the id of REFERS_TO (record -> keyed entity) relationships",
    ops=(
        CreateIndex(spec=IndexSpec(entity="relationship", label="REFERS_TO", properties=("id",))),
    ),
)
