"""Gas per registry operation on a fresh anvil chain, against baselines measured in the same run.

Targets: a milestone submission with one evidence hash costs at most 60,000 gas for the whole
transaction; a batch of 256 document hashes costs at most 250 gas per document.
Baselines: the same submission relayed as a signed request, and 256 documents anchored one by one.
For scale (not measured here): an Ethereum Attestation Service attestation of a compact 3-field
milestone cost about 230,000 gas on anvil.

Run: .venv/bin/python scripts/gas_benchmark.py
"""

from __future__ import annotations

import hashlib
import sys

from eth_utils import keccak

from registry.chain.anvil import start_anvil
from registry.chain.compiler import compile_contracts
from registry.chain.connection import connect
from registry.chain.deployment import FORWARDER, GRANT_REGISTRY, OUTCOME_REGISTRY, deploy_registry
from registry.chain.devkeys import dev_account
from registry.chain.forwarder import sign_request
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.records import OutcomeDetails, ProgramRules, ProjectTargets
from registry.evidence.merkle import MerkleTree
from registry.settings import PROJECT_ROOT

MILESTONE_TARGET = 60_000
BATCH_PER_DOC_TARGET = 250
EAS_REFERENCE = 230_000


def doc(label: str) -> bytes:
    return hashlib.sha256(label.encode()).digest()


def main() -> int:
    artifacts = compile_contracts()
    node = start_anvil(PROJECT_ROOT)
    try:
        w3 = connect(node.rpc_url)
        decoder = RevertDecoder(a.abi for a in artifacts.values())
        admin, auditor, second_auditor, company = (TransactionSender(w3, dev_account(i), decoder) for i in (0, 1, 2, 3))
        manifest = deploy_registry(w3, admin, artifacts, admin_transfer_delay=3600)
        grants = w3.eth.contract(address=manifest.address(GRANT_REGISTRY), abi=artifacts[GRANT_REGISTRY].abi)
        outcomes = w3.eth.contract(address=manifest.address(OUTCOME_REGISTRY), abi=artifacts[OUTCOME_REGISTRY].abi)
        forwarder = w3.eth.contract(address=manifest.address(FORWARDER), abi=artifacts[FORWARDER].abi)
        g, o = grants.functions, outcomes.functions
        now = int(w3.eth.get_block("latest")["timestamp"])
        gas: dict[str, int] = {}

        def measure(label: str, sender: TransactionSender, call: object) -> int:
            used = int(sender.send(call)["gasUsed"])
            gas[label] = used
            return used

        admin.send(g.grantRole(g.AUDITOR_ROLE().call(), auditor.address))
        admin.send(g.grantRole(g.AUDITOR_ROLE().call(), second_auditor.address))
        company_id = keccak(text="brn:131-81-10001")
        measure(
            "bind company account (first, named)",
            admin,
            g.bindCompanyAccount(company.address, company_id, "(주)한빛데이터"),
        )
        measure("rename company", admin, g.renameCompany(company_id, "(주)한빛데이터랩"))
        rules = ProgramRules().as_abi()
        measure(
            "create program",
            admin,
            g.createProgram(
                ("New-growth-engine R&D", 2021, 800_000_000, 100_000_000, "D.N.A.", doc("notice"), "", rules)
            ),
        )
        targets = ProjectTargets(papers=2, patents=1, sales=500_000_000, investment=100_000_000, jobs=3).as_abi()
        measure(
            "register project",
            admin,
            g.registerProject((1, company_id, 100_000_000, now, now + 300 * 86400, doc("plan"), targets)),
        )
        for i in range(3):
            measure(
                "plan milestone",
                admin,
                g.planMilestone(1, now + (i + 1) * 30 * 86400, 20_000_000, doc(f"m{i}")),
            )
        measure("submit milestone (1 evidence)", company, g.submitMilestone(1, 1, [doc("evidence-1")]))
        measure("reject milestone", auditor, g.rejectMilestone(1, 1, doc("reason")))
        measure("file objection (to the rejection)", company, o.fileObjection(1, 1, 1, doc("objection")))
        measure("resolve objection (second auditor)", second_auditor, o.resolveObjection(1, False, doc("dismissal")))
        measure("resubmit milestone (1 evidence)", company, g.submitMilestone(1, 1, [doc("evidence-2")]))
        measure("approve milestone", auditor, g.approveMilestone(1, 1, doc("review")))
        measure(
            "submit milestone (3 evidence)",
            company,
            g.submitMilestone(1, 2, [doc(f"e3-{i}") for i in range(3)]),
        )

        call = g.submitMilestone(1, 3, [doc("evidence-relayed")])
        request = sign_request(
            dev_account(3),
            forwarder=forwarder.address,
            chain_id=w3.eth.chain_id,
            target=grants.address,
            data=bytes.fromhex(call._encode_transaction_data()[2:]),
            nonce=0,
            deadline=now + 3600,
        )
        measure("submit milestone, signed and relayed", admin, forwarder.functions.execute(request.execute_args()))

        kr = OutcomeDetails(country="KR").as_abi()
        measure("add outcome (patent application)", company, o.addOutcome(1, 2, "10-2021-0123456", kr, doc("patent")))
        measure("update IP status", company, o.updateIpStatus(1, 1, doc("filing")))
        measure(
            "report commercialization",
            company,
            o.reportCommercialization(1, 2022, (350_000_000, 500_000_000, 0, 4), doc("report")),
        )
        measure("verify report", auditor, o.verifyReport(1, doc("note")))
        measure("record audit", auditor, g.recordAudit(1, (2, doc("findings"), 0, 0)))
        measure("record audit with a clawback (pending)", auditor, g.recordAudit(1, (5, doc("misuse"), 10_000_000, 0)))
        measure("confirm sanction (clawback takes effect)", second_auditor, g.confirmSanction(2))

        documents = [doc(f"batch-doc-{i}") for i in range(256)]
        tree = MerkleTree.build(documents)
        batch = measure("anchor batch of 256 documents", admin, g.anchorBatch(tree.root, 256, doc("manifest")))
        singles = sum(int(admin.send(g.anchorDocument(d))["gasUsed"]) for d in documents)
        gas["anchor 256 documents one by one (baseline)"] = singles
    finally:
        node.stop()

    width = max(map(len, gas)) + 2
    print(f"{'operation':<{width}}{'gas':>10}")
    for label, used in gas.items():
        print(f"{label:<{width}}{used:>10,}")
    submit = gas["submit milestone (1 evidence)"]
    relayed = gas["submit milestone, signed and relayed"]
    per_doc = batch / 256
    print()
    print(
        f"milestone submission, 1 evidence: {submit:,} gas (target <= {MILESTONE_TARGET:,}); "
        f"relayed: {relayed:,} ({relayed / submit:.2f}x); EAS attestation reference ~{EAS_REFERENCE:,} "
        f"({EAS_REFERENCE / submit:.1f}x ours)"
    )
    print(
        f"batch of 256: {per_doc:,.1f} gas per document (target <= {BATCH_PER_DOC_TARGET}); one by one: "
        f"{singles / 256:,.0f} per document ({singles / batch:.0f}x the batch)"
    )
    ok = submit <= MILESTONE_TARGET and per_doc <= BATCH_PER_DOC_TARGET
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
