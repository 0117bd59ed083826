"""The SQL schema of the indexed registry, as SQLAlchemy Core tables.

Three kinds of table:

- `raw_events` holds every log of the registry contracts exactly as the chain returned it,
  append-only, keyed by (chain id, block number, log index); `blocks` holds the hash and time of
  every block that has such a log, and `indexer_state` how far the chain has been read.
- Record tables (`programs`, `projects`, `milestones`, `outcomes`...) hold each record's current
  state, column for column the fields of its domain model in `registry.domain.records`, plus the
  block, log index and transaction of the event that created it and of the last one that changed it.
- History tables (`milestone_history`, `ip_status_changes`, `membership_history`...) hold one row per
  event, keyed by the event's (block number, log index).

Record and history tables are projections of `raw_events`: rebuilding them from it gives the same
rows. Hashes and ids are binary, addresses checksummed text, times unix seconds, and won amounts
(`uint96` on chain, too wide for a 64-bit integer) exact: see `UnsignedInteger`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UnsignedInteger(TypeDecorator[int]):
    """An unsigned integer of up to `digits` decimal digits, stored exactly.

    Won amounts are `uint96` on chain (up to 29 digits) and forwarder nonces `uint256` (78): wider
    than SQL's 64-bit integers. PostgreSQL stores them as `NUMERIC(digits, 0)`; SQLite, whose
    INTEGER is 64-bit and whose NUMERIC turns wide values into floats, as zero-padded decimal text,
    which compares and sorts as the numbers do, and which SQLite's SUM still reads as integers below
    2**63. Python sees an `int` either way.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, digits: int) -> None:
        super().__init__(precision=digits, scale=0)
        self.digits = digits

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(self.digits))
        return dialect.type_descriptor(Numeric(self.digits, 0))

    def stored_form(self, dialect: str) -> Callable[[int | None], Any]:
        """How a value goes to the driver of `dialect`."""
        if dialect != "sqlite":
            return _unchanged
        width = self.digits

        def padded(value: int | None) -> str | None:
            return None if value is None else f"{value:0{width}d}"

        return padded

    def process_bind_param(self, value: int | None, dialect: Dialect) -> Any:
        return self.stored_form(dialect.name)(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(value)

    def __repr__(self) -> str:
        return f"UnsignedInteger(digits={self.digits})"


def _unchanged(value: int | None) -> Any:
    return value


Won = UnsignedInteger(29)
"""Whole Korean won, a `uint96` on chain."""
Uint256 = UnsignedInteger(78)
Hash = LargeBinary
"""32 bytes: a document's SHA-256, a company id, a block or transaction hash."""
ADDRESS_LENGTH = 42


def _table(name: str, meta: MetaData, *items: Any, **options: Any) -> Table:
    # On SQLite every table is clustered on its primary key (WITHOUT ROWID): one b-tree per table
    # instead of a rowid table plus a primary-key index, which halves the work of an insert.
    return Table(name, meta, *items, sqlite_with_rowid=False, **options)


def _address(name: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(ADDRESS_LENGTH), nullable=nullable)


def _hash(name: str, *, nullable: bool = False) -> Column[bytes]:
    return Column(name, Hash, nullable=nullable)


def _created_and_updated() -> list[Column[Any]]:
    """Where a record was created and last changed: block number, log index and transaction of each event."""
    return [
        Column("created_block_number", BigInteger, nullable=False),
        Column("created_log_index", Integer, nullable=False),
        _hash("created_transaction_hash"),
        Column("updated_block_number", BigInteger, nullable=False),
        Column("updated_log_index", Integer, nullable=False),
        _hash("updated_transaction_hash"),
    ]


def _event_key() -> list[Column[Any]]:
    """The event a history row records; (block number, log index) is its key."""
    return [
        Column("block_number", BigInteger, nullable=False),
        Column("log_index", Integer, nullable=False),
        _hash("transaction_hash"),
    ]


# ---- the chain as read ---------------------------------------------------------------------------

indexer_state = _table(
    "indexer_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("chain_id", BigInteger, nullable=False),
    _address("grant_registry"),
    Column("deploy_block", BigInteger, nullable=False),
    Column("indexed_block", BigInteger, nullable=False, comment="Every log up to this block is in the database."),
    _hash("indexed_block_hash", nullable=True),
    comment="How far the chain has been read; one row, written in the same transaction as the rows it covers.",
)

blocks = _table(
    "blocks",
    metadata,
    Column("block_number", BigInteger, primary_key=True, autoincrement=False),
    _hash("block_hash"),
    Column("timestamp", BigInteger, nullable=False),
    comment="Every block holding a registry log: its hash (to notice a reorganization) and its time.",
)

raw_events = _table(
    "raw_events",
    metadata,
    Column("chain_id", BigInteger, nullable=False),
    Column("block_number", BigInteger, nullable=False),
    Column("log_index", Integer, nullable=False),
    _hash("block_hash"),
    _hash("transaction_hash"),
    Column("transaction_index", Integer, nullable=False),
    _address("address"),
    _hash("topic0", nullable=True),
    _hash("topic1", nullable=True),
    _hash("topic2", nullable=True),
    _hash("topic3", nullable=True),
    Column("data", LargeBinary, nullable=False),
    Column("event", String(64), nullable=True, comment="The event's name, or NULL if the ABI does not declare it."),
    PrimaryKeyConstraint("chain_id", "block_number", "log_index"),
    comment="Every log of the registry contracts, as the chain returned it; append-only.",
)

# ---- grants --------------------------------------------------------------------------------------

programs = _table(
    "programs",
    metadata,
    Column("program_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("budget", Won, nullable=False),
    Column("per_project_cap", Won, nullable=False),
    Column("granted", Won, nullable=False),
    Column("project_count", BigInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("field", Text, nullable=False),
    _hash("metadata_hash"),
    Column("metadata_uri", Text, nullable=False),
    _address("created_by"),
    # The program's rules (ProgramRulesSet, right after ProgramCreated); NULL for a program of a registry
    # deployed before version 1.1.0, which had none.
    Column("follow_up_years", SmallInteger, nullable=True),
    Column("objection_days", Integer, nullable=True),
    Column("max_restriction_days", Integer, nullable=True),
    Column("max_clawback_percent", Integer, nullable=True),
    *_created_and_updated(),
)

projects = _table(
    "projects",
    metadata,
    Column("project_id", BigInteger, primary_key=True, autoincrement=False),
    Column("program_id", BigInteger, nullable=False, index=True),
    _hash("company_id"),
    Column("status", SmallInteger, nullable=False),
    Column("amount", Won, nullable=False),
    Column("start_date", BigInteger, nullable=False),
    Column("end_date", BigInteger, nullable=False),
    _hash("plan_hash"),
    Column("milestone_count", BigInteger, nullable=False),
    Column("planned_tranches", Won, nullable=False),
    _address("registered_by"),
    Column("paid", Won, nullable=False, comment="The tranches of its approved milestones."),
    Column("returned", Won, nullable=False, comment="What went back to the program (GrantFundsReturned)."),
    # The performance targets (ProjectTargetsSet, an event only); NULL when none was recorded.
    Column("target_papers", Integer, nullable=True),
    Column("target_patents", Integer, nullable=True),
    Column("target_sales", Won, nullable=True),
    Column("target_investment", Won, nullable=True),
    Column("target_jobs", BigInteger, nullable=True),
    *_created_and_updated(),
    Index(None, "company_id"),
)

project_status_changes = _table(
    "project_status_changes",
    metadata,
    *_event_key(),
    Column("project_id", BigInteger, nullable=False, index=True),
    Column("from_status", SmallInteger, nullable=False),
    Column("to_status", SmallInteger, nullable=False),
    _hash("document_hash"),
    _address("actor"),
    PrimaryKeyConstraint("block_number", "log_index"),
)

milestones = _table(
    "milestones",
    metadata,
    Column("project_id", BigInteger, nullable=False),
    Column("milestone_index", BigInteger, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("due_date", BigInteger, nullable=False),
    Column("tranche", Won, nullable=False),
    _hash("description_hash"),
    _address("planned_by"),
    *_created_and_updated(),
    PrimaryKeyConstraint("project_id", "milestone_index"),
)

milestone_history = _table(
    "milestone_history",
    metadata,
    *_event_key(),
    Column("project_id", BigInteger, nullable=False),
    Column("milestone_index", BigInteger, nullable=False),
    Column("status", SmallInteger, nullable=False, comment="The status this event gave: planned, submitted..."),
    Column("attempt", Integer, nullable=False, comment="The submission it concerns; 0 when planned."),
    _address("actor"),
    _hash("document_hash", nullable=True),
    PrimaryKeyConstraint("block_number", "log_index"),
    Index(None, "project_id", "milestone_index"),
    comment="Every step of every milestone; a submission's evidence is in evidence_references.",
)

audits = _table(
    "audits",
    metadata,
    Column("audit_id", BigInteger, primary_key=True, autoincrement=False),
    Column("project_id", BigInteger, nullable=False, index=True),
    Column("grade", SmallInteger, nullable=False),
    Column("clawback_amount", Won, nullable=False),
    Column("restricted_until", BigInteger, nullable=True),
    Column("recorded_at", BigInteger, nullable=False),
    _address("auditor"),
    _hash("findings_hash"),
    Column("sanction_status", SmallInteger, nullable=False, comment="none, pending, in effect or cancelled."),
    Column("confirmations", SmallInteger, nullable=False, comment="Auditors who confirmed, the recorder first."),
    Column("cancelled_by_objection", BigInteger, nullable=True, comment="The upheld objection that cancelled it."),
    *_created_and_updated(),
)

sanction_confirmations = _table(
    "sanction_confirmations",
    metadata,
    *_event_key(),
    Column("audit_id", BigInteger, nullable=False, index=True),
    _address("auditor"),
    Column("confirmations", SmallInteger, nullable=False),
    Column("in_effect", Boolean, nullable=False),
    PrimaryKeyConstraint("block_number", "log_index"),
    comment="Each auditor's confirmation of an evaluation's sanction (the recorder's own is the audit).",
)

sanction_quorum_changes = _table(
    "sanction_quorum_changes",
    metadata,
    *_event_key(),
    Column("quorum", SmallInteger, nullable=False),
    _address("admin"),
    PrimaryKeyConstraint("block_number", "log_index"),
    comment="Changes of how many auditors a sanction needs (2 until the first change).",
)

decisions = _table(
    "decisions",
    metadata,
    Column("subject", SmallInteger, nullable=False, comment="milestone rejection, report dispute or evaluation"),
    Column("subject_id", BigInteger, nullable=False, comment="The project, report or audit id."),
    Column("milestone_index", BigInteger, nullable=False, comment="The rejected milestone; 0 otherwise."),
    Column("project_id", BigInteger, nullable=False, index=True),
    _address("decided_by"),
    Column("decided_at", BigInteger, nullable=False),
    *_created_and_updated(),
    PrimaryKeyConstraint("subject", "subject_id", "milestone_index"),
    comment="The latest decision of each kind a company may object to, as the grant registry notes it.",
)

objections = _table(
    "objections",
    metadata,
    Column("objection_id", BigInteger, primary_key=True, autoincrement=False),
    Column("project_id", BigInteger, nullable=False, index=True),
    Column("subject", SmallInteger, nullable=False),
    Column("subject_id", BigInteger, nullable=False),
    Column("milestone_index", BigInteger, nullable=False),
    Column("status", SmallInteger, nullable=False, comment="open, upheld or dismissed"),
    Column("filed_at", BigInteger, nullable=False),
    _address("filed_by"),
    _address("decided_by"),
    Column("decided_at", BigInteger, nullable=False, comment="When the contested decision was made."),
    _hash("evidence_hash"),
    _address("resolved_by", nullable=True),
    Column("resolved_at", BigInteger, nullable=True),
    _hash("reason_hash", nullable=True),
    *_created_and_updated(),
    Index(None, "subject", "subject_id", "milestone_index"),
)

# ---- outcomes and commercialization --------------------------------------------------------------

outcomes = _table(
    "outcomes",
    metadata,
    Column("outcome_id", BigInteger, primary_key=True, autoincrement=False),
    Column("project_id", BigInteger, nullable=False, index=True),
    Column("outcome_type", SmallInteger, nullable=False),
    Column("ip_status", SmallInteger, nullable=False),
    Column("revoked", Boolean, nullable=False),
    Column("amends", BigInteger, nullable=False),
    Column("amended_by", BigInteger, nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    _hash("evidence_hash"),
    Column("external_id", Text, nullable=False),
    _address("submitter"),
    # OutcomeDetailsRecorded (an event only, right after the outcome's); NULL when none was recorded.
    Column("venue", Text, nullable=True),
    Column("country", Text, nullable=True),
    Column("counterparty", Text, nullable=True),
    Column("details_date", BigInteger, nullable=True, comment="The date the details name (unix seconds); NULL if 0."),
    Column("details_amount", Won, nullable=True),
    Column("sci_indexed", Boolean, nullable=True),
    *_created_and_updated(),
)

outcome_amendments = _table(
    "outcome_amendments",
    metadata,
    *_event_key(),
    Column("outcome_id", BigInteger, nullable=False, unique=True),
    Column("original_id", BigInteger, nullable=False, index=True),
    _hash("reason_hash"),
    _address("submitter"),
    PrimaryKeyConstraint("block_number", "log_index"),
)

outcome_revocations = _table(
    "outcome_revocations",
    metadata,
    *_event_key(),
    Column("outcome_id", BigInteger, nullable=False, unique=True),
    _hash("reason_hash"),
    _address("actor"),
    PrimaryKeyConstraint("block_number", "log_index"),
)

ip_status_changes = _table(
    "ip_status_changes",
    metadata,
    *_event_key(),
    Column("outcome_id", BigInteger, nullable=False, index=True),
    Column("from_status", SmallInteger, nullable=False),
    Column("to_status", SmallInteger, nullable=False),
    _hash("evidence_hash"),
    _address("actor"),
    PrimaryKeyConstraint("block_number", "log_index"),
)

commercialization_reports = _table(
    "commercialization_reports",
    metadata,
    Column("report_id", BigInteger, primary_key=True, autoincrement=False),
    Column("project_id", BigInteger, nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    Column("sales", Won, nullable=False),
    Column("investment", Won, nullable=False),
    Column("royalties", Won, nullable=False),
    Column("jobs", BigInteger, nullable=False),
    _hash("commitment"),
    _hash("evidence_hash"),
    _address("submitter"),
    *_created_and_updated(),
)

report_history = _table(
    "report_history",
    metadata,
    *_event_key(),
    Column("report_id", BigInteger, nullable=False, index=True),
    Column("action", String(16), nullable=False, comment="reported, committed, revealed, verified or disputed"),
    Column("status", SmallInteger, nullable=False, comment="The status this event gave the report."),
    _address("actor"),
    _hash("document_hash", nullable=True),
    PrimaryKeyConstraint("block_number", "log_index"),
)

# ---- members and roles ---------------------------------------------------------------------------

role_members = _table(
    "role_members",
    metadata,
    _hash("role"),
    _address("account"),
    Column("active", Boolean, nullable=False, comment="False once revoked; granted again sets it back."),
    *_created_and_updated(),
    PrimaryKeyConstraint("role", "account"),
)

role_admins = _table(
    "role_admins",
    metadata,
    _hash("role"),
    _hash("admin_role"),
    *_created_and_updated(),
    PrimaryKeyConstraint("role"),
)

company_accounts = _table(
    "company_accounts",
    metadata,
    _address("account"),
    _hash("company_id"),
    Column("active", Boolean, nullable=False, comment="False once unbound."),
    *_created_and_updated(),
    PrimaryKeyConstraint("account"),
    Index(None, "company_id"),
)

companies = _table(
    "companies",
    metadata,
    _hash("company_id"),
    Column("name", Text, nullable=False, comment="The public name (상호) last published on chain."),
    Column("name_folded", Text, nullable=False, comment="The name NFKC-normalized and case-folded, for search."),
    *_created_and_updated(),
    PrimaryKeyConstraint("company_id"),
)

company_names = _table(
    "company_names",
    metadata,
    *_event_key(),
    _hash("company_id"),
    Column("name", Text, nullable=False),
    _address("admin"),
    PrimaryKeyConstraint("block_number", "log_index"),
    Index(None, "company_id"),
    comment="Every name a company was published under (CompanyNamed), oldest first.",
)

company_restrictions = _table(
    "company_restrictions",
    metadata,
    _hash("company_id"),
    Column("restricted_until", BigInteger, nullable=False),
    Column("audit_id", BigInteger, nullable=False),
    *_created_and_updated(),
    PrimaryKeyConstraint("company_id"),
)

membership_history = _table(
    "membership_history",
    metadata,
    *_event_key(),
    Column("action", String(32), nullable=False, comment="role-granted, role-revoked, company-bound, ..."),
    _hash("role", nullable=True),
    _address("account", nullable=True),
    _hash("company_id", nullable=True),
    _address("actor", nullable=True),
    PrimaryKeyConstraint("block_number", "log_index"),
)

admin_transfer_history = _table(
    "admin_transfer_history",
    metadata,
    *_event_key(),
    Column("action", String(32), nullable=False, comment="transfer-scheduled, transfer-canceled, delay-..."),
    _address("new_admin", nullable=True),
    Column("new_delay", BigInteger, nullable=True),
    Column("schedule", BigInteger, nullable=True, comment="When the transfer or delay change may take effect."),
    PrimaryKeyConstraint("block_number", "log_index"),
    comment="The two-step, delayed transfer of the top admin role.",
)

relayed_requests = _table(
    "relayed_requests",
    metadata,
    *_event_key(),
    _address("signer"),
    Column("nonce", Uint256, nullable=False),
    Column("success", Boolean, nullable=False),
    PrimaryKeyConstraint("block_number", "log_index"),
    Index(None, "transaction_hash"),
    comment="Submissions signed off chain and relayed by the forwarder; the records credit the signer.",
)

# ---- evidence ------------------------------------------------------------------------------------

anchors = _table(
    "anchors",
    metadata,
    _hash("document_hash"),
    Column("kind", SmallInteger, nullable=False),
    _address("anchored_by"),
    Column("timestamp", BigInteger, nullable=False),
    Column("block_number", BigInteger, nullable=False),
    Column("log_index", Integer, nullable=False, comment="The event whose transaction anchored it."),
    _hash("transaction_hash"),
    PrimaryKeyConstraint("document_hash"),
    comment="The first anchoring of each document hash, as the grant registry's anchor book keeps it.",
)

batches = _table(
    "batches",
    metadata,
    _hash("root"),
    _address("anchored_by"),
    Column("timestamp", BigInteger, nullable=False),
    Column("block_number", BigInteger, nullable=False),
    Column("log_index", Integer, nullable=False),
    _hash("transaction_hash"),
    Column("leaf_count", BigInteger, nullable=False),
    _hash("manifest_hash"),
    PrimaryKeyConstraint("root"),
)

evidence_references = _table(
    "evidence_references",
    metadata,
    *_event_key(),
    Column("position", Integer, nullable=False, comment="Which of the event's documents, from 0."),
    _hash("document_hash"),
    Column("kind", SmallInteger, nullable=False),
    Column("record_type", String(16), nullable=False, comment="program, project, milestone, outcome, report..."),
    Column("record_id", BigInteger, nullable=False),
    Column("milestone_index", BigInteger, nullable=True),
    _address("actor"),
    Column(
        "anchoring",
        Boolean,
        nullable=False,
        comment="Whether this event anchored the document if it was not yet (a clawback only cites findings).",
    ),
    PrimaryKeyConstraint("block_number", "log_index", "position"),
    Index(None, "document_hash"),
    comment="Every document a record's event refers to, so a document leads to the records that cite it.",
)

batch_members = _table(
    "batch_members",
    metadata,
    _hash("document_hash"),
    _hash("root"),
    Column("position", Integer, nullable=False, comment="The leaf's place in the tree's leaf order, from 0."),
    Column("path", Text, nullable=False, comment="The document's path inside the batch, as the manifest names it."),
    Column("proof", LargeBinary, nullable=False, comment="The Merkle proof: 32-byte sibling hashes, leaf to root."),
    PrimaryKeyConstraint("document_hash", "root"),
    Index(None, "root"),
    comment="The documents of each indexed batch, read from its manifest in the document store and kept only "
    "if the manifest's hash is the batch's and its leaves rebuild the batch's root; not a projection of "
    "raw_events (the chain holds only the root), so it is filled after indexing and read joined on batches.",
)

# ---- indexes of the public API's sorts ----------------------------------------------------------
# Each list the API sorts by a column seeks its pages through an index on (column, primary key): on a
# WITHOUT ROWID table a secondary index already ends with the primary key, so one column suffices.
# Filters need none: a filtered page scans forward from its position in the sort's index until it
# has its rows, at the same cost on every page.

API_SORT_INDEXES = (
    Index("ix_programs_year", programs.c.year),
    Index("ix_programs_budget", programs.c.budget),
    Index("ix_projects_amount", projects.c.amount),
    Index("ix_projects_start_date", projects.c.start_date),
    Index("ix_milestones_due_date", milestones.c.due_date),
    Index("ix_audits_clawback_amount", audits.c.clawback_amount),
    Index("ix_commercialization_reports_year", commercialization_reports.c.year),
    Index("ix_commercialization_reports_sales", commercialization_reports.c.sales),
    Index("ix_batches_block_number_log_index", batches.c.block_number, batches.c.log_index),
)

#: Tables rebuilt from `raw_events`, in an order that respects nothing but readability (no foreign keys).
PROJECTION_TABLES: tuple[Table, ...] = (
    programs,
    projects,
    project_status_changes,
    milestones,
    milestone_history,
    audits,
    sanction_confirmations,
    sanction_quorum_changes,
    decisions,
    objections,
    outcomes,
    outcome_amendments,
    outcome_revocations,
    ip_status_changes,
    commercialization_reports,
    report_history,
    role_members,
    role_admins,
    company_accounts,
    companies,
    company_names,
    company_restrictions,
    membership_history,
    admin_transfer_history,
    relayed_requests,
    anchors,
    batches,
    evidence_references,
)
