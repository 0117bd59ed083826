"""Hardhat and py-solc-x compile the registry to the same bytes, for every EVM target build.json supports.

Both read `contracts/build.json`; these tests catch the day one of them drifts (a setting added to
`hardhat.config.js` only, a source unit renamed), which would make a deployment from one toolchain
fail verification against the artifacts of the other.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from registry.chain.compiler import Artifact, BuildConfig, collect_sources, compile_contracts
from registry.settings import get_settings

pytestmark = pytest.mark.slow

PROJECT_ROOT = get_settings().project_root
BUILD = json.loads((PROJECT_ROOT / "contracts" / "build.json").read_text())
EVM_VERSIONS: tuple[str, ...] = tuple(BUILD["supportedEvmVersions"])
PUSH0 = 0x5F


@dataclass(frozen=True)
class Builds:
    """One EVM target compiled by both toolchains."""

    config: BuildConfig
    python: dict[str, Artifact]
    hardhat: dict[str, dict[str, Any]]
    build_info: dict[str, dict[str, Any]]


def compile_with_both(evm_version: str, work_dir: Path) -> Builds:
    """Runs Hardhat in the background while py-solc-x compiles: on two cores that halves the wait."""
    config = BuildConfig.load(evm_version=evm_version)
    hardhat_dir = work_dir / "hardhat"
    env = {**os.environ, "RND_EVM_VERSION": evm_version, "RND_HARDHAT_BUILD_DIR": str(hardhat_dir)}
    hardhat = subprocess.Popen(
        ["npx", "--no-install", "hardhat", "compile", "--quiet"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # The default output folder caches each target's build by its input hash, so the other tests
        # that need the same target (the session fixtures, the EVM target tests) do not compile again.
        python = compile_contracts(config)
    finally:
        output, _ = hardhat.communicate(timeout=300)
    assert hardhat.returncode == 0, f"npx hardhat compile failed for {evm_version}:\n{output}"

    artifacts: dict[str, dict[str, Any]] = {}
    build_info: dict[str, dict[str, Any]] = {}
    for name in config.contracts:
        folder = hardhat_dir / "artifacts" / "contracts" / f"{name}.sol"
        artifacts[name] = json.loads((folder / f"{name}.json").read_text())
        debug = json.loads((folder / f"{name}.dbg.json").read_text())
        build_info[name] = json.loads((folder / debug["buildInfo"]).read_text())
    return Builds(config=config, python=python, hardhat=artifacts, build_info=build_info)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Builds]:
    """Compiles each EVM target once per module, on first use."""
    cache: dict[str, Builds] = {}

    def get(evm_version: str) -> Builds:
        if evm_version not in cache:
            cache[evm_version] = compile_with_both(evm_version, tmp_path_factory.mktemp(f"build-{evm_version}"))
        return cache[evm_version]

    return get


def opcodes(code: bytes) -> Iterator[int]:
    """The opcodes of legacy EVM code, stepping over PUSH immediates."""
    pc = 0
    while pc < len(code):
        op = code[pc]
        yield op
        pc += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)


def executable_code(artifact: Artifact) -> list[bytes]:
    """Constructor and runtime code, without the data solc appends to them.

    solc's legacy pipeline lays the creation code out as constructor code, then the runtime code,
    then any data of the constructor (the optimizer may move large constants there, for shanghai it
    does); the runtime ends with the CBOR metadata, whose length is in its last two bytes. Data the
    runtime keeps before its metadata is swept as if it were code, which can only add false alarms.
    """
    creation = bytes.fromhex(artifact.bytecode.removeprefix("0x"))
    runtime = bytes.fromhex(artifact.deployed_bytecode.removeprefix("0x"))
    start = creation.find(runtime)
    assert start > 0, f"{artifact.contract_name}: the creation code does not embed the runtime code"
    metadata_length = int.from_bytes(runtime[-2:], "big") + 2
    return [creation[:start], runtime[:-metadata_length]]


def uses_push0(artifact: Artifact) -> bool:
    return any(PUSH0 in opcodes(code) for code in executable_code(artifact))


@pytest.mark.parametrize("evm_version", EVM_VERSIONS)
def test_hardhat_and_py_solc_x_compile_identical_abi_and_bytecode(
    builds: Callable[[str], Builds], evm_version: str
) -> None:
    built = builds(evm_version)
    assert set(built.python) == set(BUILD["contracts"])
    for name, ours in built.python.items():
        theirs = built.hardhat[name]
        assert theirs["abi"] == ours.abi, f"{name}: ABI differs"
        # Byte for byte, including the metadata hash at the end: same sources, same settings.
        assert theirs["deployedBytecode"] == ours.deployed_bytecode, f"{name}: runtime bytecode differs"
        assert theirs["bytecode"] == ours.bytecode, f"{name}: creation bytecode differs"


@pytest.mark.parametrize("evm_version", EVM_VERSIONS)
def test_hardhat_compiles_the_same_sources_with_the_settings_of_build_json(
    builds: Callable[[str], Builds], evm_version: str
) -> None:
    built = builds(evm_version)
    sources = collect_sources(PROJECT_ROOT)
    for name, info in built.build_info.items():
        assert info["solcLongVersion"] == built.python[name].compiler_version
        settings = {key: value for key, value in info["input"]["settings"].items() if key != "outputSelection"}
        assert settings == built.config.settings, f"{name}: hardhat.config.js adds or changes a compiler setting"
        units = {unit: source["content"] for unit, source in info["input"]["sources"].items()}
        assert units == sources, f"{name}: Hardhat names or reads the source units differently"


def test_paris_build_metadata_records_the_paris_target(builds: Callable[[str], Builds]) -> None:
    built = builds("paris")
    for name, artifact in built.python.items():
        assert artifact.settings["evmVersion"] == "paris"
        # Identical bytecode means an identical metadata hash, so Hardhat's metadata is ours too.
        output = built.build_info[name]["output"]["contracts"][artifact.source_name][name]
        assert json.loads(output["metadata"])["settings"]["evmVersion"] == "paris"


def test_paris_build_has_no_push0_opcode(builds: Callable[[str], Builds]) -> None:
    # A chain still on paris rejects PUSH0 (EIP-3855) as an invalid opcode when the code runs.
    offenders = [name for name, artifact in builds("paris").python.items() if uses_push0(artifact)]
    assert offenders == []


@pytest.mark.skipif("shanghai" not in EVM_VERSIONS, reason="build.json does not target shanghai")
def test_shanghai_build_uses_push0_so_the_paris_check_can_see_it(builds: Callable[[str], Builds]) -> None:
    assert all(uses_push0(artifact) for artifact in builds("shanghai").python.values())
