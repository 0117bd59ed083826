"""Records read from the chain alone (records.json interpreted by registry/checking/records.py)
equal the honest copy's, field for field and history included, for every record kind; and a copy
changed by hand is caught, naming the field with both values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.api.app import create_app
from registry.chain.deployment import GRANT_REGISTRY, OUTCOME_REGISTRY
from registry.checking.copies import ROUTES, key_of
from registry.checking.node import Node
from registry.checking.records import RECORD_KINDS, RegistryAddresses, compare, forwarder_of, read_evidence
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items


@pytest.fixture(scope="module")
def api(registry_copy: IndexedRegistry) -> Iterator[TestClient]:
    with TestClient(create_app(registry_copy.settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def node(registry_copy: IndexedRegistry) -> Node:
    return Node(registry_copy.settings.rpc_url)


@pytest.fixture(scope="module")
def addresses(registry_copy: IndexedRegistry, node: Node) -> RegistryAddresses:
    indexed = registry_copy
    grants = indexed.manifest.address(GRANT_REGISTRY)
    return RegistryAddresses(
        grants,
        indexed.manifest.address(OUTCOME_REGISTRY),
        forwarder_of(node, grants, node.head().number),
        indexed.manifest.deploy_block,
    )


def _full(api: TestClient, kind: str, item: dict[str, Any]) -> dict[str, Any]:
    path = ROUTES[kind].detail(key_of(kind, item))
    if path is None:
        return item
    response = api.get(path)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("kind", RECORD_KINDS)
def test_every_record_of_the_honest_copy_matches_the_chain(
    api: TestClient, node: Node, addresses: RegistryAddresses, kind: str
) -> None:
    items = all_items(api, ROUTES[kind].list_path)
    assert items, f"the test registry has no {kind}"
    block = node.head().number
    for item in items:
        record = _full(api, kind, item)
        key = key_of(kind, record)
        result = compare(kind, key, record, read_evidence(node, addresses, kind, key, block))
        assert result.verdict == "matches", result.words()
        assert result.unchecked == [], f"{kind} {key}: fields the chain check does not cover: {result.unchecked}"


def test_a_changed_amount_and_a_removed_history_step_are_named_with_both_values(
    api: TestClient, node: Node, addresses: RegistryAddresses
) -> None:
    milestones = [m for m in all_items(api, "/api/v1/milestones") if m["attempts"] >= 1]
    record = _full(api, "milestone", milestones[0])
    key = key_of("milestone", record)
    lied = {**record, "tranche": str(int(record["tranche"]) + 1), "history": record["history"][:-1]}
    result = compare("milestone", key, lied, read_evidence(node, addresses, "milestone", key, node.head().number))
    assert result.verdict == "differs"
    paths = {d.path: d for d in result.differences}
    assert paths["tranche"].copy == lied["tranche"] and paths["tranche"].chain == record["tranche"]
    missing = [d for d in result.differences if d.path.startswith("history[+")]
    assert len(missing) == 1 and missing[0].copy is None
    assert missing[0].chain["provenance"] == record["history"][-1]["provenance"]
