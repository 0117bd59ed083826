"""The whole registry on one machine, for a demo or an evaluation: a local chain, the contracts, the demo
data, the indexer following the chain and the API with its portal (its relay sending from dev account 6),
started in that order and stopped in the reverse one.

Each long-running part is a child process in a session of its own, so a Ctrl-C in the terminal reaches
only this supervisor, which then stops the API, the indexer and the chain in turn (the chain writes its
state on the way out). A chain that was already running (`rnd-registry chain up`) is used and left
running. Everything persists in the data directory: starting again resumes the same chain and database.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from registry.chain.anvil import AnvilProcess, rpc_chain_id, start_anvil
from registry.chain.compiler import BuildConfig, compile_contracts
from registry.chain.connection import connect
from registry.chain.deployment import DeploymentManifest, ensure_deployed
from registry.chain.devkeys import dev_account
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.demo.dataset import RELAYER
from registry.demo.scenario import DemoLoader, LoadResult
from registry.errors import ConfigurationError, RegistryError
from registry.evidence.store import DocumentStore
from registry.settings import Settings

log = logging.getLogger("registry.demo.stack")

#: How long a child gets to stop after SIGTERM before it is killed.
STOP_TIMEOUT = 15.0


class ChildExited(RegistryError):
    """A part of the stack stopped on its own."""


class PortTaken(ConfigurationError):
    """A port the stack must listen on is already taken, by another registry or by something else."""

    def __init__(self, host: str, port: int, what: str, remedy: str) -> None:
        self.host = host
        self.port = port
        super().__init__(f"{what} already listens on {host}:{port}; {remedy}")


def port_taken(host: str, port: int) -> bool:
    """Whether a server could not listen on `host`:`port` now, because something else does."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn and anvil bind
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def answers_as_registry(url: str) -> bool:
    """Whether a registry API answers at `url` (its `/health` names the indexer)."""
    try:
        found = requests.get(f"{url}/health", timeout=2.0).json()
    except (requests.RequestException, ValueError):
        return False
    return isinstance(found, dict) and "indexer" in found


@dataclass
class Child:
    """A process the stack started, with its log file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        if not self.running():
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def last_lines(self, count: int = 5) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-count:])


@dataclass
class Stack:
    settings: Settings
    host: str
    port: int
    load_demo: bool = True
    on_stage: Callable[[str], None] = lambda _: None
    chain: AnvilProcess | None = None
    chain_started: bool = False
    manifest: DeploymentManifest | None = None
    demo: LoadResult | None = None
    children: list[Child] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log_dir(self) -> Path:
        return self.settings.data_dir / "logs"

    # ---- starting ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Brings every part up; on any failure, stops what it started and raises."""
        self._check_ports()  # before anything starts or prints, so a second `up` stops at once
        try:
            self._start_chain()
            self._deploy()
            if self.load_demo:
                self.on_stage("loading the demo data (skipped where already on chain)")
                assert self.manifest is not None
                w3 = connect(self.settings.rpc_url, expected_chain_id=self.manifest.chain_id, settings=self.settings)
                store = DocumentStore(self.settings.document_store_dir)
                self.demo = DemoLoader(w3, self.manifest, self.settings.data_dir, store).load()
            self.on_stage("starting the indexer in follow mode")
            # The demo's chain saves its state every few seconds, so after a hard stop it may come back a
            # few blocks short of what was indexed: for a local chain, following it back is right.
            self.children.append(self._spawn("indexer", ["index", "--follow", "--roll-back-reorgs"]))
            self.on_stage(f"starting the API and portal on {self.api_url}")
            serve = ["serve", "--host", self.host, "--port", str(self.port)]
            self.children.append(self._spawn("api", serve, self._relay_environment()))
            self._wait_for_api()
        except BaseException:
            self.stop()
            raise

    def _check_ports(self) -> None:
        """The API's port must be free; the chain's too, unless a chain already answers there (it is used)."""
        if port_taken(self.host, self.port):
            other_port = "choose another port with --port or RND_API_PORT"
            if answers_as_registry(self.api_url):
                raise PortTaken(
                    self.host, self.port, f"a registry ({self.api_url})",
                    f"stop it with Ctrl-C in its terminal, or {other_port}",
                )  # fmt: skip
            raise PortTaken(self.host, self.port, "something else", f"stop it, or {other_port}")
        settings = self.settings
        if rpc_chain_id(settings.rpc_url) is None and port_taken(settings.anvil_host, settings.anvil_port):
            raise PortTaken(
                settings.anvil_host, settings.anvil_port, "something that is not a chain",
                "stop it (a chain of `rnd-registry chain up` stops with `rnd-registry chain down`), or choose "
                "another port with RND_ANVIL_PORT and RND_RPC_URL",
            )  # fmt: skip

    def _start_chain(self) -> None:
        settings = self.settings
        found = rpc_chain_id(settings.rpc_url)
        if found is not None:
            if found != settings.anvil_chain_id:
                raise ConfigurationError(
                    f"the chain at {settings.rpc_url} has chain id {found}, not the local demo chain's "
                    f"{settings.anvil_chain_id}; `rnd-registry up` runs only on a local chain it may fill with demo "
                    "data (for a consortium chain, see the README)"
                )
            self.on_stage(f"using the chain already running at {settings.rpc_url}")
            return
        self.on_stage(f"starting the local chain (state in {settings.chain_dir})")
        settings.chain_dir.mkdir(parents=True, exist_ok=True)
        self.chain = start_anvil(
            settings.project_root,
            host=settings.anvil_host,
            port=settings.anvil_port,
            chain_id=settings.anvil_chain_id,
            state_path=settings.chain_dir / "state.json",
            hardfork=None,
            log_path=settings.chain_dir / "anvil.log",
            detach=True,
        )
        self.chain_started = True
        if self.chain.rpc_url != settings.rpc_url.rstrip("/"):
            raise ConfigurationError(
                f"RND_RPC_URL is {settings.rpc_url} but the local chain listens on {self.chain.rpc_url}; "
                "set RND_ANVIL_PORT and RND_RPC_URL to the same port"
            )

    def _deploy(self) -> None:
        self.on_stage("deploying the registry (reused if this chain already holds it)")
        settings = self.settings
        config = BuildConfig.load(settings)
        artifacts = compile_contracts(config, out_dir=settings.build_dir / config.evm_version)
        w3 = connect(settings.rpc_url, expected_chain_id=settings.anvil_chain_id, settings=settings)
        sender = TransactionSender(
            w3, dev_account(0), RevertDecoder(a.abi for a in artifacts.values()), gas_price=settings.gas_price
        )
        self.manifest, _ = ensure_deployed(
            w3, sender, artifacts, settings.manifest_path, admin_transfer_delay=settings.admin_transfer_delay
        )

    def _relay_environment(self) -> dict[str, str]:
        """The relay's account: the demo's relayer, dev account 6, as for the demo data's relayed submissions
        (the relay takes a dev key on the demo chain only: its key is public), unless one is configured."""
        if self.settings.relay_account is not None or self.settings.relay_dev_key is not None:
            return {}
        return {"RND_RELAY_DEV_KEY": str(RELAYER)}

    def _spawn(self, name: str, arguments: list[str], extra_environment: dict[str, str] | None = None) -> Child:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log_path = self.log_dir / f"{name}.log"
        environment = {**os.environ, "RND_DATA_DIR": str(self.settings.data_dir), "RND_RPC_URL": self.settings.rpc_url}
        environment.update(extra_environment or {})
        with open(log_path, "ab") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "registry.cli.main", *arguments],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environment,
                start_new_session=True,
            )
        return Child(name, process, log_path)

    def _wait_for_api(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_children()
            try:
                if requests.get(f"{self.api_url}/health", timeout=1.0).status_code < 500:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise ChildExited(f"the API did not answer at {self.api_url} within {timeout:.0f} s; see {self.log_dir}")

    # ---- running and stopping ---------------------------------------------------------------------
    def check_children(self) -> None:
        for child in self.children:
            if not child.running():
                raise ChildExited(
                    f"the {child.name} stopped with exit code {child.process.returncode}; "
                    f"its log {child.log_path} ends with:\n{child.last_lines()}"
                )

    def wait(self, stop: threading.Event) -> None:
        """Returns when `stop` is set; raises if a part stops on its own."""
        while not stop.wait(0.5):
            self.check_children()

    def stop(self) -> None:
        """Stops the API, the indexer, then the chain if this stack started it."""
        for child in reversed(self.children):
            child.stop()
        self.children.clear()
        if self.chain is not None and self.chain_started:
            self.on_stage("stopping the local chain (its state is saved)")
            self.chain.stop()
            self.chain = None
