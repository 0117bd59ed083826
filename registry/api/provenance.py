"""Provenance of what the API answers: which chain and contract, and where on it, each record and
each step of its history came from. Rows carry the event columns (`registry.store.queries.provenance`);
this adds the chain id and the emitting contract's address."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, select

from registry.api.errors import ApiProblem
from registry.api.schemas.common import Provenance, from_unix
from registry.chain.deployment import GRANT_REGISTRY, OUTCOME_REGISTRY, DeploymentManifest
from registry.store.schema import indexer_state, raw_events

#: A database row as SQLAlchemy returns it (keys are column names).
Row = Mapping[Any, Any]


class RegistryUnknown(ApiProblem):
    """Neither a deployment manifest nor an indexed database says which registry the API serves."""

    status = 503

    def __init__(self) -> None:
        super().__init__("the database has indexed nothing yet and no deployment manifest was found; "
                         "run `rnd-registry index` first")  # fmt: skip


@dataclass(frozen=True)
class RegistryContracts:
    """The chain and the two registry contracts whose events the database holds."""

    chain_id: int
    grant_registry: str
    outcome_registry: str

    @classmethod
    def from_manifest(cls, manifest: DeploymentManifest) -> RegistryContracts:
        return cls(manifest.chain_id, manifest.address(GRANT_REGISTRY), manifest.address(OUTCOME_REGISTRY))

    @classmethod
    def from_database(cls, connection: Connection) -> RegistryContracts:
        """Read from what the indexer stored, for an API run without the manifest at hand."""
        state = connection.execute(select(indexer_state.c.chain_id, indexer_state.c.grant_registry)).first()
        if state is None:
            raise RegistryUnknown()
        chain_id, grant_registry = state
        outcome_registry = connection.execute(
            select(raw_events.c.address).where(raw_events.c.address != grant_registry,
                                               raw_events.c.event.like("Outcome%")).limit(1)
        ).scalar()  # fmt: skip
        return cls(int(chain_id), str(grant_registry), str(outcome_registry or grant_registry))

    def created(self, row: Row, contract: str) -> Provenance:
        """The event that created a record row."""
        return self._at(row, "created_", contract)

    def last_change(self, row: Row, contract: str) -> Provenance:
        """The event that last changed a record row (the creating one if none since)."""
        return self._at(row, "updated_", contract)

    def event(self, row: Row, contract: str) -> Provenance:
        """The event a history row records."""
        return self._at(row, "", contract)

    def _at(self, row: Row, prefix: str, contract: str) -> Provenance:
        transaction, number, time, log, signer = _EVENT_COLUMNS[prefix]
        return _provenance(self.chain_id, contract, row[transaction], row[number], row[time], row[log], row[signer])


_EVENT_COLUMNS = {
    prefix: tuple(
        f"{prefix}{name}" for name in ("transaction_hash", "block_number", "block_time", "log_index", "signer")
    )
    for prefix in ("created_", "updated_", "")
}


# Kept per event: a record not changed since it was created names its creating event twice (`provenance` and
# `lastChange`), and the events of a page's history rows recur; a Provenance is immutable, so one can stand for
# every use, and building and validating one is a fifth of building a record.
@lru_cache(maxsize=4_096)  # about 6 MiB: the events of several pages of 500
def _provenance(
    chain_id: int,
    contract: str,
    transaction_hash: bytes,
    block_number: int,
    block_time: int,
    log_index: int,
    signer: str | None,
) -> Provenance:
    return Provenance(chain_id=chain_id, contract=contract, transaction_hash=transaction_hash,
                      block_number=block_number, block_time=from_unix(block_time), log_index=log_index,
                      signer=signer)  # fmt: skip
