"""`POST /api/v1/relay`: requests signed elsewhere, sent by the relay's account and recorded in the signer's
name; every refusal says why in the person's language and sends nothing; twenty at once all land, once."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils.crypto import keccak
from fastapi.testclient import TestClient
from web3 import Web3

from registry.api.app import create_app
from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.forwarder import FORWARD_REQUEST_TYPES, SignedRequest, sign_request
from registry.domain.enums import OutcomeType, ProjectStatus
from registry.domain.outcome_details import InvalidOutcomeDetails, check_outcome_details
from tests.api.conftest import IndexedRegistry

RELAYER = dev_account(6)
PATENT = "10-2021-0123456"


@pytest.fixture(scope="module")
def chain(indexed: IndexedRegistry, w3: Web3) -> Iterator[IndexedRegistry]:
    """The package's registry, given back as it was after the module (and the database following it back)."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        yield indexed
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@contextmanager
def relay_api(indexed: IndexedRegistry, **settings: Any) -> Iterator[TestClient]:
    """The API with its relay sending from dev account 6; a fresh one (fresh limits) for each use."""
    chosen = indexed.settings.model_copy(
        update={"relay_dev_key": 6, "relay_requests_per_client": 1000, "relay_requests_per_signer": 100, **settings}
    )
    with TestClient(create_app(chosen), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def api(chain: IndexedRegistry) -> Iterator[TestClient]:
    with relay_api(chain) as client:
        yield client


def clerks(indexed: IndexedRegistry) -> tuple[LocalAccount, int, LocalAccount]:
    """A dev account of a company with an active project, that project, and a dev account of another company."""
    client = indexed.client
    companies = {i: client.company_of(dev_account(i).address) for i in range(3, 10) if i != 6}
    for project_id in range(1, client.counts()["projects"] + 1):
        project = client.project(project_id)
        if project.status != ProjectStatus.ACTIVE:
            continue
        own = [i for i, company in companies.items() if company == project.company_id]
        other = [i for i, company in companies.items() if company is not None and company != project.company_id]
        if own and other:
            return dev_account(own[0]), project_id, dev_account(other[0])
    raise AssertionError("the package's registry has no active project with a clerk among the dev accounts")


def chain_time(indexed: IndexedRegistry) -> int:
    return int(indexed.client.w3.eth.get_block("latest")["timestamp"])


def signed_outcome(
    indexed: IndexedRegistry,
    signer: LocalAccount,
    project_id: int,
    *,
    external_id: str = PATENT,
    nonce: int | None = None,
    deadline: int | None = None,
    target: str | None = None,
) -> SignedRequest:
    """`signer`'s signed request to record a patent application of `project_id`, as a page signs it."""
    client = indexed.client
    call = client.ops.add_outcome(
        project_id, OutcomeType.PATENT_APPLICATION, external_id, keccak(text=external_id)
    ).call
    return sign_request(
        signer,
        forwarder=client.forwarder.address,
        chain_id=client.manifest.chain_id,
        target=target or call.address,
        data=bytes.fromhex(call._encode_transaction_data()[2:]),
        nonce=client.nonce_of(signer.address) if nonce is None else nonce,
        deadline=deadline or chain_time(indexed) + 3600,
    )


def body(request: SignedRequest) -> dict[str, Any]:
    """The JSON a page posts: the ForwardRequest's fields and the signature."""
    return {
        "from": request.signer,
        "to": request.target,
        "value": 0,
        "gas": request.gas,
        "nonce": request.nonce,
        "deadline": request.deadline,
        "data": "0x" + request.data.hex(),
        "signature": "0x" + request.signature.hex(),
    }


def chain_state(indexed: IndexedRegistry, *signers: str) -> tuple[Any, ...]:
    """What a refusal must leave as it was: the block height, the relayer's and the signers' nonces, the outcomes."""
    client = indexed.client
    return (
        client.w3.eth.block_number,
        client.w3.eth.get_transaction_count(RELAYER.address),
        [client.nonce_of(s) for s in signers],
        client.read(client.outcomes.functions.outcomeCount()),
    )


def refused(
    api: TestClient, indexed: IndexedRegistry, request: SignedRequest, status: int, reason: str, english: str,
    korean: str, **more: Any,
) -> None:  # fmt: skip
    """Posts `request` in English and in Korean (the default): refused both times with `reason` and exactly these
    messages, and nothing sent."""
    before = chain_state(indexed, request.signer)
    answers = {
        "en": api.post("/api/v1/relay?lang=en", json=body(request)),
        "ko": api.post("/api/v1/relay", json=body(request)),
    }
    for language, message in (("en", english), ("ko", korean)):
        answer = answers[language]
        assert answer.status_code == status, answer.text
        assert answer.headers["content-language"] == language
        assert answer.json() == {
            "error": {"status": status, "message": message, "reason": reason, "language": language, **more}
        }
    assert chain_state(indexed, request.signer) == before


def signature_mismatch(signer: str) -> tuple[str, str]:
    return (
        f"the signature does not match the request: it was changed after {signer} signed it, or it was not signed "
        "by that account",
        f"서명이 요청과 맞지 않습니다: {signer}이(가) 서명한 뒤에 요청이 바뀌었거나, 그 계정이 서명하지 않았습니다",
    )


# ---- off ----------------------------------------------------------------------------------------------------------


def test_the_relay_is_off_unless_a_relayer_account_is_configured(chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    request = signed_outcome(chain, clerk, project_id)
    before = chain_state(chain, clerk.address)
    with relay_api(chain, relay_dev_key=None) as api:
        answer = api.post("/api/v1/relay", json=body(request), headers={"Accept-Language": "en-GB,en;q=0.9,ko;q=0.5"})
        assert answer.status_code == 503
        assert answer.json()["error"] == {
            "status": 503,
            "message": "the relay is off: no relayer account is configured (RND_RELAY_ACCOUNT; RND_RELAY_DEV_KEY on "
            "the local demo chain)",
            "reason": "relay-off",
            "language": "en",
        }
        korean = api.post("/api/v1/relay", json=body(request)).json()["error"]["message"]
        assert korean == (
            "중계가 꺼져 있습니다: 중계 계정이 설정되지 않았습니다(RND_RELAY_ACCOUNT, 로컬 데모 체인에서는 "
            "RND_RELAY_DEV_KEY)"
        )
        status = api.get("/api/v1/relay/status", params={"lang": "en"}).json()
        assert status["enabled"] is False and status["message"].startswith("the relay is off: no relayer account")
    assert chain_state(chain, clerk.address) == before


def test_a_dev_key_relays_only_on_the_local_demo_chain(chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    with relay_api(chain, anvil_chain_id=1337) as api:
        answer = api.post("/api/v1/relay?lang=en", json=body(signed_outcome(chain, clerk, project_id)))
    assert answer.status_code == 503
    assert answer.json()["error"]["message"] == (
        "the relay is off: RND_RELAY_DEV_KEY is for the local demo chain (chain id 1337) only, and this registry is on "
        f"chain {chain.manifest.chain_id}; configure a keystore account with RND_RELAY_ACCOUNT"
    )


# ---- relayed --------------------------------------------------------------------------------------------------------


def test_a_relayed_outcome_is_recorded_in_the_signers_name_and_served_once_indexed(
    api: TestClient, chain: IndexedRegistry
) -> None:
    clerk, project_id, _ = clerks(chain)
    status = api.get("/api/v1/relay/status", params={"signer": clerk.address}).json()
    assert status["enabled"] is True and status["relayer"] == RELAYER.address
    assert status["domain"] == {
        "name": "RndRegistryForwarder",
        "version": "1",
        "chainId": chain.manifest.chain_id,
        "verifyingContract": chain.client.forwarder.address,
    }
    assert status["types"] == FORWARD_REQUEST_TYPES
    assert status["targets"] == [chain.client.grants.address, chain.client.outcomes.address]
    assert status["chainTime"] == chain_time(chain)  # a deadline is compared with the chain's clock, not the signer's
    request = signed_outcome(chain, clerk, project_id, nonce=status["nextNonce"])
    relayer_nonce = chain.client.w3.eth.get_transaction_count(RELAYER.address)

    answer = api.post("/api/v1/relay", json=body(request))

    assert answer.status_code == 200, answer.text
    relayed = answer.json()
    outcome_id = chain.client.read(chain.client.outcomes.functions.outcomeCount())
    assert relayed["status"] == "recorded"
    assert (relayed["signer"], relayed["relayer"], relayed["nonce"]) == (clerk.address, RELAYER.address, request.nonce)
    assert relayed["record"] == {"kind": "outcome", "url": f"/api/v1/outcomes/{outcome_id}"}
    added = next(e for e in relayed["events"] if e["event"] == "OutcomeAdded")
    assert added["contract"] == "OutcomeRegistry"
    assert added["args"] == {
        "outcomeId": outcome_id,
        "projectId": project_id,
        "submitter": clerk.address,
        "outcomeType": int(OutcomeType.PATENT_APPLICATION),
        "externalId": PATENT,
        "evidenceHash": "0x" + keccak(text=PATENT).hex(),
    }
    executed = next(e for e in relayed["events"] if e["event"] == "ExecutedForwardRequest")
    assert executed["args"] == {"signer": clerk.address, "nonce": str(request.nonce), "success": True}
    transaction = chain.client.w3.eth.get_transaction(relayed["transactionHash"])
    assert transaction["from"] == RELAYER.address and transaction["blockNumber"] == relayed["blockNumber"]
    assert chain.client.w3.eth.get_transaction_count(RELAYER.address) == relayer_nonce + 1
    assert chain.client.nonce_of(clerk.address) == request.nonce + 1

    assert api.get(relayed["record"]["url"]).status_code == 404, "not served before the indexer has it"
    chain.index()
    record = api.get(relayed["record"]["url"]).json()
    assert record["submitter"] == clerk.address and record["externalId"] == PATENT
    assert record["provenance"]["transactionHash"] == relayed["transactionHash"]
    assert record["provenance"]["signer"] == clerk.address


def test_the_file_rnd_registry_sign_writes_is_taken_as_it_is(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    request = signed_outcome(chain, clerk, project_id, external_id="10-2021-0000777")
    file = {
        "format": "rnd-registry-signed-request/1",
        "description": f"record a patent application outcome of project {project_id}",
        "signer": request.signer,
        "chainId": request.chain_id,
        "forwarder": request.forwarder,
        "target": request.target,
        "gas": request.gas,
        "nonce": request.nonce,
        "deadline": request.deadline,
        "deadlineIso": "2030-01-01T00:00:00+00:00",
        "data": "0x" + request.data.hex(),
        "signature": "0x" + request.signature.hex(),
    }
    answer = api.post("/api/v1/relay", json=file)
    assert answer.status_code == 200, answer.text
    assert answer.json()["signer"] == clerk.address


# ---- refusals -------------------------------------------------------------------------------------------------------


def test_a_request_calling_a_contract_not_the_registrys_is_refused(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    foreign = chain.client.forwarder.address  # a contract, but not one a request may call
    refused(
        api, chain, signed_outcome(chain, clerk, project_id, target=foreign), 403, "unknown-target",
        f"this request calls {foreign}, which is not part of this registry",
        f"이 요청은 이 등록부의 계약이 아닌 {foreign}을(를) 호출합니다",
    )  # fmt: skip


def test_an_outcome_whose_identifier_is_not_in_its_types_form_is_refused(
    api: TestClient, chain: IndexedRegistry
) -> None:
    """The contracts take any text as a patent number; the relay checks the type's form as the CLI does."""
    clerk, project_id, _ = clerks(chain)
    problem = check_problem(OutcomeType.PATENT_APPLICATION, "ten twenty-one")
    refused(
        api, chain, signed_outcome(chain, clerk, project_id, external_id="ten twenty-one"), 422, "details-invalid",
        f"the outcome's externalId is not in the form its type records: {problem}; correct it and sign again",
        f"성과의 externalId 값이 그 유형이 기록하는 형식이 아닙니다: {problem}. 고쳐서 다시 서명하세요",
    )  # fmt: skip


def check_problem(outcome_type: OutcomeType, external_id: str) -> str:
    """What the one table of outcome details says is wrong with `external_id`."""
    with pytest.raises(InvalidOutcomeDetails) as refusal:
        check_outcome_details(outcome_type, external_id)
    return str(refusal.value)


def test_a_request_signed_for_another_chain_is_refused(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    request = signed_outcome(chain, clerk, project_id)
    before = chain_state(chain, clerk.address)
    answer = api.post("/api/v1/relay?lang=en", json={**body(request), "chainId": 1})
    assert answer.status_code == 403
    assert answer.json()["error"]["reason"] == "other-registry"
    assert answer.json()["error"]["message"] == (
        f"this request was signed for chain 1 and forwarder {chain.client.forwarder.address}, not this registry "
        f"(chain {chain.manifest.chain_id}, forwarder {chain.client.forwarder.address})"
    )
    assert chain_state(chain, clerk.address) == before


def test_a_request_changed_after_signing_is_refused_as_a_bad_signature(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    signed = signed_outcome(chain, clerk, project_id)
    other = signed_outcome(chain, clerk, project_id, external_id="10-2021-9999999")
    tampered = SignedRequest(**{**signed.__dict__, "data": other.data})
    refused(
        api, chain, tampered, 403, "signature-mismatch",
        *signature_mismatch(clerk.address),
    )  # fmt: skip


def test_a_request_signed_by_someone_else_in_a_clerks_name_is_refused(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    forged = signed_outcome(chain, Account.create(), project_id, nonce=chain.client.nonce_of(clerk.address))
    claimed = SignedRequest(**{**forged.__dict__, "signer": clerk.address})
    refused(
        api, chain, claimed, 403, "signature-mismatch",
        *signature_mismatch(clerk.address),
    )  # fmt: skip


def test_a_replayed_request_is_refused(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    request = signed_outcome(chain, clerk, project_id, external_id="10-2021-0000001")
    assert api.post("/api/v1/relay", json=body(request)).status_code == 200
    refused(
        api, chain, request, 409, "already-used",
        f"this request (nonce {request.nonce} of {clerk.address}) was already relayed, or another request with the "
        "same nonce was; ask the signer for a new one",
        f"이 요청({clerk.address}의 순번 {request.nonce})은 이미 전달되었거나, 같은 순번의 다른 요청이 전달되었습니다. "
        "서명한 사람에게 새 요청을 받으세요",
    )  # fmt: skip


def test_a_request_ahead_of_the_signers_next_nonce_is_refused(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    following = chain.client.nonce_of(clerk.address) + 1
    refused(
        api, chain, signed_outcome(chain, clerk, project_id, nonce=following), 409, "out-of-order",
        f"this request has nonce {following}, but {clerk.address}'s next request is nonce {following - 1}; relay the "
        "signer's earlier request first",
        f"이 요청의 순번은 {following}인데 {clerk.address}의 다음 요청 순번은 {following - 1}입니다. 서명한 "
        "사람의 앞선 요청을 먼저 전달하세요",
    )  # fmt: skip


def test_an_expired_request_is_refused(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    deadline = chain_time(chain)
    shown = f"{datetime.fromtimestamp(deadline, UTC):%Y-%m-%d %H:%M:%S}"
    refused(
        api, chain, signed_outcome(chain, clerk, project_id, deadline=deadline), 403, "expired",
        f"the signed request expired at {shown} UTC (chain time); ask the signer to sign it again",
        f"서명된 요청의 유효 기한이 {shown} UTC(체인 시각)에 지났습니다. 서명한 사람에게 다시 서명해 달라고 하세요",
    )  # fmt: skip


def test_a_call_the_registry_refuses_is_refused_with_the_registrys_reason(
    api: TestClient, chain: IndexedRegistry
) -> None:
    _, project_id, other_company = clerks(chain)
    account = other_company.address
    refused(
        api, chain, signed_outcome(chain, other_company, project_id), 409, "registry-refused",
        f"{account} does not act for the company of project {project_id} "
        f"[ProjectUnauthorizedCompany(projectId={project_id}, account={account})]",
        f"{account} 계정은 {project_id}번 과제를 수행하는 기업의 계정이 아닙니다 "
        f"[ProjectUnauthorizedCompany(projectId={project_id}, account={account})]",
        registryError={"name": "ProjectUnauthorizedCompany", "args": {"projectId": project_id, "account": account}},
    )  # fmt: skip


def test_a_signer_over_the_limit_is_refused_until_it_refills(chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    with relay_api(chain, relay_requests_per_signer=2) as api:
        for n in range(2):
            request = signed_outcome(chain, clerk, project_id, external_id=f"10-2021-100000{n}")
            assert api.post("/api/v1/relay", json=body(request)).status_code == 200
        third = signed_outcome(chain, clerk, project_id, external_id="10-2021-1000002")
        before = chain_state(chain, clerk.address)
        answer = api.post("/api/v1/relay?lang=en", json=body(third))
        assert chain_state(chain, clerk.address) == before
    assert answer.status_code == 429
    wait = int(answer.headers["retry-after"])
    assert 1 <= wait <= 30  # a token every 30 s at 2 a minute
    assert answer.json()["error"] == {
        "status": 429,
        "message": f"too many requests signed by {clerk.address}: the relay sends 2 a minute for one signer; try again "
        f"in {wait} s",
        "reason": "rate-limited",
        "language": "en",
    }


def test_a_client_address_over_the_limit_is_refused_whatever_it_sends(chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    expired = signed_outcome(chain, clerk, project_id, deadline=chain_time(chain))  # refused, but counted all the same
    with relay_api(chain, relay_requests_per_client=3) as api:
        reasons = [api.post("/api/v1/relay", json=body(expired)).json()["error"]["reason"] for _ in range(3)]
        before = chain_state(chain, clerk.address)
        answer = api.post("/api/v1/relay", json=body(signed_outcome(chain, clerk, project_id)))
        assert chain_state(chain, clerk.address) == before
    assert reasons == ["expired"] * 3
    assert answer.status_code == 429
    wait = int(answer.headers["retry-after"])
    assert answer.json()["error"]["message"] == (
        "testclient에서 요청이 너무 많습니다. 중계는 클라이언트 주소 하나에서 1분에 3건까지 받습니다. "
        f"{wait}초 뒤에 다시 보내세요"
    )


def test_the_language_follows_the_lang_cookie_then_accept_language(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, _ = clerks(chain)
    expired = body(signed_outcome(chain, clerk, project_id, deadline=chain_time(chain)))

    def language(**headers: str) -> str:
        found: str = api.post("/api/v1/relay", json=expired, headers=headers).json()["error"]["language"]
        return found

    assert language() == "ko"
    assert language(**{"Accept-Language": "en-US,en;q=0.9"}) == "en"
    assert language(**{"Accept-Language": "fr-FR, en;q=0.4, ko;q=0.8"}) == "ko"
    assert language(**{"Accept-Language": "de"}) == "ko"
    assert language(**{"Cookie": "lang=en", "Accept-Language": "ko"}) == "en"
    answer = api.post("/api/v1/relay?lang=ko", json=expired, headers={"Cookie": "lang=en"})
    assert answer.json()["error"]["language"] == "ko"


# ---- at once --------------------------------------------------------------------------------------------------------


def test_twenty_requests_relayed_at_once_all_land_and_none_twice(api: TestClient, chain: IndexedRegistry) -> None:
    """Twenty clerks of one company, each with a fresh account (no ether: the relay pays), submit at once,
    and every request is sent twice: twenty land, once each, and the duplicates are refused."""
    _, project_id, _ = clerks(chain)
    company = chain.client.project(project_id).company_id
    admin = RegistryClient(chain.client.w3, chain.manifest, account=dev_account(0))
    signers: list[LocalAccount] = [Account.create() for _ in range(20)]
    for signer in signers:
        admin.execute(admin.ops.bind_company_account(signer.address, company))
    requests = [
        signed_outcome(chain, signer, project_id, external_id=f"10-2021-20000{n:02d}")
        for n, signer in enumerate(signers)
    ]
    posts = requests * 2
    random.Random(15).shuffle(posts)
    first_block = chain.client.w3.eth.block_number + 1
    relayer_nonce = chain.client.w3.eth.get_transaction_count(RELAYER.address)
    start = threading.Barrier(len(posts))

    def post(request: SignedRequest) -> tuple[int, dict[str, Any]]:
        start.wait()
        answer = api.post("/api/v1/relay?lang=en", json=body(request))
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        answers = list(pool.map(post, posts))

    assert Counter(status for status, _ in answers) == {200: 20, 409: 20}, [a for s, a in answers if s != 200]
    landed = [relayed for status, relayed in answers if status == 200]
    assert sorted(r["signer"] for r in landed) == sorted(s.address for s in signers)
    assert len({r["transactionHash"] for r in landed}) == 20
    assert {a["error"]["reason"] for status, a in answers if status == 409} == {"already-used"}
    assert chain.client.w3.eth.get_transaction_count(RELAYER.address) == relayer_nonce + 20, "nothing sent to fail"
    assert [chain.client.nonce_of(s.address) for s in signers] == [1] * 20
    events = chain.client.outcomes.events.OutcomeAdded().get_logs(from_block=first_block)
    assert sorted(e["args"]["submitter"] for e in events) == sorted(s.address for s in signers)
    assert sorted(e["args"]["externalId"] for e in events) == [f"10-2021-20000{n:02d}" for n in range(20)]


# ---- check, sending nothing -----------------------------------------------------------------------------------------


def test_a_check_of_a_request_the_relay_would_send_says_so_and_sends_nothing(
    api: TestClient, chain: IndexedRegistry
) -> None:
    clerk, project_id, _ = clerks(chain)
    request = signed_outcome(chain, clerk, project_id, external_id="10-2021-0000077")
    before = chain_state(chain, clerk.address)
    answer = api.post("/api/v1/relay/check", json=body(request))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "would-record", "signer": clerk.address, "nonce": request.nonce}
    assert chain_state(chain, clerk.address) == before
    # The nonce is still unused: the same request is then relayed.
    assert api.post("/api/v1/relay", json=body(request)).status_code == 200


def test_a_check_refuses_what_the_relay_refuses_with_the_same_reason(api: TestClient, chain: IndexedRegistry) -> None:
    clerk, project_id, other_company = clerks(chain)
    cases = [
        (signed_outcome(chain, other_company, project_id), 409, "registry-refused"),
        (signed_outcome(chain, clerk, project_id, deadline=chain_time(chain)), 403, "expired"),
        (signed_outcome(chain, clerk, project_id, nonce=chain.client.nonce_of(clerk.address) + 1), 409, "out-of-order"),
    ]
    for request, status, reason in cases:
        before = chain_state(chain, request.signer)
        checked = api.post("/api/v1/relay/check?lang=en", json=body(request))
        sent = api.post("/api/v1/relay?lang=en", json=body(request))
        assert (checked.status_code, checked.json()["error"]["reason"]) == (status, reason), checked.text
        assert checked.json() == sent.json()
        assert chain_state(chain, request.signer) == before
