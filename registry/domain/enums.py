"""The registry's enums, value for value the Solidity enums of `contracts/Common.sol`.

A test compares each against the compiler's AST, so the two cannot drift apart.
"""

from __future__ import annotations

from enum import IntEnum


class ProgramStatus(IntEnum):
    NONE = 0
    OPEN = 1
    CLOSED = 2


class ProjectStatus(IntEnum):
    NONE = 0
    ACTIVE = 1
    COMPLETED = 2
    TERMINATED = 3
    CLAWED_BACK = 4


class MilestoneStatus(IntEnum):
    NONE = 0
    PLANNED = 1
    SUBMITTED = 2
    APPROVED = 3
    REJECTED = 4


class OutcomeType(IntEnum):
    NONE = 0
    PAPER = 1
    PATENT_APPLICATION = 2
    PATENT_REGISTRATION = 3
    REPORT = 4
    RESEARCH_EQUIPMENT = 5
    TECHNOLOGY_SUMMARY = 6
    SOFTWARE = 7
    COMPOUND = 8
    BIOLOGICAL_RESOURCE = 9
    PLANT_VARIETY = 10
    PROTOTYPE = 11
    CERTIFICATION = 12
    TECHNOLOGY_TRANSFER = 13


class IpStatus(IntEnum):
    NONE = 0
    FILED = 1
    REGISTERED = 2
    LICENSED = 3
    TRANSFERRED = 4
    LAPSED = 5


class ReportStatus(IntEnum):
    NONE = 0
    COMMITTED = 1
    REPORTED = 2
    VERIFIED = 3
    DISPUTED = 4


class Grade(IntEnum):
    NONE = 0
    EXCELLENT = 1
    GOOD = 2
    FAIR = 3
    POOR = 4
    VERY_POOR = 5


class AnchorKind(IntEnum):
    NONE = 0
    DOCUMENT = 1
    PROGRAM_METADATA = 2
    PROJECT_PLAN = 3
    MILESTONE_DESCRIPTION = 4
    MILESTONE_EVIDENCE = 5
    REVIEW_NOTE = 6
    OUTCOME_EVIDENCE = 7
    IP_EVIDENCE = 8
    REPORT_EVIDENCE = 9
    AUDIT_FINDINGS = 10
    OBJECTION_EVIDENCE = 11


class SanctionStatus(IntEnum):
    NONE = 0
    PENDING = 1
    IN_EFFECT = 2
    CANCELLED = 3


class ObjectionSubject(IntEnum):
    NONE = 0
    MILESTONE_REJECTION = 1
    REPORT_DISPUTE = 2
    EVALUATION = 3


class ObjectionStatus(IntEnum):
    NONE = 0
    OPEN = 1
    UPHELD = 2
    DISMISSED = 3


#: Every enum mirrored from Solidity, by its Solidity name.
SOLIDITY_ENUMS: dict[str, type[IntEnum]] = {
    "ProgramStatus": ProgramStatus,
    "ProjectStatus": ProjectStatus,
    "MilestoneStatus": MilestoneStatus,
    "OutcomeType": OutcomeType,
    "IpStatus": IpStatus,
    "ReportStatus": ReportStatus,
    "Grade": Grade,
    "AnchorKind": AnchorKind,
    "SanctionStatus": SanctionStatus,
    "ObjectionSubject": ObjectionSubject,
    "ObjectionStatus": ObjectionStatus,
}


#: Outcome types that carry an intellectual-property status, as `Outcomes._carriesIp` decides on chain:
#: an amendment to one of these keeps the original's IP status; any other type starts with none.
IP_OUTCOME_TYPES: frozenset[OutcomeType] = frozenset(
    {
        OutcomeType.PATENT_APPLICATION,
        OutcomeType.PATENT_REGISTRATION,
        OutcomeType.SOFTWARE,
        OutcomeType.PLANT_VARIETY,
        OutcomeType.TECHNOLOGY_TRANSFER,
    }
)
