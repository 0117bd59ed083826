"""Indexes of the public API's sorts: each sorted list seeks its pages through one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, columns), as `registry.store.schema.API_SORT_INDEXES` declares them.
INDEXES = (
    ("ix_programs_year", "programs", ["year"]),
    ("ix_programs_budget", "programs", ["budget"]),
    ("ix_projects_amount", "projects", ["amount"]),
    ("ix_projects_start_date", "projects", ["start_date"]),
    ("ix_milestones_due_date", "milestones", ["due_date"]),
    ("ix_audits_clawback_amount", "audits", ["clawback_amount"]),
    ("ix_commercialization_reports_year", "commercialization_reports", ["year"]),
    ("ix_commercialization_reports_sales", "commercialization_reports", ["sales"]),
    ("ix_batches_block_number_log_index", "batches", ["block_number", "log_index"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
