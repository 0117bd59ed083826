"""`rnd-registry account` as the people who sign use it: keystores created, imported, listed, shown."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from registry.chain.devkeys import dev_account
from registry.cli import account as account_cli
from registry.settings import get_settings
from tests.cli.conftest import Cli, reason
from tests.helpers.registry import RegistryHarness

PASSWORD = "correct horse battery"
# The example key of the Web3 Secret Storage docs; never funded anywhere that matters.
KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
KEY_ADDRESS = "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"


def keystore(cli: Cli, label: str) -> Path:
    return cli.data_dir / "keystore" / f"{label}.json"


def prompts(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """Makes the commands believe a person sits at a terminal, typing `answers` in turn; returns the prompts."""
    asked: list[str] = []
    pending = list(answers)

    def prompt(text: str) -> str:
        asked.append(text)
        return pending.pop(0)

    def interactive() -> Callable[[str], str]:
        return prompt

    monkeypatch.setattr(account_cli, "hidden_prompt", interactive)
    return asked


@pytest.fixture
def password_env(monkeypatch: pytest.MonkeyPatch, cli: Cli) -> str:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", PASSWORD)
    return PASSWORD


def test_new_account_is_created_listed_and_shown_with_its_address(cli: Cli, password_env: str) -> None:
    created = json.loads(cli.ok("rnd-registry account new kim-auditor --json").stdout)
    assert keystore(cli, "kim-auditor").is_file()
    listed = json.loads(cli.ok("rnd-registry account list --json").stdout)
    assert [(a["label"], a["address"]) for a in listed] == [("kim-auditor", created["address"])]
    assert listed[0]["roles"] == []  # known to the registry, and holding nothing yet
    shown = cli.ok("rnd-registry account show kim-auditor")
    assert created["address"] in shown.stdout


def test_new_account_reads_its_password_from_a_file(cli: Cli, tmp_path: Path) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    cli.ok(f"rnd-registry account new city-admin --password-file {password_file}")
    assert keystore(cli, "city-admin").is_file()


def test_new_account_asks_for_the_password_twice_at_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = prompts(monkeypatch, PASSWORD, PASSWORD)
    cli.ok("rnd-registry account new kim-auditor")
    assert len(asked) == 2 and "Repeat" in asked[1]
    assert PASSWORD not in cli("rnd-registry account list").output


def test_mismatched_passwords_create_no_keystore(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    prompts(monkeypatch, PASSWORD, PASSWORD + "!")
    result = cli.fails("rnd-registry account new kim-auditor")
    assert "do not match" in reason(result)
    assert not keystore(cli, "kim-auditor").exists()


def test_short_password_is_refused(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", "short")
    assert "at least 8 characters" in reason(cli.fails("rnd-registry account new kim-auditor"))
    assert not keystore(cli, "kim-auditor").exists()


def test_new_account_without_any_password_source_is_refused(cli: Cli) -> None:
    assert "no password given" in reason(cli.fails("rnd-registry account new kim-auditor"))


def test_duplicate_label_is_refused_and_the_keystore_is_unchanged(cli: Cli, password_env: str) -> None:
    cli.ok("rnd-registry account new kim-auditor")
    before = keystore(cli, "kim-auditor").read_bytes()
    assert "already exists" in reason(cli.fails("rnd-registry account new kim-auditor"))
    key_file = cli.data_dir.parent / "key"
    key_file.write_text(KEY_HEX)
    assert "already exists" in reason(cli.fails(f"rnd-registry account import kim-auditor --key-file {key_file}"))
    assert keystore(cli, "kim-auditor").read_bytes() == before


def test_invalid_label_is_refused(cli: Cli, password_env: str) -> None:
    assert "is not valid" in reason(cli.fails("rnd-registry account new 'Kim Auditor'"))


def test_imported_key_gives_its_address_and_is_never_printed(cli: Cli, password_env: str, tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("0x" + KEY_HEX + "\n")
    result = cli.ok(f"rnd-registry account import city-admin --key-file {key_file}")
    assert KEY_ADDRESS in result.stdout
    assert KEY_HEX not in result.output
    assert KEY_HEX not in keystore(cli, "city-admin").read_text()


def test_key_is_read_from_standard_input(cli: Cli, password_env: str) -> None:
    result = cli.ok("rnd-registry account import city-admin --key-file - --json", input=KEY_HEX + "\n")
    assert json.loads(result.stdout)["address"] == KEY_ADDRESS


def test_key_is_asked_for_hidden_at_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = prompts(monkeypatch, KEY_HEX, PASSWORD, PASSWORD)
    result = cli.ok("rnd-registry account import city-admin")
    assert "Private key" in asked[0]
    assert KEY_ADDRESS in result.stdout and KEY_HEX not in result.output


def test_key_given_on_the_command_line_is_refused_without_echoing_it(cli: Cli, password_env: str) -> None:
    result = cli.fails(f"rnd-registry account import city-admin {KEY_HEX}")
    assert "never given on the command line" in reason(result)
    assert KEY_HEX not in result.output
    assert not keystore(cli, "city-admin").exists()


def test_malformed_key_is_refused_without_echoing_it(cli: Cli, password_env: str, tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(KEY_HEX[:-2] + "zz")
    result = cli.fails(f"rnd-registry account import city-admin --key-file {key_file}")
    assert "not hexadecimal" in reason(result)
    assert KEY_HEX[:-2] not in result.output
    assert not keystore(cli, "city-admin").exists()


def test_unreadable_key_file_is_refused(cli: Cli, password_env: str, tmp_path: Path) -> None:
    result = cli.fails(f"rnd-registry account import city-admin --key-file {tmp_path / 'missing'}")
    assert "cannot read the key file" in reason(result)


def test_import_in_a_script_without_a_key_file_is_refused(cli: Cli, password_env: str) -> None:
    assert "no private key given" in reason(cli.fails("rnd-registry account import city-admin"))


def test_importing_an_anvil_dev_key_warns_that_it_is_public(cli: Cli, password_env: str) -> None:
    result = cli.ok("rnd-registry account import demo-admin --key-file -", input=dev_account(0).key.hex())
    assert "warning:" in result.output and "private key is public" in result.output


def test_account_list_shows_the_registry_roles_of_each_account(
    cli: Cli, password_env: str, registry: RegistryHarness
) -> None:
    cli.ok("rnd-registry account import auditor --key-file -", input=dev_account(1).key.hex())
    cli.ok("rnd-registry account import company-a --key-file -", input=dev_account(3).key.hex())
    listed = {a["label"]: a for a in json.loads(cli.ok("rnd-registry account list --json").stdout)}
    assert listed["auditor"]["roles"] == ["auditor"]
    assert listed["company-a"]["roles"] == ["company"] and listed["company-a"]["companyId"].startswith("0x")
    text = cli.ok("rnd-registry account list").stdout
    assert "auditor" in text and registry.actors.auditor in text


def test_account_list_without_a_registry_still_lists_the_accounts(cli: Cli, password_env: str) -> None:
    cli.ok("rnd-registry account new kim-auditor")
    (cli.data_dir / "deployment.json").unlink()
    result = cli.ok("rnd-registry account list")
    assert "kim-auditor" in result.stdout
    assert "roles are not shown" in result.output and "rnd-registry deploy" in result.output


def test_account_list_with_no_accounts_says_how_to_make_one(cli: Cli) -> None:
    assert "account new LABEL" in cli.ok("rnd-registry account list").stdout


def test_unknown_label_is_refused_naming_the_available_ones(cli: Cli, password_env: str) -> None:
    cli.ok("rnd-registry account new kim-auditor")
    line = reason(cli.fails("rnd-registry account show lee-auditor"))
    assert "no keystore named 'lee-auditor'" in line and "kim-auditor" in line


@pytest.mark.parametrize("mode", [0o644, 0o666, 0o777])
def test_a_keystore_others_can_read_is_warned_about_and_refused_when_strict(
    cli: Cli, password_env: str, tmp_path: Path, registry: RegistryHarness, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(dev_account(0).key.hex() + "\n")
    cli.ok(f"rnd-registry account import city-admin --key-file {key_file}")
    path = keystore(cli, "city-admin")
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    path.chmod(mode)

    create = "rnd-registry program create X --year 2026 --budget 1억 --cap 1억 -a city-admin"
    done = cli.ok(create)
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and f"(mode {mode:04o})" in warnings[0] and f"chmod 600 {path}" in warnings[0]

    monkeypatch.setenv("RND_KEYSTORE_STRICT", "1")
    get_settings.cache_clear()
    block = registry.w3.eth.block_number
    line = cli.refused(create)
    assert "can be read or changed by other users" in line
    assert registry.w3.eth.block_number == block, "nothing was sent"

    path.chmod(0o600)
    cli.ok(create)  # strict, and the keystore is its owner's alone: signed, no warning
