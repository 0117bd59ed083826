"""`rnd-registry index`, `index status` and `index reset`, as an operator types them."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from web3 import Web3

from registry.chain.anvil import free_port
from registry.chain.deployment import DeploymentManifest
from registry.settings import get_settings
from registry.store.engine import open_engine
from registry.store.schema import batch_members
from tests.cli.conftest import Cli
from tests.helpers.database import BACKENDS, Databases
from tests.helpers.registry import RegistryHarness


@pytest.fixture(params=["default", *BACKENDS])
def database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The database the commands use: the default (a SQLite file in the data directory), or one named by
    RND_DATABASE_URL on SQLite or PostgreSQL."""
    if request.param == "default":
        monkeypatch.delenv("RND_DATABASE_URL", raising=False)
        yield "default"
        return
    databases = Databases(request.param, tmp_path)
    monkeypatch.setenv("RND_DATABASE_URL", databases.new())
    yield request.param
    databases.close()


@pytest.fixture
def indexing(cli: Cli, database: str) -> Cli:
    get_settings.cache_clear()  # the database variable was set after the cli fixture read the settings
    return cli


def test_index_copies_the_registry_up_to_the_head_and_says_how_much(
    indexing: Cli, database: str, registry: RegistryHarness, w3: Web3
) -> None:
    registry.funded_project()

    summary = json.loads(indexing.ok("rnd-registry index --json").stdout)

    assert summary["indexedBlock"] == summary["headBlock"] == w3.eth.block_number
    assert summary["events"] >= 10 and summary["reorgs"] == 0
    if database == "default":
        assert (indexing.data_dir / "registry.db").exists()
    text = indexing.ok("rnd-registry index").stdout
    assert f"indexed to block {w3.eth.block_number:,}" in text and "0 events" in text


def test_status_shows_the_head_the_indexed_block_and_the_lag(
    indexing: Cli, registry: RegistryHarness, w3: Web3
) -> None:
    assert "nothing indexed yet" in indexing.ok("rnd-registry index status").stdout
    indexing.ok("rnd-registry index --json")
    registry.create_program()

    status = json.loads(indexing.ok("rnd-registry index status --json").stdout)

    assert status["headBlock"] == w3.eth.block_number
    assert status["indexedBlock"] == w3.eth.block_number - 1
    assert status["lag"] == 1 and status["confirmations"] == 0
    assert "1 block(s) behind" in indexing.ok("rnd-registry index status").stdout


def test_status_still_answers_when_the_chain_does_not(
    indexing: Cli, registry: RegistryHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexing.ok("rnd-registry index --json")
    monkeypatch.setenv("RND_RPC_URL", "http://127.0.0.1:9")
    get_settings.cache_clear()

    status = json.loads(indexing.ok("rnd-registry index status --json").stdout)

    assert status["headBlock"] is None and status["lag"] is None and "127.0.0.1:9" in status["headError"]
    assert status["indexedBlock"] is not None


def test_reset_forgets_everything_and_the_next_run_reads_the_chain_again(
    indexing: Cli, registry: RegistryHarness
) -> None:
    first = json.loads(indexing.ok("rnd-registry index --json").stdout)

    indexing.ok("rnd-registry index reset --yes")

    status = json.loads(indexing.ok("rnd-registry index status --json").stdout)
    assert status["indexedBlock"] is None and status["events"] == 0
    again = json.loads(indexing.ok("rnd-registry index --json").stdout)
    assert again["events"] == first["events"]


def test_a_database_of_another_deployment_is_refused_in_one_line(
    indexing: Cli, registry: RegistryHarness, manifest: DeploymentManifest
) -> None:
    indexing.ok("rnd-registry index --json")
    other = manifest.model_copy(update={"deploy_block": manifest.deploy_block + 1})
    other.write(indexing.data_dir / "deployment.json")

    reason = indexing.refused("rnd-registry index")

    assert "rnd-registry index reset" in reason


def test_a_reorganization_of_indexed_blocks_is_refused_in_one_line_until_the_operator_asks_to_follow_it(
    indexing: Cli, registry: RegistryHarness, w3: Web3
) -> None:
    registry.create_program()
    fork = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    registry.create_program()
    indexed = json.loads(indexing.ok("rnd-registry index --json").stdout)
    w3.provider.make_request("evm_revert", [fork])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    refusal = indexing.fails("rnd-registry index").output  # after the progress log's "indexing …" line
    errors = [line for line in refusal.splitlines() if line.startswith("error: ")]
    status = json.loads(indexing.ok("rnd-registry index status --json").stdout)
    followed = json.loads(indexing.ok("rnd-registry index --roll-back-reorgs --json").stdout)

    assert len(errors) == 1, refusal
    assert f"block {indexed['indexedBlock']:,} now has hash 0x" in errors[0]
    assert "nothing was changed" in errors[0] and "--roll-back-reorgs" in errors[0]
    assert (status["indexedBlock"], status["events"]) == (indexed["indexedBlock"], indexed["events"])
    assert followed["reorgs"] == 1 and followed["indexedBlock"] == w3.eth.block_number


def test_index_lists_the_documents_of_a_batch_anchored_with_its_manifest_in_the_document_store(
    indexing: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "minutes"
    folder.mkdir()
    (folder / "a.txt").write_text("first meeting\n")
    (folder / "b.txt").write_text("second meeting\n")
    indexing.ok(f"rnd-registry evidence anchor {folder} --dev-key 2")

    summary = json.loads(indexing.ok("rnd-registry index --json").stdout)

    assert summary["batchMembersAdded"] == 2
    engine = open_engine(get_settings().database_url)
    try:
        with engine.connect() as connection:
            paths = sorted(connection.execute(select(batch_members.c.path)).scalars())
    finally:
        engine.dispose()
    assert paths == ["a.txt", "b.txt"]
    assert json.loads(indexing.ok("rnd-registry index --json").stdout)["batchMembersAdded"] == 0


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("localhost:8545", "RND_RPC_URL: 'localhost:8545' cannot be a node's address"),
        ("http://127.0.0.1:99999", "RND_RPC_URL: 'http://127.0.0.1:99999' cannot be a node's address"),
        ("ftp://127.0.0.1:8545", "cannot be a node's address: write it as http://HOST:PORT"),
        ("http://", "cannot be a node's address"),
        ("http://no-such-node.invalid:8545", "the node's host name 'no-such-node.invalid' in "),
    ],
)
def test_a_url_that_cannot_be_a_node_is_one_line_at_once(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, url: str, said: str
) -> None:
    monkeypatch.setenv("RND_RPC_URL", url)
    get_settings.cache_clear()
    # Without the check these would retry forever: that they return at all is the point.
    for command in ("rnd-registry index", "rnd-registry index --follow"):
        result = cli.fails(command)
        assert result.exit_code == 1
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ") and said in lines[0], result.output


def test_a_node_that_does_not_answer_is_given_up_on_after_the_limit_in_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RND_RPC_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    monkeypatch.setenv("RND_INDEX_GIVE_UP_AFTER", "1")
    get_settings.cache_clear()

    result = cli.fails("rnd-registry index --follow")

    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith("error: gave up waiting for the chain at http://127.0.0.1:")
    assert "RND_INDEX_GIVE_UP_AFTER" in errors[0], result.output


@pytest.mark.parametrize("content", [b"# not a database\n" * 100, bytes(range(256)) * 40], ids=["text", "noise"])
@pytest.mark.parametrize("command", ["rnd-registry index", "rnd-registry index status", "rnd-registry index --follow"])
def test_a_file_that_is_not_a_registry_database_is_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: bytes, command: str
) -> None:
    broken = tmp_path / "broken.db"
    broken.write_bytes(content)
    monkeypatch.setenv("RND_DATABASE_URL", f"sqlite:///{broken}")
    get_settings.cache_clear()
    result = cli.fails(command)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        f"error: the database sqlite:///{broken} cannot be used: it is not a registry database, or it is corrupt; "
        "restore it from a backup, or move it away and run `rnd-registry index` to rebuild the copy from the chain"
    ]
    assert broken.read_bytes() == content, "the file is left as it was"


class IndexProcess:
    """`rnd-registry index` in a process of its own, its standard error read line by line."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "registry.cli.main", "index", *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, deadline: float = 120.0) -> None:
        """Returns once a line with `text` was printed; fails if the process ends first or time runs out."""
        end = time.monotonic() + deadline
        while not any(text in line for line in self.seen):
            assert time.monotonic() < end, f"no line with {text!r} in {self.seen}"
            try:
                self.seen.append(self.lines.get(timeout=0.5))
            except queue.Empty:
                assert self.process.poll() is None, f"ended before saying {text!r}: {self.seen}"

    def stop(self, sig: signal.Signals) -> tuple[int, str]:
        self.process.send_signal(sig)
        _, rest = self.process.communicate(timeout=60)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.process.returncode, "".join(self.seen) + rest


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stopped_before_it_was_done_exits_non_zero_and_a_clean_stop_zero(
    cli: Cli, sig: signal.Signals, tmp_path: Path
) -> None:
    env = {**os.environ, "RND_DATA_DIR": str(cli.data_dir), "RND_DATABASE_URL": f"sqlite:///{tmp_path / 'i.db'}"}
    env.pop("RND_RPC_URL", None)
    down = IndexProcess({**env, "RND_RPC_URL": f"http://127.0.0.1:{free_port()}"})
    down.wait_for("waiting for")
    status, output = down.stop(sig)
    assert status == 130, output
    assert "stopped before the chain answered; what was indexed is kept" in output

    following = IndexProcess({**env, "RND_RPC_URL": os.environ.get("RND_RPC_URL", get_settings().rpc_url)}, "--follow")
    following.wait_for("waiting for block")  # caught up: stopping now is a clean stop
    status, output = following.stop(sig)
    assert status == 0, output
