"""How far the chain has been read: one row, moved forward in the same transaction as the rows it covers.

Moving it is a compare-and-set (`advance` names the block it expects to move from), so a second
indexer writing the same database by mistake fails instead of writing the same events twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, select

from registry.chain.deployment import GRANT_REGISTRY, DeploymentManifest
from registry.errors import RegistryError
from registry.store.schema import indexer_state

_ROW = 1


class OtherDeployment(RegistryError):
    """The database holds another deployment's events (another chain, or the registry deployed again)."""

    def __init__(self, stored: str, wanted: str) -> None:
        self.stored = stored
        self.wanted = wanted
        super().__init__(
            f"the database indexes {stored}, not {wanted}; use another database (RND_DATABASE_URL) "
            "or clear it with `rnd-registry index reset`"
        )


class CheckpointMoved(RegistryError):
    """Someone else moved the checkpoint: another indexer is writing the same database."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        super().__init__(
            f"the database's checkpoint is no longer at block {expected}: another indexer is writing to it; "
            "run one indexer per database"
        )


@dataclass(frozen=True)
class Checkpoint:
    chain_id: int
    grant_registry: str
    deploy_block: int
    #: Every registry log up to this block is in the database; `deploy_block - 1` before the first batch.
    indexed_block: int
    #: That block's hash as it was read, to notice when the chain replaces it; None before the first batch.
    indexed_block_hash: bytes | None

    def describe(self) -> str:
        return f"registry {self.grant_registry} on chain {self.chain_id} (deployed at block {self.deploy_block})"


def read_checkpoint(connection: Connection) -> Checkpoint | None:
    row = connection.execute(select(indexer_state).where(indexer_state.c.id == _ROW)).mappings().first()
    if row is None:
        return None
    return Checkpoint(
        chain_id=row["chain_id"],
        grant_registry=row["grant_registry"],
        deploy_block=row["deploy_block"],
        indexed_block=row["indexed_block"],
        indexed_block_hash=row["indexed_block_hash"],
    )


def open_checkpoint(engine: Engine, manifest: DeploymentManifest) -> Checkpoint:
    """The database's checkpoint for `manifest`'s registry, created before the deploy block if new."""
    wanted = Checkpoint(
        chain_id=manifest.chain_id,
        grant_registry=manifest.address(GRANT_REGISTRY),
        deploy_block=manifest.deploy_block,
        indexed_block=manifest.deploy_block - 1,
        indexed_block_hash=None,
    )
    with engine.begin() as connection:
        stored = read_checkpoint(connection)
        if stored is None:
            connection.execute(
                indexer_state.insert().values(
                    id=_ROW,
                    chain_id=wanted.chain_id,
                    grant_registry=wanted.grant_registry,
                    deploy_block=wanted.deploy_block,
                    indexed_block=wanted.indexed_block,
                    indexed_block_hash=None,
                )
            )
            return wanted
    if (stored.chain_id, stored.grant_registry, stored.deploy_block) != (
        wanted.chain_id,
        wanted.grant_registry,
        wanted.deploy_block,
    ):
        raise OtherDeployment(stored.describe(), wanted.describe())
    return stored


def advance(connection: Connection, checkpoint: Checkpoint, block: int, block_hash: bytes | None) -> Checkpoint:
    """Moves the checkpoint from `checkpoint.indexed_block` to `block`, inside the caller's transaction."""
    result = connection.execute(
        indexer_state.update()
        .where(indexer_state.c.id == _ROW, indexer_state.c.indexed_block == checkpoint.indexed_block)
        .values(indexed_block=block, indexed_block_hash=block_hash)
    )
    if result.rowcount != 1:
        raise CheckpointMoved(checkpoint.indexed_block)
    return replace(checkpoint, indexed_block=block, indexed_block_hash=block_hash)
