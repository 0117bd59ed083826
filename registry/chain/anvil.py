"""Starts and stops the local anvil chain that ships in the npm package `@foundry-rs/anvil`."""

from __future__ import annotations

import json
import os
import platform
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from registry.errors import ChainUnreachable, ConfigurationError

_PLATFORMS = {
    ("Linux", "x86_64"): "linux-amd64",
    ("Linux", "aarch64"): "linux-arm64",
    ("Darwin", "arm64"): "darwin-arm64",
    ("Darwin", "x86_64"): "darwin-amd64",
}


def anvil_binary(project_root: Path) -> Path:
    """The native anvil executable installed by `npm ci`.

    The binary is used directly rather than through the package's node launcher, so that stopping
    the process stops the chain and nothing is left running.
    """
    return foundry_binary(project_root, "anvil")


def foundry_binary(project_root: Path, tool: str) -> Path:
    """The native executable of a Foundry tool (`anvil`, `cast`) installed by `npm ci` from `@foundry-rs/<tool>`."""
    suffix = _PLATFORMS.get((platform.system(), platform.machine()))
    candidates = []
    if suffix:
        candidates.append(project_root / "node_modules" / "@foundry-rs" / f"{tool}-{suffix}" / "bin" / tool)
    candidates.append(project_root / "node_modules" / ".bin" / tool)
    for path in candidates:
        if path.exists():
            return path
    raise ConfigurationError(f"{tool} is not installed (node_modules/@foundry-rs/{tool}); run `npm ci`")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rpc_chain_id(rpc_url: str, timeout: float = 1.0) -> int | None:
    """The chain id served at `rpc_url`, or None when nothing answers."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(rpc_url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(json.loads(response.read())["result"], 16)
    except (urllib.error.URLError, OSError, ValueError, KeyError):
        return None


@dataclass
class AnvilProcess:
    """A running anvil and where it answers."""

    pid: int
    host: str
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def rpc_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        """Stops anvil; with `--state` it writes the chain state to disk first."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None:
                if self.process.poll() is not None:
                    return
            elif not _alive(self.pid):
                return
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()


def start_anvil(
    project_root: Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    chain_id: int = 31337,
    state_path: Path | None = None,
    hardfork: str | None = None,
    log_path: Path | None = None,
    detach: bool = False,
    extra_args: list[str] | None = None,
    ready_timeout: float = 20.0,
) -> AnvilProcess:
    """Starts anvil and waits until it answers JSON-RPC.

    `state_path` makes the chain persistent: anvil loads it at start and writes it on exit and every
    few seconds. `detach` lets the chain outlive this process (`rnd-registry chain up`).
    """
    port = port or free_port()
    rpc_url = f"http://{host}:{port}"
    if rpc_chain_id(rpc_url) is not None:
        raise ConfigurationError(f"something already answers at {rpc_url}; stop it or choose another port")
    args = [
        str(anvil_binary(project_root)),
        "--host",
        host,
        "--port",
        str(port),
        "--chain-id",
        str(chain_id),
        "--quiet",
    ]
    if state_path is not None:
        state_path.parent.mkdir(parents=True, exist_ok=True)
        args += ["--state", str(state_path), "--state-interval", "5", "--preserve-historical-states"]
    if hardfork:
        args += ["--hardfork", hardfork]
    args += extra_args or []
    log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
    try:
        process = subprocess.Popen(args, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=detach)
    finally:
        if log_path:
            log.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ChainUnreachable(rpc_url, f"anvil exited with code {process.returncode} at start")
        if rpc_chain_id(rpc_url, timeout=0.5) == chain_id:
            return AnvilProcess(pid=process.pid, host=host, port=port, process=process)
        time.sleep(0.05)
    process.kill()
    raise ChainUnreachable(rpc_url, f"anvil did not answer within {ready_timeout:.0f} s")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as stopped
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True
