// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Decision, ObjectionSubject} from "../Common.sol";
import {IDecisions} from "../interfaces/IDecisions.sol";
import {Programs} from "./Programs.sol";

/// @title The decisions a company may object to, and the holds objections put on sanctions
/// @notice Implements `IDecisions`; the modules that decide (milestone rejections, evaluations) note
/// their decisions here, the outcome registry notes report disputes.
/// @dev A decision is keyed by what it decided on, so a new rejection of the same milestone replaces
/// the earlier one; the outcome registry tells objections apart by the decision's time too.
abstract contract Decisions is Programs, IDecisions {
    mapping(bytes32 key => Decision decision) private _decisions;
    mapping(uint32 auditId => uint32 objectionId) private _sanctionHolds;

    /// @inheritdoc IDecisions
    function noteReportDispute(uint32 reportId, uint32 projectId, address auditor) external onlyRole(MODULE_ROLE) {
        _noteDecision(ObjectionSubject.ReportDispute, reportId, 0, projectId, auditor);
    }

    /// @inheritdoc IDecisions
    function holdSanction(uint32 auditId, uint32 objectionId) external onlyRole(MODULE_ROLE) {
        _sanctionHolds[auditId] = objectionId;
    }

    /// @inheritdoc IDecisions
    function releaseSanction(uint32 auditId, uint32 objectionId, bool upheld) external onlyRole(MODULE_ROLE) {
        if (_sanctionHolds[auditId] == objectionId) delete _sanctionHolds[auditId];
        if (upheld) _cancelPendingSanction(auditId, objectionId);
    }

    /// @inheritdoc IDecisions
    function decisionOf(ObjectionSubject subject, uint32 subjectId, uint32 milestoneIndex)
        external
        view
        returns (Decision memory)
    {
        return _decisions[_decisionKey(subject, subjectId, milestoneIndex)];
    }

    /// @inheritdoc IDecisions
    function sanctionHoldOf(uint32 auditId) public view returns (uint32) {
        return _sanctionHolds[auditId];
    }

    /// @dev Records that `decidedBy` decided on `subject` now; objections may follow within the
    /// project's program's window.
    function _noteDecision(
        ObjectionSubject subject,
        uint32 subjectId,
        uint32 milestoneIndex,
        uint32 projectId,
        address decidedBy
    ) internal {
        _decisions[_decisionKey(subject, subjectId, milestoneIndex)] = Decision({
            decidedBy: decidedBy,
            decidedAt: uint40(block.timestamp),
            projectId: projectId,
            objectionDays: _projectRules(_existingProject(projectId)).objectionDays
        });
    }

    /// @dev Cancels the sanction of `auditId` if it is still pending.
    function _cancelPendingSanction(uint32 auditId, uint32 objectionId) internal virtual;

    function _decisionKey(ObjectionSubject subject, uint32 subjectId, uint32 milestoneIndex)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(subject, subjectId, milestoneIndex));
    }
}
