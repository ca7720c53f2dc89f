"""The base of every source record: provenance, the deterministic id, node properties.

See ``schema.records`` for every kind and its key."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from schema.access import Access
from schema.errors import SchemaError
from schema.grading import Grading, Sensitivity
from schema.ids import Keyed, KeyValue
from schema.provenance import PROVENANCE_PROPERTIES, Provenance


class Record(Keyed):
    """A loaded row: its kind, its fields, its provenance."""

    label: ClassVar[str]
    """The node label of the kind, beside ``Record``."""

    provenance: Provenance

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        clash = set(cls.model_fields) & set(PROVENANCE_PROPERTIES)
        if clash:
            raise SchemaError(f"{cls.__name__} fields {sorted(clash)} clash with provenance")

    def _id_scope(self) -> tuple[KeyValue, ...]:
        return (self.provenance.source,)

    @classmethod
    def record_id(cls, source: str, **key: KeyValue) -> str:
        """The id a record of this kind from ``source`` with these key values has."""
        return cls.id_key.id_for(key, scope=(source,))

    @property
    def effective_grading(self) -> Grading | None:
        """The grading that applies to this record (its own, else its source's)."""
        return self.provenance.handling

    @property
    def handling_code(self) -> str | None:
        grading = self.effective_grading
        return None if grading is None else grading.handling_code

    @property
    def sensitivity(self) -> Sensitivity:
        return self.provenance.sensitivity

    @property
    def conditional(self) -> bool:
        """Whether its handling code sets conditions on sharing (``schema.access``)."""
        grading = self.effective_grading
        return grading is not None and grading.conditional

    @property
    def access(self) -> Access:
        return Access.of_record(int(self.sensitivity), self.effective_grading)

    def node_properties(self) -> dict[str, Any]:
        """The record as node properties: provenance and scalar fields as they are, lists of
        scalars as lists, nested parts (addresses, contacts) as JSON text (graph properties
        cannot hold maps); temporal values as ISO text."""
        props: dict[str, Any] = {"id": self.id}
        props.update(self.provenance.model_dump(mode="json"))
        props.update(self.access.properties())
        fields = self.model_dump(mode="json", exclude={"provenance", "id"})
        for name, value in fields.items():
            props[name] = _flat(value)
        return props


def _flat(value: Any) -> Any:
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    ):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return value
