"""The demo stack's wiring that needs nothing running: the API it starts relays from the demo's relayer."""

from __future__ import annotations

from pathlib import Path

from registry.demo.dataset import RELAYER
from registry.demo.stack import Stack
from registry.settings import Settings


def stack(tmp_path: Path, **settings: object) -> Stack:
    return Stack(Settings(data_dir=tmp_path, **settings), host="127.0.0.1", port=8000)  # type: ignore[arg-type]


def test_the_demo_api_relays_from_the_demo_relayer(tmp_path: Path) -> None:
    assert RELAYER == 6
    assert stack(tmp_path)._relay_environment() == {"RND_RELAY_DEV_KEY": "6"}


def test_a_relayer_the_operator_configured_is_kept(tmp_path: Path) -> None:
    assert stack(tmp_path, relay_account="relayer")._relay_environment() == {}
    assert stack(tmp_path, relay_dev_key=7)._relay_environment() == {}
