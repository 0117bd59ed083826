"""`rnd-registry index`, killed with SIGKILL at random moments of a backfill and started again each time,
ends with the database an uninterrupted run writes, row for row: nothing lost, nothing twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.store.engine import open_engine
from registry.store.schema import indexer_state
from tests.helpers.database import Databases, assert_same_databases
from tests.helpers.indexer import index_once

KILLS_DURING_BACKFILL = 10
STARTUP_KILLS = 2  # at random moments from the start: imports, schema creation, the first batches


class IndexerProcess:
    """`rnd-registry index` in a process of its own; knows when it has started indexing."""

    def __init__(self, env: dict[str, str]) -> None:
        self.started = time.monotonic()
        self.indexing = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "registry.cli.main", "index", "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            if "indexing registry" in line:
                self.indexing.set()

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join()

    def finish(self) -> int:
        code = self.process.wait(timeout=300)
        self._reader.join()
        return code


def indexed_block(database_url: str) -> int | None:
    engine = open_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(indexer_state.c.indexed_block)).scalar_one_or_none()
    except Exception:  # killed before the schema existed
        return None
    finally:
        engine.dispose()


def test_an_indexer_killed_at_random_moments_ends_with_the_database_of_an_uninterrupted_run(
    chain_snapshot: None, databases: Databases, manifest: DeploymentManifest, anvil: AnvilProcess, tmp_path: Path
) -> None:
    # One transaction per block and one block per batch: a backfill of hundreds of transactions.
    load = DevLoad(anvil.rpc_url, manifest, seed=5, per_block=1, relay_share=0.1)
    load.setup()
    for _ in range(3):
        load.round(projects=6)
    load.close()
    reference = databases.new()
    finished = index_once(reference, manifest, anvil.rpc_url, initial_span=1, max_span=1)
    assert finished.events > 300

    crashed = databases.new()
    data_dir = tmp_path / "data"
    manifest.write(data_dir / "deployment.json")
    env = os.environ | {
        "RND_DATA_DIR": str(data_dir),
        "RND_RPC_URL": anvil.rpc_url,
        "RND_DATABASE_URL": crashed,
        "RND_INDEX_BATCH_BLOCKS": "1",
        "RND_INDEX_MAX_BATCH_BLOCKS": "1",
    }
    rng = random.Random(20260401)
    positions: list[int | None] = []
    during_backfill = 0
    launches = 0
    while during_backfill < KILLS_DURING_BACKFILL:
        assert launches < 3 * KILLS_DURING_BACKFILL, f"too few kills landed during the backfill: {positions}"
        indexer = IndexerProcess(env)
        if launches < STARTUP_KILLS:
            time.sleep(rng.uniform(0.0, 1.2))
        else:
            assert indexer.indexing.wait(timeout=60), "the indexer did not start"
            time.sleep(rng.uniform(0.0, 0.12))
        indexer.kill()
        launches += 1
        position = indexed_block(crashed)
        if positions and position is not None and positions[-1] is not None:
            assert position >= positions[-1], "the checkpoint went back"
        positions.append(position)
        assert position != finished.indexed_block, f"the backfill ended before the kills did: {positions}"
        if launches > STARTUP_KILLS and position is not None:
            during_backfill += 1

    assert IndexerProcess(env).finish() == 0
    assert_same_databases(open_engine(crashed), open_engine(reference))
    stops = {p for p in positions[STARTUP_KILLS:] if p is not None}
    assert len(stops) >= KILLS_DURING_BACKFILL - 2, f"the kills should land at different blocks: {positions}"
