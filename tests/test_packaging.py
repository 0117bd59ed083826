"""The setup files at the top of the repository: pyproject.toml, the Makefile and CI's script do what the
README's two setup commands promise."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAKEFILE = ROOT / "Makefile"
LOCK_TIMEOUT = "DPkg::Lock::Timeout="


def pyproject() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def make_variables() -> dict[str, str]:
    """The Makefile's simple `NAME := value` variables."""
    found = re.findall(r"^([A-Z_]+)\s*:?=\s*(.*)$", MAKEFILE.read_text(), flags=re.MULTILINE)
    return dict(found)


def expanded(line: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\(([A-Z_]+)\)", lambda match: variables.get(match[1], match[0]), line)


def system_install_lines() -> list[tuple[str, str]]:
    """Every shell line of the Makefile, scripts/ and .ci/ that runs apt-get, with the file it is in
    (Makefile variables expanded); messages that only name the command are left out."""
    variables = make_variables()
    sources = [MAKEFILE, *sorted((ROOT / "scripts").glob("*.sh")), *sorted((ROOT / ".ci").iterdir())]
    lines = []
    for source in sources:
        for line in source.read_text().splitlines():
            if source == MAKEFILE:
                if re.match(r"^[A-Z_]+\s*:?=", line):
                    continue
                line = expanded(line, variables)
            for command in re.split(r"&&|;|\|\|", line):
                if re.search(r"\bapt-get\b.*\b(update|install|upgrade)\b", command) and "echo" not in command:
                    lines.append((source.name, command.strip()))
    return lines


def make_dry_run(target: str) -> str:
    """The commands `make` would run for `target` if nothing were installed yet."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(
        ["make", "--dry-run", "--always-make", target], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def test_the_license_is_an_spdx_expression_that_setuptools_reads_without_a_warning() -> None:
    project = pyproject()["project"]
    assert isinstance(project, dict)
    assert project["license"] == "Apache-2.0"
    # An SPDX `license` and a license classifier may not be given together (PEP 639).
    assert not [c for c in project.get("classifiers", []) if c.startswith("License ::")]
    build = pyproject()["build-system"]
    assert isinstance(build, dict)
    assert "setuptools>=77" in build["requires"], "PEP 639 license expressions need setuptools 77"


def test_every_system_install_waits_for_the_apt_lock_instead_of_failing() -> None:
    lines = system_install_lines()
    assert len(lines) >= 4, lines  # chromium and wrk: update and install each
    assert [(source, line) for source, line in lines if LOCK_TIMEOUT not in line] == []


def test_make_run_installs_the_runtime_without_the_test_tools() -> None:
    commands = make_dry_run("run")
    assert "pip install --quiet -e .\n" in commands
    assert ".[test]" not in commands
    assert ".installed-test" not in commands


@pytest.mark.parametrize("target", ["test", "lint", "pytest", "fuzz"])
def test_the_test_targets_install_the_test_tools(target: str) -> None:
    assert "pip install --quiet -e '.[test]'" in make_dry_run(target)


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    setup = readme.split("## The two setup commands", 1)[1].split("```", 2)[1]
    assert re.search(r"^make test\b", setup, flags=re.MULTILINE)
    assert "make test" in (ROOT / ".ci" / "run").read_text().splitlines()
