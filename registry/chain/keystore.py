"""Encrypted keystore files for the people who sign registry transactions, one `<label>.json` each.

Each file is plain Web3 Secret Storage (version 3, scrypt), exactly as `eth_account.Account.encrypt`
writes it, so any Ethereum wallet can import it. Private keys and passwords never appear in an
error message, a repr or a log line.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_keyfile.exceptions import EthKeyfileValueError
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from pydantic import BaseModel, ConfigDict

from registry.errors import RegistryError
from registry.settings import Settings, get_settings

PASSWORD_ENV_VAR = "RND_KEYSTORE_PASSWORD"
MIN_PASSWORD_LENGTH = 8
LABEL_PATTERN = re.compile(r"[a-z0-9_-]{1,40}")
LABEL_MAX_LENGTH = 40

# The order of the secp256k1 group: a private key is an integer in [1, N - 1].
_SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class KeystoreError(RegistryError):
    """Something about a keystore, its label or its password is wrong."""


class InvalidLabel(KeystoreError):
    """A keystore label is not 1-40 lowercase letters, digits, `-` or `_`."""

    def __init__(self, label: str) -> None:
        self.label = label
        # A long "label" may be a key pasted into the wrong place: say how long, not what.
        shown = repr(label) if len(label) <= LABEL_MAX_LENGTH else f"of {len(label)} characters"
        super().__init__(
            f"the label {shown} is not valid; use 1 to {LABEL_MAX_LENGTH} lowercase letters, digits, "
            "'-' or '_', e.g. 'city-admin'"
        )


class KeystoreExposed(KeystoreError):
    """A keystore file that other users of the machine can read or write."""

    def __init__(self, label: str, path: Path, mode: int) -> None:
        self.label = label
        self.path = path
        self.mode = mode
        super().__init__(
            f"the keystore '{label}' ({path}) can be read or changed by other users of this machine (mode "
            f"{mode:04o}); make it yours alone with `chmod 600 {path}` (RND_KEYSTORE_STRICT=1 refuses such files)"
        )


class AccountExists(KeystoreError):
    """A keystore with this label already exists; it is never overwritten."""

    def __init__(self, label: str, path: Path) -> None:
        self.label = label
        self.path = path
        super().__init__(
            f"a keystore named '{label}' already exists at {path}; choose another label "
            "(existing keystores are never overwritten)"
        )


class AccountNotFound(KeystoreError):
    """No keystore has this label."""

    def __init__(self, label: str, available_labels: list[str]) -> None:
        self.label = label
        self.available_labels = available_labels
        available = ", ".join(available_labels) if available_labels else "none yet"
        super().__init__(
            f"no keystore named '{label}' (available: {available}); check the label and RND_KEYSTORE_DIR "
            f"(`rnd-registry account list`), or create the account first (`rnd-registry account new {label}` "
            "or `rnd-registry account import`)"
        )


class WrongPassword(KeystoreError):
    """The password given does not decrypt the keystore."""

    def __init__(self, label: str) -> None:
        self.label = label
        super().__init__(
            f"the password does not open the keystore '{label}'; try again, or check "
            "--password-file and RND_KEYSTORE_PASSWORD"
        )


class KeystoreCorrupt(KeystoreError):
    """A keystore file is not readable Web3 Secret Storage JSON."""

    def __init__(self, label: str, path: Path, reason: str) -> None:
        self.label = label
        self.path = path
        self.reason = reason
        super().__init__(
            f"the keystore file {path} is damaged ({reason}); restore '{label}' from a backup or move the file away"
        )


class InvalidPrivateKey(KeystoreError):
    """A private key to import is malformed. The key itself is never part of the message."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"the private key is not valid ({reason}); it must be 64 hexadecimal characters, "
            "with or without a leading 0x"
        )


class PasswordMissing(KeystoreError):
    """No password came from a file, the environment or a terminal."""

    def __init__(self) -> None:
        super().__init__(f"no password given: use --password-file, set {PASSWORD_ENV_VAR}, or run in a terminal")


class PasswordFileUnreadable(KeystoreError):
    """The password file named cannot be read."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"cannot read the password file {path} ({reason}); check the path, or give the password "
            f"through {PASSWORD_ENV_VAR}"
        )


class PasswordTooShort(KeystoreError):
    """A password for a new keystore is shorter than the minimum."""

    def __init__(self, minimum: int) -> None:
        self.minimum = minimum
        super().__init__(f"the password for a new keystore must be at least {minimum} characters; choose a longer one")


class PasswordMismatch(KeystoreError):
    """The password typed twice for a new keystore differed."""

    def __init__(self) -> None:
        super().__init__("the two passwords typed do not match; run the command again")


class KeystoreEntry(BaseModel):
    """One keystore file: whose it is and where. Deliberately holds no key material."""

    model_config = ConfigDict(frozen=True)

    label: str
    address: ChecksumAddress
    path: Path


def validate_label(label: str) -> str:
    """`label` unchanged if it is a valid keystore label, else `InvalidLabel`."""
    if not LABEL_PATTERN.fullmatch(label):
        raise InvalidLabel(label)
    return label


def create_account(label: str, password: str, *, settings: Settings | None = None) -> KeystoreEntry:
    """Create a new random account and store it encrypted under `label`."""
    account: LocalAccount = Account.create()
    return _store(label, account.key, password, settings or get_settings())


def import_account(
    label: str, private_key_hex: str, password: str, *, settings: Settings | None = None
) -> KeystoreEntry:
    """Store an existing private key (64 hex characters, `0x` optional) encrypted under `label`."""
    return _store(label, _parse_private_key(private_key_hex), password, settings or get_settings())


def list_accounts(*, settings: Settings | None = None) -> list[KeystoreEntry]:
    """Every keystore in the keystore folder, by label. Reads each file's address; decrypts nothing."""
    folder = (settings or get_settings()).keystore_dir
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted(folder.glob("*.json")):
        # Other wallets' exports may sit beside ours; only `<label>.json` files are registry keystores.
        if LABEL_PATTERN.fullmatch(path.stem):
            entries.append(_entry(path.stem, path))
    return entries


def address_of(label: str, *, settings: Settings | None = None) -> ChecksumAddress:
    """The checksummed address of the keystore `label`, without asking for its password."""
    return _entry(label, _existing_path(label, settings or get_settings())).address


def exposure(label: str, *, settings: Settings | None = None) -> KeystoreExposed | None:
    """What is wrong with the keystore `label`'s permissions, if others can read or write it (as ssh checks a
    private key's); None when only its owner can."""
    path = _existing_path(label, settings or get_settings())
    mode = stat.S_IMODE(path.stat().st_mode)
    return KeystoreExposed(label, path, mode) if mode & 0o077 else None


def unlock(label: str, password: str, *, settings: Settings | None = None) -> LocalAccount:
    """Decrypt the keystore `label` into an account that can sign; with `keystore_strict`, only a keystore no
    one else can read or write."""
    settings = settings or get_settings()
    path = _existing_path(label, settings)
    if settings.keystore_strict and (exposed := exposure(label, settings=settings)) is not None:
        raise exposed
    keyfile = _read_keyfile(label, path)
    key = _decrypt(label, path, keyfile, password)
    if isinstance(key, KeystoreError):
        raise key
    account: LocalAccount = Account.from_key(key)
    if account.address != _entry(label, path).address:
        raise KeystoreCorrupt(label, path, "the stored address does not match the decrypted key")
    return account


def resolve_password(
    *,
    env_var: str = PASSWORD_ENV_VAR,
    password_file: Path | None = None,
    prompt: Callable[[str], str] | None = None,
    confirm: bool = False,
    label: str | None = None,
) -> str:
    """The password from, in order: `password_file` (first line), `env_var`, or `prompt`.

    `prompt` is a getpass-style callable supplied by the CLI when it runs in a terminal. `confirm`
    marks a password for a new keystore: it must be at least `MIN_PASSWORD_LENGTH` characters,
    and an interactive one is typed twice.
    """
    if password_file is not None:
        password = _read_password_file(password_file)
    elif os.environ.get(env_var):
        password = os.environ[env_var]
    elif prompt is not None:
        name = f" '{label}'" if label else ""
        password = prompt(f"Password for the {'new ' if confirm else ''}keystore{name}: ")
        if confirm:
            check_new_password(password)  # before asking again for a password that cannot be used
            if prompt("Repeat the password: ") != password:
                raise PasswordMismatch()
    else:
        raise PasswordMissing()
    if confirm:
        check_new_password(password)
    return password


def check_new_password(password: str) -> None:
    """`PasswordTooShort` unless `password` is long enough to protect a new keystore."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(MIN_PASSWORD_LENGTH)


def _store(label: str, key: bytes, password: str, settings: Settings) -> KeystoreEntry:
    validate_label(label)
    check_new_password(password)
    path = settings.keystore_dir / f"{label}.json"
    if path.exists():
        raise AccountExists(label, path)  # before the slow scrypt, not only at the write below
    keyfile = Account.encrypt(key, password, kdf="scrypt", iterations=settings.keystore_scrypt_n)
    _prepare_folder(settings.keystore_dir)
    try:
        # O_EXCL: two processes creating the same label cannot overwrite each other.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AccountExists(label, path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            json.dump(keyfile, file)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # a half-written file would block the label for good
        raise
    return KeystoreEntry(label=label, address=to_checksum_address(keyfile["address"]), path=path)


def _prepare_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)


def _decrypt(label: str, path: Path, keyfile: dict[str, Any], password: str) -> bytes | KeystoreError:
    # The failure is returned, for the caller to raise outside this `except`: raised here, it would
    # carry eth-keyfile's exception as context, whose traceback frames still hold the password.
    try:
        return bytes(Account.decrypt(keyfile, password))
    except EthKeyfileValueError:
        # eth-keyfile raises this for a MAC mismatch: the password derives the wrong key.
        return WrongPassword(label)
    except (KeyError, TypeError, ValueError, NotImplementedError) as exc:
        return KeystoreCorrupt(label, path, f"cannot decrypt: {type(exc).__name__}")


def _parse_private_key(private_key_hex: str) -> bytes:
    digits = private_key_hex.strip()
    if digits[:2] in ("0x", "0X"):
        digits = digits[2:]
    if not digits:
        raise InvalidPrivateKey("it is empty")
    if not set(digits) <= _HEX_DIGITS:
        raise InvalidPrivateKey("it contains characters that are not hexadecimal digits")
    if len(digits) != 64:
        raise InvalidPrivateKey(f"it has {len(digits)} hexadecimal characters instead of 64")
    if not 1 <= int(digits, 16) < _SECP256K1_N:
        raise InvalidPrivateKey("it is outside the range of secp256k1 keys")
    return bytes.fromhex(digits)


def _existing_path(label: str, settings: Settings) -> Path:
    validate_label(label)
    path = settings.keystore_dir / f"{label}.json"
    if not path.is_file():
        raise AccountNotFound(label, [entry.label for entry in list_accounts(settings=settings)])
    return path


def _read_keyfile(label: str, path: Path) -> dict[str, Any]:
    try:
        keyfile = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeystoreCorrupt(label, path, f"cannot read it: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KeystoreCorrupt(label, path, "it is not JSON") from None
    if not isinstance(keyfile, dict):
        raise KeystoreCorrupt(label, path, "it is not a JSON object")
    return keyfile


def _entry(label: str, path: Path) -> KeystoreEntry:
    address = _read_keyfile(label, path).get("address")
    try:
        checksummed = to_checksum_address(address if isinstance(address, str) else "")
    except ValueError:
        raise KeystoreCorrupt(label, path, "it has no valid 'address' field") from None
    return KeystoreEntry(label=label, address=checksummed, path=path)


def _read_password_file(path: Path) -> str:
    # Raised after the `try`, not inside `except`: a UnicodeDecodeError holds the file's bytes,
    # and must not ride along as the context of the error we raise.
    text: str | None = None
    reason = ""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    except UnicodeDecodeError:
        reason = "it is not UTF-8 text"
    if text is None:
        raise PasswordFileUnreadable(path, reason)
    password = text.split("\n", 1)[0].removesuffix("\r")
    if not password:
        raise PasswordFileUnreadable(path, "its first line is empty")
    return password
