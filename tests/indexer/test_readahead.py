"""The read-ahead process: what it loads before it reads its first range."""

from __future__ import annotations

import json
import subprocess
import sys

_PACKAGES_LOADED = (
    "import json, sys, registry.indexer.readahead; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
)


def test_read_ahead_process_starts_without_loading_web3() -> None:
    # It reads the second range while the indexer reads the first: web3, with eth-account and py_ecc
    # behind it, would cost it over a second before it starts, and the indexer would wait for it.
    result = subprocess.run([sys.executable, "-c", _PACKAGES_LOADED], capture_output=True, text=True, check=True)

    packages = set(json.loads(result.stdout))
    assert {"registry", "requests"} <= packages
    assert packages.isdisjoint({"web3", "eth_account", "py_ecc", "eth_abi", "pydantic"})
