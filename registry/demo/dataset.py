"""What the demo registry holds, as data.

Source: Incheon Metropolitan City's R&D activation plan (news of 2021-03-25, shared/seeds/). The 2021
budget of ₩1.6 billion and the per-project caps (planning consulting ₩20 million, new-growth-engine R&D
and commercialization support ₩100 million each) are the article's; how the ₩1.6 billion is split over
the three programs is illustrative. Every company, project, figure and identifier below is FICTIONAL.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.domain.roles import Role

DEMO_YEAR = 2021


@dataclass(frozen=True)
class DemoProgram:
    name: str
    budget: int
    per_project_cap: int
    field: str


@dataclass(frozen=True)
class DemoCompany:
    """A fictional company, acting through one of anvil's dev accounts."""

    account: int
    registration_number: str
    name: str
    business: str
    #: A later public name, published with `renameCompany`, when the demo shows a change of name.
    renamed: str | None = None


@dataclass(frozen=True)
class DemoPerson:
    """A dev account's role in the demo, for the list `rnd-registry up` prints."""

    account: int
    role: Role | None
    who: str
    company: DemoCompany | None = None


PROGRAMS = (
    DemoProgram("R&D기획 컨설팅 지원 (R&D planning consulting support)", 200_000_000, 20_000_000, "R&D planning"),
    DemoProgram(
        "신성장동력 R&D사업 (New-growth-engine R&D)", 800_000_000, 100_000_000, "D.N.A. (data, network, AI), blockchain"
    ),
    DemoProgram("R&D성과 사업화 지원 (R&D commercialization support)", 600_000_000, 100_000_000, "Commercialization"),
)

HANBIT = DemoCompany(3, "131-81-10001", "한빛데이터 (Hanbit Data, fictional)", "AI data platform")
BLOCKCAMPUS = DemoCompany(
    4,
    "131-81-10002",
    "블록캠퍼스 (BlockCampus, fictional)",
    "blockchain smart campus",
    renamed="블록캠퍼스랩 (BlockCampus Lab, fictional)",
)
EDUBRIDGE = DemoCompany(5, "131-81-10003", "에듀브릿지 (EduBridge, fictional)", "ed-tech")
SAFEKIDS = DemoCompany(7, "131-81-10004", "세이프키즈랩 (SafeKids Lab, fictional)", "child-safety software")
COMPANIES = (HANBIT, BLOCKCAMPUS, EDUBRIDGE, SAFEKIDS)

ADMIN, AUDITOR, PARTNER, RELAYER, SECOND_AUDITOR = 0, 1, 2, 6, 8
#: Every dev account the demo uses, in the order of their numbers.
PEOPLE = tuple(
    sorted(
        (
            DemoPerson(ADMIN, Role.ADMIN, "city R&D program office (top admin and admin; deployed the registry)"),
            DemoPerson(AUDITOR, Role.AUDITOR, "city auditor / evaluator"),
            DemoPerson(
                SECOND_AUDITOR,
                Role.AUDITOR,
                "second city auditor: confirms sanctions and answers objections to the first one's decisions",
            ),
            DemoPerson(PARTNER, Role.MEMBER, "Incheon Technopark, consortium partner (fictional account)"),
            *(
                DemoPerson(
                    c.account, None, f"company clerk of {c.name}, business registration number {c.registration_number}",
                    company=c,
                )
                for c in COMPANIES
            ),
            DemoPerson(RELAYER, None, "relayer: sends submissions that companies signed off chain (no role needed)"),
        ),
        key=lambda person: person.account,
    )
)
