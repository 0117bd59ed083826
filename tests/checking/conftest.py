"""Checking fixtures: the API package's indexed registry (the session chain with demo activity),
plus a participation restriction (confirmed by a second auditor), so that every record kind has records to check."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils.crypto import keccak
from web3 import Web3

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.domain.enums import Grade
from registry.domain.records import AuditResult
from tests.api.conftest import IndexedRegistry, indexed  # noqa: F401 - the fixture, reused for this package
from tests.helpers.registry import second_auditor_key


@pytest.fixture(scope="package")
def registry_copy(indexed: IndexedRegistry, w3: Web3) -> Iterator[IndexedRegistry]:  # noqa: F811
    """The indexed registry with an evaluation that restricts a company; the chain is reverted and
    the database follows it back after the package."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        auditor = RegistryClient(w3, indexed.manifest, account=dev_account(1))
        until = int(w3.eth.get_block("latest")["timestamp"]) + 400 * 24 * 3600
        result = AuditResult(grade=Grade.VERY_POOR, findings_hash=keccak(text="checking:findings"),
                             restricted_until=until)  # fmt: skip
        audit_id = auditor.execute(auditor.ops.record_audit(2, result)).record.audit_id
        second = RegistryClient(w3, indexed.manifest, account=second_auditor_key())
        second.execute(second.ops.confirm_sanction(audit_id))  # in effect only once a second auditor confirms
        indexed.index()
        yield indexed
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()
