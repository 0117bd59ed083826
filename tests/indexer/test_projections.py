"""Projections change the record tables as the contracts change their storage, including the cases a
load of fresh documents never meets: a document cited again, twice in one event, by a clawback; a
name that is not text; an event about a record the database lacks; a second writer."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_utils.crypto import keccak
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.domain.enums import AnchorKind, MilestoneStatus
from registry.indexer.catalogue import DecodedEvent
from registry.indexer.checkpoint import CheckpointMoved, advance, open_checkpoint
from registry.indexer.projections import MissingRecord, RowCache, apply_events
from registry.store.engine import open_engine, upgrade
from registry.store.schema import anchors, milestones, programs, raw_events, role_admins
from tests.helpers.indexer import assert_database_matches_chain, index_once
from tests.helpers.registry import NO_DETAILS, RULES, RegistryHarness, doc


def test_a_document_cited_again_keeps_its_first_anchoring(
    registry: RegistryHarness, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess,
    client: RegistryClient,
) -> None:  # fmt: skip
    g, o, actors = registry.grants.functions, registry.outcomes.functions, registry.actors
    shared, fresh = doc("shared"), doc("fresh")
    project = registry.funded_project()
    milestone = registry.plan_milestone(project)
    registry.send(actors.company_a, g.submitMilestone(project, milestone, [shared, shared]))  # twice in one event
    registry.send(actors.company_a, o.addOutcome(project, 2, "10-2021-0000001", NO_DETAILS, shared))  # cited again
    registry.send(
        actors.company_a, o.amendOutcome(1, 3, "10-2021-0000002", NO_DETAILS, fresh, fresh)
    )  # evidence = reason
    audit = registry.record_audit(project, grade=4, findings=shared, clawback=1_000_000)
    registry.confirm_sanction(audit)  # the clawback, in effect, cites the findings

    index_once(database_url, manifest, anvil.rpc_url)

    engine = open_engine(database_url)
    assert_database_matches_chain(engine, client, anvil.rpc_url)
    with engine.connect() as connection:
        kinds = dict(connection.execute(select(anchors.c.document_hash, anchors.c.kind)).all())
    assert kinds[shared] == AnchorKind.MILESTONE_EVIDENCE
    assert kinds[fresh] == AnchorKind.OUTCOME_EVIDENCE


def test_a_name_that_is_not_text_is_stored_with_replacement_characters_and_kept_exact_in_the_raw_event(
    registry: RegistryHarness, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, w3: Web3
) -> None:
    # A string argument is ABI-encoded exactly as bytes: send bytes that are not UTF-8 and hold a NUL.
    name = b"R&D \xff\xfe program \x00 2021"
    terms = "(string,uint16,uint96,uint96,string,bytes32,string,(uint8,uint16,uint16,uint16))"
    selector = keccak(text=f"createProgram({terms})")[:4]
    values = (name, 2021, 10**9, 10**8, b"", doc("x"), b"", RULES)
    data = selector + encode([terms.replace("string", "bytes")], [values])
    tx = w3.eth.send_transaction({"from": registry.actors.admin, "to": registry.grants.address, "data": data})
    assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1

    index_once(database_url, manifest, anvil.rpc_url)

    with open_engine(database_url).connect() as connection:
        stored = connection.execute(select(programs.c.name).order_by(programs.c.program_id.desc())).scalars().first()
        raw = connection.execute(select(raw_events.c.data).where(raw_events.c.event == "ProgramCreated")).scalars()
        assert any(name in bytes(data) for data in raw)
    assert stored == "R&D \ufffd\ufffd program \ufffd 2021"


def event(name: str, block: int, **args: object) -> DecodedEvent:
    return DecodedEvent("GrantRegistry", name, dict(args), block, 0, b"\x07" * 32, 1_700_000_000)


def test_a_role_admin_change_is_recorded(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    role, first, second = keccak(text="MEMBER_ROLE"), keccak(text="ADMIN_ROLE"), keccak(text="AUDITOR_ROLE")
    with engine.begin() as connection:
        apply_events(connection, [event("RoleAdminChanged", 5, role=role, previousAdminRole=bytes(32),
                                        newAdminRole=first)])  # fmt: skip
        apply_events(connection, [event("RoleAdminChanged", 6, role=role, previousAdminRole=first,
                                        newAdminRole=second)])  # fmt: skip
    with engine.connect() as connection:
        row = connection.execute(select(role_admins)).mappings().one()
    assert (row["admin_role"], row["created_block_number"], row["updated_block_number"]) == (second, 5, 6)


def test_an_event_about_a_record_the_database_lacks_stops_the_batch(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    with pytest.raises(MissingRecord, match="ProgramClosed at block 9, log 0 refers to programs"), engine.begin() as c:
        apply_events(c, [event("ProgramClosed", 9, programId=4, admin="0x" + "00" * 20)])


def test_a_second_writer_cannot_move_the_checkpoint_from_under_the_first(
    database_url: str, manifest: DeploymentManifest
) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    first = open_checkpoint(engine, manifest)
    second = open_checkpoint(engine, manifest)
    with engine.begin() as connection:
        advance(connection, first, first.indexed_block + 3, b"\x01" * 32)
    with pytest.raises(CheckpointMoved), engine.begin() as connection:
        advance(connection, second, second.indexed_block + 1, b"\x02" * 32)


def test_the_row_cache_hands_out_copies() -> None:
    cache = RowCache()

    class Batch:
        def record_rows(self) -> dict[object, dict[tuple[int], dict[str, int]]]:
            return {programs: {(1,): {"granted": 5}}}

    cache.keep(Batch())  # type: ignore[arg-type]
    copy = cache.get(programs, (1,))
    assert copy == {"granted": 5}
    copy["granted"] = 6
    assert cache.get(programs, (1,)) == {"granted": 5}
    cache.clear()
    assert cache.get(programs, (1,)) is None


def test_a_batch_using_the_records_it_creates_asks_the_database_for_none_of_them(database_url: str) -> None:
    engine = open_engine(database_url)
    upgrade(engine)
    admin, company = "0x" + "aa" * 20, "0x" + "bb" * 20
    program = {
        "programId": 1,
        "name": "R&D",
        "year": 2021,
        "budget": 10**9,
        "perProjectCap": 10**8,
        "field": "AI",
        "metadataHash": bytes(32),
        "metadataURI": "",
        "admin": admin,
    }
    events = [
        DecodedEvent("GrantRegistry", "ProgramCreated", program, 5, 0, b"\x07" * 32, 1_700_000_000),
        event("ProjectRegistered", 6, projectId=1, programId=1, companyId=b"\x05" * 32, amount=10**8,
              startDate=1, endDate=2, planHash=bytes(32), admin=admin),
        event("MilestonePlanned", 7, projectId=1, milestoneIndex=1, dueDate=2, tranche=10**7,
              descriptionHash=bytes(32), actor=admin),
        event("MilestoneSubmitted", 8, projectId=1, milestoneIndex=1, submitter=company, attempt=1,
              evidenceHashes=(b"\x06" * 32,)),
    ]  # fmt: skip
    reads: list[str] = []
    sqlalchemy_event.listen(
        engine, "before_cursor_execute", lambda *args: reads.append(args[2]) if args[2].startswith("SELECT") else None
    )

    with engine.begin() as connection:
        apply_events(connection, events)

    assert reads == []
    with engine.connect() as connection:
        status = connection.execute(select(milestones.c.status, milestones.c.attempts)).one()
    assert tuple(status) == (int(MilestoneStatus.SUBMITTED), 1)
