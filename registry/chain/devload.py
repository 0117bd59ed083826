"""Fills a local development chain with many valid registry transactions, fast: for the indexer's
tests and benchmark, never for a real chain.

Anvil's unlocked dev accounts send the transactions (`eth_sendTransaction`: no signing in Python),
with nonces and gas set here so nothing is estimated, many per JSON-RPC batch and many per block
(automatic mining is paused and blocks are mined by hand). Each round runs the whole life of a set
of projects in phases mined one after another, because a phase's transactions depend on the
previous phase's records: the admin opens a program, registers and plans; companies submit,
record outcomes and report; the auditor reviews; companies resubmit, amend, revoke, commit and
object to some rejections; a second auditor resolves the objections; the auditor and admin close
out, and the second auditor confirms the sanctions of the audits. A few submissions are signed off
chain and relayed. Every transaction must succeed: a failed one raises, since it would mean the plan
is wrong.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from eth_abi.abi import encode
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak

from registry.chain.deployment import FORWARDER, GRANT_REGISTRY, OUTCOME_REGISTRY, DeploymentManifest
from registry.chain.devkeys import DEV_ACCOUNT_COUNT, DEV_MNEMONIC, dev_account
from registry.chain.forwarder import sign_request
from registry.domain.companies import company_id
from registry.domain.enums import Grade, IpStatus, ObjectionSubject, OutcomeType
from registry.domain.records import ProgramRules
from registry.domain.roles import Role
from registry.errors import RegistryError

DAY = 24 * 3600
ADMIN, AUDITOR, MEMBER, RELAYER = 0, 1, 2, 6
#: The auditor who confirms sanctions and resolves objections to the first auditor's decisions: the
#: dev mnemonic's key after anvil's ten (see `second_auditor`), so dev accounts 8 and 9 stay free.
SECOND_AUDITOR = DEV_ACCOUNT_COUNT
#: Dev account -> business registration number of the company it acts for. Account 7's company is
#: the one audits restrict, so that no later project is refused for it.
COMPANIES = {3: "131-81-20001", 4: "131-81-20002", 5: "131-81-20003", 7: "131-81-20004"}
#: The public names (상호) the companies are bound under, when they have none yet.
COMPANY_NAMES = {
    3: "(주)한빛데이터",
    4: "누리로보틱스(주)",
    5: "(주)바이오젠텍",
    7: "미래소재(주)",
}
#: Program rules: the defaults, with restrictions of up to ten years so that the restricted company
#: stays out of every later round.
RULES = ProgramRules(max_restriction_days=3660).as_abi()
#: Performance targets of every project: papers, patents, sales, investment (won), jobs.
TARGETS = (2, 1, 500_000_000, 100_000_000, 3)
RESTRICTED_ACCOUNT = 7
CHURN_ACCOUNT = 8  # granted and revoked the member role, bound and unbound, round after round
GAS = 600_000
RELAY_GAS = 1_600_000


class DevLoadFailed(RegistryError):
    """A generated transaction failed: the generator's plan does not match the contracts."""


def second_auditor() -> LocalAccount:
    """The second auditor: the dev mnemonic's key number ten, which anvil does not unlock; `DevLoad`
    has anvil impersonate it, and the tests sign with it. Its key is public knowledge, as the dev
    accounts' are."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{SECOND_AUDITOR}")
    return account


def _address(index: int) -> str:
    """The address of dev account `index`, or of the second auditor."""
    return second_auditor().address if index == SECOND_AUDITOR else dev_account(index).address


def _details(kind: int, external_id: str) -> tuple[str, str, str, int, int, bool]:
    """Outcome details as the types use them: a paper's journal and SCI(E) flag, a patent's country."""
    if kind == OutcomeType.PAPER:
        return ("Journal of Applied R&D", "", "", 0, 0, external_id.endswith(("0", "2", "4", "6", "8")))
    if kind in (OutcomeType.PATENT_APPLICATION, OutcomeType.PATENT_REGISTRATION):
        return ("", "KR", "", 0, 0, False)
    return ("", "", "", 0, 0, False)


def _canonical(param: dict[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        return "(" + ",".join(_canonical(c) for c in param["components"]) + ")" + kind[len("tuple") :]
    return kind


class _Encoder:
    """Call data of one contract's functions, by name (the registry has no overloads)."""

    def __init__(self, abi: list[dict[str, Any]]) -> None:
        self._functions: dict[str, tuple[bytes, list[str]]] = {}
        for entry in abi:
            if entry.get("type") == "function":
                types = [_canonical(p) for p in entry["inputs"]]
                selector = keccak(text=f"{entry['name']}({','.join(types)})")[:4]
                self._functions[entry["name"]] = (selector, types)

    def __call__(self, name: str, *args: Any) -> bytes:
        selector, types = self._functions[name]
        return selector + encode(types, list(args))


@dataclass
class _Tx:
    sender: int
    to: str
    data: bytes
    gas: int = GAS


@dataclass
class _Project:
    project_id: int
    account: int
    milestones: int = 0
    rejected: list[int] = field(default_factory=list)
    outcomes: list[tuple[int, int]] = field(default_factory=list)  # (outcome id, type)
    #: A report committed to hidden figures: (report id, figures, salt).
    committed: tuple[int, tuple[int, int, int, int], bytes] | None = None
    reports: list[int] = field(default_factory=list)
    objected: list[int] = field(default_factory=list)  # rejected milestones the company objected to


class DevLoad:
    """Sends rounds of registry activity to a local anvil chain holding `manifest`'s registry."""

    def __init__(
        self,
        rpc_url: str,
        manifest: DeploymentManifest,
        *,
        seed: int = 0,
        per_block: int = 500,
        relay_share: float = 0.02,
    ) -> None:
        self.rpc_url = rpc_url
        self.relay_share = relay_share
        self.manifest = manifest
        self.per_block = max(1, per_block)
        self.random = random.Random(seed)
        # Draws for what contracts 1.1 added (objections), apart so that the older draws stay as they were.
        self.random_rules = random.Random(seed + 1)
        self._session = requests.Session()
        self._session.headers["Content-Type"] = "application/json"
        self._ids = itertools.count(1)
        self.grants = manifest.address(GRANT_REGISTRY)
        self.outcomes = manifest.address(OUTCOME_REGISTRY)
        self.forwarder = manifest.address(FORWARDER)
        self.encode_grants = _Encoder(manifest.contracts[GRANT_REGISTRY].abi)
        self.encode_outcomes = _Encoder(manifest.contracts[OUTCOME_REGISTRY].abi)
        self.encode_forwarder = _Encoder(manifest.contracts[FORWARDER].abi)
        self._nonces: dict[int, int] = {}
        self._documents = itertools.count()
        self._relay_nonces: dict[int, int] = {}
        self._round = 0
        self._restricted: set[bytes] = set()
        self.transactions = 0

    # ---- JSON-RPC ------------------------------------------------------------------------------
    def _call(self, method: str, *params: Any) -> Any:
        return self._batch([(method, list(params))])[0]

    def _batch(self, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
        body = [{"jsonrpc": "2.0", "id": next(self._ids), "method": m, "params": p} for m, p in calls]
        answers = self._session.post(self.rpc_url, data=json.dumps(body), timeout=120).json()
        by_id = {a["id"]: a for a in answers}
        results = []
        for request in body:
            answer = by_id[request["id"]]
            if "error" in answer:
                raise DevLoadFailed(f"{request['method']}: {answer['error'].get('message')}")
            results.append(answer["result"])
        return results

    def _view(self, to: str, data: bytes) -> bytes:
        return bytes.fromhex(self._call("eth_call", {"to": to, "data": "0x" + data.hex()}, "latest")[2:])

    def _count(self, name: str, to: str | None = None) -> int:
        encoder = self.encode_outcomes if to == self.outcomes else self.encode_grants
        return int.from_bytes(self._view(to or self.grants, encoder(name)), "big")

    # ---- sending -------------------------------------------------------------------------------
    def _send(self, txs: list[_Tx]) -> None:
        """Sends `txs`, `per_block` to a block, and checks every one succeeded."""
        if not txs:
            return
        if any(tx.sender == SECOND_AUDITOR for tx in txs):
            self._impersonate_second_auditor()
        for index in {tx.sender for tx in txs} - set(self._nonces):
            address = _address(index)
            self._nonces[index] = int(self._call("eth_getTransactionCount", address, "pending"), 16)
        # A small tip over the base fee: paying what `eth_gasPrice` suggests would raise its suggestion.
        base_fee = int(self._call("eth_getBlockByNumber", "latest", False).get("baseFeePerGas", "0x0"), 16)
        gas_price = hex(4 * base_fee + 10**9)
        first_block = int(self._call("eth_blockNumber"), 16) + 1
        self._call("evm_setAutomine", False)
        try:
            for start in range(0, len(txs), self.per_block):
                chunk = txs[start : start + self.per_block]
                calls = []
                for tx in chunk:
                    nonce = self._nonces[tx.sender]
                    self._nonces[tx.sender] = nonce + 1
                    calls.append(
                        (
                            "eth_sendTransaction",
                            [
                                {
                                    "from": _address(tx.sender),
                                    "to": tx.to,
                                    "data": "0x" + tx.data.hex(),
                                    "gas": hex(tx.gas),
                                    "gasPrice": gas_price,
                                    "nonce": hex(nonce),
                                }
                            ],
                        )
                    )
                for part in range(0, len(calls), 1000):
                    self._batch(calls[part : part + 1000])
                self._mine_pending()
        finally:
            self._call("evm_setAutomine", True)
        self.transactions += len(txs)
        self._check_receipts(first_block, int(self._call("eth_blockNumber"), 16))

    def _impersonate_second_auditor(self) -> None:
        """Lets anvil send for the second auditor, which it holds no key of, and gives it ether once."""
        address = second_auditor().address
        self._call("anvil_impersonateAccount", address)
        if int(self._call("eth_getBalance", address, "latest"), 16) < 10**18:
            self._call("anvil_setBalance", address, hex(10**21))

    def _mine_pending(self) -> None:
        while True:
            self._call("evm_mine")
            status = self._call("txpool_status")
            if int(status["pending"], 16) == 0 and int(status["queued"], 16) == 0:
                return

    def _check_receipts(self, first: int, last: int) -> None:
        numbers = list(range(first, last + 1))
        for start in range(0, len(numbers), 200):
            answers = self._batch([("eth_getBlockReceipts", [hex(n)]) for n in numbers[start : start + 200]])
            for receipts in answers:
                for receipt in receipts or []:
                    if int(receipt["status"], 16) != 1:
                        raise DevLoadFailed(f"transaction {receipt['transactionHash']} failed")

    def _logs(self, first: int, address: str, event: str) -> list[dict[str, Any]]:
        query = {
            "fromBlock": hex(first),
            "toBlock": "latest",
            "address": address,
            "topics": ["0x" + keccak(text=event).hex()],
        }
        return list(self._call("eth_getLogs", query))

    def _doc(self) -> bytes:
        return keccak(text=f"devload-document:{self.manifest.deploy_block}:{next(self._documents)}")

    # ---- setting up ----------------------------------------------------------------------------
    def setup(self) -> None:
        """Gives the dev accounts (and the second auditor) their roles and company bindings, where they
        lack them; a company gets its name with its first binding."""
        txs = []
        for index, role in ((AUDITOR, Role.AUDITOR), (SECOND_AUDITOR, Role.AUDITOR), (MEMBER, Role.MEMBER)):
            address = _address(index)
            held = self._view(self.grants, self.encode_grants("hasRole", role.id, address))
            if not int.from_bytes(held, "big"):
                txs.append(self._g(ADMIN, "grantRole", role.id, address))
        for index, number in COMPANIES.items():
            if self.company_of(index) == bytes(32):
                address = dev_account(index).address
                txs.append(self._g(ADMIN, "bindCompanyAccount", address, company_id(number), self._name_for(index)))
        self._send(txs)

    def _name_for(self, index: int) -> str:
        """The name to bind an account of company `index` with: none if it has one already."""
        named = self._view(self.grants, self.encode_grants("companyName", company_id(COMPANIES[index])))
        return "" if int.from_bytes(named[32:64], "big") else COMPANY_NAMES[index]

    def company_of(self, index: int) -> bytes:
        return self._view(self.grants, self.encode_grants("companyOf", dev_account(index).address))

    # ---- rounds --------------------------------------------------------------------------------
    def rounds(self, projects: int) -> Iterator[int]:
        """Runs rounds of `projects` projects each, forever; yields the transactions sent so far."""
        while True:
            self.round(projects)
            yield self.transactions

    def _g(self, sender: int, name: str, *args: Any) -> _Tx:
        """A transaction of `sender` calling the grant registry."""
        return _Tx(sender, self.grants, self.encode_grants(name, *args))

    def _o(self, sender: int, name: str, *args: Any) -> _Tx:
        """A transaction of `sender` calling the outcome registry."""
        return _Tx(sender, self.outcomes, self.encode_outcomes(name, *args))

    def round(self, projects: int) -> None:
        """One program with `projects` projects taken through their whole life."""
        self._round += 1
        rng = self.random
        now = int(self._call("eth_getBlockByNumber", "latest", False)["timestamp"], 16)
        program_id = self._count("programCount") + 1
        first_project = self._count("projectCount") + 1
        companies = {a: self.company_of(a) for a in COMPANIES}
        accounts = [a for a in COMPANIES if companies[a] not in self._restricted]
        amount = 100_000_000

        # 1. The admin opens a program, registers projects and plans their milestones.
        name = f"Round {self._round} R&D program"
        terms = (name, 2021, amount * projects * 2, amount, "D.N.A.", self._doc(), "https://example.org/program", RULES)
        admin = [self._g(ADMIN, "createProgram", terms)]
        plan: list[_Project] = []
        for offset in range(projects):
            project = _Project(first_project + offset, accounts[offset % len(accounts)])
            plan.append(project)
            grant = (program_id, companies[project.account], amount, now, now + 300 * DAY, self._doc(), TARGETS)
            admin.append(self._g(ADMIN, "registerProject", grant))
            project.milestones = rng.choice((2, 3, 3, 4))
            for index in range(project.milestones):
                due = now + (index + 1) * 60 * DAY
                admin.append(self._g(ADMIN, "planMilestone", project.project_id, due, amount // 5, self._doc()))
        self._send(admin + self._churn())

        # 2. Companies submit milestones, record outcomes, report; a member anchors documents.
        started = int(self._call("eth_blockNumber"), 16) + 1
        company: list[_Tx] = []
        relayed: list[tuple[int, bytes]] = []
        kinds = (OutcomeType.PATENT_APPLICATION, OutcomeType.PAPER, OutcomeType.SOFTWARE, OutcomeType.PROTOTYPE)
        for project in plan:
            for index in range(1, project.milestones + 1):
                evidence = [self._doc() for _ in range(rng.choice((1, 1, 2, 3)))]
                submit = self._g(project.account, "submitMilestone", project.project_id, index, evidence)
                if rng.random() < self.relay_share:
                    relayed.append((project.account, submit.data))
                else:
                    company.append(submit)
            for _ in range(rng.choice((1, 2, 2, 3))):
                external = f"10-{2021 + self._round % 5}-{rng.randrange(10**7):07d}"
                kind = int(rng.choice(kinds))
                add = ("addOutcome", project.project_id, kind, external, _details(kind, external), self._doc())
                company.append(self._o(project.account, *add))
            figures = (rng.randrange(10**10), rng.randrange(10**10), rng.randrange(10**8), rng.randrange(50))
            report = ("reportCommercialization", project.project_id, 2022, figures, self._doc())
            company.append(self._o(project.account, *report))
            if rng.random() < 0.3:
                company.append(self._g(MEMBER, "anchorDocument", self._doc()))
        company.append(self._g(MEMBER, "anchorBatch", self._doc(), rng.randrange(1, 300), self._doc()))
        company += [self._relay(account, data) for account, data in relayed]
        self._send(company)
        by_project = {p.project_id: p for p in plan}
        for entry in self._logs(started, self.outcomes, "OutcomeAdded(uint32,uint32,address,uint8,string,bytes32)"):
            outcome_id, project_id = int(entry["topics"][1], 16), int(entry["topics"][2], 16)
            by_project[project_id].outcomes.append((outcome_id, int(entry["data"][2:66], 16)))
        reported = "CommercializationReported(uint32,uint32,address,uint16,(uint96,uint96,uint96,uint32),bytes32)"
        for entry in self._logs(started, self.outcomes, reported):
            by_project[int(entry["topics"][2], 16)].reports.append(int(entry["topics"][1], 16))

        # 3. The auditor approves or rejects each submission and verifies or disputes reports.
        auditor: list[_Tx] = []
        for project in plan:
            for index in range(1, project.milestones + 1):
                if rng.random() < 0.25:
                    project.rejected.append(index)
                    auditor.append(self._g(AUDITOR, "rejectMilestone", project.project_id, index, self._doc()))
                else:
                    review = self._doc() if rng.random() < 0.7 else bytes(32)
                    auditor.append(self._g(AUDITOR, "approveMilestone", project.project_id, index, review))
            for report_id in project.reports:
                verdict = rng.random()
                if verdict < 0.5:
                    auditor.append(self._o(AUDITOR, "verifyReport", report_id, self._doc()))
                elif verdict < 0.65:
                    auditor.append(self._o(AUDITOR, "disputeReport", report_id, self._doc()))
        self._send(auditor)

        # 4. Companies resubmit rejected milestones, follow IP, amend and revoke outcomes, commit figures.
        started = int(self._call("eth_blockNumber"), 16) + 1
        company = []
        rejection = int(ObjectionSubject.MILESTONE_REJECTION)
        for project in plan:
            for index in project.rejected:
                company.append(self._g(project.account, "submitMilestone", project.project_id, index, [self._doc()]))
                if self.random_rules.random() < 0.3:
                    project.objected.append(index)
                    objection = ("fileObjection", rejection, project.project_id, index, self._doc())
                    company.append(self._o(project.account, *objection))
            for outcome_id, kind in project.outcomes:
                choice = rng.random()
                if kind in (OutcomeType.PATENT_APPLICATION, OutcomeType.SOFTWARE) and choice < 0.6:
                    filed = int(IpStatus.FILED)
                    company.append(self._o(project.account, "updateIpStatus", outcome_id, filed, self._doc()))
                elif choice < 0.75:
                    external = f"10-{rng.randrange(10**7):07d}"
                    amended = int(OutcomeType.PATENT_REGISTRATION)
                    details = _details(amended, external)
                    amend = ("amendOutcome", outcome_id, amended, external, details, self._doc(), self._doc())
                    company.append(self._o(project.account, *amend))
                elif choice < 0.82:
                    company.append(self._o(project.account, "revokeOutcome", outcome_id, self._doc()))
            if rng.random() < 0.2:
                figures = (rng.randrange(10**10), rng.randrange(10**10), rng.randrange(10**8), rng.randrange(50))
                salt = keccak(text=f"salt:{project.project_id}")
                types = ["uint32", "uint16", "uint96", "uint96", "uint96", "uint32", "bytes32"]
                commitment = keccak(encode(types, [project.project_id, 2023, *figures, salt]))
                project.committed = (0, figures, salt)
                commit = ("commitCommercialization", project.project_id, 2023, commitment, self._doc())
                company.append(self._o(project.account, *commit))
        self._send(company)
        committed = "CommercializationCommitted(uint32,uint32,address,uint16,bytes32,bytes32)"
        for entry in self._logs(started, self.outcomes, committed):
            project = by_project[int(entry["topics"][2], 16)]
            assert project.committed is not None
            project.committed = (int(entry["topics"][1], 16), project.committed[1], project.committed[2])
        objection_filed = "ObjectionFiled(uint32,uint32,address,uint8,uint32,uint32,bytes32)"
        objections = [int(entry["topics"][1], 16) for entry in self._logs(started, self.outcomes, objection_filed)]

        # 5. The auditor approves resubmissions; companies reveal; the second auditor resolves objections.
        closing: list[_Tx] = []
        for objection_id in objections:
            upheld = self.random_rules.random() < 0.5
            closing.append(self._o(SECOND_AUDITOR, "resolveObjection", objection_id, upheld, self._doc()))
        for project in plan:
            for index in project.rejected:
                closing.append(self._g(AUDITOR, "approveMilestone", project.project_id, index, bytes(32)))
            if project.committed is not None:
                report_id, figures, salt = project.committed
                closing.append(self._o(project.account, "revealCommercialization", report_id, figures, salt))
        self._send(closing)

        # 6. The admin completes some projects, terminates a few and closes the program.
        ends = []
        for project in plan:
            end = rng.random()
            if end < 0.25:
                ends.append(self._g(ADMIN, "completeProject", project.project_id, self._doc()))
            elif end < 0.3:
                ends.append(self._g(ADMIN, "terminateProject", project.project_id, self._doc()))
        self._send([*ends, self._g(ADMIN, "closeProgram", program_id)])

        # 7. Audits, some with clawbacks; those of one company's projects also restrict it. Sanctions
        # are pending until the second auditor confirms them (8).
        started = int(self._call("eth_blockNumber"), 16) + 1
        audits: list[_Tx] = []
        for project in plan:
            if rng.random() < 0.25:
                grade = int(rng.choice(list(Grade)[1:]))
                clawback = amount // 10 if rng.random() < 0.3 else 0
                restrict = now + 3650 * DAY + self._round if project.account == RESTRICTED_ACCOUNT else 0
                result = (grade, self._doc(), clawback, restrict)
                audits.append(self._g(AUDITOR, "recordAudit", project.project_id, result))
                if restrict:
                    self._restricted.add(companies[project.account])
        self._send(audits)

        # 8. The second auditor confirms each sanction, which puts it into effect.
        if not audits:
            return  # nothing was mined, so there are no logs to read
        audit_recorded = "AuditRecorded(uint32,uint32,address,uint8,bytes32,uint96,uint40)"
        confirmations = []
        for entry in self._logs(started, self.grants, audit_recorded):
            clawback, until = int(entry["data"][130:194], 16), int(entry["data"][194:258], 16)
            if clawback or until:
                confirmations.append(self._g(SECOND_AUDITOR, "confirmSanction", int(entry["topics"][1], 16)))
        self._send(confirmations)

    def _churn(self) -> list[_Tx]:
        """Membership changes: a member role and a company binding given and taken back, and in the
        first round a top-admin transfer and a delay change scheduled and cancelled."""
        account = dev_account(CHURN_ACCOUNT).address
        txs = [
            self._g(ADMIN, "grantRole", Role.MEMBER.id, account),
            self._g(ADMIN, "revokeRole", Role.MEMBER.id, account),
            self._g(ADMIN, "bindCompanyAccount", account, company_id(COMPANIES[3]), self._name_for(3)),
            self._g(ADMIN, "unbindCompanyAccount", account),
        ]
        if self._round == 1:
            txs += [
                self._g(ADMIN, "beginDefaultAdminTransfer", dev_account(MEMBER).address),
                self._g(ADMIN, "cancelDefaultAdminTransfer"),
                self._g(ADMIN, "changeDefaultAdminDelay", 7 * DAY),
                self._g(ADMIN, "rollbackDefaultAdminDelay"),
            ]
        return txs

    def forget_nonces(self) -> None:
        """Reads the accounts' nonces from the chain again: needed after the chain was reverted."""
        self._nonces.clear()
        self._relay_nonces.clear()

    def anchor_document(self) -> None:
        """Anchors one new document, in a block of its own (for follow-mode measurements)."""
        self._send([self._g(MEMBER, "anchorDocument", self._doc())])

    def _relay(self, account: int, call: bytes) -> _Tx:
        signer = dev_account(account)
        nonce_data = self.encode_forwarder("nonces", signer.address)
        if account not in self._relay_nonces:
            self._relay_nonces[account] = int.from_bytes(self._view(self.forwarder, nonce_data), "big")
        nonce = self._relay_nonces[account]
        self._relay_nonces[account] = nonce + 1
        now = int(self._call("eth_getBlockByNumber", "latest", False)["timestamp"], 16)
        request = sign_request(
            signer,
            forwarder=self.forwarder,
            chain_id=self.manifest.chain_id,
            target=self.grants,
            data=call,
            nonce=nonce,
            deadline=now + 3600,
        )
        return _Tx(RELAYER, self.forwarder, self.encode_forwarder("execute", request.execute_args()), RELAY_GAS)

    def close(self) -> None:
        self._session.close()
