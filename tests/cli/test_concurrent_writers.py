"""Two commands sent at once from one account both land: processes of one installation take turns from
reading the node's pending nonce to the node accepting the transaction (registry/chain/transactions.py),
instead of signing the same nonce and one failing with "replacement transaction underpriced"."""

from __future__ import annotations

import os
import subprocess
import sys

from registry.chain.anvil import AnvilProcess
from tests.cli.conftest import Cli
from tests.helpers.registry import RegistryHarness

ROUNDS = 4


def test_two_writers_on_one_account_both_land(cli: Cli, registry: RegistryHarness, anvil: AnvilProcess) -> None:
    env = {**os.environ, "RND_DATA_DIR": str(cli.data_dir), "RND_RPC_URL": anvil.rpc_url}
    before = registry.grants.functions.programCount().call()
    for round_number in range(ROUNDS):
        commands = [
            [sys.executable, "-m", "registry.cli.main", "program", "create", f"writer {round_number}-{n}",
             "--year", "2026", "--budget", "1억", "--cap", "1천만", "--dev-key", "0"]
            for n in range(2)
        ]  # fmt: skip
        writers = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for command in commands
        ]
        for writer in writers:
            out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, f"a writer failed: {err or out}"
    assert registry.grants.functions.programCount().call() == before + 2 * ROUNDS
