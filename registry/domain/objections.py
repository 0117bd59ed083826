"""How people name the decision an objection (이의신청) contests, in English and Korean: one wording for
the CLI, the client's operations, the refusals and `verify`'s citations."""

from __future__ import annotations

from registry.domain.enums import ObjectionSubject


def contested_record(subject: ObjectionSubject | int, subject_id: int, milestone_index: int = 0) -> str:
    """The record whose decision is contested: `milestone 2 of project 1` (`project 1` when the milestone is
    not known), `report 3`, `evaluation 4`."""
    subject = ObjectionSubject(subject)
    if subject is ObjectionSubject.MILESTONE_REJECTION:
        return f"milestone {milestone_index} of project {subject_id}" if milestone_index else f"project {subject_id}"
    if subject is ObjectionSubject.REPORT_DISPUTE:
        return f"report {subject_id}"
    return f"evaluation {subject_id}"


def contested_decision(subject: ObjectionSubject | int, subject_id: int, milestone_index: int = 0) -> str:
    """The contested decision itself: `rejection of milestone 2 of project 1`, `dispute of report 3`,
    `evaluation 4`."""
    subject = ObjectionSubject(subject)
    record = contested_record(subject, subject_id, milestone_index)
    if subject is ObjectionSubject.MILESTONE_REJECTION:
        return f"rejection of {record}" if milestone_index else f"rejection of a milestone of {record}"
    if subject is ObjectionSubject.REPORT_DISPUTE:
        return f"dispute of {record}"
    return record


def contested_decision_ko(subject: ObjectionSubject | int, subject_id: int, milestone_index: int = 0) -> str:
    """`contested_decision` in Korean: `1번 과제 2번 단계 목표의 반려`, `3번 실적 보고에 대한 이의`, `4번 평가`."""
    subject = ObjectionSubject(subject)
    if subject is ObjectionSubject.MILESTONE_REJECTION:
        milestone = f" {milestone_index}번 단계 목표" if milestone_index else " 단계 목표"
        return f"{subject_id}번 과제{milestone}의 반려"
    if subject is ObjectionSubject.REPORT_DISPUTE:
        return f"{subject_id}번 실적 보고에 대한 이의"
    return f"{subject_id}번 평가"
