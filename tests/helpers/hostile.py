"""Records written on chain the way a mischievous company or a careless office could: text that a
spreadsheet would run as a formula, and bidirectional controls that reorder what a reader sees.
The exports must neutralise every one and the portal must show each control as a visible mark."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from eth_utils.crypto import keccak
from web3 import Web3

from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, COMPANIES
from registry.domain.enums import OutcomeType
from registry.domain.records import ProgramTerms, ProjectTerms

#: A program name that starts a formula (`@`) and holds a right-to-left isolate (U+2067 ... U+2069).
PROGRAM_NAME = "@SUM(1+1)*cmd|' /C calc'!A0 \u2067악성 사업\u2069"
#: A field whose right-to-left override shows `fdp.exe` as `exe.pdf`.
PROGRAM_FIELD = "블록체인 보고서\u202efdp.exe"
PROGRAM_URI = "-2+3+cmd|' /C calc'!A0"
#: Outcome identifiers, each a way into a spreadsheet or a reader's eyes.
OUTCOME_IDS = [
    '=HYPERLINK("http://evil.example","x")',
    "10-2021-\u202e6543210",
    "\t=1+1",
    "\r=1+1",
    "+82-32-120-0000",
    "-42",
    "DOI 10.1000/\U0001f9ea-\u2066isolated\u2069",
]
#: Every bidi control the payloads hold.
BIDI_PAYLOAD_CONTROLS = {"\u202e", "\u2066", "\u2067", "\u2069"}


@dataclass(frozen=True)
class HostileRecords:
    program_id: int
    project_id: int
    company_id: bytes
    outcome_ids: list[int]


def write_hostile_records(w3: Web3, manifest: DeploymentManifest) -> HostileRecords:
    """A program named and described with the payloads, a project under it, and one outcome per
    identifier of `OUTCOME_IDS`, by a company the demo activity registered."""
    admin = RegistryClient(w3, manifest, account=dev_account(ADMIN))
    terms = ProgramTerms(name=PROGRAM_NAME, year=2023, budget=500_000_000, per_project_cap=100_000_000,
                         field=PROGRAM_FIELD, metadata_hash=keccak(text="hostile:notice"),
                         metadata_uri=PROGRAM_URI)  # fmt: skip
    program = admin.execute(admin.ops.create_program(terms)).record
    # A company account the demo activity bound (and left bound), and its company.
    clerk_index = next(i for i in COMPANIES if admin.company_of(dev_account(i).address) is not None)
    company = admin.company_of(dev_account(clerk_index).address)
    assert company is not None
    start = datetime.fromtimestamp(int(w3.eth.get_block("latest")["timestamp"]), UTC).replace(
        hour=0, minute=0, second=0
    )
    project = admin.execute(admin.ops.register_project(ProjectTerms(
        program_id=program.program_id, company_id=company, amount=50_000_000, start_date=start,
        end_date=start + timedelta(days=365), plan_hash=keccak(text="hostile:plan"),
    ))).record  # fmt: skip
    clerk = RegistryClient(w3, manifest, account=dev_account(clerk_index))
    outcomes = [
        clerk.execute(clerk.ops.add_outcome(project.project_id, OutcomeType.PATENT_APPLICATION, external,
                                            keccak(text=f"hostile:evidence:{n}"))).record.outcome_id
        for n, external in enumerate(OUTCOME_IDS)
    ]  # fmt: skip
    return HostileRecords(program.program_id, project.project_id, company, outcomes)
