"""`registry/checking/abi.json`, the ABI the checkers read without a deployment manifest, is exactly
the compiled contracts' events and views."""

from __future__ import annotations

import json
from typing import Any

from registry.chain.compiler import Artifact
from registry.checking.spec import registry_abi


def _canonical(entries: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(entry, sort_keys=True) for entry in entries)


def test_abi_file_holds_the_compiled_events_and_views(artifacts: dict[str, Artifact]) -> None:
    shipped = registry_abi()
    assert set(shipped) == {"GrantRegistry", "OutcomeRegistry", "RegistryForwarder"}
    for name, entries in shipped.items():
        compiled = [
            entry
            for entry in artifacts[name].abi
            if entry["type"] == "event"
            or (entry["type"] == "function" and entry.get("stateMutability") in {"view", "pure"})
        ]
        assert _canonical(entries) == _canonical(compiled), name
