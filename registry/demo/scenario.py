"""Loads the demo data set onto a local chain, step by step, and picks up where an interrupted load
stopped.

Each step is one transaction by one of anvil's dev accounts and carries a document of its own (a
programme notice, a plan, evidence, a review note...), which the registry anchors in the same
transaction. So whether a step is done is a question the chain answers: is its document anchored?
Running the load again skips what is done, never duplicates, and finishes what a crash left undone.
Steps without a document (granting a role, binding an account, revealing figures) check the state they
set instead.

The documents are real small files, written to `<data_dir>/demo-documents/` and kept in the document
store, so "verify" works on them. Local demos only: it signs with anvil's publicly known dev keys.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from registry.chain.client import Operation, RegistryClient, RegistryOperations, commitment_of
from registry.chain.deployment import DeploymentManifest
from registry.chain.devkeys import dev_account
from registry.demo.dataset import (
    ADMIN,
    AUDITOR,
    BLOCKCAMPUS,
    COMPANIES,
    DEMO_YEAR,
    EDUBRIDGE,
    HANBIT,
    PARTNER,
    PROGRAMS,
    RELAYER,
    SAFEKIDS,
    SECOND_AUDITOR,
    DemoCompany,
)
from registry.domain.companies import company_id
from registry.domain.enums import Grade, IpStatus, ObjectionSubject, OutcomeType, ReportStatus, SanctionStatus
from registry.domain.records import (
    AuditResult,
    CommercializationFigures,
    OutcomeDetails,
    ProgramTerms,
    ProjectTargets,
    ProjectTerms,
)
from registry.domain.roles import Role
from registry.errors import RegistryError
from registry.evidence.batches import MANIFEST_NAME, store_batch
from registry.evidence.proofs import build_batch
from registry.evidence.store import DocumentStore

log = logging.getLogger("registry.demo")

#: The batch manifest's creation time is part of its hash: fixed, so a resumed load builds the same batch.
BATCH_CREATED_AT = datetime(2023, 1, 20, 9, 0, tzinfo=UTC)
#: The salt of the hidden 2023 figures: a demo needs to reveal them after a restart too.
DEMO_SALT = hashlib.sha256(b"rnd-registry demo salt for the 2023 commercialization report").digest()


class ForeignRegistry(RegistryError):
    """The registry holds records that the demo did not write: demo data goes only into its own chain."""


def day(iso_date: str) -> datetime:
    return datetime.fromisoformat(iso_date).replace(tzinfo=UTC)


def unix(iso_date: str) -> int:
    return int(day(iso_date).timestamp())


@dataclass(frozen=True)
class Step:
    title: str
    actor: int
    build: Callable[[RegistryOperations], Operation[Any]]
    #: The document this step anchors; the step is done once it is anchored.
    document: bytes | None = None
    #: For steps without a document: whether the chain already shows the step's effect.
    done: Callable[[RegistryClient], bool] | None = None
    #: Sent by this account as a relayed, signed request of `actor` instead of by `actor` itself.
    relayer: int | None = None


@dataclass(frozen=True)
class LoadResult:
    steps: int
    sent: int
    documents: Path


class DemoDocuments:
    """Writes each demo document to the demo folder and the document store; returns its SHA-256."""

    def __init__(self, folder: Path, store: DocumentStore) -> None:
        self.folder = folder
        self.store = store
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, title: str, body: str, *, public: bool = False) -> bytes:
        """Writes a document; `public` publishes it, as its writer would (notices, plans, reviews, notes,
        reports and findings; never the companies' evidence)."""
        content = self.write_file(name, title, body)
        stored = self.store.put_bytes(content, Path(name).name)
        if public:
            self.store.publish(stored.sha256)
        return stored.sha256

    def write_file(self, name: str, title: str, body: str) -> bytes:
        """Writes the document to the demo folder only (a batch's documents go to the store with it)."""
        text = f"{title}\n\n{body}\n\nDEMO DOCUMENT: the company and every figure in it are fictional.\n"
        content = text.encode()
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return content


class DemoLoader:
    def __init__(self, w3: Web3, manifest: DeploymentManifest, data_dir: Path, store: DocumentStore) -> None:
        self.w3 = w3
        self.manifest = manifest
        self.reader = RegistryClient(w3, manifest)
        self.documents = DemoDocuments(data_dir / "demo-documents", store)
        self.store = store
        self._clients: dict[int, RegistryClient] = {}

    def client(self, account: int) -> RegistryClient:
        if account not in self._clients:
            signer: LocalAccount = dev_account(account)
            self._clients[account] = RegistryClient(self.w3, self.manifest, account=signer)
        return self._clients[account]

    # ---- running ----------------------------------------------------------------------------------
    def load(self, *, on_step: Callable[[str], None] | None = None) -> LoadResult:
        steps = self.steps()
        self._check_own_registry(steps)
        sent = 0
        for step in steps:
            if self._done(step):
                continue
            if on_step is not None:
                on_step(step.title)
            operation = step.build(self.client(step.actor).ops)
            if step.relayer is None:
                self.client(step.actor).execute(operation)
            else:
                request = self.client(step.actor).sign(operation, deadline=int(time.time()) + 3600)
                self.client(step.relayer).relay(request, operation)
            sent += 1
        return LoadResult(steps=len(steps), sent=sent, documents=self.documents.folder)

    def _done(self, step: Step) -> bool:
        if step.document is not None:
            return self.reader.anchor(step.document).anchored
        assert step.done is not None, f"step {step.title!r} has neither a document nor a check"
        return step.done(self.reader)

    def _check_own_registry(self, steps: list[Step]) -> None:
        """Refuses a registry with records when the demo's first program is not among them."""
        first = next(step for step in steps if step.document is not None)
        if self.reader.counts()["programs"] > 0 and not self.reader.anchor(first.document or b"").anchored:
            raise ForeignRegistry(
                "this registry already holds programs that are not the demo's; demo data is loaded only into a "
                "fresh local registry (use another data directory, or `rnd-registry chain down` and delete it)"
            )

    # ---- the data set -----------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        """Every step of the demo, in order (the documents are written as the list is built)."""
        d = self.documents.write
        steps: list[Step] = [
            Step(
                "auditor role for the city auditor",
                ADMIN,
                lambda o: o.grant_role(Role.AUDITOR, _address(AUDITOR)),
                done=lambda c: c.has_role(Role.AUDITOR, _address(AUDITOR)),
            ),
            Step(
                "auditor role for the second city auditor",
                ADMIN,
                lambda o: o.grant_role(Role.AUDITOR, _address(SECOND_AUDITOR)),
                done=lambda c: c.has_role(Role.AUDITOR, _address(SECOND_AUDITOR)),
            ),
            Step(
                "member role for the technopark",
                ADMIN,
                lambda o: o.grant_role(Role.MEMBER, _address(PARTNER)),
                done=lambda c: c.has_role(Role.MEMBER, _address(PARTNER)),
            ),
        ]
        for company in COMPANIES:
            steps.append(_bind(company))
            if company.renamed:
                steps.append(_rename(company, company.renamed))

        for number, program in enumerate(PROGRAMS, start=1):
            notice = d(
                f"program-{number}-notice.txt",
                f"2021 Incheon R&D program notice: {program.name}",
                f"Budget {program.budget:,} won; at most {program.per_project_cap:,} won per project. "
                f"Field: {program.field}.",
                public=True,
            )
            terms = ProgramTerms(
                name=program.name,
                year=DEMO_YEAR,
                budget=program.budget,
                per_project_cap=program.per_project_cap,
                field=program.field,
                metadata_hash=notice,
            )
            steps.append(
                Step(f"program {number}: {program.name}", ADMIN, partial(_create_program, terms=terms), notice)
            )

        # Targets (성과목표) met and missed: project 1 promised a patent (met) and a paper (missed); project 2 a
        # paper (met) and a patent (missed); project 4 sales of ₩1 billion (met: ₩1.48 billion reported) and
        # investment of ₩2 billion (missed: ₩1.5 billion).
        projects = [  # (number, program, company, amount, start, end, title, targets)
            (1, 2, HANBIT, 100_000_000, "2021-05-01", "2021-12-31", "AI pipeline for city open data",
             ProjectTargets(papers=1, patents=1, jobs=2)),
            (2, 2, BLOCKCAMPUS, 100_000_000, "2021-05-01", "2021-12-31", "Blockchain credentials for a smart campus",
             ProjectTargets(papers=1, patents=1)),
            (3, 1, EDUBRIDGE, 20_000_000, "2021-06-01", "2021-10-31", "R&D plan for an adaptive-learning service",
             ProjectTargets()),
            (4, 3, HANBIT, 100_000_000, "2021-06-01", "2022-05-31", "Commercializing the city-data AI pipeline",
             ProjectTargets(sales=1_000_000_000, investment=2_000_000_000, jobs=10)),
            (5, 2, SAFEKIDS, 80_000_000, "2021-07-01", "2021-12-31", "School-route safety alerts for children",
             ProjectTargets(patents=1, jobs=3)),
        ]  # fmt: skip
        for number, program_id, company, amount, start, end, title, targets in projects:
            plan_doc = d(
                f"project-{number}/plan.txt",
                f"Project {number} plan: {title}",
                f"Company: {company.name}. Grant {amount:,} won, {start} to {end}.",
                public=True,
            )
            agreement = ProjectTerms(
                program_id=program_id,
                company_id=company_id(company.registration_number),
                amount=amount,
                start_date=day(start),
                end_date=day(end),
                plan_hash=plan_doc,
                targets=targets,
            )
            steps.append(
                Step(f"project {number}: {title}", ADMIN, partial(_register_project, terms=agreement), plan_doc)
            )

        def plan(project: int, index: int, due: str, tranche: int, what: str) -> None:
            doc = d(
                f"project-{project}/milestone-{index}.txt",
                f"Project {project}, milestone {index}: {what}",
                f"Due {due}; tranche {tranche:,} won.",
            )
            steps.append(
                Step(
                    f"plan milestone {index} of project {project}",
                    ADMIN,
                    lambda o: o.plan_milestone(project, unix(due), tranche, doc),
                    doc,
                )
            )

        def submit(
            project: int, index: int, company: DemoCompany, name: str, what: str, *, relayed: bool = False
        ) -> None:
            doc = d(
                f"project-{project}/{name}", f"Project {project}, milestone {index}: {what}", "Evidence of work done."
            )
            steps.append(
                Step(
                    f"submit milestone {index} of project {project}",
                    company.account,
                    lambda o: o.submit_milestone(project, index, [doc]),
                    doc,
                    relayer=RELAYER if relayed else None,
                )
            )

        def review(project: int, index: int, name: str, what: str, *, approve: bool) -> None:
            doc = d(f"project-{project}/{name}", f"Review of project {project}, milestone {index}", what, public=True)

            def build(o: RegistryOperations) -> Operation[Any]:
                if approve:
                    return o.approve_milestone(project, index, doc)
                return o.reject_milestone(project, index, doc)

            verb = "approve" if approve else "reject"
            steps.append(Step(f"{verb} milestone {index} of project {project}", AUDITOR, build, doc))

        # Project 1: the first milestone is rejected, resubmitted and approved; the second is signed by the
        # company and relayed.
        plan(1, 1, "2021-08-31", 40_000_000, "prototype of the data pipeline")
        plan(1, 2, "2021-12-15", 60_000_000, "pilot on the city's open data")
        submit(1, 1, HANBIT, "m1-interim-report-v1.txt", "interim report, first version")
        review(
            1,
            1,
            "m1-rejection.txt",
            "Rejected: the interim report has no test results. Resubmit with them.",
            approve=False,
        )
        submit(1, 1, HANBIT, "m1-interim-report-v2.txt", "interim report with test results")
        review(1, 1, "m1-approval.txt", "Approved; tranche 1 (40,000,000 won) released.", approve=True)
        submit(1, 2, HANBIT, "m2-pilot-report.txt", "pilot report", relayed=True)
        review(1, 2, "m2-approval.txt", "Approved; tranche 2 (60,000,000 won) released.", approve=True)
        # Project 2: the second milestone was never submitted: overdue since 2021-12-20.
        plan(2, 1, "2021-09-30", 50_000_000, "credential issuing prototype")
        plan(2, 2, "2021-12-20", 50_000_000, "campus-wide pilot")
        submit(2, 1, BLOCKCAMPUS, "m1-prototype-report.txt", "prototype report")
        review(2, 1, "m1-approval.txt", "Approved; tranche 1 released.", approve=True)
        # Project 3: consulting, one milestone.
        plan(3, 1, "2021-10-15", 20_000_000, "national R&D bid plan")
        submit(3, 1, EDUBRIDGE, "m1-bid-plan.txt", "national R&D bid plan")
        review(3, 1, "m1-approval.txt", "Approved; consulting fee released.", approve=True)
        # Project 4: commercialization support, one milestone.
        plan(4, 1, "2022-05-15", 100_000_000, "first paying customers")
        submit(4, 1, HANBIT, "m1-customer-contracts.txt", "customer contracts")
        review(4, 1, "m1-approval.txt", "Approved; grant released.", approve=True)
        # Project 5: the milestone is rejected and never delivered; the project ends in a clawback.
        plan(5, 1, "2021-11-30", 80_000_000, "alert service pilot in two schools")
        submit(5, 1, SAFEKIDS, "m1-pilot-report.txt", "pilot report")
        review(5, 1, "m1-rejection.txt", "Rejected: the pilot did not run in any school.", approve=False)
        # SafeKids objects to that rejection; the second auditor, who did not decide it, dismisses the objection.
        objection_1 = d(
            "project-5/m1-objection.txt",
            "Objection to the rejection of project 5, milestone 1",
            "The pilot ran in one school for two weeks; the attendance logs are attached.",
        )
        steps.append(
            Step(
                "objection to the rejection of milestone 1 of project 5",
                SAFEKIDS.account,
                lambda o: o.file_objection(ObjectionSubject.MILESTONE_REJECTION, 5, 1, objection_1),
                objection_1,
            )
        )
        dismissal = d(
            "project-5/m1-objection-dismissed.txt",
            "Objection 1 dismissed",
            "Dismissed: two weeks in one school is not the pilot in two schools the milestone requires.",
            public=True,
        )
        steps.append(
            Step(
                "dismiss objection 1",
                SECOND_AUDITOR,
                lambda o: o.resolve_objection(1, False, dismissal),
                dismissal,
            )
        )

        # Outcomes: a patent application later registered, a software registration, a paper, a report.
        def outcome(
            project: int,
            company: DemoCompany,
            kind: OutcomeType,
            external: str,
            name: str,
            what: str,
            details: OutcomeDetails | None = None,
        ) -> None:
            doc = d(f"project-{project}/{name}", f"Project {project} outcome: {what}", f"Identifier: {external}.")
            steps.append(
                Step(
                    f"{kind.name.lower().replace('_', ' ')} {external}",
                    company.account,
                    lambda o: o.add_outcome(project, kind, external, doc, details),
                    doc,
                )
            )

        def ip_status(outcome_id: int, company: DemoCompany, status: IpStatus, name: str, what: str) -> None:
            doc = d(name, what, f"IP status of outcome {outcome_id}: {status.name.lower()}.")
            steps.append(
                Step(
                    f"outcome {outcome_id} IP {status.name.lower()}",
                    company.account,
                    lambda o: o.update_ip_status(outcome_id, status, doc),
                    doc,
                )
            )

        outcome(
            1,
            HANBIT,
            OutcomeType.PATENT_APPLICATION,
            "10-2021-0123456",
            "patent-application.txt",
            "patent application: method for cleaning city sensor data",
            OutcomeDetails(country="KR", date=day("2021-11-02")),
        )
        ip_status(1, HANBIT, IpStatus.FILED, "project-1/patent-filing-receipt.txt", "Patent filing receipt, 2021-11-02")
        outcome(
            1,
            HANBIT,
            OutcomeType.SOFTWARE,
            "C-2021-034567",
            "software-registration.txt",
            "software registration: CityData Cleaner 1.0",
            OutcomeDetails(venue="한국저작권위원회 (Korea Copyright Commission)", country="KR", date=day("2021-12-01")),
        )
        ip_status(
            2,
            HANBIT,
            IpStatus.REGISTERED,
            "project-1/software-certificate.txt",
            "Software registration certificate C-2021-034567",
        )
        outcome(
            2,
            BLOCKCAMPUS,
            OutcomeType.PAPER,
            "10.5555/demo.2021.0042",
            "paper.txt",
            "paper: verifiable student credentials on a permissioned chain",
            OutcomeDetails(venue="Journal of Demo Blockchain Research (fictional)", sci_indexed=True,
                           date=day("2021-11-20")),
        )  # fmt: skip
        outcome(
            3,
            EDUBRIDGE,
            OutcomeType.REPORT,
            "EB-2021-PLAN-01",
            "planning-report.txt",
            "planning report for a national R&D bid",
        )
        ip_status(
            1,
            HANBIT,
            IpStatus.REGISTERED,
            "project-1/patent-registration.txt",
            "Patent registration 10-2345678, granted 2022-09-14",
        )

        # A technology transfer with its fee: project 4's pipeline licensed to a parking operator.
        outcome(
            4,
            HANBIT,
            OutcomeType.TECHNOLOGY_TRANSFER,
            "TT-2023-007",
            "technology-transfer.txt",
            "technology transfer: licence of the city-data AI pipeline",
            OutcomeDetails(
                counterparty="Songdo Smart Parking (fictional)", date=day("2023-03-15"), amount=30_000_000, country="KR"
            ),
        )

        # Commercialization of project 4 over three years: 2022 reported and verified against a batch of
        # invoices; 2023 committed hidden, then revealed and verified; 2024 reported, not yet verified.
        figures_2022 = CommercializationFigures(sales=350_000_000, investment=500_000_000, royalties=0, jobs=4)
        figures_2023 = CommercializationFigures(sales=520_000_000, investment=0, royalties=30_000_000, jobs=6)
        figures_2024 = CommercializationFigures(
            sales=610_000_000, investment=1_000_000_000, royalties=45_000_000, jobs=9
        )
        report_2022 = d(
            "project-4/commercialization-2022.txt",
            "Project 4 commercialization report 2022",
            "Sales 350,000,000 won; investment 500,000,000 won; 4 jobs.",
        )
        steps.append(
            Step(
                "2022 commercialization report of project 4",
                HANBIT.account,
                lambda o: o.report_commercialization(4, 2022, figures_2022, report_2022),
                report_2022,
            )
        )
        steps.append(self._invoice_batch())
        note_2022 = d(
            "project-4/commercialization-2022-verification.txt",
            "Verification of the 2022 report",
            "Checked against the batch of 2022 tax invoices anchored by the company.",
            public=True,
        )
        steps.append(Step("verify the 2022 report", AUDITOR, lambda o: o.verify_report(1, note_2022), note_2022))
        evidence_2023 = d(
            "project-4/commercialization-2023-sealed.txt",
            "Project 4 commercialization 2023 (sealed)",
            "Figures committed as a hash; disclosed later.",
        )
        commitment = commitment_of(4, 2023, figures_2023, DEMO_SALT)
        steps.append(
            Step(
                "2023 figures of project 4, committed hidden",
                HANBIT.account,
                lambda o: o.commit_commercialization(4, 2023, commitment, evidence_2023),
                evidence_2023,
            )
        )
        steps.append(
            Step(
                "2023 figures of project 4, revealed",
                HANBIT.account,
                lambda o: o.reveal_commercialization(2, figures_2023, DEMO_SALT),
                done=lambda c: c.report(2).status != ReportStatus.COMMITTED,
            )
        )
        note_2023 = d(
            "project-4/commercialization-2023-verification.txt",
            "Verification of the 2023 report",
            "Royalties checked against the licence agreement.",
            public=True,
        )
        steps.append(Step("verify the 2023 report", AUDITOR, lambda o: o.verify_report(2, note_2023), note_2023))
        report_2024 = d(
            "project-4/commercialization-2024.txt",
            "Project 4 commercialization report 2024",
            "Sales 610,000,000 won; investment 1,000,000,000 won; royalties 45,000,000 won; 9 jobs.",
        )
        steps.append(
            Step(
                "2024 commercialization report of project 4",
                HANBIT.account,
                lambda o: o.report_commercialization(4, 2024, figures_2024, report_2024),
                report_2024,
            )
        )
        # The auditor disputes the 2024 report; Hanbit objects with the investment contract, the second auditor
        # upholds the objection, and Hanbit files the 2024 report again with that contract as evidence.
        dispute_2024 = d(
            "project-4/commercialization-2024-dispute.txt",
            "Dispute of the 2024 report",
            "Disputed: the 1,000,000,000 won investment has no evidence attached.",
            public=True,
        )
        steps.append(
            Step("dispute the 2024 report", AUDITOR, lambda o: o.dispute_report(3, dispute_2024), dispute_2024)
        )
        objection_2 = d(
            "project-4/commercialization-2024-objection.txt",
            "Objection to the dispute of the 2024 report",
            "The investment contract of 2024-09-02 with Incheon Growth Fund (fictional) is attached.",
        )
        steps.append(
            Step(
                "objection to the dispute of the 2024 report",
                HANBIT.account,
                lambda o: o.file_objection(ObjectionSubject.REPORT_DISPUTE, 3, 0, objection_2),
                objection_2,
            )
        )
        upheld = d(
            "project-4/commercialization-2024-objection-upheld.txt",
            "Objection 2 upheld",
            "Upheld: the investment contract supports the figure; the company may file the report again.",
            public=True,
        )
        steps.append(Step("uphold objection 2", SECOND_AUDITOR, lambda o: o.resolve_objection(2, True, upheld), upheld))
        report_2024_again = d(
            "project-4/commercialization-2024-with-contract.txt",
            "Project 4 commercialization report 2024, with the investment contract",
            "Sales 610,000,000 won; investment 1,000,000,000 won (contract of 2024-09-02); royalties 45,000,000 "
            "won; 9 jobs.",
        )
        steps.append(
            Step(
                "2024 commercialization report of project 4, filed again",
                HANBIT.account,
                lambda o: o.report_commercialization(4, 2024, figures_2024, report_2024_again),
                report_2024_again,
            )
        )

        # Final evaluations: projects 1 and 3 completed and graded; project 5 terminated and clawed back, and
        # its company restricted from new city grants.
        for project, grade, what in (
            (1, Grade.EXCELLENT, "Excellent: both milestones met, patent registered."),
            (3, Grade.GOOD, "Good: bid plan delivered on time."),
        ):
            final = d(
                f"project-{project}/final-report.txt", f"Project {project} final report", "Work completed.", public=True
            )
            steps.append(
                Step(
                    f"complete project {project}",
                    ADMIN,
                    partial(_complete_project, project=project, report=final),
                    final,
                )
            )
            findings = d(
                f"project-{project}/final-evaluation.txt", f"Final evaluation of project {project}", what, public=True
            )
            result = AuditResult(grade=grade, findings_hash=findings)
            steps.append(
                Step(
                    f"evaluate project {project}",
                    AUDITOR,
                    partial(_record_audit, project=project, result=result),
                    findings,
                )
            )
        termination = d(
            "project-5/termination.txt",
            "Termination of project 5",
            "Terminated: the pilot was not delivered after the rejected milestone.",
            public=True,
        )
        steps.append(Step("terminate project 5", ADMIN, lambda o: o.terminate_project(5, termination), termination))
        findings_5 = d(
            "project-5/final-evaluation.txt",
            "Final evaluation of project 5",
            "Very poor: 30,000,000 won of the advance is clawed back; the company may not apply for "
            "city R&D grants until 2027-06-30.",
            public=True,
        )
        clawback = AuditResult(
            grade=Grade.VERY_POOR,
            findings_hash=findings_5,
            clawback_amount=30_000_000,
            restricted_until=day("2027-06-30"),
        )
        steps.append(
            Step("evaluate project 5 with a clawback", AUDITOR, lambda o: o.record_audit(5, clawback), findings_5)
        )
        # A sanction is a legal act: it takes effect once a second auditor confirms it.
        steps.append(
            Step(
                "confirm the sanction of evaluation 3 (project 5)",
                SECOND_AUDITOR,
                lambda o: o.confirm_sanction(3),
                done=lambda c: c.sanction(3).status is not SanctionStatus.PENDING,
            )
        )
        # Project 2's second milestone never came: a clawback is proposed, still pending, and BlockCampus objects.
        findings_2 = d(
            "project-2/evaluation.txt",
            "Evaluation of project 2",
            "Poor: the campus-wide pilot (milestone 2) was never delivered; 10,000,000 won to be clawed back.",
            public=True,
        )
        proposal = AuditResult(grade=Grade.POOR, findings_hash=findings_2, clawback_amount=10_000_000)
        steps.append(
            Step("evaluate project 2 with a clawback", AUDITOR, lambda o: o.record_audit(2, proposal), findings_2)
        )
        objection_3 = d(
            "project-2/evaluation-objection.txt",
            "Objection to the evaluation of project 2",
            "The pilot was postponed at the campus's request; its letter is attached.",
        )
        steps.append(
            Step(
                "objection to the evaluation of project 2",
                BLOCKCAMPUS.account,
                lambda o: o.file_objection(ObjectionSubject.EVALUATION, 4, 0, objection_3),
                objection_3,
            )
        )
        return steps

    def _invoice_batch(self) -> Step:
        """Four tax invoices anchored as one Merkle batch; their manifest goes into the document store."""
        folder = self.documents.folder / "project-4" / "invoices-2022"
        for number, (customer, amount) in enumerate(
            (
                ("Incheon Transit Corp. (fictional)", 120_000_000),
                ("Songdo Smart Parking (fictional)", 90_000_000),
                ("Yeonsu District Office (fictional)", 80_000_000),
                ("Harbor Logistics (fictional)", 60_000_000),
            ),
            start=1,
        ):
            self.documents.write_file(
                f"project-4/invoices-2022/invoice-{number}.txt",
                f"Tax invoice 2022-{number:03d}",
                f"Hanbit Data (fictional) to {customer}: {amount:,} won.",
            )
        manifest, tree, _ = build_batch(folder, created_at=BATCH_CREATED_AT)
        store_batch(self.store, folder, manifest, MANIFEST_NAME)
        root, count, manifest_hash = tree.root, tree.leaf_count, manifest.manifest_hash
        return Step(
            "batch of 2022 tax invoices",
            HANBIT.account,
            lambda o: o.anchor_batch(root, count, manifest_hash),
            done=lambda c: c.batch(root).anchored,
        )


# Steps built in loops take their values as keywords (a lambda would see only the loop's last values).
def _create_program(o: RegistryOperations, *, terms: ProgramTerms) -> Operation[Any]:
    return o.create_program(terms)


def _register_project(o: RegistryOperations, *, terms: ProjectTerms) -> Operation[Any]:
    return o.register_project(terms)


def _complete_project(o: RegistryOperations, *, project: int, report: bytes) -> Operation[Any]:
    return o.complete_project(project, report)


def _record_audit(o: RegistryOperations, *, project: int, result: AuditResult) -> Operation[Any]:
    return o.record_audit(project, result)


def _address(account: int) -> str:
    return str(dev_account(account).address)


def _bind(company: DemoCompany) -> Step:
    account = _address(company.account)
    identifier = company_id(company.registration_number)
    return Step(
        f"bind {company.name}'s account",
        ADMIN,
        lambda o: o.bind_company_account(account, identifier, company.name),
        done=lambda c: c.company_of(account) == identifier,
    )


def _rename(company: DemoCompany, name: str) -> Step:
    identifier = company_id(company.registration_number)
    return Step(
        f"{company.name} renamed {name}",
        ADMIN,
        lambda o: o.rename_company(identifier, name),
        done=lambda c: c.company_name(identifier) == name,
    )
