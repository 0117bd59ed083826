"""Foundry's `cast`, from the npm package `@foundry-rs/cast`: a JSON-RPC client this project did not
write, used to confirm what the registry reports."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from registry.chain.anvil import foundry_binary


def cast_call(project_root: Path, rpc_url: str, contract: str, signature: str, *args: str) -> list[Any]:
    """`cast call CONTRACT SIGNATURE ARGS --json`: the decoded return values."""
    completed = subprocess.run(
        [str(foundry_binary(project_root, "cast")), "call", contract, signature, *args, "--json", "--rpc-url", rpc_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[Any] = json.loads(completed.stdout)
    return result
