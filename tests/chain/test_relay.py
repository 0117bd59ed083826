"""The relay's parts that need no chain: its limits, and which account it sends from (or why it is off)."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.chain.deployment import DeploymentManifest
from registry.chain.devkeys import dev_account
from registry.chain.keystore import import_account
from registry.chain.relay import RelayOff, RequestBuckets, relayer_account
from registry.settings import Settings

KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
PASSWORD = "relayer password"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_takes_a_burst_of_its_rate_then_one_every_60_over_rate_seconds() -> None:
    clock = Clock()
    buckets = RequestBuckets(3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(20.0)
    assert buckets.take("b") == 0.0, "each key has its own bucket"
    clock.now += 19.0
    assert buckets.take("a") == pytest.approx(1.0)
    clock.now += 1.0
    assert buckets.take("a") == 0.0
    assert buckets.take("a") == pytest.approx(20.0)
    clock.now += 3600.0
    assert [buckets.take("a") for _ in range(4)][-1] > 0, "an idle bucket refills to its burst, no further"


def test_buckets_forget_the_keys_that_refilled_once_there_are_too_many() -> None:
    clock = Clock()
    buckets = RequestBuckets(2, clock=clock, max_keys=3)
    for key in "abc":
        buckets.take(key)
    clock.now += 60.0
    buckets.take("d")
    assert set(buckets._buckets) == {"d"}


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("RND_RELAY_PASSWORD", "RND_KEYSTORE_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return Settings(data_dir=tmp_path / "data", keystore_scrypt_n=2**4)


def demo_manifest(chain_id: int) -> DeploymentManifest:
    return DeploymentManifest.model_construct(chain_id=chain_id)


def off(settings: Settings, chain_id: int = 31337) -> str:
    with pytest.raises(RelayOff) as refused:
        relayer_account(settings, demo_manifest(chain_id))
    assert refused.value.status == 503 and refused.value.reason == "relay-off"
    return refused.value.english


def test_the_relay_sends_from_the_keystore_its_password_file_opens(settings: Settings, tmp_path: Path) -> None:
    entry = import_account("relayer", KEY_HEX, PASSWORD, settings=settings)
    password_file = tmp_path / "relayer-password"
    password_file.write_text(PASSWORD + "\n")
    chosen = settings.model_copy(update={"relay_account": "relayer", "relay_password_file": password_file})
    assert relayer_account(chosen, demo_manifest(1337)).address == entry.address


def test_the_relay_password_may_come_from_the_environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    entry = import_account("relayer", KEY_HEX, PASSWORD, settings=settings)
    monkeypatch.setenv("RND_RELAY_PASSWORD", PASSWORD)
    chosen = settings.model_copy(update={"relay_account": "relayer"})
    assert relayer_account(chosen, demo_manifest(1337)).address == entry.address


def test_the_relay_is_off_and_says_why_when_its_keystore_cannot_be_opened(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_account("relayer", KEY_HEX, PASSWORD, settings=settings)
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", PASSWORD)  # the CLI's password is not the relay's
    chosen = settings.model_copy(update={"relay_account": "relayer"})
    assert off(chosen) == (
        "the relay is off: no password for the relayer's keystore 'relayer': set RND_RELAY_PASSWORD_FILE or "
        "RND_RELAY_PASSWORD"
    )
    monkeypatch.setenv("RND_RELAY_PASSWORD", "not the password")
    assert off(chosen) == (
        "the relay is off: the password does not open the relayer's keystore 'relayer'; check "
        "RND_RELAY_PASSWORD_FILE and RND_RELAY_PASSWORD"
    )
    assert off(chosen.model_copy(update={"relay_account": "nobody"})).startswith(
        "the relay is off: the relayer's keystore cannot be used: no keystore named 'nobody'"
    )


def test_the_relay_is_off_without_exactly_one_relayer_account(settings: Settings) -> None:
    assert off(settings) == (
        "the relay is off: no relayer account is configured (RND_RELAY_ACCOUNT; RND_RELAY_DEV_KEY on the local demo "
        "chain)"
    )
    both = settings.model_copy(update={"relay_account": "relayer", "relay_dev_key": 6})
    assert off(both) == "the relay is off: both RND_RELAY_ACCOUNT and RND_RELAY_DEV_KEY are set; set one"


def test_a_dev_key_relays_on_the_demo_chain_only(settings: Settings) -> None:
    demo = settings.model_copy(update={"relay_dev_key": 6})
    assert relayer_account(demo, demo_manifest(31337)).address == dev_account(6).address
    assert off(demo, chain_id=2021) == (
        "the relay is off: RND_RELAY_DEV_KEY is for the local demo chain (chain id 31337) only, and this registry is "
        "on chain 2021; configure a keystore account with RND_RELAY_ACCOUNT"
    )
