"""The typed registry client: one operation per registry action, validated inputs, decoded records.

    client = RegistryClient.open(account=unlock("city-admin", password))
    written = client.execute(client.ops.create_program(ProgramTerms(...)))
    written.record, written.transaction_hash, written.block_number

An operation can also be signed for someone else to relay (`client.sign(op)`); anyone can then send
the signed request (`client.relay_request(req)`, or `client.relay(req, op)` to read the record back),
which records it in the signer's name. Opening a client checks the chain id and that the code at
the manifest's addresses is the registry's; every refusal arrives as a `ContractRevert` subclass
that names the contract's custom error and says what it means.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from eth_abi.exceptions import DecodingError
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractEvent, ContractFunction
from web3.exceptions import ContractLogicError, Web3RPCError
from web3.logs import DISCARD
from web3.types import BlockIdentifier, EventData, TxReceipt

from registry.chain.connection import connect, refused_as_too_much
from registry.chain.deployment import (
    FORWARDER,
    GRANT_REGISTRY,
    OUTCOME_REGISTRY,
    DeploymentManifest,
    check_deployment,
)
from registry.chain.forwarder import (
    FORWARD_REQUEST_TYPES,
    FORWARDER_NAME,
    FORWARDER_VERSION,
    SignedRequest,
    sign_request,
)
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.enums import AnchorKind, IpStatus, ObjectionSubject, OutcomeType
from registry.domain.objections import contested_decision
from registry.domain.outcome_details import check_outcome_details
from registry.domain.records import (
    Anchor,
    Audit,
    AuditResult,
    Batch,
    CommercializationFigures,
    CommercializationReport,
    Decision,
    Milestone,
    Objection,
    Outcome,
    OutcomeDetails,
    Program,
    ProgramRules,
    ProgramTerms,
    Project,
    ProjectFunds,
    ProjectTerms,
    Record,
    Sanction,
    optional_time,
)
from registry.domain.roles import COMPANY_LABEL, Role
from registry.domain.types import ZERO_HASH, unix_seconds
from registry.errors import RegistryError
from registry.settings import Settings, get_settings

RecordT = TypeVar("RecordT", bound=Record)

#: Blocks one `eth_getLogs` covers once a node refuses the whole history at once: the most Besu
#: allows by default (`--rpc-max-logs-range`); geth and anvil set no limit.
LOGS_RANGE = 5000


class NoAccount(RegistryError):
    """A write was asked of a client opened without an account."""

    def __init__(self) -> None:
        super().__init__("this needs an account to sign with; pass --account LABEL (see `rnd-registry account list`)")


@dataclass(frozen=True)
class Operation(Generic[RecordT]):
    """One registry write, ready to send or to sign: the call, and how to read its record back."""

    description: str
    call: ContractFunction
    read_result: Callable[[TxReceipt], RecordT]


@dataclass(frozen=True)
class Written(Generic[RecordT]):
    """The record a transaction wrote, and where to check it on chain."""

    record: RecordT
    transaction_hash: str
    block_number: int
    sender: str

    def provenance(self) -> dict[str, Any]:
        return {
            "transactionHash": self.transaction_hash,
            "blockNumber": self.block_number,
            "sender": self.sender,
        }


@dataclass(frozen=True)
class RecordedEvent:
    """One event a transaction logged, decoded with its contract's ABI."""

    contract: str
    name: str
    log_index: int
    args: dict[str, Any]


@dataclass(frozen=True)
class RelayResult:
    """A relayed signed request: who signed it (and is credited), who sent it, and what it recorded."""

    signer: ChecksumAddress
    relayer: ChecksumAddress
    nonce: int
    transaction_hash: str
    block_number: int
    events: list[RecordedEvent]

    def provenance(self) -> dict[str, Any]:
        return {
            "transactionHash": self.transaction_hash,
            "blockNumber": self.block_number,
            "signer": self.signer,
            "relayer": self.relayer,
            "nonce": self.nonce,
        }


class RequestNotRelayable(RegistryError):
    """A signed request the forwarder would refuse, found out before anything is sent.

    `problem` names why: `other-registry`, `unknown-target`, `details-invalid` (an outcome's identifiers
    not in its type's form), `already-used`, `out-of-order`, `expired` or `signature-mismatch`; `korean`
    says it in Korean, for the relay's Korean readers.
    """

    def __init__(self, problem: str, message: str, korean: str) -> None:
        self.problem = problem
        self.korean = korean
        super().__init__(message)


class RegistryClient:
    """Reads and writes the registry described by a deployment manifest."""

    def __init__(
        self,
        w3: Web3,
        manifest: DeploymentManifest,
        *,
        account: LocalAccount | ChecksumAddress | None = None,
        gas_price: int | None = None,
        nonce_lock_dir: Path | None = None,
    ) -> None:
        self.w3 = w3
        self.manifest = manifest
        self.decoder = RevertDecoder(c.abi for c in manifest.contracts.values())
        self.grants: Contract = w3.eth.contract(
            address=manifest.address(GRANT_REGISTRY), abi=manifest.contracts[GRANT_REGISTRY].abi
        )
        self.outcomes: Contract = w3.eth.contract(
            address=manifest.address(OUTCOME_REGISTRY), abi=manifest.contracts[OUTCOME_REGISTRY].abi
        )
        self.forwarder: Contract = w3.eth.contract(
            address=manifest.address(FORWARDER), abi=manifest.contracts[FORWARDER].abi
        )
        self.account = account
        self._sender = (
            TransactionSender(w3, account, self.decoder, gas_price=gas_price, nonce_lock_dir=nonce_lock_dir)
            if account is not None
            else None
        )
        self.ops = RegistryOperations(self)

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        account: LocalAccount | ChecksumAddress | None = None,
        manifest: DeploymentManifest | None = None,
    ) -> RegistryClient:
        """Connects to the manifest's chain and checks the registry code is there and unchanged."""
        settings = settings or get_settings()
        manifest = manifest or DeploymentManifest.read(settings.manifest_path)
        w3 = connect(settings.rpc_url, expected_chain_id=settings.chain_id or manifest.chain_id, settings=settings)
        check_deployment(w3, manifest)
        locks = settings.data_dir / "locks"  # processes sending from one account take turns
        return cls(w3, manifest, account=account, gas_price=settings.gas_price, nonce_lock_dir=locks)

    # ---- writing ------------------------------------------------------------------------------
    @property
    def sender(self) -> TransactionSender:
        if self._sender is None:
            raise NoAccount()
        return self._sender

    def execute(self, operation: Operation[RecordT]) -> Written[RecordT]:
        """Sends the operation from this client's account and returns the record it wrote."""
        receipt = self.sender.send(operation.call)
        return self._written(operation, receipt, self.sender.address)

    def sign(self, operation: Operation[Any], *, deadline: int, nonce: int | None = None) -> SignedRequest:
        """Signs the operation for anyone to relay; the registry will credit this client's account.

        First asks the node whether the registry would accept it from this account now (`eth_call`,
        nothing sent): a request it would refuse is not signed, and the refusal is raised, decoded,
        here rather than found by whoever relays it. (The registry reads a relayed call's sender as
        the signer, so a direct call from the signer is refused for the same reasons.)"""
        if not isinstance(self.account, LocalAccount):
            raise RegistryError("signing needs a keystore account (a node-unlocked address cannot sign typed data)")
        try:
            operation.call.call({"from": self.account.address})
        except ContractLogicError as exc:
            raise self.decoder.from_exception(exc) from None
        target = operation.call.address
        return sign_request(
            self.account,
            forwarder=self.forwarder.address,
            chain_id=self.manifest.chain_id,
            target=target,
            data=bytes.fromhex(operation.call._encode_transaction_data()[2:]),
            nonce=self.nonce_of(self.account.address) if nonce is None else nonce,
            deadline=deadline,
        )

    def relay(self, request: SignedRequest, operation: Operation[RecordT]) -> Written[RecordT]:
        """Sends someone's signed request and reads back the record it wrote, credited to the signer."""
        receipt = self._send_relayed(request)
        return self._written(operation, receipt, request.signer)

    def relay_request(self, request: SignedRequest) -> RelayResult:
        """Sends someone's signed request as it stands; returns the events it logged, credited to the signer."""
        receipt = self._send_relayed(request)
        return RelayResult(
            signer=request.signer,
            relayer=self.sender.address,
            nonce=request.nonce,
            transaction_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            block_number=int(receipt["blockNumber"]),
            events=self.decode_events(receipt),
        )

    def check_relayable(self, request: SignedRequest) -> None:
        """Raises `RequestNotRelayable` saying why the forwarder would refuse `request`, if it would.

        The forwarder checks all of this too; checking first spends no gas and names the problem
        (already relayed, expired, altered) instead of a bare signature mismatch.
        """
        if request.chain_id != self.manifest.chain_id or request.forwarder != self.forwarder.address:
            raise RequestNotRelayable(
                "other-registry",
                f"this request was signed for chain {request.chain_id} and forwarder {request.forwarder}, "
                f"not this registry (chain {self.manifest.chain_id}, forwarder {self.forwarder.address})",
                f"이 요청은 체인 {request.chain_id}의 포워더 {request.forwarder}에서 쓰도록 서명되었습니다. 이 등록부"
                f"(체인 {self.manifest.chain_id}, 포워더 {self.forwarder.address})의 요청이 아닙니다",
            )
        if request.target not in (self.grants.address, self.outcomes.address):
            raise RequestNotRelayable(
                "unknown-target",
                f"this request calls {request.target}, which is not part of this registry",
                f"이 요청은 이 등록부의 계약이 아닌 {request.target}을(를) 호출합니다",
            )
        used = self.nonce_of(request.signer)
        if used > request.nonce:
            raise RequestNotRelayable(
                "already-used",
                f"this request (nonce {request.nonce} of {request.signer}) was already relayed, or another "
                "request with the same nonce was; ask the signer for a new one",
                f"이 요청({request.signer}의 순번 {request.nonce})은 이미 전달되었거나, 같은 순번의 다른 요청이 "
                "전달되었습니다. 서명한 사람에게 새 요청을 받으세요",
            )
        if used < request.nonce:
            raise RequestNotRelayable(
                "out-of-order",
                f"this request has nonce {request.nonce}, but {request.signer}'s next request is nonce {used}; "
                "relay the signer's earlier request first",
                f"이 요청의 순번은 {request.nonce}인데 {request.signer}의 다음 요청 순번은 {used}입니다. 서명한 "
                "사람의 앞선 요청을 먼저 전달하세요",
            )
        now = int(self.w3.eth.get_block("latest")["timestamp"])
        if now >= request.deadline:
            raise RequestNotRelayable(
                "expired",
                f"the signed request expired at {datetime.fromtimestamp(request.deadline, UTC):%Y-%m-%d %H:%M:%S} "
                "UTC (chain time); ask the signer to sign it again",
                f"서명된 요청의 유효 기한이 {datetime.fromtimestamp(request.deadline, UTC):%Y-%m-%d %H:%M:%S} "
                "UTC(체인 시각)에 지났습니다. 서명한 사람에게 다시 서명해 달라고 하세요",
            )
        if _recovered_signer(request) != request.signer:
            raise RequestNotRelayable(
                "signature-mismatch",
                f"the signature does not match the request: it was changed after {request.signer} signed it, "
                "or it was not signed by that account",
                f"서명이 요청과 맞지 않습니다: {request.signer}이(가) 서명한 뒤에 요청이 바뀌었거나, 그 계정이 "
                "서명하지 않았습니다",
            )
        self._check_outcome_details(request)

    def _check_outcome_details(self, request: SignedRequest) -> None:
        """Refuses an outcome whose type's identifiers are not in their form (a DOI that is no DOI...): the
        contracts take any text, so the relay checks what the CLI and the workspace check before signing."""
        if request.target != self.outcomes.address:
            return
        try:
            function, args = self.outcomes.decode_function_input(request.data)
        except (ValueError, DecodingError):
            return  # not a call of the outcome registry's: the registry's own refusal will say so
        if function.fn_name not in ("addOutcome", "amendOutcome"):
            return
        given = dict(args["details"])  # web3 decodes the struct by its components' names
        try:
            check_outcome_details(
                OutcomeType(args["outcomeType"]),
                args["externalId"],
                OutcomeDetails(
                    venue=given["venue"], country=given["country"], counterparty=given["counterparty"],
                    date=given["date"] or None, amount=given["amount"], sci_indexed=given["sciIndexed"],
                ),
            )
        except ValueError as error:  # InvalidOutcomeDetails, or a value OutcomeDetails itself refuses
            field = getattr(error, "field", "details")
            raise RequestNotRelayable(
                "details-invalid",
                f"the outcome's {field} is not in the form its type records: {error}; correct it and sign again",
                f"성과의 {field} 값이 그 유형이 기록하는 형식이 아닙니다: {error}. 고쳐서 다시 서명하세요",
            ) from None

    def _send_relayed(self, request: SignedRequest) -> TxReceipt:
        self.check_relayable(request)
        return self.sender.send(self.forwarder.functions.execute(request.execute_args()))

    def decode_events(self, receipt: TxReceipt) -> list[RecordedEvent]:
        """Every registry event in `receipt` (grant registry, outcome registry, forwarder), in log order."""
        found = []
        for log in receipt["logs"]:
            if not log["topics"]:
                continue
            known = self._event_index.get((to_checksum_address(log["address"]), bytes(log["topics"][0])))
            if known is None:
                continue
            contract_name, event = known
            decoded = event.process_log(log)
            found.append(
                RecordedEvent(contract_name, decoded["event"], int(decoded["logIndex"]), dict(decoded["args"]))
            )
        return found

    @cached_property
    def _event_index(self) -> dict[tuple[ChecksumAddress, bytes], tuple[str, ContractEvent]]:
        index = {}
        for name, contract in (
            (GRANT_REGISTRY, self.grants),
            (OUTCOME_REGISTRY, self.outcomes),
            (FORWARDER, self.forwarder),
        ):
            for entry in contract.abi:
                if entry["type"] == "event":
                    event = contract.events[entry["name"]]()
                    index[(contract.address, bytes.fromhex(event.topic.removeprefix("0x")))] = (name, event)
        return index

    def nonce_of(self, account: str) -> int:
        return int(self.forwarder.functions.nonces(to_checksum_address(account)).call())

    def _written(self, operation: Operation[RecordT], receipt: TxReceipt, sender: str) -> Written[RecordT]:
        return Written(
            record=operation.read_result(receipt),
            transaction_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            block_number=int(receipt["blockNumber"]),
            sender=sender,
        )

    # ---- reading ------------------------------------------------------------------------------
    def read(self, call: ContractFunction, block: BlockIdentifier = "latest") -> Any:
        """Calls a view, decoding a refusal (such as `ProgramNotFound`) into its error."""
        try:
            return call.call(block_identifier=block)
        except ContractLogicError as exc:
            raise self.decoder.from_exception(exc) from None

    def program(self, program_id: int, block: BlockIdentifier = "latest") -> Program:
        raw = self.read(self.grants.functions.getProgram(program_id), block)
        return Program(
            program_id=program_id, budget=raw[0], per_project_cap=raw[1], year=raw[2], status=raw[3],
            granted=raw[4], project_count=raw[5], metadata_hash=raw[6], name=raw[7], field=raw[8],
            metadata_uri=raw[9],
        )  # fmt: skip

    def project(self, project_id: int, block: BlockIdentifier = "latest") -> Project:
        raw = self.read(self.grants.functions.getProject(project_id), block)
        return Project(
            project_id=project_id, program_id=raw[0], company_id=raw[1], status=raw[2], amount=raw[3],
            start_date=raw[4], end_date=raw[5], plan_hash=raw[6], milestone_count=raw[7],
            planned_tranches=raw[8],
        )  # fmt: skip

    def milestone(self, project_id: int, milestone_index: int, block: BlockIdentifier = "latest") -> Milestone:
        raw = self.read(self.grants.functions.getMilestone(project_id, milestone_index), block)
        return Milestone(
            project_id=project_id, milestone_index=milestone_index, status=raw[0], attempts=raw[1],
            due_date=raw[2], tranche=raw[3], description_hash=raw[4],
        )  # fmt: skip

    def outcome(self, outcome_id: int, block: BlockIdentifier = "latest") -> Outcome:
        raw = self.read(self.outcomes.functions.getOutcome(outcome_id), block)
        return Outcome(
            outcome_id=outcome_id, project_id=raw[0], outcome_type=raw[1], ip_status=raw[2], revoked=raw[3],
            amends=raw[4], amended_by=raw[5], recorded_at=raw[6], evidence_hash=raw[7], external_id=raw[8],
        )  # fmt: skip

    def report(self, report_id: int, block: BlockIdentifier = "latest") -> CommercializationReport:
        raw = self.read(self.outcomes.functions.getReport(report_id), block)
        sales, investment, royalties, jobs = raw[4]
        return CommercializationReport(
            report_id=report_id, project_id=raw[0], year=raw[1], status=raw[2], recorded_at=raw[3],
            figures=CommercializationFigures(
                sales=sales, investment=investment, royalties=royalties, jobs=jobs
            ),
            commitment=raw[5], evidence_hash=raw[6],
        )  # fmt: skip

    def audit(self, audit_id: int, block: BlockIdentifier = "latest") -> Audit:
        raw = self.read(self.grants.functions.getAudit(audit_id), block)
        return Audit(
            audit_id=audit_id, project_id=raw[0], grade=raw[1], clawback_amount=raw[2],
            restricted_until=optional_time(raw[3]), recorded_at=raw[4], auditor=raw[5], findings_hash=raw[6],
        )  # fmt: skip

    def program_rules(self, program_id: int, block: BlockIdentifier = "latest") -> ProgramRules:
        follow_up, objection, restriction, clawback = self.read(self.grants.functions.rulesOf(program_id), block)
        return ProgramRules(
            follow_up_years=follow_up, objection_days=objection, max_restriction_days=restriction,
            max_clawback_percent=clawback,
        )  # fmt: skip

    def funds(self, project_id: int, block: BlockIdentifier = "latest") -> ProjectFunds:
        paid, returned = self.read(self.grants.functions.fundsOf(project_id), block)
        return ProjectFunds(project_id=project_id, paid=paid, returned=returned)

    def company_name(self, company_id: bytes, block: BlockIdentifier = "latest") -> str:
        """The company's current public name; empty when it has none."""
        return str(self.read(self.grants.functions.companyName(company_id), block))

    def sanction(self, audit_id: int, block: BlockIdentifier = "latest") -> Sanction:
        g = self.grants.functions
        status, confirmations = self.read(g.sanctionOf(audit_id), block)
        held = int(self.read(g.sanctionHoldOf(audit_id), block))
        return Sanction(audit_id=audit_id, status=status, confirmations=confirmations, held_by_objection=held)

    def sanction_quorum(self, block: BlockIdentifier = "latest") -> int:
        return int(self.read(self.grants.functions.sanctionQuorum(), block))

    def decision(
        self, subject: ObjectionSubject, subject_id: int, milestone_index: int = 0, block: BlockIdentifier = "latest"
    ) -> Decision:
        by, at, project_id, days = self.read(
            self.grants.functions.decisionOf(int(subject), subject_id, milestone_index), block
        )
        return Decision(
            subject=subject, subject_id=subject_id, milestone_index=milestone_index,
            decided_by=by if at else None, decided_at=optional_time(at), project_id=project_id, objection_days=days,
        )  # fmt: skip

    def objection(self, objection_id: int, block: BlockIdentifier = "latest") -> Objection:
        raw = self.read(self.outcomes.functions.getObjection(objection_id), block)
        resolved_by = raw[8] if int(raw[8], 16) else None
        return Objection(
            objection_id=objection_id, project_id=raw[0], subject=raw[1], subject_id=raw[2], milestone_index=raw[3],
            status=raw[4], filed_at=raw[5], filed_by=raw[6], decided_by=raw[7], resolved_by=resolved_by,
        )  # fmt: skip

    def anchor(self, document_hash: bytes, block: BlockIdentifier = "latest") -> Anchor:
        by, timestamp, number, kind = self.read(self.grants.functions.anchorOf(document_hash), block)
        anchored = number != 0
        return Anchor(
            document_hash=document_hash, anchored=anchored, anchored_by=by if anchored else None,
            timestamp=timestamp if anchored else None, block_number=number if anchored else None, kind=kind,
        )  # fmt: skip

    def batch(self, root: bytes, block: BlockIdentifier = "latest") -> Batch:
        by, timestamp, number = self.read(self.grants.functions.batchOf(root), block)
        anchored = number != 0
        return Batch(
            root=root, anchored=anchored, anchored_by=by if anchored else None,
            timestamp=timestamp if anchored else None, block_number=number if anchored else None,
        )  # fmt: skip

    def verify_batch_member(self, root: bytes, document_hash: bytes, proof: Iterable[bytes]) -> bool:
        return bool(self.read(self.grants.functions.verifyBatchMember(root, document_hash, list(proof))))

    def counts(self) -> dict[str, int]:
        g, o = self.grants.functions, self.outcomes.functions
        return {
            "programs": self.read(g.programCount()),
            "projects": self.read(g.projectCount()),
            "audits": self.read(g.auditCount()),
            "outcomes": self.read(o.outcomeCount()),
            "reports": self.read(o.reportCount()),
            "objections": self.read(o.objectionCount()),
        }

    def company_of(self, account: str) -> bytes | None:
        company = bytes(self.read(self.grants.functions.companyOf(to_checksum_address(account))))
        return None if company == ZERO_HASH else company

    def roles_of(self, account: str) -> list[str]:
        """The roles `account` holds, in people's words ('top admin', 'auditor'...), plus 'company'
        when it is bound to a company."""
        address = to_checksum_address(account)
        roles = [role.label for role in Role if self.has_role(role, address)]
        if self.company_of(address) is not None:
            roles.append(COMPANY_LABEL)
        return roles

    def has_role(self, role: Role, account: str) -> bool:
        return bool(self.read(self.grants.functions.hasRole(role.id, to_checksum_address(account))))

    def events(self, contract: Contract, name: str, receipt: TxReceipt) -> list[dict[str, Any]]:
        return [dict(e["args"]) for e in contract.events[name]().process_receipt(receipt, errors=DISCARD)]

    def history(
        self, contract: Contract, names: Iterable[str], argument_filters: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Every event of the given names since deployment, oldest first, with where it was logged."""
        found = []
        last = self.w3.eth.block_number
        for name in names:
            for log in self._logs(contract.events[name](), argument_filters or {}, last):
                found.append(
                    {
                        "event": name,
                        "blockNumber": log["blockNumber"],
                        "logIndex": log["logIndex"],
                        "transactionHash": "0x" + bytes(log["transactionHash"]).hex(),
                        **dict(log["args"]),
                    }
                )
        return sorted(found, key=lambda e: (e["blockNumber"], e["logIndex"]))

    def _logs(self, event: ContractEvent, argument_filters: dict[str, Any], last: int) -> list[EventData]:
        """`event`'s logs from the deployment to block `last`: in one request, or, when the node refuses
        that as too much (Besu allows `LOGS_RANGE` blocks by default), in ranges it accepts."""
        first = self.manifest.deploy_block
        try:
            return list(event.get_logs(from_block=first, to_block=last, argument_filters=argument_filters))
        except Web3RPCError as error:
            if not refused_as_too_much(str(error)):
                raise
        found: list[EventData] = []
        span = LOGS_RANGE
        while first <= last:
            end = min(last, first + span - 1)
            try:
                found.extend(event.get_logs(from_block=first, to_block=end, argument_filters=argument_filters))
            except Web3RPCError as error:
                if not refused_as_too_much(str(error)) or span == 1:
                    raise
                span //= 2  # a node with a lower limit, or too many results in this range
                continue
            first = end + 1
        return found


class RegistryOperations:
    """Builds each registry write as an `Operation`; nothing is sent here."""

    def __init__(self, client: RegistryClient) -> None:
        self._c = client

    def _event_id(self, contract: Contract, event: str, key: str) -> Callable[[TxReceipt], int]:
        def read(receipt: TxReceipt) -> int:
            found = self._c.events(contract, event, receipt)
            if not found:
                raise RegistryError(f"the transaction emitted no {event}; the registry did not record it")
            return int(found[-1][key])

        return read

    # membership ---------------------------------------------------------------------------------
    def grant_role(self, role: Role, account: str) -> Operation[Record]:
        address = to_checksum_address(account)
        call = self._c.grants.functions.grantRole(role.id, address)
        return Operation(f"give the {role.label} role to {address}", call, lambda _r: _Empty())

    def revoke_role(self, role: Role, account: str) -> Operation[Record]:
        address = to_checksum_address(account)
        call = self._c.grants.functions.revokeRole(role.id, address)
        return Operation(f"take the {role.label} role from {address}", call, lambda _r: _Empty())

    def bind_company_account(self, account: str, company_id: bytes, name: str = "") -> Operation[Record]:
        """Binds `account` to the company; `name` (상호) is required for a company's first binding, empty
        keeps the current one and a different one records a change of name."""
        address = to_checksum_address(account)
        call = self._c.grants.functions.bindCompanyAccount(address, company_id, name)
        named = f" ({name})" if name else ""
        return Operation(f"bind {address} to company 0x{company_id.hex()}{named}", call, lambda _r: _Empty())

    def rename_company(self, company_id: bytes, name: str) -> Operation[Record]:
        call = self._c.grants.functions.renameCompany(company_id, name)
        return Operation(f"publish company 0x{company_id.hex()} as {name!r}", call, lambda _r: _Empty())

    def unbind_company_account(self, account: str) -> Operation[Record]:
        address = to_checksum_address(account)
        return Operation(
            f"unbind {address} from its company",
            self._c.grants.functions.unbindCompanyAccount(address),
            lambda _r: _Empty(),
        )

    # programs and projects ----------------------------------------------------------------------
    def create_program(self, terms: ProgramTerms) -> Operation[Program]:
        call = self._c.grants.functions.createProgram(
            (terms.name, terms.year, terms.budget, terms.per_project_cap, terms.field,
             terms.metadata_hash or ZERO_HASH, terms.metadata_uri, terms.rules.as_abi())
        )  # fmt: skip
        read_id = self._event_id(self._c.grants, "ProgramCreated", "programId")
        return Operation(f"open program {terms.name!r}", call, lambda r: self._c.program(read_id(r), r["blockNumber"]))

    def close_program(self, program_id: int) -> Operation[Program]:
        call = self._c.grants.functions.closeProgram(program_id)
        return Operation(f"close program {program_id}", call, lambda r: self._c.program(program_id, r["blockNumber"]))

    def register_project(self, terms: ProjectTerms) -> Operation[Project]:
        call = self._c.grants.functions.registerProject(
            (terms.program_id, terms.company_id, terms.amount, unix_seconds(terms.start_date),
             unix_seconds(terms.end_date), terms.plan_hash or ZERO_HASH, terms.targets.as_abi())
        )  # fmt: skip
        read_id = self._event_id(self._c.grants, "ProjectRegistered", "projectId")
        return Operation(
            f"register a project of {terms.amount:,} won under program {terms.program_id}",
            call,
            lambda r: self._c.project(read_id(r), r["blockNumber"]),
        )

    def complete_project(self, project_id: int, report_hash: bytes | None = None) -> Operation[Project]:
        call = self._c.grants.functions.completeProject(project_id, report_hash or ZERO_HASH)
        return Operation(
            f"complete project {project_id}", call, lambda r: self._c.project(project_id, r["blockNumber"])
        )

    def terminate_project(self, project_id: int, reason_hash: bytes) -> Operation[Project]:
        call = self._c.grants.functions.terminateProject(project_id, reason_hash)
        return Operation(
            f"terminate project {project_id}", call, lambda r: self._c.project(project_id, r["blockNumber"])
        )

    # milestones ---------------------------------------------------------------------------------
    def plan_milestone(
        self, project_id: int, due_date: int, tranche: int, description_hash: bytes | None = None
    ) -> Operation[Milestone]:
        call = self._c.grants.functions.planMilestone(project_id, due_date, tranche, description_hash or ZERO_HASH)
        read_index = self._event_id(self._c.grants, "MilestonePlanned", "milestoneIndex")
        return Operation(
            f"plan a milestone of project {project_id}",
            call,
            lambda r: self._c.milestone(project_id, read_index(r), r["blockNumber"]),
        )

    def submit_milestone(
        self, project_id: int, milestone_index: int, evidence_hashes: list[bytes]
    ) -> Operation[Milestone]:
        call = self._c.grants.functions.submitMilestone(project_id, milestone_index, evidence_hashes)
        return self._milestone_op(f"submit milestone {milestone_index} of project {project_id}", call,
                                  project_id, milestone_index)  # fmt: skip

    def approve_milestone(
        self, project_id: int, milestone_index: int, review_hash: bytes | None = None
    ) -> Operation[Milestone]:
        call = self._c.grants.functions.approveMilestone(project_id, milestone_index, review_hash or ZERO_HASH)
        return self._milestone_op(f"approve milestone {milestone_index} of project {project_id}", call,
                                  project_id, milestone_index)  # fmt: skip

    def reject_milestone(self, project_id: int, milestone_index: int, reason_hash: bytes) -> Operation[Milestone]:
        call = self._c.grants.functions.rejectMilestone(project_id, milestone_index, reason_hash)
        return self._milestone_op(f"reject milestone {milestone_index} of project {project_id}", call,
                                  project_id, milestone_index)  # fmt: skip

    def _milestone_op(
        self, description: str, call: ContractFunction, project_id: int, index: int
    ) -> Operation[Milestone]:
        return Operation(description, call, lambda r: self._c.milestone(project_id, index, r["blockNumber"]))

    # audits ---------------------------------------------------------------------------------------
    def record_audit(self, project_id: int, result: AuditResult) -> Operation[Audit]:
        until = unix_seconds(result.restricted_until) if result.restricted_until else 0
        call = self._c.grants.functions.recordAudit(
            project_id, (int(result.grade), result.findings_hash, result.clawback_amount, until)
        )
        read_id = self._event_id(self._c.grants, "AuditRecorded", "auditId")
        return Operation(
            f"record an evaluation of project {project_id}",
            call,
            lambda r: self._c.audit(read_id(r), r["blockNumber"]),
        )

    def confirm_sanction(self, audit_id: int) -> Operation[Sanction]:
        call = self._c.grants.functions.confirmSanction(audit_id)
        return Operation(
            f"confirm the sanction of evaluation {audit_id}",
            call,
            lambda r: self._c.sanction(audit_id, r["blockNumber"]),
        )

    def set_sanction_quorum(self, quorum: int) -> Operation[Record]:
        call = self._c.grants.functions.setSanctionQuorum(quorum)
        return Operation(f"require {quorum} auditors for a sanction", call, lambda _r: _Empty())

    # objections -----------------------------------------------------------------------------------
    def file_objection(
        self, subject: ObjectionSubject, subject_id: int, milestone_index: int, evidence_hash: bytes
    ) -> Operation[Objection]:
        call = self._c.outcomes.functions.fileObjection(int(subject), subject_id, milestone_index, evidence_hash)
        read_id = self._event_id(self._c.outcomes, "ObjectionFiled", "objectionId")
        return Operation(
            f"object to the {contested_decision(subject, subject_id, milestone_index)}",
            call,
            lambda r: self._c.objection(read_id(r), r["blockNumber"]),
        )

    def resolve_objection(self, objection_id: int, upheld: bool, reason_hash: bytes) -> Operation[Objection]:
        call = self._c.outcomes.functions.resolveObjection(objection_id, upheld, reason_hash)
        verdict = "uphold" if upheld else "dismiss"
        return Operation(
            f"{verdict} objection {objection_id}", call, lambda r: self._c.objection(objection_id, r["blockNumber"])
        )

    # outcomes -------------------------------------------------------------------------------------
    def add_outcome(
        self,
        project_id: int,
        outcome_type: OutcomeType,
        external_id: str,
        evidence_hash: bytes,
        details: OutcomeDetails | None = None,
    ) -> Operation[Outcome]:
        call = self._c.outcomes.functions.addOutcome(
            project_id, int(outcome_type), external_id, (details or OutcomeDetails()).as_abi(), evidence_hash
        )
        read_id = self._event_id(self._c.outcomes, "OutcomeAdded", "outcomeId")
        return Operation(
            f"record {_with_article(_words(outcome_type))} outcome of project {project_id}",
            call,
            lambda r: self._c.outcome(read_id(r), r["blockNumber"]),
        )

    def amend_outcome(
        self,
        original_id: int,
        outcome_type: OutcomeType,
        external_id: str,
        evidence_hash: bytes,
        reason_hash: bytes,
        details: OutcomeDetails | None = None,
    ) -> Operation[Outcome]:
        call = self._c.outcomes.functions.amendOutcome(
            original_id, int(outcome_type), external_id, (details or OutcomeDetails()).as_abi(), evidence_hash,
            reason_hash,
        )  # fmt: skip
        read_id = self._event_id(self._c.outcomes, "OutcomeAmended", "outcomeId")
        return Operation(
            f"correct outcome {original_id}", call, lambda r: self._c.outcome(read_id(r), r["blockNumber"])
        )

    def revoke_outcome(self, outcome_id: int, reason_hash: bytes) -> Operation[Outcome]:
        call = self._c.outcomes.functions.revokeOutcome(outcome_id, reason_hash)
        return Operation(f"revoke outcome {outcome_id}", call, lambda r: self._c.outcome(outcome_id, r["blockNumber"]))

    def update_ip_status(self, outcome_id: int, status: IpStatus, evidence_hash: bytes) -> Operation[Outcome]:
        call = self._c.outcomes.functions.updateIpStatus(outcome_id, int(status), evidence_hash)
        return Operation(
            f"set the IP status of outcome {outcome_id} to {_words(status)}",
            call,
            lambda r: self._c.outcome(outcome_id, r["blockNumber"]),
        )

    # commercialization ----------------------------------------------------------------------------
    def report_commercialization(
        self, project_id: int, year: int, figures: CommercializationFigures, evidence_hash: bytes
    ) -> Operation[CommercializationReport]:
        call = self._c.outcomes.functions.reportCommercialization(
            project_id,
            year,
            (figures.sales, figures.investment, figures.royalties, figures.jobs),
            evidence_hash,
        )
        read_id = self._event_id(self._c.outcomes, "CommercializationReported", "reportId")
        return Operation(
            f"report {year} commercialization of project {project_id}",
            call,
            lambda r: self._c.report(read_id(r), r["blockNumber"]),
        )

    def commit_commercialization(
        self, project_id: int, year: int, commitment: bytes, evidence_hash: bytes
    ) -> Operation[CommercializationReport]:
        call = self._c.outcomes.functions.commitCommercialization(project_id, year, commitment, evidence_hash)
        read_id = self._event_id(self._c.outcomes, "CommercializationCommitted", "reportId")
        return Operation(
            f"commit hidden {year} figures of project {project_id}",
            call,
            lambda r: self._c.report(read_id(r), r["blockNumber"]),
        )

    def reveal_commercialization(
        self, report_id: int, figures: CommercializationFigures, salt: bytes
    ) -> Operation[CommercializationReport]:
        call = self._c.outcomes.functions.revealCommercialization(
            report_id, (figures.sales, figures.investment, figures.royalties, figures.jobs), salt
        )
        return Operation(
            f"disclose the figures of report {report_id}",
            call,
            lambda r: self._c.report(report_id, r["blockNumber"]),
        )

    def verify_report(self, report_id: int, note_hash: bytes | None = None) -> Operation[CommercializationReport]:
        call = self._c.outcomes.functions.verifyReport(report_id, note_hash or ZERO_HASH)
        return Operation(f"verify report {report_id}", call, lambda r: self._c.report(report_id, r["blockNumber"]))

    def dispute_report(self, report_id: int, reason_hash: bytes) -> Operation[CommercializationReport]:
        call = self._c.outcomes.functions.disputeReport(report_id, reason_hash)
        return Operation(f"dispute report {report_id}", call, lambda r: self._c.report(report_id, r["blockNumber"]))

    # evidence -------------------------------------------------------------------------------------
    def anchor_document(self, document_hash: bytes) -> Operation[Anchor]:
        call = self._c.grants.functions.anchorDocument(document_hash)
        return Operation(
            f"anchor document 0x{document_hash.hex()}",
            call,
            lambda r: self._c.anchor(document_hash, r["blockNumber"]),
        )

    def anchor_batch(self, root: bytes, leaf_count: int, manifest_hash: bytes) -> Operation[Batch]:
        call = self._c.grants.functions.anchorBatch(root, leaf_count, manifest_hash)
        return Operation(
            f"anchor a batch of {leaf_count} documents", call, lambda r: self._c.batch(root, r["blockNumber"])
        )


class _Empty(Record):
    """The record of an operation that writes no record of its own (a role change)."""


def commitment_of(project_id: int, year: int, figures: CommercializationFigures, salt: bytes) -> bytes:
    """The hash that commits to figures before they are disclosed, as the contract recomputes it."""
    from eth_abi.abi import encode
    from eth_utils.crypto import keccak

    return keccak(
        encode(
            ["uint32", "uint16", "uint96", "uint96", "uint96", "uint32", "bytes32"],
            [project_id, year, figures.sales, figures.investment, figures.royalties, figures.jobs, salt],
        )
    )


def _words(member: IntEnum) -> str:
    """An enum member in an operation's description, as people say it: `patent application`."""
    return member.name.lower().replace("_", " ")


def _with_article(words: str) -> str:
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _recovered_signer(request: SignedRequest) -> ChecksumAddress | None:
    """The account whose signature `request` carries, recomputed off chain; None if unreadable."""
    message = encode_typed_data(
        domain_data={
            "name": FORWARDER_NAME,
            "version": FORWARDER_VERSION,
            "chainId": request.chain_id,
            "verifyingContract": request.forwarder,
        },
        message_types=FORWARD_REQUEST_TYPES,
        message_data={
            "from": request.signer,
            "to": request.target,
            "value": 0,
            "gas": request.gas,
            "nonce": request.nonce,
            "deadline": request.deadline,
            "data": request.data,
        },
    )
    try:
        return to_checksum_address(Account.recover_message(message, signature=request.signature))
    except Exception:  # a malformed signature (wrong length, invalid v/s) recovers nobody
        return None


__all__ = [
    "AnchorKind",
    "NoAccount",
    "Operation",
    "RecordedEvent",
    "RegistryClient",
    "RegistryOperations",
    "RelayResult",
    "RequestNotRelayable",
    "Written",
    "commitment_of",
]
