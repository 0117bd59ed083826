"""Compiles the registry contracts with the pinned solcjs, through py-solc-x, into artifacts.

The compiler settings live in `contracts/build.json`, which `hardhat.config.js` reads too, so both
toolchains compile the same sources with the same settings and produce the same bytecode.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solcx
from solcx.exceptions import SolcError

from registry.errors import CompilerError, ConfigurationError
from registry.settings import Settings, get_settings

_IMPORT = re.compile(r"""import\s+(?:[^;]*?\s+from\s+)?["']([^"']+)["']\s*;""")
_OUTPUTS = [
    "abi",
    "evm.bytecode.object",
    "evm.deployedBytecode.object",
    "evm.deployedBytecode.immutableReferences",
    "evm.methodIdentifiers",
    "metadata",
]


@dataclass(frozen=True)
class BuildConfig:
    """What to compile and how: the pinned compiler, the EVM target and optimizer settings."""

    solc_version: str
    evm_version: str
    supported_evm_versions: tuple[str, ...]
    optimizer: dict[str, Any]
    via_ir: bool
    contracts: tuple[str, ...]
    project_root: Path

    @classmethod
    def load(cls, settings: Settings | None = None, evm_version: str | None = None) -> BuildConfig:
        settings = settings or get_settings()
        path = settings.project_root / "contracts" / "build.json"
        raw = json.loads(path.read_text())
        chosen = evm_version or settings.evm_version or os.environ.get("RND_EVM_VERSION") or raw["evmVersion"]
        supported = tuple(raw["supportedEvmVersions"])
        if chosen not in supported:
            raise ConfigurationError(
                f"EVM version {chosen!r} is not one the contracts are tested for; choose one of {', '.join(supported)}"
            )
        return cls(
            solc_version=raw["solcVersion"],
            evm_version=chosen,
            supported_evm_versions=supported,
            optimizer=raw["optimizer"],
            via_ir=bool(raw["viaIR"]),
            contracts=tuple(raw["contracts"]),
            project_root=settings.project_root,
        )

    @property
    def settings(self) -> dict[str, Any]:
        """The `settings` object of the standard JSON input, minus output selection."""
        return {"evmVersion": self.evm_version, "optimizer": self.optimizer, "viaIR": self.via_ir}


@dataclass(frozen=True)
class Artifact:
    """One compiled contract: what a deployer and a client need, and how it was made."""

    contract_name: str
    source_name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    immutable_references: dict[str, list[dict[str, int]]]
    compiler_version: str
    settings: dict[str, Any]
    input_sha256: str

    def to_json(self) -> dict[str, Any]:
        return {
            "contractName": self.contract_name,
            "sourceName": self.source_name,
            "abi": self.abi,
            "bytecode": self.bytecode,
            "deployedBytecode": self.deployed_bytecode,
            "immutableReferences": self.immutable_references,
            "compilerVersion": self.compiler_version,
            "settings": self.settings,
            "inputSha256": self.input_sha256,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Artifact:
        return cls(
            contract_name=raw["contractName"],
            source_name=raw["sourceName"],
            abi=raw["abi"],
            bytecode=raw["bytecode"],
            deployed_bytecode=raw["deployedBytecode"],
            immutable_references=raw["immutableReferences"],
            compiler_version=raw["compilerVersion"],
            settings=raw["settings"],
            input_sha256=raw["inputSha256"],
        )


def solc_wrapper(project_root: Path) -> Path:
    """The executable that runs the pinned solcjs with a native solc's command line."""
    wrapper = project_root / "scripts" / "solc"
    solcjs = project_root / "node_modules" / "solc" / "solc.js"
    if not solcjs.exists():
        raise ConfigurationError(f"the Solidity compiler is not installed ({solcjs} is missing); run `npm ci`")
    return wrapper


def collect_sources(project_root: Path) -> dict[str, str]:
    """Every contract under contracts/ and everything it imports, by source unit name.

    Sources are passed inline, under the same unit names Hardhat uses (`contracts/...` for ours,
    the package path for npm imports), so the metadata, and with it the bytecode, is identical.
    """
    sources: dict[str, str] = {}
    pending = sorted(path.relative_to(project_root).as_posix() for path in (project_root / "contracts").rglob("*.sol"))
    while pending:
        unit = pending.pop()
        if unit in sources:
            continue
        sources[unit] = _read_unit(project_root, unit)
        for imported in _IMPORT.findall(sources[unit]):
            pending.append(_resolve_import(unit, imported))
    return dict(sorted(sources.items()))


def _read_unit(project_root: Path, unit: str) -> str:
    local = project_root / unit
    path = local if unit.startswith("contracts/") else project_root / "node_modules" / unit
    try:
        return path.read_text()
    except FileNotFoundError:
        raise ConfigurationError(f"cannot find Solidity source {unit} (looked at {path}); run `npm ci`") from None


def _resolve_import(importer: str, imported: str) -> str:
    if not imported.startswith("."):
        return imported
    parts = importer.split("/")[:-1]
    for piece in imported.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def standard_input(config: BuildConfig, *, with_ast: bool = False) -> dict[str, Any]:
    """The solc standard JSON input for the registry contracts."""
    selection: dict[str, Any] = {"*": {"*": list(_OUTPUTS)}}
    if with_ast:
        selection["*"][""] = ["ast"]
    return {
        "language": "Solidity",
        "sources": {unit: {"content": text} for unit, text in collect_sources(config.project_root).items()},
        "settings": {**config.settings, "outputSelection": selection},
    }


def run_solc(config: BuildConfig, input_json: dict[str, Any]) -> dict[str, Any]:
    """Runs the pinned compiler on a standard JSON input; raises `CompilerError` on any error."""
    try:
        output: dict[str, Any] = solcx.compile_standard(
            input_json, solc_binary=solc_wrapper(config.project_root), allow_empty=True
        )
    except SolcError as exc:
        raise CompilerError(f"the Solidity compiler failed: {exc}") from exc
    errors = [e for e in output.get("errors", []) if e.get("severity") == "error"]
    if errors:
        raise CompilerError("\n".join(e.get("formattedMessage", e.get("message", "")) for e in errors))
    return output


def compiler_version(config: BuildConfig) -> str:
    """The full version string of the pinned compiler, e.g. `0.8.28+commit.7893614a`."""
    version = solcx.wrapper.get_solc_version(solc_wrapper(config.project_root), with_commit_hash=True)
    text = str(version)
    if not text.startswith(config.solc_version):
        raise ConfigurationError(
            f"node_modules has solc {text}, but contracts/build.json pins {config.solc_version}; run `npm ci`"
        )
    return text


def compile_contracts(config: BuildConfig | None = None, *, out_dir: Path | None = None) -> dict[str, Artifact]:
    """Compiles the registry and writes one artifact per contract, reusing a build of the same input."""
    config = config or BuildConfig.load()
    out_dir = out_dir or get_settings().build_dir / config.evm_version
    input_json = standard_input(config)
    digest = hashlib.sha256(json.dumps(input_json, sort_keys=True).encode()).hexdigest()
    cached = _load_cached(out_dir, config.contracts, digest)
    if cached is not None:
        return cached

    version = compiler_version(config)
    output = run_solc(config, input_json)
    artifacts: dict[str, Artifact] = {}
    for source_name, contracts in output["contracts"].items():
        for name in config.contracts:
            if name not in contracts or source_name != f"contracts/{name}.sol":
                continue
            compiled = contracts[name]
            artifacts[name] = Artifact(
                contract_name=name,
                source_name=source_name,
                abi=compiled["abi"],
                bytecode="0x" + compiled["evm"]["bytecode"]["object"],
                deployed_bytecode="0x" + compiled["evm"]["deployedBytecode"]["object"],
                immutable_references=compiled["evm"]["deployedBytecode"].get("immutableReferences", {}),
                compiler_version=version,
                settings=config.settings,
                input_sha256=digest,
            )
    missing = set(config.contracts) - set(artifacts)
    if missing:
        raise CompilerError(f"the compiler produced no artifact for {', '.join(sorted(missing))}")
    out_dir.mkdir(parents=True, exist_ok=True)
    for artifact in artifacts.values():
        target = out_dir / f"{artifact.contract_name}.json"
        staging = target.with_suffix(".json.tmp")
        staging.write_text(json.dumps(artifact.to_json(), indent=1))
        staging.replace(target)
    return artifacts


def load_artifacts(config: BuildConfig | None = None) -> dict[str, Artifact]:
    """The artifacts of the current sources, compiling first if they are missing or stale."""
    return compile_contracts(config)


def _load_cached(out_dir: Path, names: tuple[str, ...], digest: str) -> dict[str, Artifact] | None:
    artifacts: dict[str, Artifact] = {}
    for name in names:
        path = out_dir / f"{name}.json"
        if not path.exists():
            return None
        artifact = Artifact.from_json(json.loads(path.read_text()))
        if artifact.input_sha256 != digest:
            return None
        artifacts[name] = artifact
    return artifacts
