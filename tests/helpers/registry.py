"""A registry harness for tests: actors with roles, senders, exact-error assertions, record helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import keccak
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import ContractLogicError
from web3.logs import DISCARD
from web3.types import TxReceipt

from registry.chain.devkeys import DEV_ACCOUNT_COUNT, dev_account
from registry.chain.devload import second_auditor as second_auditor_key
from registry.chain.forwarder import SignedRequest, sign_request
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.companies import company_id
from registry.errors import ContractRevert

COMPANY_A = company_id("131-81-00001")  # the hash of a business registration number
COMPANY_B = company_id("131-81-00002")
COMPANY_A_NAME = "(주)한빛데이터"  # the public names (상호) the fixture binds them under
COMPANY_B_NAME = "누리로보틱스(주)"
#: Program rules as the CLI defaults them: follow-up 5 years, objections within 30 days, restriction at
#: most 5 years, clawback at most the whole grant.
RULES = (5, 30, 5 * 365, 100)
#: Performance targets of a test project: papers, patents, sales, investment (won), jobs.
TARGETS = (2, 1, 500_000_000, 100_000_000, 3)
#: Outcome details left empty (venue, country, counterparty, date, amount, SCI(E)).
NO_DETAILS = ("", "", "", 0, 0, False)
DAY = 24 * 3600
BUDGET = 1_000_000_000
CAP = 100_000_000


def doc(label: str) -> bytes:
    """A stand-in SHA-256 document hash, distinct per label."""
    return keccak(text=f"document:{label}")


@dataclass(frozen=True)
class Actors:
    """Anvil dev accounts by the role the fixtures gave them, and the second auditor, who confirms sanctions:
    the dev mnemonic's next key after anvil's ten (so that dev accounts 8 and 9 stay free for the tests that
    take them as newcomers), signed for here; the session fixture funds it and grants it the auditor role."""

    admin: ChecksumAddress
    auditor: ChecksumAddress
    member: ChecksumAddress
    company_a: ChecksumAddress
    company_b: ChecksumAddress
    outsider: ChecksumAddress
    relayer: ChecksumAddress
    company_a2: ChecksumAddress
    auditor_b: ChecksumAddress

    @classmethod
    def from_dev_accounts(cls) -> Actors:
        admin, auditor, member, company_a, company_b, outsider, relayer, company_a2 = (
            dev_account(i).address for i in range(8)
        )
        return cls(
            admin, auditor, member, company_a, company_b, outsider, relayer, company_a2, second_auditor_key().address
        )

    def key(self, address: str) -> LocalAccount:
        for i in range(DEV_ACCOUNT_COUNT):
            if dev_account(i).address == address:
                return dev_account(i)
        if address == self.auditor_b:
            return second_auditor_key()
        raise KeyError(address)

    def signer(self, address: str) -> LocalAccount | ChecksumAddress:
        """What sends for `address`: the node's unlocked dev account, or the second auditor's key."""
        return second_auditor_key() if address == self.auditor_b else Web3.to_checksum_address(address)


@dataclass
class RegistryHarness:
    """The deployed registry contracts and the operations tests need, with exact-error checks."""

    w3: Web3
    grants: Contract
    outcomes: Contract
    forwarder: Contract
    decoder: RevertDecoder
    actors: Actors
    _senders: dict[str, TransactionSender] = field(default_factory=dict)

    # sending -----------------------------------------------------------------------------------
    def send(self, sender: str, call: Any) -> TxReceipt:
        if sender not in self._senders:
            self._senders[sender] = TransactionSender(self.w3, self.actors.signer(sender), self.decoder)
        return self._senders[sender].send(call)

    def reverts(self, sender: str, call: Any, error: str, **args: Any) -> ContractRevert:
        """Asserts that `sender` calling `call` fails with exactly `error(**args)` and changes nothing."""
        block = self.w3.eth.block_number
        with pytest.raises(ContractRevert) as caught:
            self.send(sender, call)
        assert caught.value.error == error, f"expected {error}, got {caught.value}"
        if args:
            assert caught.value.args_by_name == args
        assert self.w3.eth.block_number == block, "a refused call must not be mined"
        return caught.value

    def events(self, receipt: TxReceipt, contract: Contract, name: str) -> list[dict[str, Any]]:
        return [dict(e["args"]) for e in contract.events[name]().process_receipt(receipt, errors=DISCARD)]

    def event(self, receipt: TxReceipt, contract: Contract, name: str) -> dict[str, Any]:
        found = self.events(receipt, contract, name)
        assert len(found) == 1, f"expected one {name}, found {len(found)}"
        return found[0]

    # time --------------------------------------------------------------------------------------
    def now(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def advance(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    # roles -------------------------------------------------------------------------------------
    def role(self, name: str) -> bytes:
        return bytes(getattr(self.grants.functions, name)().call())

    # records -----------------------------------------------------------------------------------
    def create_program(
        self,
        *,
        budget: int = BUDGET,
        cap: int = CAP,
        name: str = "New-growth-engine R&D",
        year: int = 2021,
        sender: str | None = None,
    ) -> int:
        terms = (name, year, budget, cap, "D.N.A.", doc(f"program:{name}"), "https://example.org/program", RULES)
        receipt = self.send(sender or self.actors.admin, self.grants.functions.createProgram(terms))
        return int(self.event(receipt, self.grants, "ProgramCreated")["programId"])

    def project_terms(self, program_id: int, *, company: bytes = COMPANY_A, amount: int = CAP) -> tuple[Any, ...]:
        start = self.now()
        return (program_id, company, amount, start, start + 300 * DAY, doc(f"plan:{program_id}:{amount}"), TARGETS)

    def register_project(
        self, program_id: int, *, company: bytes = COMPANY_A, amount: int = CAP, sender: str | None = None
    ) -> int:
        terms = self.project_terms(program_id, company=company, amount=amount)
        receipt = self.send(sender or self.actors.admin, self.grants.functions.registerProject(terms))
        return int(self.event(receipt, self.grants, "ProjectRegistered")["projectId"])

    def plan_milestone(self, project_id: int, *, tranche: int = CAP // 4, sender: str | None = None) -> int:
        call = self.grants.functions.planMilestone(project_id, self.now() + 30 * DAY, tranche, doc("milestone"))
        receipt = self.send(sender or self.actors.admin, call)
        return int(self.event(receipt, self.grants, "MilestonePlanned")["milestoneIndex"])

    def funded_project(self, *, company: bytes = COMPANY_A) -> int:
        """A program with one active project of `company`."""
        return self.register_project(self.create_program(), company=company)

    def submitted_milestone(self, project_id: int | None = None) -> tuple[int, int]:
        project_id = project_id or self.funded_project()
        index = self.plan_milestone(project_id)
        self.send(self.actors.company_a, self.grants.functions.submitMilestone(project_id, index, [doc("evidence")]))
        return project_id, index

    def add_outcome(
        self,
        project_id: int,
        *,
        outcome_type: int = 2,
        external_id: str = "10-2021-0012345",
        sender: str | None = None,
    ) -> int:
        call = self.outcomes.functions.addOutcome(
            project_id, outcome_type, external_id, NO_DETAILS, doc(f"outcome:{external_id}")
        )
        receipt = self.send(sender or self.actors.company_a, call)
        return int(self.event(receipt, self.outcomes, "OutcomeAdded")["outcomeId"])

    def report(
        self,
        project_id: int,
        *,
        year: int = 2022,
        figures: tuple[int, int, int, int] = (500_000_000, 200_000_000, 10_000_000, 3),
        sender: str | None = None,
    ) -> int:
        call = self.outcomes.functions.reportCommercialization(project_id, year, figures, doc(f"report:{year}"))
        receipt = self.send(sender or self.actors.company_a, call)
        return int(self.event(receipt, self.outcomes, "CommercializationReported")["reportId"])

    # sanctions and objections ------------------------------------------------------------------
    def record_audit(
        self,
        project_id: int,
        *,
        grade: int = 5,
        findings: bytes | None = None,
        clawback: int = 0,
        until: int = 0,
        sender: str | None = None,
    ) -> int:
        """The id of an audit the auditor recorded; any sanction in it is pending."""
        findings = findings or doc(f"findings:{project_id}:{grade}:{clawback}:{until}:{self.now()}")
        call = self.grants.functions.recordAudit(project_id, (grade, findings, clawback, until))
        receipt = self.send(sender or self.actors.auditor, call)
        return int(self.event(receipt, self.grants, "AuditRecorded")["auditId"])

    def confirm_sanction(self, audit_id: int, *, sender: str | None = None) -> TxReceipt:
        """The second auditor (or `sender`) confirming the sanction of `audit_id`."""
        return self.send(sender or self.actors.auditor_b, self.grants.functions.confirmSanction(audit_id))

    def sanction(self, project_id: int, *, clawback: int = 0, until: int = 0, grade: int = 5) -> TxReceipt:
        """A sanction recorded by the auditor and put into effect by the second: the confirming receipt."""
        return self.confirm_sanction(self.record_audit(project_id, grade=grade, clawback=clawback, until=until))

    def rejected_milestone(self, project_id: int | None = None, *, sender: str | None = None) -> tuple[int, int]:
        """A milestone of company A's project, submitted and rejected by the auditor (or `sender`)."""
        project_id, index = self.submitted_milestone(project_id)
        call = self.grants.functions.rejectMilestone(project_id, index, doc(f"rejection:{project_id}:{self.now()}"))
        self.send(sender or self.actors.auditor, call)
        return project_id, index

    def file_objection(
        self, subject: int, subject_id: int, milestone_index: int = 0, *, sender: str | None = None
    ) -> int:
        """The id of an objection company A (or `sender`) filed."""
        evidence = doc(f"objection:{subject}:{subject_id}:{milestone_index}:{self.now()}")
        call = self.outcomes.functions.fileObjection(subject, subject_id, milestone_index, evidence)
        receipt = self.send(sender or self.actors.company_a, call)
        return int(self.event(receipt, self.outcomes, "ObjectionFiled")["objectionId"])

    def resolve_objection(self, objection_id: int, *, upheld: bool, sender: str | None = None) -> TxReceipt:
        """The second auditor (or `sender`) upholding or dismissing an objection."""
        reason = doc(f"resolution:{objection_id}:{upheld}")
        call = self.outcomes.functions.resolveObjection(objection_id, upheld, reason)
        return self.send(sender or self.actors.auditor_b, call)

    # signed submissions ------------------------------------------------------------------------
    @staticmethod
    def calldata(call: Any) -> bytes:
        """The ABI-encoded call data of a bound contract function call."""
        return bytes.fromhex(call._encode_transaction_data()[2:])

    def sign(
        self,
        signer: str,
        target: Contract,
        data: bytes,
        *,
        nonce: int | None = None,
        deadline: int | None = None,
        chain_id: int | None = None,
        forwarder: str | None = None,
    ) -> SignedRequest:
        account = self.actors.key(signer)
        return sign_request(
            account,
            forwarder=forwarder or self.forwarder.address,
            chain_id=chain_id if chain_id is not None else self.w3.eth.chain_id,
            target=target.address,
            data=data,
            nonce=self.forwarder.functions.nonces(account.address).call() if nonce is None else nonce,
            deadline=deadline if deadline is not None else self.now() + 3600,
        )

    def relay(self, request: SignedRequest, *, relayer: str | None = None) -> TxReceipt:
        return self.send(relayer or self.actors.relayer, self.forwarder.functions.execute(request.execute_args()))


def stored(call: Any) -> dict[str, Any]:
    """A struct returned by a view, keyed by the ABI's field names so a mismatch names the field."""
    components = call.abi["outputs"][0]["components"]
    return {c["name"]: value for c, value in zip(components, call.call(), strict=True)}


def call_reverts(registry: RegistryHarness, call: Any, error: str, **args: Any) -> None:
    """Asserts that reading `call` fails with exactly `error(**args)`."""
    with pytest.raises(ContractLogicError) as caught:
        call.call()
    revert = registry.decoder.from_exception(caught.value)
    assert (revert.error, revert.args_by_name) == (error, args)


def block_time(registry: RegistryHarness, receipt: Any) -> int:
    """The timestamp of the block that mined `receipt`."""
    return int(registry.w3.eth.get_block(receipt["blockNumber"])["timestamp"])
