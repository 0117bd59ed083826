"""Batch members: the documents of each indexed batch, from its manifest in the document store.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "batch_members",
        sa.Column("document_hash", sa.LargeBinary(), nullable=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column(
            "position", sa.Integer(), nullable=False, comment="The leaf's place in the tree's leaf order, from 0."
        ),
        sa.Column(
            "path", sa.Text(), nullable=False, comment="The document's path inside the batch, as the manifest names it."
        ),
        sa.Column(
            "proof",
            sa.LargeBinary(),
            nullable=False,
            comment="The Merkle proof: 32-byte sibling hashes, leaf to root.",
        ),
        sa.PrimaryKeyConstraint("document_hash", "root", name=op.f("pk_batch_members")),
        comment="The documents of each indexed batch, read from its manifest in the document store and kept only "
        "if the manifest's hash is the batch's and its leaves rebuild the batch's root; not a projection of "
        "raw_events (the chain holds only the root), so it is filled after indexing and read joined on batches.",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("batch_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_members_root"), ["root"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("batch_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_members_root"))
    op.drop_table("batch_members")
