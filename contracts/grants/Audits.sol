// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AnchorKind, Audit, AuditResult, Grade, ProjectStatus} from "../Common.sol";
import {IAudits} from "../interfaces/IAudits.sol";
import {Programs} from "./Programs.sol";

/// @title Evaluations and audits with their sanctions: clawbacks and participation restrictions
/// @notice Implements `IAudits`.
abstract contract Audits is Programs, IAudits {
    mapping(uint32 auditId => Audit audit) private _audits;
    uint32 private _auditCount;

    /// @inheritdoc IAudits
    function recordAudit(uint32 projectId, AuditResult calldata result)
        external
        onlyRole(AUDITOR_ROLE)
        returns (uint32 auditId)
    {
        ProjectRecord storage project = _existingProject(projectId);
        if (result.grade == Grade.None) revert AuditGradeMissing();
        if (result.clawbackAmount > project.amount) {
            revert AuditClawbackExceedsGrant(projectId, result.clawbackAmount, project.amount);
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
        emit AuditRecorded(
            auditId,
            projectId,
            _msgSender(),
            result.grade,
            result.findingsHash,
            result.clawbackAmount,
            result.restrictedUntil
        );
        if (result.clawbackAmount != 0) _setProjectStatus(projectId, ProjectStatus.ClawedBack, result.findingsHash);
        _restrictCompany(project.companyNo, result.restrictedUntil, auditId);
    }

    /// @inheritdoc IAudits
    function getAudit(uint32 auditId) external view returns (Audit memory audit) {
        audit = _audits[auditId];
        // slither-disable-next-line incorrect-equality -- Grade.None means no audit; no timestamp is compared here
        if (audit.grade == Grade.None) revert AuditNotFound(auditId);
    }

    /// @inheritdoc IAudits
    function auditCount() external view returns (uint32) {
        return _auditCount;
    }
}
