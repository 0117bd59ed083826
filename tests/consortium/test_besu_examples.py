"""The example Besu network in consortium/besu/ agrees with itself and with the contracts: the genesis
Besu's generator is given and the finished example are the same but for the validators, the
validators are four and encoded as QBFT expects, the milestones enable the contracts' default EVM
target, fees are off on the chain and the node, and the node offers PERM and account permissioning.

(No Besu runs here: these check the files, not a network started from them.)
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import rlp
from eth_utils.address import is_hex_address

from registry.settings import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "consortium" / "besu"
#: The genesis milestones after London that each EVM target of contracts/build.json needs.
TIME_MILESTONES = {"paris": set(), "shanghai": {"shanghaiTime"}, "cancun": {"shanghaiTime", "cancunTime"}}
#: Besu's QBFT mixHash: "ctical byzantine fault tolerance" in ASCII.
QBFT_MIX_HASH = "0x" + b"ctical byzantine fault tolerance".hex()


def read_json(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return loaded


def build() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((PROJECT_ROOT / "contracts" / "build.json").read_text())
    return loaded


def test_the_finished_genesis_is_the_generators_input_plus_the_validators() -> None:
    generator_input = read_json("qbftConfigFile.json")
    example = read_json("genesis.example.json")

    assert generator_input["blockchain"] == {"nodes": {"generate": True, "count": 4}}
    assert {k: v for k, v in example.items() if k != "extraData"} == generator_input["genesis"]
    assert example["mixHash"] == QBFT_MIX_HASH


def test_the_extra_data_names_four_validators_as_qbft_encodes_them() -> None:
    extra = bytes.fromhex(read_json("genesis.example.json")["extraData"][2:])

    vanity, validators, vote, round_number, seals = rlp.decode(extra)

    assert vanity == bytes(32)
    assert [len(v) for v in validators] == [20, 20, 20, 20]
    assert len(set(validators)) == 4
    assert (vote, round_number, seals) == ([], b"", [])


def test_the_milestones_enable_the_contracts_default_evm_target_and_fees_are_off() -> None:
    config = read_json("genesis.example.json")["config"]
    target = build()["evmVersion"]

    assert config["londonBlock"] == 0
    assert {key for key in config if key.endswith("Time")} == TIME_MILESTONES[target]
    assert config["zeroBaseFee"] is True
    assert "qbft" in config
    assert read_json("genesis.example.json")["alloc"] == {}


def test_the_readme_gives_the_genesis_milestones_of_every_supported_evm_target() -> None:
    readme = (EXAMPLES / "README.md").read_text()
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)`[^|]*\| ([^|]+) \|", readme, re.MULTILINE)}

    for target in build()["supportedEvmVersions"]:
        named = set(re.findall(r'"(\w+)": 0', rows[target]))
        assert named == {"londonBlock", *TIME_MILESTONES[target]}, target


def test_the_readme_deploys_to_the_genesis_chain_id_without_fees_and_confirmations() -> None:
    readme = (EXAMPLES / "README.md").read_text()
    chain_id = read_json("genesis.example.json")["config"]["chainId"]

    assert (
        f"RND_CHAIN_ID={chain_id} RND_GAS_PRICE=0 RND_EVM_VERSION={build()['evmVersion']} RND_CONFIRMATIONS=0" in readme
    )


def test_the_node_accepts_free_transactions_offers_perm_and_checks_accounts_against_its_file() -> None:
    node = tomllib.loads((EXAMPLES / "node.toml").read_text())

    assert node["min-gas-price"] == 0
    assert "PERM" in node["rpc-http-api"]
    assert node["rpc-http-host"] == "127.0.0.1"
    assert node["permissions-accounts-config-file-enabled"] is True
    assert (EXAMPLES / node["permissions-accounts-config-file"]).is_file()
    assert node["genesis-file"] == "genesis.json"


def test_the_starting_allowlist_holds_addresses_only() -> None:
    permissions = tomllib.loads((EXAMPLES / "permissions_config.toml").read_text())

    assert set(permissions) == {"accounts-allowlist"}
    assert all(is_hex_address(a) and a.startswith("0x") for a in permissions["accounts-allowlist"])


def test_every_file_the_readme_lists_exists() -> None:
    readme = (EXAMPLES / "README.md").read_text()
    listed = re.findall(r"^\| `(\w+(?:\.\w+)+)` \|", readme, re.MULTILINE)

    assert sorted(listed) == sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".json", ".toml"))
