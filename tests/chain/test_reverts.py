"""Refusals explained in Korean as in English: every error the English table explains has a Korean text,
and the words it names values with are the portal's own."""

from __future__ import annotations

import json
from typing import Any

from registry.chain.reverts import _EXPLANATIONS, _KOREAN_EXPLANATIONS, KOREAN_LABELS, explain
from registry.domain.enums import SOLIDITY_ENUMS
from registry.domain.roles import Role
from registry.errors import ContractRevert, Unauthorized
from registry.settings import PROJECT_ROOT

ACCOUNT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"
_GROUPS = {"ProjectStatus": "project_status", "MilestoneStatus": "milestone_status", "OutcomeType": "outcome_type",
           "IpStatus": "ip_status", "ReportStatus": "report_status", "Role": "role",
           "SanctionStatus": "sanction_status", "ObjectionStatus": "objection_status",
           "ObjectionSubject": "objection_subject"}  # fmt: skip


def test_every_error_explained_in_english_is_explained_in_korean() -> None:
    assert sorted(_KOREAN_EXPLANATIONS) == sorted(_EXPLANATIONS)


def test_the_korean_words_for_values_are_the_portals() -> None:
    portal = json.loads((PROJECT_ROOT / "registry/web/messages/ko.json").read_text(encoding="utf-8"))
    for enum_name, labels in KOREAN_LABELS.items():
        members: list[Any] = list(Role) if enum_name == "Role" else list(SOLIDITY_ENUMS[enum_name])
        assert sorted(labels) == sorted(m.name for m in members), enum_name
        for name, label in labels.items():
            assert portal[f"enum.{_GROUPS[enum_name]}.{name.lower().replace('_', '-')}"] == label, (enum_name, name)


def test_a_refusal_is_explained_in_either_language_with_its_error_after_it() -> None:
    revert = Unauthorized(
        "ProjectUnauthorizedCompany", {"projectId": 3, "account": ACCOUNT}, b"", f"{ACCOUNT} does not act for ..."
    )
    signature = f"[ProjectUnauthorizedCompany(projectId=3, account={ACCOUNT})]"
    assert explain(revert, "en") == f"{ACCOUNT} does not act for ... {signature}"
    assert explain(revert, "ko") == f"{ACCOUNT} 계정은 3번 과제를 수행하는 기업의 계정이 아닙니다 {signature}"


def test_korean_amounts_and_statuses_read_as_korean() -> None:
    exceeded = ContractRevert(
        "ProgramBudgetExceeded", {"programId": 2, "remaining": 160_000_000, "amount": 200_000_000}, b""
    )
    assert explain(exceeded, "ko").startswith("2번 지원사업의 남은 예산은 1억 6,000만 원인데 2억 원을 요청했습니다")
    status = ContractRevert("MilestoneStatusInvalid", {"projectId": 1, "milestoneIndex": 2, "status": 3}, b"")
    assert explain(status, "ko").startswith("1번 과제의 2번 단계 목표는 '승인' 상태여서 이 작업을 할 수 없습니다")


def test_an_error_without_a_korean_text_is_named_in_a_korean_sentence() -> None:
    revert = ContractRevert("InvalidAccountNonce", {"account": ACCOUNT, "currentNonce": 4}, b"")
    assert (
        explain(revert, "ko")
        == f"등록부가 이 요청을 거부했습니다 [InvalidAccountNonce(account={ACCOUNT}, currentNonce=4)]"
    )
