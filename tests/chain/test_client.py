"""The typed registry client: opening it (chain, manifest and code checks), decoded reads, writes
that return their record, typed refusals, retries over a flaky network, and a consortium chain
without fees whose blocks carry proof-of-authority extra data.

Writes go to the session chain inside the `registry` fixture, which reverts them after each test.
A flaky network is a small HTTP proxy in front of the session anvil that loses requests on purpose.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import ExtraDataLengthError
from web3.middleware import ExtraDataToPOAMiddleware

from registry.chain.anvil import AnvilProcess, free_port, start_anvil
from registry.chain.client import LOGS_RANGE, Operation, RegistryClient
from registry.chain.compiler import Artifact
from registry.chain.connection import connect
from registry.chain.deployment import FORWARDER, GRANT_REGISTRY, DeploymentManifest, deploy_registry
from registry.chain.devkeys import dev_account
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.enums import MilestoneStatus, ProgramStatus, ProjectStatus
from registry.domain.records import Program, ProgramTerms, ProjectTerms
from registry.domain.roles import Role
from registry.errors import (
    ChainUnreachable,
    CodeMismatch,
    ContractRevert,
    DeploymentMissing,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    NetworkMismatch,
    RecordNotFound,
    TransactionRejected,
    Unauthorized,
)
from registry.settings import PROJECT_ROOT, Settings
from tests.helpers import flaky_proxy
from tests.helpers.registry import BUDGET, CAP, COMPANY_A, COMPANY_A_NAME, DAY, Actors, RegistryHarness, doc

SESSION_CHAIN_ID = 31337
OTHER_CHAIN_ID = 4242


def make_settings(tmp_path: Path, rpc_url: str, **overrides: Any) -> Settings:
    """Settings of one client run; explicit values, so no RND_* variable of the shell leaks in."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "rpc_url": rpc_url,
        "chain_id": None,
        "rpc_timeout": 5.0,
        "rpc_retries": 2,
        "gas_price": None,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
def settings(anvil: AnvilProcess, tmp_path: Path) -> Settings:
    return make_settings(tmp_path, anvil.rpc_url)


@pytest.fixture
def admin(registry: RegistryHarness, settings: Settings, manifest: DeploymentManifest) -> RegistryClient:
    """A client of the city admin (an anvil-unlocked account) on the session registry."""
    return RegistryClient.open(settings, account=registry.actors.admin, manifest=manifest)


def program_terms(*, budget: int = BUDGET, cap: int = CAP, name: str = "Smart-city R&D 2024") -> ProgramTerms:
    return ProgramTerms(
        name=name,
        year=2024,
        budget=budget,
        per_project_cap=cap,
        field="blockchain",
        metadata_hash=doc(f"program:{name}"),
        metadata_uri="https://example.org/programs/smart-city-2024",
    )


def project_terms(client: RegistryClient, program_id: int, *, amount: int = CAP) -> ProjectTerms:
    start = datetime.fromtimestamp(client.w3.eth.get_block("latest")["timestamp"], UTC)
    return ProjectTerms(
        program_id=program_id,
        company_id=COMPANY_A,
        amount=amount,
        start_date=start,
        end_date=start + timedelta(days=300),
        plan_hash=doc(f"plan:{program_id}"),
    )


def due_date(client: RegistryClient) -> int:
    return int(client.w3.eth.get_block("latest")["timestamp"]) + 30 * DAY


# opening ---------------------------------------------------------------------------------------


def test_open_reads_the_manifest_of_the_settings_and_checks_the_registry(
    registry: RegistryHarness, settings: Settings, manifest: DeploymentManifest
) -> None:
    manifest.write(settings.manifest_path)

    client = RegistryClient.open(settings)

    assert client.manifest == manifest
    assert client.grants.address == manifest.address(GRANT_REGISTRY)
    assert client.w3.eth.chain_id == SESSION_CHAIN_ID
    assert client.counts() == {"programs": 0, "projects": 0, "audits": 0, "outcomes": 0, "reports": 0, "objections": 0}


def test_open_where_nothing_listens_raises_chain_unreachable_naming_the_url_and_the_remedy(
    tmp_path: Path, manifest: DeploymentManifest
) -> None:
    url = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(ChainUnreachable) as caught:
        RegistryClient.open(make_settings(tmp_path, url, rpc_retries=1), manifest=manifest)

    assert caught.value.rpc_url == url
    assert url in str(caught.value)
    assert "rnd-registry chain up" in str(caught.value)


def test_open_against_a_manifest_of_another_chain_raises_network_mismatch(
    settings: Settings, manifest: DeploymentManifest
) -> None:
    elsewhere = manifest.model_copy(update={"chain_id": OTHER_CHAIN_ID})

    with pytest.raises(NetworkMismatch) as caught:
        RegistryClient.open(settings, manifest=elsewhere)

    assert (caught.value.expected, caught.value.actual) == (OTHER_CHAIN_ID, SESSION_CHAIN_ID)


def test_open_with_a_configured_chain_id_other_than_the_endpoints_raises_network_mismatch(
    settings: Settings, manifest: DeploymentManifest
) -> None:
    pinned = settings.model_copy(update={"chain_id": OTHER_CHAIN_ID})

    with pytest.raises(NetworkMismatch) as caught:
        RegistryClient.open(pinned, manifest=manifest)

    assert (caught.value.expected, caught.value.actual) == (OTHER_CHAIN_ID, SESSION_CHAIN_ID)


def test_open_without_a_manifest_raises_deployment_missing(settings: Settings) -> None:
    with pytest.raises(DeploymentMissing) as caught:
        RegistryClient.open(settings)

    assert caught.value.path == str(settings.manifest_path)


def test_open_when_the_manifest_points_at_other_code_raises_code_mismatch(
    settings: Settings, manifest: DeploymentManifest
) -> None:
    forwarder = manifest.contracts[FORWARDER].address
    contracts = {**manifest.contracts, GRANT_REGISTRY: manifest.contracts[GRANT_REGISTRY].model_copy(
        update={"address": forwarder})}  # fmt: skip
    edited = manifest.model_copy(update={"contracts": contracts})

    with pytest.raises(CodeMismatch) as caught:
        RegistryClient.open(settings, manifest=edited)

    assert (caught.value.contract, caught.value.address) == (GRANT_REGISTRY, forwarder)


# reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "error", "args", "explanation"),
    [
        (lambda c: c.program(999), "ProgramNotFound", {"programId": 999}, "there is no program 999"),
        (lambda c: c.project(999), "ProjectNotFound", {"projectId": 999}, "there is no project 999"),
        (lambda c: c.outcome(999), "OutcomeNotFound", {"outcomeId": 999}, "there is no outcome 999"),
        (lambda c: c.audit(999), "AuditNotFound", {"auditId": 999}, "there is no audit 999"),
        (
            lambda c: c.report(999),
            "CommercializationReportNotFound",
            {"reportId": 999},
            "there is no commercialization report 999",
        ),
    ],
    ids=["program", "project", "outcome", "audit", "report"],
)
def test_reading_a_record_that_does_not_exist_raises_record_not_found_with_the_error_and_args(
    settings: Settings,
    manifest: DeploymentManifest,
    read: Callable[[RegistryClient], Any],
    error: str,
    args: dict[str, Any],
    explanation: str,
) -> None:
    client = RegistryClient.open(settings, manifest=manifest)

    with pytest.raises(RecordNotFound) as caught:
        read(client)

    assert (caught.value.error, caught.value.args_by_name) == (error, args)
    assert caught.value.explanation == explanation
    assert str(caught.value) == f"{explanation} [{error}({', '.join(f'{k}={v}' for k, v in args.items())})]"


# writing ---------------------------------------------------------------------------------------


def test_execute_returns_the_written_record_with_its_transaction_and_block(
    admin: RegistryClient, actors: Actors
) -> None:
    terms = program_terms()

    written = admin.execute(admin.ops.create_program(terms))

    assert written.record == Program(
        program_id=1, name=terms.name, year=2024, budget=BUDGET, per_project_cap=CAP, granted=0, project_count=0,
        status=ProgramStatus.OPEN, field="blockchain", metadata_hash=doc(f"program:{terms.name}"),
        metadata_uri="https://example.org/programs/smart-city-2024",
    )  # fmt: skip
    assert written.transaction_hash.startswith("0x") and len(written.transaction_hash) == 66
    receipt = admin.w3.eth.get_transaction_receipt(written.transaction_hash)  # type: ignore[arg-type]
    assert receipt["blockNumber"] == written.block_number == admin.w3.eth.block_number
    assert written.sender == actors.admin
    assert written.provenance() == {
        "transactionHash": written.transaction_hash,
        "blockNumber": written.block_number,
        "sender": actors.admin,
    }
    assert admin.program(1) == written.record


def _count_nonce_questions(client: RegistryClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    node_count = client.w3.eth.get_transaction_count

    def counting(*args: Any, **kwargs: Any) -> int:
        asked.append(args[1] if len(args) > 1 else "latest")
        return node_count(*args, **kwargs)

    monkeypatch.setattr(client.w3.eth, "get_transaction_count", counting)
    return asked


def test_several_writes_in_a_row_each_take_the_nodes_pending_nonce_in_their_turn(
    admin: RegistryClient, actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_nonce = admin.w3.eth.get_transaction_count(actors.admin)
    asked = _count_nonce_questions(admin, monkeypatch)

    written = [admin.execute(admin.ops.create_program(program_terms(name=f"Program {n}"))) for n in range(1, 6)]

    # Another process of the installation may have sent between two writes: each asks the node in its turn.
    assert asked == ["pending"] * 5
    assert [w.record.program_id for w in written] == [1, 2, 3, 4, 5]
    nonces = [admin.w3.eth.get_transaction(w.transaction_hash)["nonce"] for w in written]  # type: ignore[arg-type]
    assert nonces == list(range(first_nonce, first_nonce + 5))
    assert [admin.program(n).name for n in range(1, 6)] == [f"Program {n}" for n in range(1, 6)]


def test_a_client_without_a_lock_folder_counts_its_nonces_itself(
    admin: RegistryClient, manifest: DeploymentManifest, actors: Actors, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a load generator sends: one process, many writes, the node asked once."""
    alone = RegistryClient(admin.w3, manifest, account=actors.admin)
    asked = _count_nonce_questions(alone, monkeypatch)
    written = [alone.execute(alone.ops.create_program(program_terms(name=f"Program {n}"))) for n in range(1, 4)]
    assert asked == ["pending"]
    assert [w.record.program_id for w in written] == [1, 2, 3]


def test_a_client_without_a_lock_folder_resynchronises_after_another_sender(
    admin: RegistryClient, manifest: DeploymentManifest, registry: RegistryHarness, actors: Actors
) -> None:
    alone = RegistryClient(admin.w3, manifest, account=actors.admin)
    alone.execute(alone.ops.create_program(program_terms(name="First")))
    registry.create_program(name="Elsewhere")  # the next nonce, taken behind its back
    with pytest.raises(TransactionRejected, match=r"(?i)nonce"):
        alone.execute(alone.ops.create_program(program_terms(name="Stale")))
    assert alone.execute(alone.ops.create_program(program_terms(name="Resynchronised"))).record.program_id == 3


def test_a_write_after_another_sender_used_the_account_lands(
    admin: RegistryClient, registry: RegistryHarness, actors: Actors
) -> None:
    admin.execute(admin.ops.create_program(program_terms(name="First")))
    # Another program of the same person takes the next nonce behind this client's back.
    registry.create_program(name="Elsewhere")

    written = admin.execute(admin.ops.create_program(program_terms(name="Next")))

    assert written.record.program_id == 3
    assert admin.counts()["programs"] == 3


@dataclass(frozen=True)
class Refusal:
    """A write the registry refuses, and exactly how it must say so."""

    kind: type[ContractRevert]
    error: str
    args: dict[str, Any]
    explanation: str


def over_budget(admin: RegistryClient, actors: Actors) -> tuple[RegistryClient, Operation[Any], Refusal]:
    program_id = admin.execute(admin.ops.create_program(program_terms(budget=150_000_000))).record.program_id
    admin.execute(admin.ops.register_project(project_terms(admin, program_id)))
    return admin, admin.ops.register_project(project_terms(admin, program_id)), Refusal(
        LimitExceeded, "ProgramBudgetExceeded", {"programId": 1, "remaining": 50_000_000, "amount": CAP},
        "program 1 has ₩50,000,000 left of its budget; ₩100,000,000 was asked",
    )  # fmt: skip


def by_an_outsider(admin: RegistryClient, actors: Actors) -> tuple[RegistryClient, Operation[Any], Refusal]:
    outsider = RegistryClient(admin.w3, admin.manifest, account=actors.outsider)
    return outsider, outsider.ops.create_program(program_terms()), Refusal(
        Unauthorized, "AccessControlUnauthorizedAccount", {"account": actors.outsider, "neededRole": Role.ADMIN.id},
        f"{actors.outsider} does not hold the admin role",
    )  # fmt: skip


def into_a_closed_program(admin: RegistryClient, actors: Actors) -> tuple[RegistryClient, Operation[Any], Refusal]:
    program_id = admin.execute(admin.ops.create_program(program_terms())).record.program_id
    admin.execute(admin.ops.close_program(program_id))
    return admin, admin.ops.register_project(project_terms(admin, program_id)), Refusal(
        InvalidState, "ProgramNotOpen", {"programId": 1}, "program 1 is closed",
    )  # fmt: skip


def into_a_missing_program(admin: RegistryClient, actors: Actors) -> tuple[RegistryClient, Operation[Any], Refusal]:
    return admin, admin.ops.register_project(project_terms(admin, 7)), Refusal(
        RecordNotFound, "ProgramNotFound", {"programId": 7}, "there is no program 7",
    )  # fmt: skip


def without_evidence(admin: RegistryClient, actors: Actors) -> tuple[RegistryClient, Operation[Any], Refusal]:
    program_id = admin.execute(admin.ops.create_program(program_terms())).record.program_id
    project_id = admin.execute(admin.ops.register_project(project_terms(admin, program_id))).record.project_id
    index = admin.execute(admin.ops.plan_milestone(project_id, due_date(admin), CAP // 4)).record.milestone_index
    company = RegistryClient(admin.w3, admin.manifest, account=actors.company_a)
    return company, company.ops.submit_milestone(project_id, index, []), Refusal(
        InvalidInput, "EvidenceMissing", {}, "at least one evidence document is required",
    )  # fmt: skip


@pytest.mark.parametrize(
    "refused",
    [over_budget, by_an_outsider, into_a_closed_program, into_a_missing_program, without_evidence],
    ids=["limit-exceeded", "unauthorized", "invalid-state", "record-not-found", "invalid-input"],
)
def test_a_refused_write_raises_the_typed_error_with_a_readable_explanation_and_mines_nothing(
    admin: RegistryClient,
    actors: Actors,
    refused: Callable[[RegistryClient, Actors], tuple[RegistryClient, Operation[Any], Refusal]],
) -> None:
    client, operation, expected = refused(admin, actors)
    block, counts = admin.w3.eth.block_number, admin.counts()

    with pytest.raises(ContractRevert) as caught:
        client.execute(operation)

    assert type(caught.value) is expected.kind
    assert (caught.value.error, caught.value.args_by_name) == (expected.error, expected.args)
    assert caught.value.explanation == expected.explanation
    assert str(caught.value).startswith(expected.explanation + " [" + expected.error + "(")
    assert admin.w3.eth.block_number == block
    assert admin.counts() == counts
    # The refusal left the account's nonce usable: its next write lands.
    if client.account == actors.admin:
        assert client.execute(client.ops.anchor_document(doc("after a refusal"))).record.anchored


# a flaky network -------------------------------------------------------------------------------


@dataclass
class FlakyProxy:
    """A JSON-RPC proxy on loopback in front of `upstream` that loses requests as a bad network does.

    For the n-th request (counted from 0) with JSON-RPC method m: `drop_request(n, m)` closes the
    connection before forwarding anything; `drop_answer(n, m)` forwards it, then closes the
    connection without answering (the node acted, the caller never hears). `hang` never answers.
    `rewrite(method, result)` alters answers on their way back.
    """

    upstream: str
    drop_request: Callable[[int, str], bool] = lambda n, method: False
    drop_answer: Callable[[int, str], bool] = lambda n, method: False
    hang: bool = False
    rewrite: Callable[[str, Any], Any] | None = None
    seen: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                method = str(json.loads(body).get("method", ""))
                with proxy._lock:
                    n = len(proxy.seen)
                    proxy.seen.append(method)
                if proxy.hang:
                    proxy._release.wait(timeout=60)
                    self.close_connection = True
                    return
                if proxy.drop_request(n, method):
                    proxy.dropped.append(method)
                    self.close_connection = True
                    return
                request = urllib.request.Request(
                    proxy.upstream, data=body, headers={"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    answer = response.read()
                if proxy.drop_answer(n, method):
                    proxy.dropped.append(method)
                    self.close_connection = True
                    return
                if proxy.rewrite is not None:
                    reply = json.loads(answer)
                    if "result" in reply:
                        reply["result"] = proxy.rewrite(method, reply["result"])
                    answer = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FlakyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def test_reads_and_a_write_succeed_through_a_proxy_that_drops_the_first_requests(
    registry: RegistryHarness, anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    with FlakyProxy(anvil.rpc_url, drop_request=lambda n, method: n < 3) as proxy:
        settings = make_settings(tmp_path, proxy.url, rpc_retries=3)
        client = RegistryClient.open(settings, account=dev_account(0), manifest=manifest)

        written = client.execute(client.ops.create_program(program_terms()))

        assert client.program(written.record.program_id) == written.record
    assert proxy.dropped == ["eth_chainId"] * 3  # opening needed four attempts; three retries allowed
    assert proxy.seen[:4] == ["eth_chainId"] * 4


def test_reads_and_writes_succeed_through_a_proxy_that_drops_every_third_request(
    registry: RegistryHarness, anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    with FlakyProxy(anvil.rpc_url, drop_request=lambda n, method: n % 3 == 2) as proxy:
        settings = make_settings(tmp_path, proxy.url, rpc_retries=2)
        client = RegistryClient.open(settings, account=dev_account(0), manifest=manifest)

        programs = [client.execute(client.ops.create_program(program_terms(name=f"P{n}"))) for n in range(2)]
        project = client.execute(client.ops.register_project(project_terms(client, programs[0].record.program_id)))

        assert [p.record.program_id for p in programs] == [1, 2]
        assert client.project(project.record.project_id).status == ProjectStatus.ACTIVE
    assert len(proxy.dropped) >= 5
    assert {"eth_sendRawTransaction", "eth_estimateGas", "eth_call"} <= set(proxy.dropped) | set(proxy.seen)
    assert registry.grants.functions.programCount().call() == 2
    assert registry.grants.functions.projectCount().call() == 1


def test_a_write_whose_answer_is_lost_is_recorded_once_and_reported_as_written(
    registry: RegistryHarness, anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    lost = {"eth_sendRawTransaction": 1}

    def lose_first_send(n: int, method: str) -> bool:
        if lost.get(method, 0) > 0:
            lost[method] -= 1
            return True
        return False

    with FlakyProxy(anvil.rpc_url, drop_answer=lose_first_send) as proxy:
        client = RegistryClient.open(make_settings(tmp_path, proxy.url), account=dev_account(0), manifest=manifest)

        written = client.execute(client.ops.create_program(program_terms()))

    assert proxy.dropped == ["eth_sendRawTransaction"]
    assert written.record.program_id == 1
    assert registry.grants.functions.programCount().call() == 1


def test_opening_through_a_proxy_that_never_answers_gives_chain_unreachable_in_bounded_time(
    anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    with FlakyProxy(anvil.rpc_url, hang=True) as proxy:
        settings = make_settings(tmp_path, proxy.url, rpc_timeout=0.3, rpc_retries=2)
        started = time.monotonic()

        with pytest.raises(ChainUnreachable) as caught:
            RegistryClient.open(settings, manifest=manifest)

        elapsed = time.monotonic() - started
    assert caught.value.rpc_url == proxy.url
    assert "Timeout" in caught.value.reason
    assert proxy.seen == ["eth_chainId"] * 3  # the first attempt and two retries, then it gives up
    # Three attempts of 0.3 s and backoffs of 0.25 s and 0.5 s: a hang is cut short, not waited out.
    assert elapsed < 10


def test_no_retries_means_one_attempt_which_still_connects(
    registry: RegistryHarness, anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    with FlakyProxy(anvil.rpc_url, drop_request=lambda n, method: n == 0) as proxy:
        settings = make_settings(tmp_path, proxy.url, rpc_retries=0)

        with pytest.raises(ChainUnreachable):
            RegistryClient.open(settings, manifest=manifest)
        client = RegistryClient.open(settings, manifest=manifest)

        assert client.counts()["programs"] == 0
    assert proxy.dropped == ["eth_chainId"]


# a consortium chain ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Consortium:
    """A fee-less chain (gas price and base fee zero) with the registry deployed on it."""

    node: AnvilProcess
    manifest: DeploymentManifest


@pytest.fixture(scope="module")
def consortium(artifacts: dict[str, Artifact], decoder: RevertDecoder) -> Iterator[Consortium]:
    node = start_anvil(
        PROJECT_ROOT, chain_id=OTHER_CHAIN_ID, extra_args=["--gas-price", "0", "--base-fee", "0", "--no-priority-fee"]
    )
    try:
        w3 = connect(node.rpc_url)
        sender = TransactionSender(w3, dev_account(0), decoder, gas_price=0)
        yield Consortium(node, deploy_registry(w3, sender, artifacts, admin_transfer_delay=DAY))
    finally:
        node.stop()


def test_a_company_account_without_any_ether_submits_a_milestone_on_a_fee_less_chain(
    consortium: Consortium, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, consortium.node.rpc_url, gas_price=0)
    office = RegistryClient.open(settings, account=dev_account(0), manifest=consortium.manifest)
    company: LocalAccount = Account.create()
    office.execute(office.ops.bind_company_account(company.address, COMPANY_A, COMPANY_A_NAME))
    program_id = office.execute(office.ops.create_program(program_terms())).record.program_id
    project_id = office.execute(office.ops.register_project(project_terms(office, program_id))).record.project_id
    index = office.execute(office.ops.plan_milestone(project_id, due_date(office), CAP // 4)).record.milestone_index
    assert office.w3.eth.get_balance(company.address) == 0

    client = RegistryClient.open(settings, account=company, manifest=consortium.manifest)
    written = client.execute(client.ops.submit_milestone(project_id, index, [doc("prototype test report")]))

    assert written.record.status == MilestoneStatus.SUBMITTED
    assert written.sender == company.address
    receipt = client.w3.eth.get_transaction_receipt(written.transaction_hash)  # type: ignore[arg-type]
    assert receipt["from"] == company.address
    assert receipt["effectiveGasPrice"] == 0
    assert client.w3.eth.get_balance(company.address) == 0


def test_without_a_zero_gas_price_setting_an_account_without_ether_cannot_pay_even_on_a_fee_less_chain(
    consortium: Consortium, tmp_path: Path
) -> None:
    # The node suggests a priority fee of its own; Settings(gas_price=0) is what makes writes free.
    office = RegistryClient.open(
        make_settings(tmp_path, consortium.node.rpc_url, gas_price=0), account=dev_account(0),
        manifest=consortium.manifest,
    )  # fmt: skip
    member: LocalAccount = Account.create()
    office.execute(office.ops.grant_role(Role.MEMBER, member.address))
    client = RegistryClient.open(make_settings(tmp_path, consortium.node.rpc_url), account=member,
                                 manifest=consortium.manifest)  # fmt: skip

    with pytest.raises(TransactionRejected, match=r"(?i)insufficient funds"):
        client.execute(client.ops.anchor_document(doc("minutes")))


def test_the_connection_reads_proof_of_authority_blocks(
    registry: RegistryHarness, anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    # A Clique/IBFT/QBFT header carries 32 bytes of vanity and a 65-byte seal in extraData.
    extra = bytes(range(97))

    def as_poa(method: str, result: Any) -> Any:
        if method.startswith("eth_getBlockBy") and isinstance(result, dict):
            return {**result, "extraData": "0x" + extra.hex()}
        return result

    with FlakyProxy(anvil.rpc_url, rewrite=as_poa) as proxy:
        client = RegistryClient.open(make_settings(tmp_path, proxy.url), account=dev_account(0), manifest=manifest)
        assert ExtraDataToPOAMiddleware in client.w3.middleware_onion

        written = client.execute(client.ops.create_program(program_terms()))
        block = client.w3.eth.get_block(written.block_number)

        assert bytes(block["proofOfAuthorityData"]) == extra
        assert written.record.status == ProgramStatus.OPEN
        with pytest.raises(ExtraDataLengthError):  # what a connection without the middleware makes of it
            Web3(Web3.HTTPProvider(proxy.url)).eth.get_block("latest")


def test_history_is_read_in_ranges_the_node_accepts_when_it_limits_eth_getlogs(
    registry: RegistryHarness, anvil: AnvilProcess, manifest: DeploymentManifest, tmp_path: Path
) -> None:
    # Besu answers at most 5,000 blocks per eth_getLogs by default; this node, 100 (mining tens of
    # thousands of blocks would take the test too long): the client starts at LOGS_RANGE and halves.
    office = RegistryClient(registry.w3, manifest, account=dev_account(0))
    newcomer: LocalAccount = Account.create()
    office.execute(office.ops.grant_role(Role.MEMBER, newcomer.address))
    registry.w3.provider.make_request("anvil_mine", [hex(150)])  # type: ignore[arg-type]
    office.execute(office.ops.revoke_role(Role.MEMBER, newcomer.address))
    registry.w3.provider.make_request("anvil_mine", [hex(150)])  # type: ignore[arg-type]
    office.execute(office.ops.grant_role(Role.MEMBER, newcomer.address))
    names = ["RoleGranted", "RoleRevoked"]
    direct = office.history(office.grants, names)

    with flaky_proxy.FlakyProxy(anvil.rpc_url, faults={}, max_range=100) as proxy:
        limited = RegistryClient.open(make_settings(tmp_path, proxy.url), manifest=manifest)
        assert limited.history(limited.grants, names) == direct
    refused_spans = [LOGS_RANGE // 2**n for n in range(8) if LOGS_RANGE // 2**n > 100]  # 5000 ... 156
    # Per event: the whole history once, then each span too long once; then 78 blocks at a time.
    assert proxy.counts["too-wide"] == len(names) * (1 + len(refused_spans))

    mine = [(e["event"], e["account"]) for e in direct if e["account"] == newcomer.address]
    assert mine == [("RoleGranted", newcomer.address), ("RoleRevoked", newcomer.address),
                    ("RoleGranted", newcomer.address)]  # fmt: skip
    assert direct[-1]["blockNumber"] - direct[0]["blockNumber"] > 300
