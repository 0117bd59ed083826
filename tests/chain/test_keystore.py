"""Keystore files: create, import, list, unlock, password sources, and that no secret ever leaks."""

from __future__ import annotations

import json
import stat
import traceback
from pathlib import Path

import pytest
from eth_account import Account
from eth_keyfile.keyfile import get_default_work_factor_for_kdf

from registry.chain.keystore import (
    MIN_PASSWORD_LENGTH,
    AccountExists,
    AccountNotFound,
    InvalidLabel,
    InvalidPrivateKey,
    KeystoreCorrupt,
    KeystoreEntry,
    PasswordFileUnreadable,
    PasswordMismatch,
    PasswordMissing,
    PasswordTooShort,
    WrongPassword,
    address_of,
    create_account,
    import_account,
    list_accounts,
    resolve_password,
    unlock,
    validate_label,
)
from registry.errors import RegistryError
from registry.settings import Settings

PASSWORD = "correct horse battery"
# The example key of the Web3 Secret Storage docs; never funded anywhere that matters.
KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("RND_KEYSTORE_DIR", "RND_KEYSTORE_PASSWORD", "RND_KEYSTORE_SCRYPT_N"):
        monkeypatch.delenv(name, raising=False)
    # A scrypt cost of 2**4 instead of 2**18 keeps each encrypt and decrypt at milliseconds.
    return Settings(data_dir=tmp_path / "data", keystore_scrypt_n=2**4)


def assert_no_secret(error: BaseException, secret: str) -> None:
    """`secret` is nowhere in the error or any exception chained to it: message, repr or args."""
    seen: BaseException | None = error
    while seen is not None:
        for text in (str(seen), repr(seen), "".join(traceback.format_exception_only(seen))):
            assert secret.lower() not in text.lower()
        seen = seen.__cause__ or seen.__context__


# --- create, import, list, unlock ---------------------------------------------------------------


def test_created_account_is_listed_and_unlocks_to_its_address(settings: Settings) -> None:
    entry = create_account("city-admin", PASSWORD, settings=settings)

    assert entry.label == "city-admin"
    assert entry.path == settings.keystore_dir / "city-admin.json"
    assert list_accounts(settings=settings) == [entry]
    assert address_of("city-admin", settings=settings) == entry.address
    assert unlock("city-admin", PASSWORD, settings=settings).address == entry.address


def test_created_accounts_have_distinct_random_keys(settings: Settings) -> None:
    first = create_account("auditor", PASSWORD, settings=settings)
    second = create_account("acme-staff", PASSWORD, settings=settings)

    assert first.address != second.address
    assert [entry.label for entry in list_accounts(settings=settings)] == ["acme-staff", "auditor"]


@pytest.mark.parametrize("key", [KEY_HEX, "0x" + KEY_HEX, "0X" + KEY_HEX.upper(), f"  0x{KEY_HEX}\n"])
def test_imported_key_has_the_address_of_account_from_key(settings: Settings, key: str) -> None:
    expected = Account.from_key("0x" + KEY_HEX).address

    entry = import_account("acme-staff", key, PASSWORD, settings=settings)

    assert entry.address == expected
    assert unlock("acme-staff", PASSWORD, settings=settings).key.hex() == KEY_HEX


def test_list_is_empty_before_any_keystore_exists(settings: Settings) -> None:
    assert list_accounts(settings=settings) == []


def test_list_ignores_files_that_are_not_label_keystores(settings: Settings) -> None:
    entry = import_account("city-admin", KEY_HEX, PASSWORD, settings=settings)
    (settings.keystore_dir / "UTC--2024-01-01T00-00-00Z--abc.json").write_text("{}")
    (settings.keystore_dir / "notes.txt").write_text("hello")

    assert list_accounts(settings=settings) == [entry]


def test_list_reads_addresses_without_decrypting(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import_account("city-admin", KEY_HEX, PASSWORD, settings=settings)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("list_accounts must not decrypt")

    monkeypatch.setattr(Account, "decrypt", refuse)

    assert [entry.address for entry in list_accounts(settings=settings)] == [Account.from_key("0x" + KEY_HEX).address]


def test_damaged_keystore_file_raises_keystore_corrupt(settings: Settings) -> None:
    settings.keystore_dir.mkdir(parents=True)
    (settings.keystore_dir / "auditor.json").write_text("not json")

    with pytest.raises(KeystoreCorrupt) as raised:
        list_accounts(settings=settings)

    assert raised.value.label == "auditor"
    assert isinstance(raised.value, RegistryError)


# --- the file on disk ---------------------------------------------------------------------------


def test_keystore_file_is_0600_and_its_folder_0700(settings: Settings) -> None:
    entry = create_account("city-admin", PASSWORD, settings=settings)

    assert stat.S_IMODE(entry.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(settings.keystore_dir.stat().st_mode) == 0o700


def test_keystore_file_is_standard_and_decrypts_with_plain_eth_account(settings: Settings) -> None:
    entry = import_account("city-admin", "0x" + KEY_HEX, PASSWORD, settings=settings)

    keyfile = json.loads(entry.path.read_text())

    assert set(keyfile) == {"address", "crypto", "id", "version"}
    assert keyfile["version"] == 3
    assert keyfile["crypto"]["kdf"] == "scrypt"
    assert keyfile["crypto"]["kdfparams"]["n"] == settings.keystore_scrypt_n
    assert Account.decrypt(keyfile, PASSWORD).hex() == KEY_HEX


def test_keystore_dir_defaults_to_data_dir_and_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RND_KEYSTORE_DIR", raising=False)
    assert Settings(data_dir=tmp_path).keystore_dir == tmp_path / "keystore"

    monkeypatch.setenv("RND_KEYSTORE_DIR", str(tmp_path / "elsewhere"))
    assert Settings(data_dir=tmp_path).keystore_dir == tmp_path / "elsewhere"


def test_scrypt_cost_defaults_to_eth_accounts_standard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RND_KEYSTORE_SCRYPT_N", raising=False)
    assert Settings().keystore_scrypt_n == get_default_work_factor_for_kdf("scrypt")


# --- refusals -----------------------------------------------------------------------------------


def test_wrong_password_raises_wrong_password_naming_the_label(settings: Settings) -> None:
    create_account("auditor", PASSWORD, settings=settings)

    with pytest.raises(WrongPassword) as raised:
        unlock("auditor", "not the password", settings=settings)

    assert raised.value.label == "auditor"
    assert "the password does not open the keystore 'auditor'" in str(raised.value)
    assert raised.value.__context__ is None  # a chained exception's frames would hold the password
    assert_no_secret(raised.value, "not the password")
    assert_no_secret(raised.value, PASSWORD)


def test_unlocking_a_missing_label_lists_the_available_ones(settings: Settings) -> None:
    create_account("auditor", PASSWORD, settings=settings)
    create_account("city-admin", PASSWORD, settings=settings)

    with pytest.raises(AccountNotFound) as raised:
        unlock("acme-staff", PASSWORD, settings=settings)

    assert raised.value.label == "acme-staff"
    assert raised.value.available_labels == ["auditor", "city-admin"]
    assert "auditor, city-admin" in str(raised.value)


def test_address_of_a_missing_label_raises_account_not_found(settings: Settings) -> None:
    with pytest.raises(AccountNotFound) as raised:
        address_of("auditor", settings=settings)

    assert raised.value.available_labels == []


def test_duplicate_label_raises_account_exists_and_keeps_the_first_file(settings: Settings) -> None:
    first = import_account("city-admin", KEY_HEX, PASSWORD, settings=settings)
    before = first.path.read_bytes()

    with pytest.raises(AccountExists) as raised:
        create_account("city-admin", "another password", settings=settings)

    assert raised.value.label == "city-admin"
    assert raised.value.path == first.path
    assert first.path.read_bytes() == before
    assert list_accounts(settings=settings) == [first]


@pytest.mark.parametrize("label", ["city-admin", "acme_staff", "a", "x" * 40, "2025-auditor"])
def test_valid_labels_are_accepted(label: str) -> None:
    assert validate_label(label) == label


@pytest.mark.parametrize("label", ["", "City-Admin", "x" * 41, "city admin", "../city", "city.json", "städt", "a/b"])
def test_invalid_labels_are_rejected_before_anything_is_written(settings: Settings, label: str) -> None:
    with pytest.raises(InvalidLabel) as raised:
        create_account(label, PASSWORD, settings=settings)

    assert raised.value.label == label
    assert not settings.keystore_dir.exists()


def test_a_key_pasted_as_label_is_not_echoed(settings: Settings) -> None:
    with pytest.raises(InvalidLabel) as raised:
        unlock("0x" + KEY_HEX, PASSWORD, settings=settings)

    assert_no_secret(raised.value, KEY_HEX)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("0x4c0883a69102937d", "16 hexadecimal characters instead of 64"),
        ("zz" + KEY_HEX[2:], "not hexadecimal"),
        ("0x" + KEY_HEX[:-1] + "g", "not hexadecimal"),
        (KEY_HEX + "00", "66 hexadecimal characters instead of 64"),
        ("", "empty"),
        ("0x", "empty"),
        ("00" * 32, "outside the range"),
        (f"{SECP256K1_N:064x}", "outside the range"),
    ],
)
def test_invalid_private_key_is_refused_without_echoing_it(settings: Settings, key: str, reason: str) -> None:
    with pytest.raises(InvalidPrivateKey) as raised:
        import_account("acme-staff", key, PASSWORD, settings=settings)

    assert reason in str(raised.value)
    assert raised.value.__context__ is None
    if key.removeprefix("0x"):
        assert_no_secret(raised.value, key.removeprefix("0x"))
    assert list_accounts(settings=settings) == []


def test_short_password_is_refused_for_a_new_keystore(settings: Settings) -> None:
    short = "x" * (MIN_PASSWORD_LENGTH - 1)

    with pytest.raises(PasswordTooShort) as raised:
        create_account("auditor", short, settings=settings)

    assert raised.value.minimum == MIN_PASSWORD_LENGTH
    assert_no_secret(raised.value, short)
    assert list_accounts(settings=settings) == []


# --- no secret in repr, messages or dumps ---------------------------------------------------------


def test_keystore_entry_holds_no_key_or_password(settings: Settings) -> None:
    entry = import_account("city-admin", KEY_HEX, PASSWORD, settings=settings)

    assert set(KeystoreEntry.model_fields) == {"label", "address", "path"}
    for text in (repr(entry), str(entry), entry.model_dump_json()):
        assert KEY_HEX not in text.lower()
        assert PASSWORD not in text


# --- password sources ---------------------------------------------------------------------------


class ScriptedPrompt:
    """A getpass stand-in that answers from a list and records what it was asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, question: str) -> str:
        self.asked.append(question)
        return self.answers.pop(0)


@pytest.fixture
def no_env_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RND_KEYSTORE_PASSWORD", raising=False)


def test_password_file_beats_environment_and_prompt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    password_file = tmp_path / "password"
    password_file.write_text("from the file\nsecond line ignored\n")
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", "from the environment")
    prompt = ScriptedPrompt("from the prompt")

    assert resolve_password(password_file=password_file, prompt=prompt) == "from the file"
    assert prompt.asked == []


def test_environment_beats_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", "from the environment")
    prompt = ScriptedPrompt("from the prompt")

    assert resolve_password(prompt=prompt) == "from the environment"
    assert prompt.asked == []


def test_a_custom_environment_variable_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_PASSWORD", "auditor secret")

    assert resolve_password(env_var="AUDITOR_PASSWORD") == "auditor secret"


@pytest.mark.usefixtures("no_env_password")
def test_prompt_is_asked_when_no_file_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", "")  # set but empty counts as unset
    prompt = ScriptedPrompt("typed password")

    assert resolve_password(prompt=prompt, label="auditor") == "typed password"
    assert prompt.asked == ["Password for the keystore 'auditor': "]


@pytest.mark.usefixtures("no_env_password")
def test_new_password_is_typed_twice() -> None:
    prompt = ScriptedPrompt("typed password", "typed password")

    assert resolve_password(prompt=prompt, confirm=True) == "typed password"
    assert prompt.asked == ["Password for the new keystore: ", "Repeat the password: "]


@pytest.mark.usefixtures("no_env_password")
def test_confirmation_mismatch_raises_password_mismatch() -> None:
    prompt = ScriptedPrompt("typed password", "typed passwort")

    with pytest.raises(PasswordMismatch) as raised:
        resolve_password(prompt=prompt, confirm=True)

    assert_no_secret(raised.value, "typed password")
    assert_no_secret(raised.value, "typed passwort")


@pytest.mark.usefixtures("no_env_password")
def test_short_new_password_is_refused_before_asking_again() -> None:
    prompt = ScriptedPrompt("short", "short")

    with pytest.raises(PasswordTooShort):
        resolve_password(prompt=prompt, confirm=True)

    assert len(prompt.asked) == 1


def test_short_new_password_from_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", "short")

    with pytest.raises(PasswordTooShort):
        resolve_password(confirm=True)
    assert resolve_password() == "short"  # an existing keystore may have been made elsewhere


@pytest.mark.parametrize(
    ("content", "expected"),
    [("pass word\n", "pass word"), ("pass word\r\n", "pass word"), ("  pass word  ", "  pass word  ")],
)
def test_password_file_keeps_the_first_line_minus_its_newline(tmp_path: Path, content: str, expected: str) -> None:
    password_file = tmp_path / "password"
    password_file.write_bytes(content.encode())

    assert resolve_password(password_file=password_file) == expected


@pytest.mark.parametrize(
    ("content", "reason"), [(None, "No such file"), (b"\n", "empty"), (b"\xffsecret\xfe\n", "not UTF-8")]
)
def test_unreadable_password_file_raises_password_file_unreadable(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    password_file = tmp_path / "password"
    if content is not None:
        password_file.write_bytes(content)

    with pytest.raises(PasswordFileUnreadable) as raised:
        resolve_password(password_file=password_file)

    assert raised.value.path == password_file
    assert reason in str(raised.value)
    assert raised.value.__context__ is None  # a UnicodeDecodeError would carry the file's bytes
    assert_no_secret(raised.value, "secret")


@pytest.mark.usefixtures("no_env_password")
def test_no_password_source_raises_password_missing() -> None:
    with pytest.raises(PasswordMissing) as raised:
        resolve_password()

    assert str(raised.value) == (
        "no password given: use --password-file, set RND_KEYSTORE_PASSWORD, or run in a terminal"
    )


def test_resolved_password_round_trips_through_a_keystore(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    entry = create_account("auditor", resolve_password(password_file=password_file, confirm=True), settings=settings)

    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", PASSWORD)
    assert unlock("auditor", resolve_password(), settings=settings).address == entry.address
