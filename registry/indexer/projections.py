"""Applies decoded registry events to the record and history tables, a batch at a time.

Each event has one projection: a function that changes rows the way the contract changed its
storage when it emitted the event (a program's `granted` grows by a project's amount, an
amendment marks the original `amended_by`, the first anchoring of a document hash wins...). A
batch runs in three steps, so the database sees a few bulk statements rather than one per event:

1. every row the batch's events read is loaded at once (`needs`);
2. the projections run in chain order on those rows, in memory;
3. new rows are inserted, changed rows updated and history rows appended, each table in one
   `executemany`.

Because the projections see the events in chain order and nothing else, the tables depend only
on the sequence of events, not on how it was cut into batches: rebuilding them from `raw_events`
(`rebuild`) gives the rows an uninterrupted run gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from registry.domain.enums import (
    IP_OUTCOME_TYPES,
    AnchorKind,
    IpStatus,
    MilestoneStatus,
    ObjectionStatus,
    ObjectionSubject,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
    SanctionStatus,
)
from registry.domain.types import ZERO_HASH
from registry.errors import RegistryError
from registry.indexer.catalogue import DecodedEvent, EventCatalogue
from registry.indexer.logs import RawLog
from registry.store import schema as s
from registry.store.bulk import insert_rows, insert_values, update_rows
from registry.store.folding import folded

Key = tuple[Any, ...]
Row = dict[str, Any]
_LOAD_CHUNK = 400
#: What a table none of whose rows is in memory looks like; never written to.
_NO_ROWS: dict[Key, Any] = {}
_UPDATE_STAMP = ("updated_block_number", "updated_log_index", "updated_transaction_hash")
#: `evidence_references`' columns in their order (`insert_values` checks it), as `Changes.document` fills them.
_REFERENCE_COLUMNS = ("block_number", "log_index", "transaction_hash", "position", "document_hash", "kind",
                      "record_type", "record_id", "milestone_index", "actor", "anchoring")  # fmt: skip


class MissingRecord(RegistryError):
    """An event refers to a record no earlier event created: the database is not the chain's copy."""

    def __init__(self, table: str, key: Key, event: DecodedEvent) -> None:
        self.table = table
        self.key = key
        super().__init__(
            f"{event.name} at block {event.block_number}, log {event.log_index} refers to {table} {key}, "
            "which the database does not hold; rebuild it with `rnd-registry index reset`"
        )


class RowCache:
    """Record rows as the last committed batches left them, so the next batch need not read them back.

    Only rows of committed batches go in (`keep`), and a batch gets copies, so a batch whose
    transaction fails leaves the cache as it was. Emptied when full, and by whoever changes the
    tables behind its back (a rollback).
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self._rows: dict[Table, dict[Key, Row]] = {}
        self._size = 0

    def get(self, table: Table, key: Key) -> Row | None:
        row = self._rows.get(table, _NO_ROWS).get(key)
        return None if row is None else dict(row)

    def keep(self, changes: Changes) -> None:
        """Takes the record rows of a batch whose transaction committed (the batch is done with them)."""
        for table, rows in changes.record_rows().items():
            if self._size + len(rows) > self.limit:
                self.clear()
            kept = self._rows.setdefault(table, {})
            before = len(kept)
            kept.update(rows)
            self._size += len(kept) - before

    def clear(self) -> None:
        self._rows.clear()
        self._size = 0


class Changes:
    """The rows one batch of events reads and writes, kept in memory until `write`."""

    def __init__(self, cache: RowCache | None = None) -> None:
        self._cache = cache
        self._rows: dict[Table, dict[Key, Row]] = {}
        self._created: dict[Table, dict[Key, None]] = {}
        self._updated: dict[Table, dict[Key, None]] = {}
        #: The columns this batch's updates set, by table: only these are written back, so an update
        #: leaves alone the indexes on the columns it does not change.
        self._updated_columns: dict[Table, set[str]] = {}
        self._appended: dict[Table, list[Row]] = {}
        #: `evidence_references` rows, a tuple each in the table's column order (`_REFERENCE_COLUMNS`):
        #: about one an event, so they skip the dict other rows are built as.
        self._references: list[tuple[Any, ...]] = []
        self._first_block: int | None = None

    # ---- reading ----------------------------------------------------------------------------
    def load(self, connection: Connection, wanted: dict[Table, set[Key]]) -> None:
        """Reads, in a few queries, the stored rows among `wanted` that are not in memory yet."""
        for table, keys in wanted.items():
            rows = self._rows.setdefault(table, {})
            missing = []
            for key in keys:
                if key in rows:
                    continue
                cached = self._cache.get(table, key) if self._cache is not None else None
                if cached is None:
                    missing.append(key)
                else:
                    rows[key] = cached
            columns = list(table.primary_key.columns)
            for start in range(0, len(missing), _LOAD_CHUNK):
                chunk = missing[start : start + _LOAD_CHUNK]
                single = len(columns) == 1
                condition = columns[0].in_([k[0] for k in chunk]) if single else tuple_(*columns).in_(chunk)
                for found in connection.execute(select(table).where(condition)).mappings():
                    rows[tuple(found[c.name] for c in columns)] = dict(found)

    def record_rows(self) -> dict[Table, dict[Key, Row]]:
        """Every record row this batch read or wrote, by table and key."""
        return self._rows

    def find(self, table: Table, key: Key) -> Row | None:
        row: Row | None = self._rows.get(table, _NO_ROWS).get(key)
        return row

    def get(self, table: Table, key: Key, event: DecodedEvent) -> Row:
        row: Row | None = self._rows.get(table, _NO_ROWS).get(key)
        if row is None:
            raise MissingRecord(table.name, key, event)
        return row

    # ---- writing in memory ------------------------------------------------------------------
    def create(self, table: Table, key: Key, event: DecodedEvent, **values: Any) -> None:
        # `values` is a dict of this call's own: it becomes the row.
        values["created_block_number"] = values["updated_block_number"] = event.block_number
        values["created_log_index"] = values["updated_log_index"] = event.log_index
        values["created_transaction_hash"] = values["updated_transaction_hash"] = event.transaction_hash
        self._rows.setdefault(table, {})[key] = values
        self._created.setdefault(table, {})[key] = None

    def update(self, table: Table, key: Key, event: DecodedEvent, **values: Any) -> Row:
        row: Row | None = self._rows.get(table, _NO_ROWS).get(key)
        if row is None:
            raise MissingRecord(table.name, key, event)
        row.update(values)
        row["updated_block_number"] = event.block_number
        row["updated_log_index"] = event.log_index
        row["updated_transaction_hash"] = event.transaction_hash
        if key not in self._created.get(table, _NO_ROWS):
            updated = self._updated.get(table)
            if updated is None:
                updated = self._updated[table] = {}
                self._updated_columns[table] = set(_UPDATE_STAMP)
            updated[key] = None
            self._updated_columns[table].update(values)
        return row

    def upsert(self, table: Table, key: Key, event: DecodedEvent, **values: Any) -> None:
        if self.find(table, key) is None:
            self.create(table, key, event, **values)
        else:
            self.update(table, key, event, **values)

    def append(self, table: Table, event: DecodedEvent, **values: Any) -> None:
        values["block_number"] = event.block_number
        values["log_index"] = event.log_index
        values["transaction_hash"] = event.transaction_hash
        self._appended.setdefault(table, []).append(values)

    def document(
        self,
        event: DecodedEvent,
        document_hash: bytes,
        kind: AnchorKind,
        *,
        record_type: str,
        record_id: int,
        actor: str,
        milestone_index: int | None = None,
        position: int = 0,
        anchoring: bool = True,
    ) -> None:
        """A document a record's event refers to, listed in `evidence_references`; unless `anchoring`
        is False, the grant registry also anchored it then, if it was not before (see `write`).
        Zero means "no document"."""
        if document_hash == ZERO_HASH:
            return
        self._references.append(
            (event.block_number, event.log_index, event.transaction_hash, position, document_hash, int(kind),
             record_type, record_id, milestone_index, actor, anchoring)
        )  # fmt: skip
        if self._first_block is None:
            self._first_block = event.block_number

    # ---- writing to the database ------------------------------------------------------------
    def write(self, connection: Connection) -> None:
        for table, keys in self._created.items():
            rows = self._rows[table]
            insert_rows(connection, table, [rows[k] for k in keys])
        for table, keys in self._updated.items():
            rows = self._rows[table]
            update_rows(connection, table, [rows[k] for k in keys], columns=self._updated_columns[table])
        for table, appended in self._appended.items():
            insert_rows(connection, table, appended)
        insert_values(connection, s.evidence_references, _REFERENCE_COLUMNS, self._references)
        if self._first_block is not None:
            anchor_first_references(connection, self._first_block)


def anchor_first_references(connection: Connection, since_block: int) -> None:
    """Adds to `anchors` each document first anchored by a reference from `since_block` on.

    As the anchor book on chain, the first anchoring of a hash wins: references are taken in chain
    order, and a hash anchored before (in an earlier batch, or earlier in this one) is left as it
    is. Done in SQL, since a batch holds about one reference per event.
    """
    e, b, a = s.evidence_references, s.blocks, s.anchors
    columns = [a.c.document_hash, a.c.kind, a.c.anchored_by, a.c.timestamp, a.c.block_number, a.c.log_index,
               a.c.transaction_hash]  # fmt: skip
    chosen = [e.c.document_hash, e.c.kind, e.c.actor, b.c.timestamp, e.c.block_number, e.c.log_index,
              e.c.transaction_hash]  # fmt: skip
    order = (e.c.block_number, e.c.log_index, e.c.position)
    references = select(*chosen).join(b, b.c.block_number == e.c.block_number)
    references = references.where(e.c.anchoring, e.c.block_number >= since_block)
    if connection.dialect.name == "postgresql":
        first = references.ext(postgresql.distinct_on(e.c.document_hash)).order_by(e.c.document_hash, *order)
        statement: Any = postgresql.insert(a).from_select(columns, first).on_conflict_do_nothing()
    else:
        # SQLite inserts the selected rows in their order, so the first reference of a hash wins.
        statement = sqlite.insert(a).from_select(columns, references.order_by(*order)).on_conflict_do_nothing()
    connection.execute(statement)


# ---- the projection of each event -------------------------------------------------------------

Apply = Callable[[Changes, DecodedEvent], None]
Needs = Callable[[dict[str, Any]], Iterable[tuple[Table, Key]]]


@dataclass(frozen=True)
class Projection:
    apply: Apply
    #: The record rows the event reads or changes, loaded before the batch's events are applied.
    needs: Needs | None
    #: The record row the event creates: a later event of the same batch needing it finds it in memory,
    #: so the database is not asked for it.
    creates: Needs | None


PROJECTIONS: dict[str, Projection] = {}


def projects(event_name: str, needs: Needs | None = None, creates: Needs | None = None) -> Callable[[Apply], Apply]:
    def register(apply: Apply) -> Apply:
        PROJECTIONS[event_name] = Projection(apply, needs, creates)
        return apply

    return register


# programs and projects


@projects("ProgramCreated", creates=lambda a: [(s.programs, (a["programId"],))])
def _program_created(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.create(
        s.programs, (a["programId"],), e,
        program_id=a["programId"], name=a["name"], year=a["year"], budget=a["budget"],
        per_project_cap=a["perProjectCap"], granted=0, project_count=0, status=int(ProgramStatus.OPEN),
        field=a["field"], metadata_hash=a["metadataHash"], metadata_uri=a["metadataURI"], created_by=a["admin"],
        follow_up_years=None, objection_days=None, max_restriction_days=None, max_clawback_percent=None,
    )  # fmt: skip
    c.document(e, a["metadataHash"], AnchorKind.PROGRAM_METADATA, record_type="program",
               record_id=a["programId"], actor=a["admin"])  # fmt: skip


@projects("ProgramRulesSet", needs=lambda a: [(s.programs, (a["programId"],))])
def _program_rules_set(c: Changes, e: DecodedEvent) -> None:
    follow_up, objection, restriction, clawback = e.args["rules"]
    c.update(s.programs, (e.args["programId"],), e, follow_up_years=follow_up, objection_days=objection,
             max_restriction_days=restriction, max_clawback_percent=clawback)  # fmt: skip


@projects("ProgramClosed", needs=lambda a: [(s.programs, (a["programId"],))])
def _program_closed(c: Changes, e: DecodedEvent) -> None:
    c.update(s.programs, (e.args["programId"],), e, status=int(ProgramStatus.CLOSED))


@projects(
    "ProjectRegistered",
    needs=lambda a: [(s.programs, (a["programId"],))],
    creates=lambda a: [(s.projects, (a["projectId"],))],
)
def _project_registered(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    program = c.get(s.programs, (a["programId"],), e)
    c.update(s.programs, (a["programId"],), e, granted=program["granted"] + a["amount"],
             project_count=program["project_count"] + 1)  # fmt: skip
    c.create(
        s.projects, (a["projectId"],), e,
        project_id=a["projectId"], program_id=a["programId"], company_id=a["companyId"],
        status=int(ProjectStatus.ACTIVE), amount=a["amount"], start_date=a["startDate"], end_date=a["endDate"],
        plan_hash=a["planHash"], milestone_count=0, planned_tranches=0, registered_by=a["admin"], paid=0,
        returned=0, target_papers=None, target_patents=None, target_sales=None, target_investment=None,
        target_jobs=None,
    )  # fmt: skip
    c.document(e, a["planHash"], AnchorKind.PROJECT_PLAN, record_type="project", record_id=a["projectId"],
               actor=a["admin"])  # fmt: skip


@projects("ProjectStatusChanged", needs=lambda a: [(s.projects, (a["projectId"],))])
def _project_status_changed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.update(s.projects, (a["projectId"],), e, status=a["to"])
    c.append(s.project_status_changes, e, project_id=a["projectId"], from_status=a["from"], to_status=a["to"],
             document_hash=a["documentHash"], actor=a["actor"])  # fmt: skip
    # A clawback's document is the audit's findings, anchored (as findings) just before by AuditRecorded.
    clawback = a["to"] == ProjectStatus.CLAWED_BACK
    kind = AnchorKind.AUDIT_FINDINGS if clawback else AnchorKind.DOCUMENT
    c.document(e, a["documentHash"], kind, record_type="project", record_id=a["projectId"], actor=a["actor"],
               anchoring=not clawback)  # fmt: skip


@projects("ProjectTargetsSet", needs=lambda a: [(s.projects, (a["projectId"],))])
def _project_targets_set(c: Changes, e: DecodedEvent) -> None:
    papers, patents, sales, investment, jobs = e.args["targets"]
    c.update(s.projects, (e.args["projectId"],), e, target_papers=papers, target_patents=patents,
             target_sales=sales, target_investment=investment, target_jobs=jobs)  # fmt: skip


@projects(
    "GrantFundsReturned",
    needs=lambda a: [(s.projects, (a["projectId"],)), (s.programs, (a["programId"],))],
)
def _grant_funds_returned(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    program = c.get(s.programs, (a["programId"],), e)
    c.update(s.programs, (a["programId"],), e, granted=program["granted"] - a["amount"])
    c.update(s.projects, (a["projectId"],), e, returned=a["amount"])


# milestones


def _milestone_key(a: dict[str, Any]) -> Key:
    return (a["projectId"], a["milestoneIndex"])


def _milestone_row(a: dict[str, Any]) -> list[tuple[Table, Key]]:
    return [(s.milestones, _milestone_key(a))]


@projects("MilestonePlanned", needs=lambda a: [(s.projects, (a["projectId"],))], creates=_milestone_row)
def _milestone_planned(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    project = c.get(s.projects, (a["projectId"],), e)
    c.update(s.projects, (a["projectId"],), e, milestone_count=project["milestone_count"] + 1,
             planned_tranches=project["planned_tranches"] + a["tranche"])  # fmt: skip
    c.create(
        s.milestones, _milestone_key(a), e,
        project_id=a["projectId"], milestone_index=a["milestoneIndex"], status=int(MilestoneStatus.PLANNED),
        attempts=0, due_date=a["dueDate"], tranche=a["tranche"], description_hash=a["descriptionHash"],
        planned_by=a["actor"],
    )  # fmt: skip
    _milestone_step(c, e, MilestoneStatus.PLANNED, 0, a["actor"], a["descriptionHash"])
    c.document(e, a["descriptionHash"], AnchorKind.MILESTONE_DESCRIPTION, record_type="milestone",
               record_id=a["projectId"], milestone_index=a["milestoneIndex"], actor=a["actor"])  # fmt: skip


def _milestone_step(
    c: Changes, e: DecodedEvent, status: MilestoneStatus, attempt: int, actor: str, document: bytes | None
) -> None:
    c.append(
        s.milestone_history, e,
        project_id=e.args["projectId"], milestone_index=e.args["milestoneIndex"], status=int(status),
        attempt=attempt, actor=actor, document_hash=None if document == ZERO_HASH else document,
    )  # fmt: skip


@projects("MilestoneSubmitted", needs=_milestone_row)
def _milestone_submitted(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    for position, evidence in enumerate(a["evidenceHashes"]):
        c.document(e, evidence, AnchorKind.MILESTONE_EVIDENCE, record_type="milestone", record_id=a["projectId"],
                   milestone_index=a["milestoneIndex"], actor=a["submitter"], position=position)  # fmt: skip
    c.update(s.milestones, _milestone_key(a), e, status=int(MilestoneStatus.SUBMITTED), attempts=a["attempt"])
    _milestone_step(c, e, MilestoneStatus.SUBMITTED, a["attempt"], a["submitter"], None)


@projects("MilestoneApproved", needs=lambda a: [*_milestone_row(a), (s.projects, (a["projectId"],))])
def _milestone_approved(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    # Approving a milestone pays its tranche (`fundsOf(projectId).paid`).
    milestone = c.get(s.milestones, _milestone_key(a), e)
    project = c.get(s.projects, (a["projectId"],), e)
    c.update(s.projects, (a["projectId"],), e, paid=project["paid"] + milestone["tranche"])
    c.document(e, a["reviewHash"], AnchorKind.REVIEW_NOTE, record_type="milestone", record_id=a["projectId"],
               milestone_index=a["milestoneIndex"], actor=a["auditor"])  # fmt: skip
    c.update(s.milestones, _milestone_key(a), e, status=int(MilestoneStatus.APPROVED))
    _milestone_step(c, e, MilestoneStatus.APPROVED, a["attempt"], a["auditor"], a["reviewHash"])


def _decision_key(subject: ObjectionSubject, subject_id: int, milestone_index: int = 0) -> Key:
    return (int(subject), subject_id, milestone_index)


def _decision_row(subject: ObjectionSubject, subject_id: str, milestone_index: str | None = None) -> Needs:
    def needs(a: dict[str, Any]) -> list[tuple[Table, Key]]:
        key = _decision_key(subject, a[subject_id], a[milestone_index] if milestone_index else 0)
        return [(s.decisions, key)]

    return needs


def _decided(c: Changes, e: DecodedEvent, key: Key, project_id: int, auditor: str) -> None:
    """A decision the company may object to, as `_noteDecision` keeps it: the latest of its key."""
    c.upsert(s.decisions, key, e, subject=key[0], subject_id=key[1], milestone_index=key[2], project_id=project_id,
             decided_by=auditor, decided_at=e.timestamp)  # fmt: skip


@projects(
    "MilestoneRejected",
    needs=lambda a: [*_milestone_row(a), *_decision_row(ObjectionSubject.MILESTONE_REJECTION, "projectId",
                                                        "milestoneIndex")(a)],
)  # fmt: skip
def _milestone_rejected(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    key = _decision_key(ObjectionSubject.MILESTONE_REJECTION, a["projectId"], a["milestoneIndex"])
    _decided(c, e, key, a["projectId"], a["auditor"])
    c.document(e, a["reasonHash"], AnchorKind.REVIEW_NOTE, record_type="milestone", record_id=a["projectId"],
               milestone_index=a["milestoneIndex"], actor=a["auditor"])  # fmt: skip
    c.update(s.milestones, _milestone_key(a), e, status=int(MilestoneStatus.REJECTED))
    _milestone_step(c, e, MilestoneStatus.REJECTED, a["attempt"], a["auditor"], a["reasonHash"])


# audits and sanctions


@projects(
    "AuditRecorded",
    creates=lambda a: [(s.audits, (a["auditId"],))],
    needs=_decision_row(ObjectionSubject.EVALUATION, "auditId"),
)
def _audit_recorded(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["findingsHash"], AnchorKind.AUDIT_FINDINGS, record_type="audit", record_id=a["auditId"],
               actor=a["auditor"])  # fmt: skip
    # A clawback or a restriction still to come waits for other auditors; the recorder counts as one.
    sanctioned = a["clawbackAmount"] != 0 or a["restrictedUntil"] > e.timestamp
    c.create(
        s.audits, (a["auditId"],), e,
        audit_id=a["auditId"], project_id=a["projectId"], grade=a["grade"], clawback_amount=a["clawbackAmount"],
        restricted_until=a["restrictedUntil"] or None, recorded_at=e.timestamp, auditor=a["auditor"],
        findings_hash=a["findingsHash"],
        sanction_status=int(SanctionStatus.PENDING if sanctioned else SanctionStatus.NONE),
        confirmations=1 if sanctioned else 0, cancelled_by_objection=None,
    )  # fmt: skip
    _decided(c, e, _decision_key(ObjectionSubject.EVALUATION, a["auditId"]), a["projectId"], a["auditor"])


@projects("SanctionConfirmed", needs=lambda a: [(s.audits, (a["auditId"],))])
def _sanction_confirmed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    values: dict[str, Any] = {"confirmations": a["confirmations"]}
    if a["inEffect"]:
        values["sanction_status"] = int(SanctionStatus.IN_EFFECT)
    c.update(s.audits, (a["auditId"],), e, **values)
    c.append(s.sanction_confirmations, e, audit_id=a["auditId"], auditor=a["auditor"],
             confirmations=a["confirmations"], in_effect=a["inEffect"])  # fmt: skip


@projects("SanctionCancelled", needs=lambda a: [(s.audits, (a["auditId"],))])
def _sanction_cancelled(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.update(s.audits, (a["auditId"],), e, sanction_status=int(SanctionStatus.CANCELLED),
             cancelled_by_objection=a["objectionId"])  # fmt: skip


@projects("SanctionQuorumChanged")
def _sanction_quorum_changed(c: Changes, e: DecodedEvent) -> None:
    c.append(s.sanction_quorum_changes, e, quorum=e.args["quorum"], admin=e.args["admin"])


# objections


def _objection_decision(a: dict[str, Any]) -> list[tuple[Table, Key]]:
    return [(s.decisions, (a["subject"], a["subjectId"], a["milestoneIndex"]))]


@projects("ObjectionFiled", needs=_objection_decision, creates=lambda a: [(s.objections, (a["objectionId"],))])
def _objection_filed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    decision = c.get(s.decisions, (a["subject"], a["subjectId"], a["milestoneIndex"]), e)
    c.document(e, a["evidenceHash"], AnchorKind.OBJECTION_EVIDENCE, record_type="objection",
               record_id=a["objectionId"], actor=a["company"])  # fmt: skip
    c.create(
        s.objections, (a["objectionId"],), e,
        objection_id=a["objectionId"], project_id=a["projectId"], subject=a["subject"], subject_id=a["subjectId"],
        milestone_index=a["milestoneIndex"], status=int(ObjectionStatus.OPEN), filed_at=e.timestamp,
        filed_by=a["company"], decided_by=decision["decided_by"], decided_at=decision["decided_at"],
        evidence_hash=a["evidenceHash"], resolved_by=None, resolved_at=None, reason_hash=None,
    )  # fmt: skip


@projects("ObjectionResolved", needs=lambda a: [(s.objections, (a["objectionId"],))])
def _objection_resolved(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["reasonHash"], AnchorKind.REVIEW_NOTE, record_type="objection", record_id=a["objectionId"],
               actor=a["auditor"])  # fmt: skip
    status = ObjectionStatus.UPHELD if a["upheld"] else ObjectionStatus.DISMISSED
    c.update(s.objections, (a["objectionId"],), e, status=int(status), resolved_by=a["auditor"],
             resolved_at=e.timestamp, reason_hash=a["reasonHash"])  # fmt: skip


@projects("CompanyRestrictionSet", needs=lambda a: [(s.company_restrictions, (a["companyId"],))])
def _company_restricted(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.upsert(s.company_restrictions, (a["companyId"],), e, company_id=a["companyId"], restricted_until=a["until"],
             audit_id=a["auditId"])  # fmt: skip
    c.append(s.membership_history, e, action="company-restricted", role=None, account=None,
             company_id=a["companyId"], actor=None)  # fmt: skip


# members and roles


@projects("CompanyNamed", needs=lambda a: [(s.companies, (a["companyId"],))])
def _company_named(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.upsert(s.companies, (a["companyId"],), e, company_id=a["companyId"], name=a["name"],
             name_folded=folded(a["name"]))  # fmt: skip
    c.append(s.company_names, e, company_id=a["companyId"], name=a["name"], admin=a["admin"])
    c.append(s.membership_history, e, action="company-named", role=None, account=None, company_id=a["companyId"],
             actor=a["admin"])  # fmt: skip


@projects("RoleGranted", needs=lambda a: [(s.role_members, (a["role"], a["account"]))])
def _role_granted(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.upsert(s.role_members, (a["role"], a["account"]), e, role=a["role"], account=a["account"], active=True)
    c.append(s.membership_history, e, action="role-granted", role=a["role"], account=a["account"],
             company_id=None, actor=a["sender"])  # fmt: skip


@projects("RoleRevoked", needs=lambda a: [(s.role_members, (a["role"], a["account"]))])
def _role_revoked(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.update(s.role_members, (a["role"], a["account"]), e, active=False)
    c.append(s.membership_history, e, action="role-revoked", role=a["role"], account=a["account"],
             company_id=None, actor=a["sender"])  # fmt: skip


@projects("RoleAdminChanged", needs=lambda a: [(s.role_admins, (a["role"],))])
def _role_admin_changed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.upsert(s.role_admins, (a["role"],), e, role=a["role"], admin_role=a["newAdminRole"])


@projects("CompanyAccountBound", needs=lambda a: [(s.company_accounts, (a["account"],))])
def _company_bound(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.upsert(s.company_accounts, (a["account"],), e, account=a["account"], company_id=a["companyId"], active=True)
    c.append(s.membership_history, e, action="company-bound", role=None, account=a["account"],
             company_id=a["companyId"], actor=a["admin"])  # fmt: skip


@projects("CompanyAccountUnbound", needs=lambda a: [(s.company_accounts, (a["account"],))])
def _company_unbound(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.update(s.company_accounts, (a["account"],), e, active=False)
    c.append(s.membership_history, e, action="company-unbound", role=None, account=a["account"],
             company_id=a["companyId"], actor=a["admin"])  # fmt: skip


def _admin_transfer(action: str, *, admin: str | None = None, delay: str | None = None, at: str | None = None) -> Apply:
    def apply(c: Changes, e: DecodedEvent) -> None:
        a = e.args
        c.append(s.admin_transfer_history, e, action=action, new_admin=a[admin] if admin else None,
                 new_delay=a[delay] if delay else None, schedule=a[at] if at else None)  # fmt: skip

    return apply


projects("DefaultAdminTransferScheduled")(_admin_transfer("transfer-scheduled", admin="newAdmin", at="acceptSchedule"))
projects("DefaultAdminTransferCanceled")(_admin_transfer("transfer-canceled"))
projects("DefaultAdminDelayChangeScheduled")(
    _admin_transfer("delay-change-scheduled", delay="newDelay", at="effectSchedule")
)
projects("DefaultAdminDelayChangeCanceled")(_admin_transfer("delay-change-canceled"))


@projects("ExecutedForwardRequest")
def _relayed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.append(s.relayed_requests, e, signer=a["signer"], nonce=a["nonce"], success=a["success"])


# evidence


@projects("DocumentAnchored")
def _document_anchored(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["documentHash"], AnchorKind.DOCUMENT, record_type="document", record_id=0,
               actor=a["anchoredBy"])  # fmt: skip


@projects("BatchAnchored")
def _batch_anchored(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    # A root is anchored once (the contract refuses it again), so the batch is written like history.
    c.append(s.batches, e, root=a["root"], anchored_by=a["anchoredBy"], timestamp=e.timestamp,
             leaf_count=a["leafCount"], manifest_hash=a["manifestHash"])  # fmt: skip


# outcomes


def _new_outcome(c: Changes, e: DecodedEvent, project_id: int, ip_status: int, amends: int) -> None:
    a = e.args
    c.create(
        s.outcomes, (a["outcomeId"],), e,
        outcome_id=a["outcomeId"], project_id=project_id, outcome_type=a["outcomeType"], ip_status=ip_status,
        revoked=False, amends=amends, amended_by=0, recorded_at=e.timestamp, evidence_hash=a["evidenceHash"],
        external_id=a["externalId"], submitter=a["submitter"], venue=None, country=None, counterparty=None,
        details_date=None, details_amount=None, sci_indexed=None,
    )  # fmt: skip


@projects("OutcomeAdded", creates=lambda a: [(s.outcomes, (a["outcomeId"],))])
def _outcome_added(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["evidenceHash"], AnchorKind.OUTCOME_EVIDENCE, record_type="outcome", record_id=a["outcomeId"],
               actor=a["submitter"])  # fmt: skip
    _new_outcome(c, e, a["projectId"], int(IpStatus.NONE), 0)


@projects(
    "OutcomeAmended",
    needs=lambda a: [(s.outcomes, (a["originalId"],))],
    creates=lambda a: [(s.outcomes, (a["outcomeId"],))],
)
def _outcome_amended(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["evidenceHash"], AnchorKind.OUTCOME_EVIDENCE, record_type="outcome", record_id=a["outcomeId"],
               actor=a["submitter"])  # fmt: skip
    c.document(e, a["reasonHash"], AnchorKind.DOCUMENT, record_type="outcome", record_id=a["outcomeId"],
               actor=a["submitter"], position=1)  # fmt: skip
    original = c.update(s.outcomes, (a["originalId"],), e, amended_by=a["outcomeId"])
    carries_ip = OutcomeType(a["outcomeType"]) in IP_OUTCOME_TYPES
    _new_outcome(c, e, original["project_id"], original["ip_status"] if carries_ip else int(IpStatus.NONE),
                 a["originalId"])  # fmt: skip
    c.append(s.outcome_amendments, e, outcome_id=a["outcomeId"], original_id=a["originalId"],
             reason_hash=a["reasonHash"], submitter=a["submitter"])  # fmt: skip


@projects("OutcomeDetailsRecorded", needs=lambda a: [(s.outcomes, (a["outcomeId"],))])
def _outcome_details_recorded(c: Changes, e: DecodedEvent) -> None:
    venue, country, counterparty, date, amount, sci_indexed = e.args["details"]
    c.update(s.outcomes, (e.args["outcomeId"],), e, venue=venue, country=country, counterparty=counterparty,
             details_date=date or None, details_amount=amount, sci_indexed=sci_indexed)  # fmt: skip


@projects("OutcomeRevocation", needs=lambda a: [(s.outcomes, (a["outcomeId"],))])
def _outcome_revoked(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["reasonHash"], AnchorKind.DOCUMENT, record_type="outcome", record_id=a["outcomeId"],
               actor=a["actor"])  # fmt: skip
    c.update(s.outcomes, (a["outcomeId"],), e, revoked=True)
    c.append(s.outcome_revocations, e, outcome_id=a["outcomeId"], reason_hash=a["reasonHash"], actor=a["actor"])


@projects("IpStatusChanged", needs=lambda a: [(s.outcomes, (a["outcomeId"],))])
def _ip_status_changed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["evidenceHash"], AnchorKind.IP_EVIDENCE, record_type="outcome", record_id=a["outcomeId"],
               actor=a["actor"])  # fmt: skip
    c.update(s.outcomes, (a["outcomeId"],), e, ip_status=a["to"])
    c.append(s.ip_status_changes, e, outcome_id=a["outcomeId"], from_status=a["from"], to_status=a["to"],
             evidence_hash=a["evidenceHash"], actor=a["actor"])  # fmt: skip


# commercialization


def _new_report(c: Changes, e: DecodedEvent, status: ReportStatus, figures: Sequence[int], commitment: bytes) -> None:
    a = e.args
    sales, investment, royalties, jobs = figures
    c.document(e, a["evidenceHash"], AnchorKind.REPORT_EVIDENCE, record_type="report", record_id=a["reportId"],
               actor=a["submitter"])  # fmt: skip
    c.create(
        s.commercialization_reports, (a["reportId"],), e,
        report_id=a["reportId"], project_id=a["projectId"], year=a["year"], status=int(status),
        recorded_at=e.timestamp, sales=sales, investment=investment, royalties=royalties, jobs=jobs,
        commitment=commitment, evidence_hash=a["evidenceHash"], submitter=a["submitter"],
    )  # fmt: skip
    _report_step(c, e, status.name.lower(), status, a["submitter"], a["evidenceHash"])


def _report_step(c: Changes, e: DecodedEvent, action: str, status: ReportStatus, actor: str, doc: bytes | None) -> None:
    c.append(s.report_history, e, report_id=e.args["reportId"], action=action, status=int(status), actor=actor,
             document_hash=None if doc == ZERO_HASH else doc)  # fmt: skip


def _report_row(a: dict[str, Any]) -> list[tuple[Table, Key]]:
    return [(s.commercialization_reports, (a["reportId"],))]


@projects("CommercializationReported", creates=_report_row)
def _report_reported(c: Changes, e: DecodedEvent) -> None:
    _new_report(c, e, ReportStatus.REPORTED, e.args["figures"], ZERO_HASH)


@projects("CommercializationCommitted", creates=_report_row)
def _report_committed(c: Changes, e: DecodedEvent) -> None:
    _new_report(c, e, ReportStatus.COMMITTED, (0, 0, 0, 0), e.args["commitment"])


@projects("CommercializationRevealed", needs=_report_row)
def _report_revealed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    sales, investment, royalties, jobs = a["figures"]
    c.update(s.commercialization_reports, (a["reportId"],), e, status=int(ReportStatus.REPORTED), sales=sales,
             investment=investment, royalties=royalties, jobs=jobs)  # fmt: skip
    _report_step(c, e, "revealed", ReportStatus.REPORTED, a["submitter"], None)


@projects("CommercializationVerified", needs=_report_row)
def _report_verified(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    c.document(e, a["noteHash"], AnchorKind.REVIEW_NOTE, record_type="report", record_id=a["reportId"],
               actor=a["auditor"])  # fmt: skip
    c.update(s.commercialization_reports, (a["reportId"],), e, status=int(ReportStatus.VERIFIED))
    _report_step(c, e, "verified", ReportStatus.VERIFIED, a["auditor"], a["noteHash"])


@projects(
    "CommercializationDisputed",
    needs=lambda a: [*_report_row(a), *_decision_row(ObjectionSubject.REPORT_DISPUTE, "reportId")(a)],
)
def _report_disputed(c: Changes, e: DecodedEvent) -> None:
    a = e.args
    report = c.get(s.commercialization_reports, (a["reportId"],), e)
    _decided(c, e, _decision_key(ObjectionSubject.REPORT_DISPUTE, a["reportId"]), report["project_id"], a["auditor"])
    c.document(e, a["reasonHash"], AnchorKind.REVIEW_NOTE, record_type="report", record_id=a["reportId"],
               actor=a["auditor"])  # fmt: skip
    c.update(s.commercialization_reports, (a["reportId"],), e, status=int(ReportStatus.DISPUTED))
    _report_step(c, e, "disputed", ReportStatus.DISPUTED, a["auditor"], a["reasonHash"])


# ---- batches ----------------------------------------------------------------------------------


def apply_events(connection: Connection, events: Sequence[DecodedEvent], *, cache: RowCache | None = None) -> Changes:
    """Projects `events`, in chain order, onto the record and history tables. Returns the changes,
    for `cache.keep` once the transaction has committed."""
    wanted: dict[Table, set[Key]] = {}
    created: set[tuple[Table, Key]] = set()
    work = []
    projections = PROJECTIONS
    for event in events:
        projection = projections.get(event.name)
        if projection is None:
            continue
        work.append((projection.apply, event))
        needs, creates = projection.needs, projection.creates
        if needs is not None:
            for table, key in needs(event.args):
                if (table, key) not in created:
                    keys = wanted.get(table)
                    if keys is None:
                        keys = wanted[table] = set()
                    keys.add(key)
        if creates is not None:
            created.update(creates(event.args))
    changes = Changes(cache)
    changes.load(connection, wanted)
    for apply, event in work:
        apply(changes, event)
    changes.write(connection)
    return changes


def decode_rows(catalogue: EventCatalogue, rows: Iterable[RawLog], timestamps: dict[int, int]) -> list[DecodedEvent]:
    """The registry events among `raw_events` rows (logs the ABIs do not declare are left out)."""
    events = []
    decode = catalogue.decode
    for row in rows:
        event = decode(row, timestamps[row.block_number])
        if event is not None:
            events.append(event)
    return events


def rebuild(connection: Connection, catalogue: EventCatalogue, *, chunk: int = 5000) -> int:
    """Empties the record and history tables and projects every stored raw event again, in chain
    order: the tables then hold exactly what the stored events say. Returns how many were replayed."""
    for table in s.PROJECTION_TABLES:
        connection.execute(table.delete())
    raw, blocks = s.raw_events, s.blocks
    position: tuple[int, int] = (-1, -1)
    replayed = 0
    while True:
        query = (
            select(*(raw.c[name] for name in RawLog._fields), blocks.c.timestamp)
            .join(blocks, blocks.c.block_number == raw.c.block_number)
            .where(tuple_(raw.c.block_number, raw.c.log_index) > tuple_(*position))
            .order_by(raw.c.block_number, raw.c.log_index)
            .limit(chunk)
        )
        found = connection.execute(query).all()
        if not found:
            return replayed
        rows = [RawLog._make(row[:-1]) for row in found]
        timestamps = {row.block_number: row.timestamp for row in found}
        apply_events(connection, decode_rows(catalogue, rows, timestamps))
        replayed += len(rows)
        position = (rows[-1].block_number, rows[-1].log_index)
