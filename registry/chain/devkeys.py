"""Anvil's well-known development accounts, for local demos and tests only.

Their private keys are public knowledge: anything they sign on a real chain can be forged by anyone.
Callers outside tests must warn before using them.
"""

from __future__ import annotations

from functools import lru_cache

from eth_account import Account
from eth_account.signers.local import LocalAccount

from registry.errors import RegistryError

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_ACCOUNT_COUNT = 10


class UnknownDevAccount(RegistryError):
    """A dev account number anvil does not have."""

    def __init__(self, index: int) -> None:
        self.index = index
        super().__init__(f"anvil has dev accounts 0 to {DEV_ACCOUNT_COUNT - 1}, not {index}")


def check_dev_account_number(index: int) -> int:
    """`index` if anvil has a dev account with that number; else `UnknownDevAccount`."""
    if not 0 <= index < DEV_ACCOUNT_COUNT:
        raise UnknownDevAccount(index)
    return index


@lru_cache(maxsize=DEV_ACCOUNT_COUNT)
def dev_account(index: int) -> LocalAccount:
    """Anvil's dev account number `index` (0 to 9)."""
    check_dev_account_number(index)
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account
