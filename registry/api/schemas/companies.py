"""Response models of companies: the public name (상호) each was published under on chain, beside the
company id (the hash of its business registration number, which stays hashed)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance


class CompanyNameChange(ApiModel):
    """One publication of a company's name: its first binding's, or a change of name."""

    name: str = Field(examples=["(주)한빛데이터"])
    admin: Address = Field(description="The office account that published it.")
    provenance: Provenance = Field(description="The CompanyNamed event.")

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> CompanyNameChange:
        return cls(name=row["name"], admin=row["admin"], provenance=chain.event(row, chain.grant_registry))


class Company(ApiModel):
    """A company the registry names: its current public name and how many projects and accounts it has."""

    company_id: Hex32 = Field(
        description="keccak256 of 'brn:' and the company's 10-digit business registration number."
    )
    name: str = Field(description="The public name (상호) last published on chain.", examples=["(주)한빛데이터"])
    project_count: int = Field(description="Projects (grant agreements) of the company.")
    account_count: int = Field(description="Accounts bound to act for it now.")
    provenance: Provenance = Field(description="The first CompanyNamed event.")
    last_change: Provenance = Field(description="The CompanyNamed event of its current name.")

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Company:
        contract = chain.grant_registry
        return cls(
            company_id=row["company_id"], name=row["name"], project_count=row["project_count"],
            account_count=row["account_count"], provenance=chain.created(row, contract),
            last_change=chain.last_change(row, contract),
        )  # fmt: skip


class CompanyDetail(Company):
    names: list[CompanyNameChange] = Field(description="Every name it was published under, oldest first.")

    @classmethod
    def from_rows(cls, row: Row, names: Sequence[Row], chain: RegistryContracts) -> CompanyDetail:
        base = Company.from_row(row, chain)
        return cls(**dict(base), names=[CompanyNameChange.from_row(n, chain) for n in names])
