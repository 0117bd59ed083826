"""Fills a freshly deployed local registry with demo records drawn from the seed article.

Source: Incheon Metropolitan City's R&D activation plan (news of 2021-03-25, shared/seeds/). The
2021 budget of 1.6 billion won and the per-project caps are the article's; how the 1.6 billion is
split over the three programs, the companies, projects and figures are illustrative. Only hashes
and public metadata go on chain; the demo documents are written to the data directory.

Local demos only: it signs with anvil's well-known dev accounts. Run after `rnd-registry deploy`;
it does nothing if the registry already holds programs.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime

from eth_utils.address import to_checksum_address

from registry.chain.connection import connect
from registry.chain.deployment import GRANT_REGISTRY, OUTCOME_REGISTRY, DeploymentManifest
from registry.chain.devkeys import dev_account
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.companies import company_id
from registry.domain.enums import Grade, IpStatus, OutcomeType
from registry.errors import RegistryError
from registry.settings import get_settings

PROGRAMS = [
    ("R&D기획 컨설팅 지원 (R&D planning consulting support)", 200_000_000, 20_000_000, "R&D planning"),
    (
        "신성장동력 R&D사업 (New-growth-engine R&D)",
        800_000_000,
        100_000_000,
        "D.N.A. (data, network, AI), blockchain",
    ),
    ("R&D성과 사업화 지원 (R&D commercialization support)", 600_000_000, 100_000_000, "Commercialization"),
]
COMPANIES = {  # dev account index -> (business registration number, description)
    3: ("131-81-10001", "AI data platform SME"),
    4: ("131-81-10002", "Blockchain smart-campus SME"),
    5: ("131-81-10003", "Ed-tech start-up"),
}


def unix(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


class Seeder:
    def __init__(self) -> None:
        settings = get_settings()
        self.manifest = DeploymentManifest.read(settings.manifest_path)
        self.w3 = connect(settings.rpc_url, expected_chain_id=self.manifest.chain_id)
        abis = [c.abi for c in self.manifest.contracts.values()]
        self.decoder = RevertDecoder(abis)
        self.grants = self.w3.eth.contract(
            address=self.manifest.address(GRANT_REGISTRY), abi=self.manifest.contracts[GRANT_REGISTRY].abi
        )
        self.outcomes = self.w3.eth.contract(
            address=self.manifest.address(OUTCOME_REGISTRY), abi=self.manifest.contracts[OUTCOME_REGISTRY].abi
        )
        self.documents = settings.data_dir / "documents"
        self.documents.mkdir(parents=True, exist_ok=True)
        self.senders = {i: TransactionSender(self.w3, dev_account(i), self.decoder) for i in range(6)}

    def doc(self, name: str, text: str) -> bytes:
        """Writes a demo document and returns its SHA-256, the hash the registry anchors."""
        body = text.encode()
        (self.documents / name).write_bytes(body)
        return hashlib.sha256(body).digest()

    def run(self) -> None:
        if self.grants.functions.programCount().call() > 0:
            print("registry already holds programs; demo data not added again")
            return
        admin, auditor = self.senders[0], self.senders[1]
        g, o = self.grants.functions, self.outcomes.functions
        admin.send(g.grantRole(g.AUDITOR_ROLE().call(), dev_account(1).address))
        admin.send(g.grantRole(g.MEMBER_ROLE().call(), dev_account(2).address))
        company_ids = {}
        for index, (brn, _) in COMPANIES.items():
            company_ids[index] = company_id(brn)
            admin.send(g.bindCompanyAccount(dev_account(index).address, company_ids[index]))

        for name, budget, cap, field in PROGRAMS:
            metadata = self.doc(f"program-{len(name)}.txt", f"{name}\n2021 program notice, Incheon")
            admin.send(g.createProgram((name, 2021, budget, cap, field, metadata, "")))

        projects = [  # program, company account, amount, start, end
            (2, 3, 100_000_000, "2021-05-01", "2021-12-31"),
            (2, 4, 100_000_000, "2021-05-01", "2021-12-31"),
            (1, 5, 20_000_000, "2021-06-01", "2021-10-31"),
            (3, 3, 100_000_000, "2021-06-01", "2022-05-31"),
        ]
        for number, (program, company, amount, start, end) in enumerate(projects, start=1):
            plan = self.doc(f"project-{number}-plan.txt", f"Project {number} plan, program {program}")
            admin.send(g.registerProject((program, company_ids[company], amount, unix(start), unix(end), plan)))

        # Project 1: two milestones; the first is rejected once, resubmitted and approved.
        company_a = self.senders[3]
        admin.send(
            g.planMilestone(1, unix("2021-08-31"), 40_000_000, self.doc("p1-m1.txt", "Prototype of AI data pipeline"))
        )
        admin.send(g.planMilestone(1, unix("2021-12-15"), 60_000_000, self.doc("p1-m2.txt", "Pilot with city data")))
        company_a.send(g.submitMilestone(1, 1, [self.doc("p1-m1-evidence-v1.txt", "Interim report, first draft")]))
        auditor.send(g.rejectMilestone(1, 1, self.doc("p1-m1-rejection.txt", "Test results missing")))
        company_a.send(g.submitMilestone(1, 1, [self.doc("p1-m1-evidence-v2.txt", "Interim report with test results")]))
        auditor.send(g.approveMilestone(1, 1, self.doc("p1-m1-review.txt", "Approved; tranche 1 released")))
        company_a.send(g.submitMilestone(1, 2, [self.doc("p1-m2-evidence.txt", "Pilot report")]))

        # Outcomes of project 1 and IP status.
        company_a.send(
            o.addOutcome(
                1,
                int(OutcomeType.PATENT_APPLICATION),
                "10-2021-0123456",
                self.doc("p1-patent.txt", "Patent application receipt"),
            )
        )
        company_a.send(o.updateIpStatus(1, int(IpStatus.FILED), self.doc("p1-patent-filed.txt", "Filing receipt")))
        company_a.send(
            o.addOutcome(
                1,
                int(OutcomeType.SOFTWARE),
                "C-2021-034567",
                self.doc("p1-software.txt", "Software registration certificate"),
            )
        )

        # Commercialization of project 4, verified by the auditor.
        company_a.send(
            o.reportCommercialization(
                4,
                2022,
                (350_000_000, 500_000_000, 0, 4),
                self.doc("p4-2022-report.txt", "2022 commercialization report"),
            )
        )
        auditor.send(o.verifyReport(1, self.doc("p4-2022-verification.txt", "Checked against tax invoices")))

        # Project 3 finished and evaluated.
        admin.send(g.completeProject(3, self.doc("p3-final.txt", "Final consulting report")))
        auditor.send(g.recordAudit(3, (int(Grade.GOOD), self.doc("p3-evaluation.txt", "Final evaluation"), 0, 0)))
        print(f"demo data added: 3 programs, 4 projects; documents in {self.documents}")
        for index, (brn, what) in COMPANIES.items():
            print(f"  company {brn} ({what}): account {to_checksum_address(dev_account(index).address)}")


def main() -> int:
    try:
        Seeder().run()
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
