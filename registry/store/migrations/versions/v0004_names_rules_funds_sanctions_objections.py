"""Company names, program rules, project targets and funds, two-person sanctions, objections and outcome
details (contracts 1.1.0, issue 14).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

A database indexed before this revision holds one of two things, and the upgrade tells them apart by
the names in `raw_events.event` (the indexer always named each log by the deployment's ABI):

- a registry deployed before 1.1.0: it never emits the new events, and its records keep indexing as
  they are. The new columns are filled as those contracts behaved: a clawback or restriction took
  effect when recorded (sanction in effect, one confirmation), an approved milestone's tranche was
  paid, nothing went back to a program; rules, targets, names and outcome details stay NULL (none
  was ever recorded).
- a registry at 1.1.0 or later, read by an indexer that did not project its new events: every indexed
  row is deleted, so the next `rnd-registry index` reads the chain again from the deployment block
  (the indexer's answer to any schema change: its rows depend only on the chain's events).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from registry.store.schema import Won

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Events only a registry at 1.1.0 or later emits.
NEW_EVENTS = (
    "CompanyNamed", "ProgramRulesSet", "ProjectTargetsSet", "GrantFundsReturned", "SanctionConfirmed",
    "SanctionCancelled", "SanctionQuorumChanged", "ObjectionFiled", "ObjectionResolved", "OutcomeDetailsRecorded",
)  # fmt: skip
_WON_DIGITS = 29


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    # Won amounts are zero-padded text on SQLite (see `UnsignedInteger`).
    zero = "0" * _WON_DIGITS if sqlite else "0"
    _schema(zero)
    raw = sa.table("raw_events", sa.column("event", sa.String))
    newer = bind.execute(sa.select(sa.func.count()).select_from(raw).where(raw.c.event.in_(NEW_EVENTS))).scalar_one()
    if newer:
        _read_again(bind)
    else:
        _fill_as_before(bind, zero, sqlite)
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.alter_column("sanction_status", server_default=None)
        batch_op.alter_column("confirmations", server_default=None)
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.alter_column("paid", server_default=None)
        batch_op.alter_column("returned", server_default=None)


def _read_again(bind: sa.Connection) -> None:
    """Deletes every indexed row (the schema stays): the next run reads the chain from the deployment block."""
    for name in sa.inspect(bind).get_table_names():
        if name != "alembic_version":
            bind.execute(sa.text(f'DELETE FROM "{name}"'))


def _fill_as_before(bind: sa.Connection, zero: str, sqlite: bool) -> None:
    """The new columns of a registry before 1.1.0, as its contracts behaved."""
    zero_literal = f"'{zero}'" if sqlite else "0"
    bind.execute(
        sa.text(
            "UPDATE audits SET sanction_status = 2, confirmations = 1 WHERE "
            f"clawback_amount <> {zero_literal} OR (restricted_until IS NOT NULL AND restricted_until > recorded_at)"
        )
    )
    paid = "SELECT SUM(m.tranche) FROM milestones m WHERE m.project_id = projects.project_id AND m.status = 3"
    # On SQLite, SUM reads the padded text as integers, written back padded.
    paid = f"printf('%0{_WON_DIGITS}d', ({paid}))" if sqlite else f"({paid})"
    bind.execute(
        sa.text(
            f"UPDATE projects SET paid = {paid} WHERE EXISTS "
            "(SELECT 1 FROM milestones m WHERE m.project_id = projects.project_id AND m.status = 3)"
        )
    )


def _schema(zero: str) -> None:
    op.create_table(
        "companies",
        sa.Column("company_id", sa.LargeBinary(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False, comment="The public name (상호) last published on chain."),
        sa.Column(
            "name_folded", sa.Text(), nullable=False, comment="The name NFKC-normalized and case-folded, for search."
        ),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_companies")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "company_names",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("company_id", sa.LargeBinary(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("admin", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_company_names")),
        comment="Every name a company was published under (CompanyNamed), oldest first.",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("company_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_names_company_id"), ["company_id"], unique=False)

    op.create_table(
        "decisions",
        sa.Column(
            "subject", sa.SmallInteger(), nullable=False, comment="milestone rejection, report dispute or evaluation"
        ),
        sa.Column("subject_id", sa.BigInteger(), nullable=False, comment="The project, report or audit id."),
        sa.Column("milestone_index", sa.BigInteger(), nullable=False, comment="The rejected milestone; 0 otherwise."),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("decided_by", sa.String(length=42), nullable=False),
        sa.Column("decided_at", sa.BigInteger(), nullable=False),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("subject", "subject_id", "milestone_index", name=op.f("pk_decisions")),
        comment="The latest decision of each kind a company may object to, as the grant registry notes it.",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_project_id"), ["project_id"], unique=False)

    op.create_table(
        "objections",
        sa.Column("objection_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("project_id", sa.BigInteger(), nullable=False),
        sa.Column("subject", sa.SmallInteger(), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("milestone_index", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False, comment="open, upheld or dismissed"),
        sa.Column("filed_at", sa.BigInteger(), nullable=False),
        sa.Column("filed_by", sa.String(length=42), nullable=False),
        sa.Column("decided_by", sa.String(length=42), nullable=False),
        sa.Column("decided_at", sa.BigInteger(), nullable=False, comment="When the contested decision was made."),
        sa.Column("evidence_hash", sa.LargeBinary(), nullable=False),
        sa.Column("resolved_by", sa.String(length=42), nullable=True),
        sa.Column("resolved_at", sa.BigInteger(), nullable=True),
        sa.Column("reason_hash", sa.LargeBinary(), nullable=True),
        sa.Column("created_block_number", sa.BigInteger(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.Column("created_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("updated_block_number", sa.BigInteger(), nullable=False),
        sa.Column("updated_log_index", sa.Integer(), nullable=False),
        sa.Column("updated_transaction_hash", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("objection_id", name=op.f("pk_objections")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objections_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_objections_subject_subject_id_milestone_index"),
            ["subject", "subject_id", "milestone_index"],
            unique=False,
        )

    op.create_table(
        "sanction_confirmations",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("audit_id", sa.BigInteger(), nullable=False),
        sa.Column("auditor", sa.String(length=42), nullable=False),
        sa.Column("confirmations", sa.SmallInteger(), nullable=False),
        sa.Column("in_effect", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_sanction_confirmations")),
        comment="Each auditor's confirmation of an evaluation's sanction (the recorder's own is the audit).",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("sanction_confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sanction_confirmations_audit_id"), ["audit_id"], unique=False)

    op.create_table(
        "sanction_quorum_changes",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("transaction_hash", sa.LargeBinary(), nullable=False),
        sa.Column("quorum", sa.SmallInteger(), nullable=False),
        sa.Column("admin", sa.String(length=42), nullable=False),
        sa.PrimaryKeyConstraint("block_number", "log_index", name=op.f("pk_sanction_quorum_changes")),
        comment="Changes of how many auditors a sanction needs (2 until the first change).",
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sanction_status",
                sa.SmallInteger(),
                nullable=False,
                server_default="0",
                comment="none, pending, in effect or cancelled.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "confirmations",
                sa.SmallInteger(),
                nullable=False,
                server_default="0",
                comment="Auditors who confirmed, the recorder first.",
            )
        )
        batch_op.add_column(
            sa.Column(
                "cancelled_by_objection",
                sa.BigInteger(),
                nullable=True,
                comment="The upheld objection that cancelled it.",
            )
        )

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("venue", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("country", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("counterparty", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "details_date",
                sa.BigInteger(),
                nullable=True,
                comment="The date the details name (unix seconds); NULL if 0.",
            )
        )
        batch_op.add_column(sa.Column("details_amount", Won, nullable=True))
        batch_op.add_column(sa.Column("sci_indexed", sa.Boolean(), nullable=True))

    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("follow_up_years", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("objection_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_restriction_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("max_clawback_percent", sa.Integer(), nullable=True))

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "paid", Won, nullable=False, server_default=zero, comment="The tranches of its approved milestones."
            )
        )
        batch_op.add_column(
            sa.Column(
                "returned",
                Won,
                nullable=False,
                server_default=zero,
                comment="What went back to the program (GrantFundsReturned).",
            )
        )
        batch_op.add_column(sa.Column("target_papers", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("target_patents", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("target_sales", Won, nullable=True))
        batch_op.add_column(sa.Column("target_investment", Won, nullable=True))
        batch_op.add_column(sa.Column("target_jobs", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("target_jobs")
        batch_op.drop_column("target_investment")
        batch_op.drop_column("target_sales")
        batch_op.drop_column("target_patents")
        batch_op.drop_column("target_papers")
        batch_op.drop_column("returned")
        batch_op.drop_column("paid")

    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_column("max_clawback_percent")
        batch_op.drop_column("max_restriction_days")
        batch_op.drop_column("objection_days")
        batch_op.drop_column("follow_up_years")

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_column("sci_indexed")
        batch_op.drop_column("details_amount")
        batch_op.drop_column("details_date")
        batch_op.drop_column("counterparty")
        batch_op.drop_column("country")
        batch_op.drop_column("venue")

    with op.batch_alter_table("audits", schema=None) as batch_op:
        batch_op.drop_column("cancelled_by_objection")
        batch_op.drop_column("confirmations")
        batch_op.drop_column("sanction_status")

    op.drop_table("sanction_quorum_changes")
    with op.batch_alter_table("sanction_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sanction_confirmations_audit_id"))

    op.drop_table("sanction_confirmations")
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objections_subject_subject_id_milestone_index"))
        batch_op.drop_index(batch_op.f("ix_objections_project_id"))

    op.drop_table("objections")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decisions_project_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("company_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_names_company_id"))

    op.drop_table("company_names")
    op.drop_table("companies")
