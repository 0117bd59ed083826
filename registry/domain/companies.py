"""Company identities: the registry knows a company by the keccak256 hash of its business
registration number, never by name, so no personal or commercial data goes on chain."""

from __future__ import annotations

import re

from eth_utils.crypto import keccak

from registry.errors import RegistryError

_BRN = re.compile(r"^\d{3}-?\d{2}-?\d{5}$")


class InvalidBusinessNumber(RegistryError):
    """Not a Korean business registration number."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"{text!r} is not a business registration number; expected 10 digits such as 131-81-10001")


def company_id(business_number: str) -> bytes:
    """The on-chain identity of the company with this business registration number (사업자등록번호).

    `keccak256("brn:" + the ten digits)`; dashes and spaces do not change it.
    """
    text = business_number.strip().replace(" ", "")
    if not _BRN.match(text):
        raise InvalidBusinessNumber(business_number)
    return keccak(text="brn:" + text.replace("-", ""))
