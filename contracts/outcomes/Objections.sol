// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AnchorKind, Decision, Objection, ObjectionStatus, ObjectionSubject} from "../Common.sol";
import {IObjections} from "../interfaces/IObjections.sol";
import {GrantRegistryLink} from "./GrantRegistryLink.sol";

/// @title Objections to rejections, disputes and evaluations, resolved by another auditor
/// @notice Implements `IObjections`; the decisions and who may write are asked of the grant registry.
abstract contract Objections is GrantRegistryLink, IObjections {
    mapping(uint32 objectionId => Objection objection) private _objections;
    /// @dev One objection per decision, told apart by what was decided and when.
    mapping(bytes32 decision => uint32 objectionId) private _objectionOfDecision;
    uint32 private _objectionCount;

    /// @inheritdoc IObjections
    function fileObjection(ObjectionSubject subject, uint32 subjectId, uint32 milestoneIndex, bytes32 evidenceHash)
        external
        returns (uint32 objectionId)
    {
        Decision memory decision = _grants.decisionOf(subject, subjectId, milestoneIndex);
        if (decision.decidedAt == 0) revert ObjectionDecisionNotFound(subject, subjectId, milestoneIndex);
        _companyProject(decision.projectId, _msgSender());
        uint40 deadline = decision.decidedAt + uint40(decision.objectionDays) * 1 days;
        if (block.timestamp > deadline) revert ObjectionWindowClosed(subject, subjectId, deadline);
        bytes32 key = keccak256(abi.encode(subject, subjectId, milestoneIndex, decision.decidedAt));
        uint32 filed = _objectionOfDecision[key];
        if (filed != 0) revert ObjectionAlreadyFiled(filed);
        _anchorRequired(evidenceHash, AnchorKind.ObjectionEvidence, _msgSender());
        objectionId = ++_objectionCount;
        _objectionOfDecision[key] = objectionId;
        _objections[objectionId] = Objection({
            projectId: decision.projectId,
            subject: subject,
            subjectId: subjectId,
            milestoneIndex: milestoneIndex,
            status: ObjectionStatus.Open,
            filedAt: uint40(block.timestamp),
            filedBy: _msgSender(),
            decidedBy: decision.decidedBy,
            resolvedBy: address(0)
        });
        emit ObjectionFiled(
            objectionId, decision.projectId, _msgSender(), subject, subjectId, milestoneIndex, evidenceHash
        );
        // slither-disable-next-line reentrancy-benign,reentrancy-events -- our grant registry makes no external call
        if (subject == ObjectionSubject.Evaluation) _grants.holdSanction(subjectId, objectionId);
    }

    /// @inheritdoc IObjections
    function resolveObjection(uint32 objectionId, bool upheld, bytes32 reasonHash) external {
        _requireAuditor(_msgSender());
        Objection storage objection = _existingObjection(objectionId);
        if (objection.status != ObjectionStatus.Open) revert ObjectionNotOpen(objectionId, objection.status);
        if (objection.decidedBy == _msgSender()) revert ObjectionOwnDecision(objectionId, _msgSender());
        _anchorRequired(reasonHash, AnchorKind.ReviewNote, _msgSender());
        objection.status = upheld ? ObjectionStatus.Upheld : ObjectionStatus.Dismissed;
        objection.resolvedBy = _msgSender();
        emit ObjectionResolved(objectionId, _msgSender(), upheld, reasonHash);
        if (objection.subject == ObjectionSubject.Evaluation) {
            // slither-disable-next-line reentrancy-events -- our grant registry makes no external call
            _grants.releaseSanction(objection.subjectId, objectionId, upheld);
        }
    }

    /// @inheritdoc IObjections
    function getObjection(uint32 objectionId) external view returns (Objection memory) {
        return _existingObjection(objectionId);
    }

    /// @inheritdoc IObjections
    function objectionCount() external view returns (uint32) {
        return _objectionCount;
    }

    function _existingObjection(uint32 objectionId) private view returns (Objection storage objection) {
        objection = _objections[objectionId];
        if (objection.status == ObjectionStatus.None) revert ObjectionNotFound(objectionId);
    }
}
