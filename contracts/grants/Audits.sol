// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {
    AnchorKind,
    Audit,
    AuditResult,
    Grade,
    ObjectionSubject,
    ProgramRules,
    ProjectStatus,
    Sanction,
    SanctionStatus
} from "../Common.sol";
import {IAudits} from "../interfaces/IAudits.sol";
import {Decisions} from "./Decisions.sol";

/// @title Evaluations and audits with their sanctions: clawbacks and participation restrictions,
/// each confirmed by a second auditor before it takes effect
/// @notice Implements `IAudits`.
abstract contract Audits is Decisions, IAudits {
    mapping(uint32 auditId => Audit audit) private _audits;
    mapping(uint32 auditId => Sanction sanction) private _sanctions;
    mapping(uint32 auditId => mapping(address auditor => bool)) private _confirmedBy;
    uint32 private _auditCount;
    uint8 private _sanctionQuorum = 2;

    /// @inheritdoc IAudits
    function recordAudit(uint32 projectId, AuditResult calldata result)
        external
        onlyRole(AUDITOR_ROLE)
        returns (uint32 auditId)
    {
        ProjectRecord storage project = _existingProject(projectId);
        if (result.grade == Grade.None) revert AuditGradeMissing();
        ProgramRules storage rules = _projectRules(project);
        uint96 clawbackLimit = uint96((uint256(project.amount) * rules.maxClawbackPercent) / 100);
        if (result.clawbackAmount > clawbackLimit) {
            revert AuditClawbackAboveLimit(projectId, result.clawbackAmount, clawbackLimit);
        }
        uint40 restrictionLimit = uint40(block.timestamp) + uint40(rules.maxRestrictionDays) * 1 days;
        if (result.restrictedUntil > restrictionLimit) {
            revert AuditRestrictionAboveLimit(projectId, result.restrictedUntil, restrictionLimit);
        }
        if (result.clawbackAmount != 0 && project.status == ProjectStatus.ClawedBack) {
            revert ProjectStatusInvalid(projectId, project.status);
        }
        _anchorRequired(result.findingsHash, AnchorKind.AuditFindings, _msgSender());
        auditId = ++_auditCount;
        _audits[auditId] = Audit({
            projectId: projectId,
            grade: result.grade,
            clawbackAmount: result.clawbackAmount,
            restrictedUntil: result.restrictedUntil,
            recordedAt: uint40(block.timestamp),
            auditor: _msgSender(),
            findingsHash: result.findingsHash
        });
        if (result.clawbackAmount != 0 || result.restrictedUntil > block.timestamp) {
            _sanctions[auditId] = Sanction({status: SanctionStatus.Pending, confirmations: 1});
            _confirmedBy[auditId][_msgSender()] = true;
        }
        _noteDecision(ObjectionSubject.Evaluation, auditId, 0, projectId, _msgSender());
        emit AuditRecorded(
            auditId,
            projectId,
            _msgSender(),
            result.grade,
            result.findingsHash,
            result.clawbackAmount,
            result.restrictedUntil
        );
    }

    /// @inheritdoc IAudits
    function confirmSanction(uint32 auditId) external onlyRole(AUDITOR_ROLE) {
        Audit storage audit = _existingAudit(auditId);
        Sanction storage sanction = _sanctions[auditId];
        if (sanction.status != SanctionStatus.Pending) revert AuditSanctionNotPending(auditId, sanction.status);
        if (_confirmedBy[auditId][_msgSender()]) revert AuditSanctionAlreadyConfirmed(auditId, _msgSender());
        uint32 objectionId = sanctionHoldOf(auditId);
        if (objectionId != 0) revert AuditSanctionObjected(auditId, objectionId);
        _confirmedBy[auditId][_msgSender()] = true;
        uint8 confirmations = sanction.confirmations + 1;
        sanction.confirmations = confirmations;
        bool inEffect = confirmations >= _sanctionQuorum;
        emit SanctionConfirmed(auditId, _msgSender(), confirmations, inEffect);
        if (inEffect) {
            sanction.status = SanctionStatus.InEffect;
            _applySanction(auditId, audit);
        }
    }

    /// @inheritdoc IAudits
    function setSanctionQuorum(uint8 quorum) external onlyRole(ADMIN_ROLE) {
        if (quorum < 2) revert AuditQuorumInvalid(quorum);
        _sanctionQuorum = quorum;
        emit SanctionQuorumChanged(quorum, _msgSender());
    }

    /// @inheritdoc IAudits
    function sanctionQuorum() external view returns (uint8) {
        return _sanctionQuorum;
    }

    /// @inheritdoc IAudits
    function sanctionOf(uint32 auditId) external view returns (Sanction memory) {
        _existingAudit(auditId);
        return _sanctions[auditId];
    }

    /// @inheritdoc IAudits
    function getAudit(uint32 auditId) external view returns (Audit memory) {
        return _existingAudit(auditId);
    }

    /// @inheritdoc IAudits
    function auditCount() external view returns (uint32) {
        return _auditCount;
    }

    /// @dev An objection against the evaluation was upheld.
    function _cancelPendingSanction(uint32 auditId, uint32 objectionId) internal override {
        Sanction storage sanction = _sanctions[auditId];
        if (sanction.status == SanctionStatus.Pending) {
            sanction.status = SanctionStatus.Cancelled;
            emit SanctionCancelled(auditId, objectionId);
        }
    }

    function _existingAudit(uint32 auditId) private view returns (Audit storage audit) {
        audit = _audits[auditId];
        // slither-disable-next-line incorrect-equality -- Grade.None means no audit; no timestamp is compared here
        if (audit.grade == Grade.None) revert AuditNotFound(auditId);
    }

    /// @dev A clawback ends the project and returns its unpaid part; a restriction bars the company.
    function _applySanction(uint32 auditId, Audit storage audit) private {
        uint32 projectId = audit.projectId;
        ProjectRecord storage project = _existingProject(projectId);
        if (audit.clawbackAmount != 0) {
            ProjectStatus status = project.status;
            if (status == ProjectStatus.ClawedBack) revert ProjectStatusInvalid(projectId, status);
            _setProjectStatus(projectId, ProjectStatus.ClawedBack, audit.findingsHash);
            if (status != ProjectStatus.Terminated) _returnUnpaid(projectId, project);
        }
        _restrictCompany(project.companyNo, audit.restrictedUntil, auditId);
    }
}
