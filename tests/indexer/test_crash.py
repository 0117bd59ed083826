"""`rnd-registry index`, killed with SIGKILL at random moments of a backfill and started again each time,
ends with the database an uninterrupted run writes, row for row: nothing lost, nothing twice.

Where a kill lands is chosen by the test, not left to how fast the machine is: before each kill of the
backfill the test waits (with a generous deadline) for the checkpoint to pass a block it picked, past the
previous kill's, then kills a few milliseconds later, in the middle of whatever the indexer is doing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from sqlalchemy import Engine, select

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.store.engine import open_engine
from registry.store.schema import indexer_state
from tests.helpers.database import Databases, assert_same_databases
from tests.helpers.indexer import index_once

#: Kills of the backfill: 6 in the test command (each launch is a new process, seconds of imports on a busy
#: machine), more by hand to look harder: `CRASH_KILLS=30 pytest tests/indexer/test_crash.py`.
KILLS_DURING_BACKFILL = int(os.environ.get("CRASH_KILLS", "6"))
STARTUP_KILLS = 2  # at random moments from the start: imports, schema creation, the first batches
#: How long the test waits for the checkpoint to reach a block; only a broken indexer takes this long.
CHECKPOINT_DEADLINE = 300.0


class IndexerProcess:
    """`rnd-registry index` in a process of its own; keeps the end of what it prints, for failure messages."""

    def __init__(self, env: dict[str, str]) -> None:
        self.output: deque[str] = deque(maxlen=20)
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
            self.output.append(line)

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._reader.join()

    def finish(self) -> int:
        code = self.process.wait(timeout=CHECKPOINT_DEADLINE)
        self._reader.join()
        return code


def indexed_block(engine: Engine) -> int | None:
    try:
        with engine.connect() as connection:
            return connection.execute(select(indexer_state.c.indexed_block)).scalar_one_or_none()
    except Exception:  # killed before the schema existed
        return None


def wait_for_checkpoint(engine: Engine, indexer: IndexerProcess, block: int) -> None:
    """Returns once the checkpoint is at `block` or past it; fails if the indexer stops or the deadline passes."""
    deadline = time.monotonic() + CHECKPOINT_DEADLINE
    while (position := indexed_block(engine)) is None or position < block:
        assert indexer.process.poll() is None, f"the indexer stopped at block {position}: {''.join(indexer.output)}"
        assert time.monotonic() < deadline, f"the checkpoint stayed at {position}, short of block {block}"
        time.sleep(0.002)


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
    # The blocks the backfill's kills wait for: spread over the first three quarters of the backfill, so
    # the last kill still lands well before its end.
    first = manifest.deploy_block
    last = first + 3 * (finished.indexed_block - first) // 4
    targets = sorted(rng.sample(range(first, last), KILLS_DURING_BACKFILL))
    positions: list[int | None] = []
    engine = open_engine(crashed)
    try:
        for launch in range(STARTUP_KILLS + KILLS_DURING_BACKFILL):
            indexer = IndexerProcess(env)
            if launch < STARTUP_KILLS:
                time.sleep(rng.uniform(0.0, 1.2))
            else:
                previous = positions[-1]
                target = targets[launch - STARTUP_KILLS]
                wait_for_checkpoint(engine, indexer, target if previous is None else max(target, previous + 1))
                time.sleep(rng.uniform(0.0, 0.01))  # somewhere inside the next batch
            indexer.kill()
            position = indexed_block(engine)
            if positions and position is not None and positions[-1] is not None:
                assert position >= positions[-1], "the checkpoint went back"
            positions.append(position)
            assert position != finished.indexed_block, f"the backfill ended before the kills did: {positions}"
    finally:
        engine.dispose()

    assert IndexerProcess(env).finish() == 0
    assert_same_databases(open_engine(crashed), open_engine(reference))
    stops = positions[STARTUP_KILLS:]
    assert len(set(stops)) == KILLS_DURING_BACKFILL, f"the kills should land at different blocks: {positions}"
