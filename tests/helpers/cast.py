"""Foundry's `cast`, from the npm package `@foundry-rs/cast`: a JSON-RPC client this project did not
write, used to confirm what the registry reports."""

from __future__ import annotations

import json
import platform
import subprocess
from pathlib import Path
from typing import Any

_PLATFORMS = {("Linux", "x86_64"): "linux-amd64", ("Linux", "aarch64"): "linux-arm64"}


def cast_binary(project_root: Path) -> Path:
    suffix = _PLATFORMS.get((platform.system(), platform.machine()), "")
    for path in (
        project_root / "node_modules" / "@foundry-rs" / f"cast-{suffix}" / "bin" / "cast",
        project_root / "node_modules" / ".bin" / "cast",
    ):
        if path.exists():
            return path
    raise FileNotFoundError("cast is not installed (node_modules/@foundry-rs/cast); run `npm ci`")


def cast_call(project_root: Path, rpc_url: str, contract: str, signature: str, *args: str) -> list[Any]:
    """`cast call CONTRACT SIGNATURE ARGS --json`: the decoded return values."""
    completed = subprocess.run(
        [str(cast_binary(project_root)), "call", contract, signature, *args, "--json", "--rpc-url", rpc_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[Any] = json.loads(completed.stdout)
    return result
