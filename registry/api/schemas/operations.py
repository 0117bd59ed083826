"""Response model of `/health`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from registry.api.schemas.common import ApiModel


class DatabaseHealth(ApiModel):
    ok: bool
    error: str | None = Field(default=None, description="Why the database could not be read.")


class ChainHealth(ApiModel):
    ok: bool
    head_block: int | None = Field(description="The chain's newest block, if its RPC endpoint answered.")
    error: str | None = Field(default=None, description="Why the chain could not be read.")


class IndexerHealth(ApiModel):
    chain_id: int | None = Field(description="The chain the database indexes; null if it indexed nothing yet.")
    indexed_block: int | None = Field(description="Every registry event up to this block is served.")
    lag_blocks: int | None = Field(description="How many blocks the chain is ahead of what is served.")


class Health(ApiModel):
    """Whether the API can answer, and how current its answers are."""

    status: Literal["ok", "degraded", "unavailable"] = Field(
        description="ok; degraded when the chain cannot be read (records are served, but their freshness is "
        "unknown); unavailable (with HTTP 503) when the database cannot be read."
    )
    database: DatabaseHealth
    chain: ChainHealth
    indexer: IndexerHealth
