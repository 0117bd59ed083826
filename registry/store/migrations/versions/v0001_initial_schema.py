"""Initial schema: raw events, blocks, the indexer checkpoint and every record and history table.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from registry.store.schema import UnsignedInteger

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_transfer_history",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column(
            "action", sa.String(length=32), nullable=False, comment="transfer-scheduled, transfer-canceled, delay-..."
        ),
        sa.Column("new_admin", sa.String(length=42), nullable=True),
        sa.Column("new_delay", sa.BigInteger(), nullable=True),
        sa.Column(
            "schedule", sa.BigInteger(), nullable=True, comment="When the transfer or delay change may take effect."
        ),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_admin_transfer_history")),
        comment="The two-step, delayed transfer of the top admin role.",
        sqlite_with_rowid=False,
    )
    op.create_table(
        "anchors",
        sa.Column("document_hash", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column("anchored_by", sa.String(length=42), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False, comment="The event whose transaction anchored it."),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("document_hash", name=op.f("pk_anchors")),
        comment="The first anchoring of each document hash, as the grant registry's anchor book keeps it.",
        sqlite_with_rowid=False,
    )
    op.create_table(
        "audits",
        sa.Column("audit_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("grade", sa.SmallInteger(), nullable=False),
        sa.Column("clawback_amount", UnsignedInteger(digits=29), nullable=False),
        sa.Column("restricted_until", sa.BigInteger(), nullable=True),
        sa.Column("recorded_at", sa.BigInteger(), nullable=False),
        sa.Column("auditor", sa.String(length=42), nullable=False),
        sa.Column("findings_hash", sa.LargeBinary(), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_audits")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audits_project_id"), ["project_id"], unique=False)

    op.create_table(
        "batches",
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("anchored_by", sa.String(length=42), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("leaf_count", sa.BigInteger(), nullable=False),
        sa.Column("manifest_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("root", name=op.f("pk_batches")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "blocks",
        sa.Column("block_number", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("block_hash", sa.LargeBinary(), nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", name=op.f("pk_blocks")),
        comment="Every block holding a registry log: its hash (to notice a reorganization) and its time.",
        sqlite_with_rowid=False,
    )
    op.create_table(
        "commercialization_reports",
        sa.Column("report_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("recorded_at", sa.BigInteger(), nullable=False),
        sa.Column("sales", UnsignedInteger(digits=29), nullable=False),
        sa.Column("investment", UnsignedInteger(digits=29), nullable=False),
        sa.Column("royalties", UnsignedInteger(digits=29), nullable=False),
        sa.Column("jobs", sa.BigInteger(), nullable=False),
        sa.Column("commitment", sa.LargeBinary(), nullable=False),
        sa.Column("evidence_hash", sa.LargeBinary(), nullable=False),
        sa.Column("submitter", sa.String(length=42), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_commercialization_reports")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("commercialization_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commercialization_reports_project_id"), ["project_id"], unique=False)

    op.create_table(
        "company_accounts",
        sa.Column("account", sa.String(length=42), nullable=False),
        sa.Column("company_id", sa.LargeBinary(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, comment="False once unbound."),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_company_accounts")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("company_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_accounts_company_id"), ["company_id"], unique=False)

    op.create_table(
        "company_restrictions",
        sa.Column("company_id", sa.LargeBinary(), nullable=False),
        sa.Column("restricted_until", sa.BigInteger(), nullable=False),
        sa.Column("audit_id", sa.BigInteger(), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_restrictions")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "evidence_references",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False, comment="Which of the event's documents, from 0."),
        sa.Column("document_hash", sa.LargeBinary(), nullable=False),
        sa.Column("kind", sa.SmallInteger(), nullable=False),
        sa.Column(
            "record_type",
            sa.String(length=16),
            nullable=False,
            comment="program, project, milestone, outcome, report...",
        ),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("milestone_index", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.Column(
            "anchoring",
            sa.Boolean(),
            nullable=False,
            comment="Whether this event anchored the document if it was not yet (a clawback only cites findings).",
        ),
        sa.PrimaryKeyConstraint("block_number", "log_index", "position", name=op.f("pk_evidence_references")),
        comment="Every document a record's event refers to, so a document leads to the records that cite it.",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("evidence_references", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_references_document_hash"), ["document_hash"], unique=False)

    op.create_table(
        "indexer_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("grant_registry", sa.String(length=42), nullable=False),
        sa.Column("deploy_block", sa.BigInteger(), nullable=False),
        sa.Column(
            "indexed_block", sa.BigInteger(), nullable=False, comment="Every log up to this block is in the database."
        ),
        sa.Column("indexed_block_hash", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indexer_state")),
        comment="How far the chain has been read; one row, written in the same transaction as the rows it covers.",
        sqlite_with_rowid=False,
    )
    op.create_table(
        "ip_status_changes",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("outcome_id", sa.BigInteger(), nullable=False),
        sa.Column("from_status", sa.SmallInteger(), nullable=False),
        sa.Column("to_status", sa.SmallInteger(), nullable=False),
        sa.Column("evidence_hash", sa.LargeBinary(), nullable=False),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_ip_status_changes")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("ip_status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ip_status_changes_outcome_id"), ["outcome_id"], unique=False)

    op.create_table(
        "membership_history",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column(
            "action", sa.String(length=32), nullable=False, comment="role-granted, role-revoked, company-bound, ..."
        ),
        sa.Column("role", sa.LargeBinary(), nullable=True),
        sa.Column("account", sa.String(length=42), nullable=True),
        sa.Column("company_id", sa.LargeBinary(), nullable=True),
        sa.Column("actor", sa.String(length=42), nullable=True),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_membership_history")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "milestone_history",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("milestone_index", sa.BigInteger(), nullable=False),
        sa.Column(
            "status", sa.SmallInteger(), nullable=False, comment="The status this event gave: planned, submitted..."
        ),
        sa.Column("attempt", sa.Integer(), nullable=False, comment="The submission it concerns; 0 when planned."),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.Column("document_hash", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_milestone_history")),
        comment="Every step of every milestone; a submission's evidence is in evidence_references.",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("milestone_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_history_project_id_milestone_index"),
            ["project_id", "milestone_index"],
            unique=False,
        )

    op.create_table(
        "milestones",
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("milestone_index", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.BigInteger(), nullable=False),
        sa.Column("tranche", UnsignedInteger(digits=29), nullable=False),
        sa.Column("description_hash", sa.LargeBinary(), nullable=False),
        sa.Column("planned_by", sa.String(length=42), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "milestone_index", name=op.f("pk_milestones")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "outcome_amendments",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("outcome_id", sa.BigInteger(), nullable=False),
        sa.Column("original_id", sa.BigInteger(), nullable=False),
        sa.Column("reason_hash", sa.LargeBinary(), nullable=False),
        sa.Column("submitter", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_outcome_amendments")),
        sa.UniqueConstraint("outcome_id", name=op.f("uq_outcome_amendments_outcome_id")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("outcome_amendments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcome_amendments_original_id"), ["original_id"], unique=False)

    op.create_table(
        "outcome_revocations",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("outcome_id", sa.BigInteger(), nullable=False),
        sa.Column("reason_hash", sa.LargeBinary(), nullable=False),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_outcome_revocations")),
        sa.UniqueConstraint("outcome_id", name=op.f("uq_outcome_revocations_outcome_id")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "outcomes",
        sa.Column("outcome_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("outcome_type", sa.SmallInteger(), nullable=False),
        sa.Column("ip_status", sa.SmallInteger(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("amends", sa.BigInteger(), nullable=False),
        sa.Column("amended_by", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.BigInteger(), nullable=False),
        sa.Column("evidence_hash", sa.LargeBinary(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("submitter", sa.String(length=42), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("outcome_id", name=op.f("pk_outcomes")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outcomes_project_id"), ["project_id"], unique=False)

    op.create_table(
        "programs",
        sa.Column("program_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("budget", UnsignedInteger(digits=29), nullable=False),
        sa.Column("per_project_cap", UnsignedInteger(digits=29), nullable=False),
        sa.Column("granted", UnsignedInteger(digits=29), nullable=False),
        sa.Column("project_count", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("metadata_hash", sa.LargeBinary(), nullable=False),
        sa.Column("metadata_uri", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=42), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_programs")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "project_status_changes",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("from_status", sa.SmallInteger(), nullable=False),
        sa.Column("to_status", sa.SmallInteger(), nullable=False),
        sa.Column("document_hash", sa.LargeBinary(), nullable=False),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_project_status_changes")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("project_status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_status_changes_project_id"), ["project_id"], unique=False)

    op.create_table(
        "projects",
        sa.Column("project_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("program_id", sa.BigInteger(), nullable=False),
        sa.Column("company_id", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("amount", UnsignedInteger(digits=29), nullable=False),
        sa.Column("start_date", sa.BigInteger(), nullable=False),
        sa.Column("end_date", sa.BigInteger(), nullable=False),
        sa.Column("plan_hash", sa.LargeBinary(), nullable=False),
        sa.Column("milestone_count", sa.BigInteger(), nullable=False),
        sa.Column("planned_tranches", UnsignedInteger(digits=29), nullable=False),
        sa.Column("registered_by", sa.String(length=42), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_projects")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_program_id"), ["program_id"], unique=False)

    op.create_table(
        "raw_events",
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("block_hash", sa.LargeBinary(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("transaction_index", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=42), nullable=False),
        sa.Column("topic0", sa.LargeBinary(), nullable=True),
        sa.Column("topic1", sa.LargeBinary(), nullable=True),
        sa.Column("topic2", sa.LargeBinary(), nullable=True),
        sa.Column("topic3", sa.LargeBinary(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column(
            "event",
            sa.String(length=64),
            nullable=True,
            comment="The event's name, or NULL if the ABI does not declare it.",
        ),
        sa.PrimaryKeyConstraint("chain_id", "block_number", "log_index", name=op.f("pk_raw_events")),
        comment="Every log of the registry contracts, as the chain returned it; append-only.",
        sqlite_with_rowid=False,
    )
    op.create_table(
        "relayed_requests",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("signer", sa.String(length=42), nullable=False),
        sa.Column("nonce", UnsignedInteger(digits=78), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_relayed_requests")),
        comment="Submissions signed off chain and relayed by the forwarder; the records credit the signer.",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("relayed_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relayed_requests_transaction_hash"), ["transaction_hash"], unique=False)

    op.create_table(
        "report_history",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "action",
            sa.String(length=16),
            nullable=False,
            comment="reported, committed, revealed, verified or disputed",
        ),
        sa.Column("status", sa.SmallInteger(), nullable=False, comment="The status this event gave the report."),
        sa.Column("actor", sa.String(length=42), nullable=False),
        sa.Column("document_hash", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_report_history")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("report_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_history_report_id"), ["report_id"], unique=False)

    op.create_table(
        "role_admins",
        sa.Column("role", sa.LargeBinary(), nullable=False),
        sa.Column("admin_role", sa.LargeBinary(), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("role", name=op.f("pk_role_admins")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "role_members",
        sa.Column("role", sa.LargeBinary(), nullable=False),
        sa.Column("account", sa.String(length=42), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, comment="False once revoked; granted again sets it back."),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("role", "account", name=op.f("pk_role_members")),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("role_members")
    op.drop_table("role_admins")
    with op.batch_alter_table("report_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_history_report_id"))

    op.drop_table("report_history")
    with op.batch_alter_table("relayed_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relayed_requests_transaction_hash"))

    op.drop_table("relayed_requests")
    op.drop_table("raw_events")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_program_id"))
        batch_op.drop_index(batch_op.f("ix_projects_company_id"))

    op.drop_table("projects")
    with op.batch_alter_table("project_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_status_changes_project_id"))

    op.drop_table("project_status_changes")
    op.drop_table("programs")
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcomes_project_id"))

    op.drop_table("outcomes")
    op.drop_table("outcome_revocations")
    with op.batch_alter_table("outcome_amendments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_amendments_original_id"))

    op.drop_table("outcome_amendments")
    op.drop_table("milestones")
    with op.batch_alter_table("milestone_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_history_project_id_milestone_index"))

    op.drop_table("milestone_history")
    op.drop_table("membership_history")
    with op.batch_alter_table("ip_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ip_status_changes_outcome_id"))

    op.drop_table("ip_status_changes")
    op.drop_table("indexer_state")
    with op.batch_alter_table("evidence_references", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_references_document_hash"))

    op.drop_table("evidence_references")
    op.drop_table("company_restrictions")
    with op.batch_alter_table("company_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_accounts_company_id"))

    op.drop_table("company_accounts")
    with op.batch_alter_table("commercialization_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commercialization_reports_project_id"))

    op.drop_table("commercialization_reports")
    op.drop_table("blocks")
    op.drop_table("batches")
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audits_project_id"))

    op.drop_table("audits")
    op.drop_table("anchors")
    op.drop_table("admin_transfer_history")
