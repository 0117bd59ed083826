"""CLI fixtures: the commands run in-process, as a person would type them, against the session's
anvil chain and registry, with their own data directory (manifest, keystore, document store)."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.cli.main import app
from registry.settings import get_settings
from tests.helpers.registry import RegistryHarness, second_auditor_key


def reason(result: Result) -> str:
    """The single line that says why a command failed (warnings aside)."""
    lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("warning:")]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def refused_leaving(cli: Cli, state: Callable[[], Any], command: str, reason: str, *, exit_code: int) -> Result:
    """Runs a command that must fail with `exit_code` and one `error:` line containing `reason`,
    leaving `state()` (what the chain holds) exactly as it was."""
    before = state()
    result = cli.fails(command)
    assert result.exit_code == exit_code
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert reason in errors[0], errors[0]
    assert state() == before
    return result


@dataclass
class Cli:
    """Runs `rnd-registry ...` command lines and keeps their output."""

    runner: CliRunner
    data_dir: Path

    def __call__(self, command_line: str, *, input: str | None = None) -> Result:
        args = shlex.split(command_line)
        assert args[0] == "rnd-registry"
        return self.runner.invoke(app, args[1:], input=input, catch_exceptions=False)

    def ok(self, command_line: str, *, input: str | None = None) -> Result:
        result = self(command_line, input=input)
        assert result.exit_code == 0, f"{command_line!r} failed ({result.exit_code}):\n{result.output}"
        return result

    def fails(self, command_line: str, *, input: str | None = None) -> Result:
        """Runs a command that must fail: non-zero exit, a one-line reason, no traceback."""
        result = self(command_line, input=input)
        assert result.exit_code != 0, f"{command_line!r} should have failed:\n{result.output}"
        assert "Traceback" not in result.output
        return result

    def refused(self, command_line: str, *, input: str | None = None) -> str:
        """Runs a command that must fail and returns its one `error:` line (warnings aside)."""
        return reason(self.fails(command_line, input=input))


@pytest.fixture
def cli(
    registry: RegistryHarness,
    manifest: DeploymentManifest,
    anvil: AnvilProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Cli]:
    """The CLI on the session registry (reset after the test), with a fresh data directory."""
    data_dir = tmp_path / "data"
    manifest.write(data_dir / "deployment.json")
    monkeypatch.setenv("RND_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RND_RPC_URL", anvil.rpc_url)
    monkeypatch.setenv("RND_KEYSTORE_SCRYPT_N", "16")  # fast keystores in tests only
    monkeypatch.delenv("RND_ACCOUNT", raising=False)
    monkeypatch.delenv("RND_KEYSTORE_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield Cli(CliRunner(), data_dir)
    get_settings.cache_clear()


#: The password of keystores the CLI tests import.
TEST_PASSWORD = "correct horse battery"


@pytest.fixture
def second_auditor(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The options that sign as the session's second auditor (not a dev account: imported as a keystore)."""
    key_file = tmp_path / "auditor-b.key"
    key_file.write_text(bytes(second_auditor_key().key).hex() + "\n")
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", TEST_PASSWORD)
    cli.ok(f"rnd-registry account import auditor-b --key-file {key_file}")
    return "--account auditor-b"
