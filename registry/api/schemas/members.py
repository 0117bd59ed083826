"""Response models of membership: who holds which role, which accounts act for which company,
which companies are restricted, and the history of all of it. Only what the chain holds is shown:
addresses, company ids (hashes) and the public names the office published for companies."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp, from_unix
from registry.api.schemas.names import ByName
from registry.domain.roles import Role

RoleName = Annotated[Role, ByName(Role)]
_COMPANY_NAME = "The company's public name (상호) now (the last published on chain); null if never named."


def _role(role_id: bytes | None) -> Role | None:
    return None if role_id is None else Role.from_id(role_id)


class RoleMember(ApiModel):
    """An account holding, or once holding, a role of the grant registry."""

    role: RoleName | None = Field(description="The role's name; null for a role the registry does not define.")
    role_id: Hex32 = Field(description="The bytes32 role id on chain.")
    account: Address
    active: bool = Field(description="False once revoked.")
    provenance: Provenance = Field(description="The first RoleGranted event.")
    last_change: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> RoleMember:
        contract = chain.grant_registry
        return cls(
            role=_role(row["role"]), role_id=row["role"], account=row["account"], active=row["active"],
            provenance=chain.created(row, contract), last_change=chain.last_change(row, contract),
        )  # fmt: skip


class CompanyAccount(ApiModel):
    """An account bound to act for one company."""

    account: Address
    company_id: Hex32
    company_name: str | None = Field(description=_COMPANY_NAME)
    active: bool = Field(description="False once unbound.")
    provenance: Provenance = Field(description="The first CompanyAccountBound event.")
    last_change: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> CompanyAccount:
        contract = chain.grant_registry
        return cls(
            account=row["account"], company_id=row["company_id"], company_name=row["company_name"],
            active=row["active"],
            provenance=chain.created(row, contract), last_change=chain.last_change(row, contract),
        )  # fmt: skip


class CompanyRestriction(ApiModel):
    """A participation restriction an evaluation put on a company."""

    company_id: Hex32
    company_name: str | None = Field(description=_COMPANY_NAME)
    restricted_until: Timestamp
    audit_id: int = Field(description="The evaluation that set it.")
    provenance: Provenance
    last_change: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> CompanyRestriction:
        contract = chain.grant_registry
        return cls(
            company_id=row["company_id"], company_name=row["company_name"],
            restricted_until=from_unix(row["restricted_until"]),
            audit_id=row["audit_id"], provenance=chain.created(row, contract),
            last_change=chain.last_change(row, contract),
        )  # fmt: skip


class MembershipEvent(ApiModel):
    """A role granted or revoked, a company account bound or unbound, a company named or restricted."""

    action: str = Field(
        description="role-granted, role-revoked, company-bound, company-unbound, company-named or "
        "company-restricted",
        examples=["role-granted"],
    )
    role: RoleName | None
    role_id: Hex32 | None
    account: Address | None
    company_id: Hex32 | None
    company_name: str | None = Field(description=_COMPANY_NAME)
    actor: Address | None = Field(description="Who did it, when the event names them.")
    provenance: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> MembershipEvent:
        return cls(
            action=row["action"], role=_role(row["role"]), role_id=row["role"], account=row["account"],
            company_id=row["company_id"], company_name=row["company_name"], actor=row["actor"],
            provenance=chain.event(row, chain.grant_registry),
        )  # fmt: skip


class AdminTransferEvent(ApiModel):
    """A step of the two-step, delayed transfer of the top admin role, or of a change of its delay."""

    action: str = Field(
        description="transfer-scheduled, transfer-canceled, delay-change-scheduled or delay-change-canceled",
        examples=["transfer-scheduled"],
    )
    new_admin: Address | None
    new_delay: int | None = Field(description="Seconds, for a delay change.")
    schedule: Timestamp | None = Field(description="When the transfer or delay change may take effect.")
    provenance: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> AdminTransferEvent:
        schedule = row["schedule"]
        return cls(
            action=row["action"], new_admin=row["new_admin"], new_delay=row["new_delay"],
            schedule=None if schedule is None else from_unix(schedule),
            provenance=chain.event(row, chain.grant_registry),
        )  # fmt: skip
