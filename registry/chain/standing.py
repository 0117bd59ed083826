"""An account's standing in the registry as the chain says it at its head: the roles it holds and the
company it is bound to. The API asks it of whoever publishes a document, never of the SQL copy."""

from __future__ import annotations

from dataclasses import dataclass

from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address

from registry.chain.client import RegistryClient
from registry.domain.roles import Role
from registry.domain.types import ZERO_HASH

#: The roles that make an account one of the registry's own (the module role belongs to contracts).
PERSON_ROLES = (Role.TOP_ADMIN, Role.ADMIN, Role.AUDITOR, Role.MEMBER)


@dataclass(frozen=True)
class Standing:
    """What the chain said of `account` at block `block`: its roles, and its company (None if unbound)."""

    account: ChecksumAddress
    block: int
    roles: tuple[Role, ...]
    company_id: bytes | None

    @property
    def is_registry_account(self) -> bool:
        """Whether the account holds one of the registry's roles or is a company's bound account."""
        return bool(self.roles) or self.company_id is not None


def standing_at_head(client: RegistryClient, account: str) -> Standing:
    """`account`'s roles and company binding, each read at the same block: the chain's head when asked."""
    address = to_checksum_address(account)
    block = int(client.w3.eth.block_number)
    functions = client.grants.functions
    roles = tuple(role for role in PERSON_ROLES if client.read(functions.hasRole(role.id, address), block))
    company = bytes(client.read(functions.companyOf(address), block))
    return Standing(address, block, roles, None if company == ZERO_HASH else company)
