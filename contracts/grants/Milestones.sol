// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AnchorKind, Milestone, MilestoneStatus, ObjectionSubject, ProjectStatus} from "../Common.sol";
import {IMilestones} from "../interfaces/IMilestones.sol";
import {Decisions} from "./Decisions.sol";

/// @title Milestones: plan, submit with evidence, approve or reject, resubmit
/// @notice Implements `IMilestones`.
/// @dev The hot path is `submitMilestone`: it reads the caller's binding, the project's one slot and
/// the milestone's first slot, writes that slot and anchors each evidence hash.
abstract contract Milestones is Decisions, IMilestones {
    mapping(uint32 projectId => mapping(uint32 milestoneIndex => Milestone)) private _milestones;

    /// @inheritdoc IMilestones
    function planMilestone(uint32 projectId, uint40 dueDate, uint96 tranche, bytes32 descriptionHash)
        external
        returns (uint32 milestoneIndex)
    {
        ProjectRecord storage project = _existingProject(projectId);
        bool byAdmin = hasRole(ADMIN_ROLE, _msgSender());
        if (!byAdmin) _companyProject(projectId, _msgSender());
        _requireProjectStatus(projectId, project, ProjectStatus.Active);
        if (!byAdmin && tranche != 0) revert MilestoneTrancheReservedToAdmin(projectId, tranche);
        if (dueDate == 0) revert MilestoneDueDateMissing();
        MilestoneBook storage book = _milestoneBooks[projectId];
        uint96 remaining = project.amount - book.plannedTranches;
        if (tranche > remaining) revert MilestoneTrancheExceedsGrant(projectId, tranche, remaining);

        book.plannedTranches += tranche;
        milestoneIndex = ++book.milestoneCount;
        _milestones[projectId][milestoneIndex] = Milestone({
            status: MilestoneStatus.Planned,
            attempts: 0,
            dueDate: dueDate,
            tranche: tranche,
            descriptionHash: descriptionHash
        });
        _anchorIfAny(descriptionHash, AnchorKind.MilestoneDescription, _msgSender());
        emit MilestonePlanned(projectId, milestoneIndex, _msgSender(), dueDate, tranche, descriptionHash);
    }

    /// @inheritdoc IMilestones
    function submitMilestone(uint32 projectId, uint32 milestoneIndex, bytes32[] calldata evidenceHashes) external {
        _submitMilestone(_msgSender(), projectId, milestoneIndex, evidenceHashes);
    }

    /// @inheritdoc IMilestones
    function approveMilestone(uint32 projectId, uint32 milestoneIndex, bytes32 reviewHash)
        external
        onlyRole(AUDITOR_ROLE)
    {
        Milestone storage milestone = _submittedMilestone(projectId, milestoneIndex);
        _requireProjectStatus(projectId, _existingProject(projectId), ProjectStatus.Active);
        milestone.status = MilestoneStatus.Approved;
        _milestoneBooks[projectId].paidTranches += milestone.tranche;
        _anchorIfAny(reviewHash, AnchorKind.ReviewNote, _msgSender());
        emit MilestoneApproved(projectId, milestoneIndex, _msgSender(), milestone.attempts, reviewHash);
    }

    /// @inheritdoc IMilestones
    function rejectMilestone(uint32 projectId, uint32 milestoneIndex, bytes32 reasonHash)
        external
        onlyRole(AUDITOR_ROLE)
    {
        Milestone storage milestone = _submittedMilestone(projectId, milestoneIndex);
        _requireProjectStatus(projectId, _existingProject(projectId), ProjectStatus.Active);
        _anchorRequired(reasonHash, AnchorKind.ReviewNote, _msgSender());
        milestone.status = MilestoneStatus.Rejected;
        _noteDecision(ObjectionSubject.MilestoneRejection, projectId, milestoneIndex, projectId, _msgSender());
        emit MilestoneRejected(projectId, milestoneIndex, _msgSender(), milestone.attempts, reasonHash);
    }

    /// @inheritdoc IMilestones
    function getMilestone(uint32 projectId, uint32 milestoneIndex) external view returns (Milestone memory) {
        Milestone storage milestone = _milestones[projectId][milestoneIndex];
        if (milestone.status == MilestoneStatus.None) revert MilestoneNotFound(projectId, milestoneIndex);
        return milestone;
    }

    /// @dev Submission by `account`, the caller or the signer of a relayed submission.
    function _submitMilestone(
        address account,
        uint32 projectId,
        uint32 milestoneIndex,
        bytes32[] calldata evidenceHashes
    ) internal {
        ProjectRecord storage project = _companyProject(projectId, account);
        _requireProjectStatus(projectId, project, ProjectStatus.Active);
        Milestone storage milestone = _milestones[projectId][milestoneIndex];
        MilestoneStatus status = milestone.status;
        if (status == MilestoneStatus.None) revert MilestoneNotFound(projectId, milestoneIndex);
        if (status != MilestoneStatus.Planned && status != MilestoneStatus.Rejected) {
            revert MilestoneStatusInvalid(projectId, milestoneIndex, status);
        }
        uint256 count = evidenceHashes.length;
        if (count == 0) revert EvidenceMissing();
        for (uint256 i = 0; i < count; ++i) {
            _anchorRequired(evidenceHashes[i], AnchorKind.MilestoneEvidence, account);
        }
        uint16 attempt = milestone.attempts + 1;
        milestone.status = MilestoneStatus.Submitted;
        milestone.attempts = attempt;
        emit MilestoneSubmitted(projectId, milestoneIndex, account, attempt, evidenceHashes);
    }

    function _submittedMilestone(uint32 projectId, uint32 milestoneIndex)
        private
        view
        returns (Milestone storage milestone)
    {
        milestone = _milestones[projectId][milestoneIndex];
        MilestoneStatus status = milestone.status;
        if (status == MilestoneStatus.None) revert MilestoneNotFound(projectId, milestoneIndex);
        if (status != MilestoneStatus.Submitted) revert MilestoneStatusInvalid(projectId, milestoneIndex, status);
    }
}
