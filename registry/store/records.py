"""Rows of the record tables as the registry's domain models, the ones the client reads from the chain.

Record tables name their columns after the models' fields, so a row becomes a model by picking
those columns; only a report's figures (a nested model) and an anchor's or batch's `anchored`
flag (every stored one is anchored) need saying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Connection, RowMapping, Table, select

from registry.domain.records import (
    Anchor,
    Audit,
    Batch,
    CommercializationFigures,
    CommercializationReport,
    Milestone,
    Outcome,
    Program,
    Project,
    Record,
)
from registry.store import schema

RecordT = TypeVar("RecordT", bound=Record)

#: The table each record type lives in.
RECORD_TABLES: dict[type[Record], Table] = {
    Program: schema.programs,
    Project: schema.projects,
    Milestone: schema.milestones,
    Outcome: schema.outcomes,
    CommercializationReport: schema.commercialization_reports,
    Audit: schema.audits,
    Anchor: schema.anchors,
    Batch: schema.batches,
}


def record_from_row(model: type[RecordT], row: Mapping[str, Any] | RowMapping) -> RecordT:
    """The domain record a row of `model`'s table holds."""
    values = {name: row[name] for name in model.model_fields if name in row}
    if model is CommercializationReport:
        values["figures"] = CommercializationFigures(
            sales=row["sales"], investment=row["investment"], royalties=row["royalties"], jobs=row["jobs"]
        )
    if model is Anchor or model is Batch:
        values["anchored"] = True
    return model.model_validate(values)


def read_records(connection: Connection, model: type[RecordT]) -> list[RecordT]:
    """Every stored record of a type, in key order."""
    table = RECORD_TABLES[model]
    rows = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
    return [record_from_row(model, row) for row in rows]
