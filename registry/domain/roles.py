"""The registry's roles: their Solidity constants, their on-chain ids, and the words people use."""

from __future__ import annotations

from enum import Enum

from eth_utils.crypto import keccak

#: What a company binding is called where roles are listed.
COMPANY_LABEL = "company"


class Role(Enum):
    """A role of the grant registry's AccessControl, valued by its Solidity constant name."""

    TOP_ADMIN = "DEFAULT_ADMIN_ROLE"
    ADMIN = "ADMIN_ROLE"
    AUDITOR = "AUDITOR_ROLE"
    MEMBER = "MEMBER_ROLE"
    MODULE = "MODULE_ROLE"

    @property
    def id(self) -> bytes:
        """The bytes32 role id on chain: zero for the top admin, else keccak256 of the constant name."""
        return bytes(32) if self is Role.TOP_ADMIN else keccak(text=self.value)

    @property
    def label(self) -> str:
        """The role in the words of the people who hold it: 'top admin', 'auditor'..."""
        return self.name.lower().replace("_", " ")

    @classmethod
    def from_id(cls, role_id: bytes) -> Role | None:
        return _BY_ID.get(bytes(role_id))

    @classmethod
    def parse(cls, text: str) -> Role:
        """A role a person may be given, as typed: admin, auditor or member."""
        wanted = text.strip().lower().replace("-", "_").removesuffix("_role")
        for role in GRANTABLE:
            if role.name.lower() == wanted:
                return role
        raise ValueError(f"unknown role {text!r}; the roles are {', '.join(r.label for r in GRANTABLE)}")


#: The roles granted to people through `member add`; the top admin changes hands by a delayed transfer
#: and the module role belongs to registry contracts.
GRANTABLE = (Role.ADMIN, Role.AUDITOR, Role.MEMBER)

_BY_ID = {role.id: role for role in Role}
