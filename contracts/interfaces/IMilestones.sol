// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Milestone, MilestoneStatus} from "../Common.sol";

/// @title Milestones of a project: planned, submitted with evidence, approved or rejected
/// @notice The stored milestone is its current state; every submission and review is an event, so
/// the full history is on chain and never rewritten.
interface IMilestones {
    /// @notice A milestone was planned with its due date and payment tranche (won).
    /// @param projectId The project.
    /// @param milestoneIndex The milestone, counting from 1.
    /// @param actor The account that acted.
    /// @param dueDate Due date, unix seconds.
    /// @param tranche Payment tranche, won.
    /// @param descriptionHash SHA-256 of the milestone description, or zero.
    event MilestonePlanned(
        uint32 indexed projectId,
        uint32 indexed milestoneIndex,
        address indexed actor,
        uint40 dueDate,
        uint96 tranche,
        bytes32 descriptionHash
    );
    /// @notice The company submitted the milestone (attempt `attempt`, counting from 1) with evidence.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone, counting from 1.
    /// @param submitter The company account credited with the record (the signer when relayed).
    /// @param attempt Which submission this is, counting from 1.
    /// @param evidenceHashes SHA-256 of each evidence document.
    event MilestoneSubmitted(
        uint32 indexed projectId,
        uint32 indexed milestoneIndex,
        address indexed submitter,
        uint16 attempt,
        bytes32[] evidenceHashes
    );
    /// @notice An auditor approved submission `attempt`; its tranche counts as paid.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone, counting from 1.
    /// @param auditor The auditor account that acted.
    /// @param attempt Which submission this is, counting from 1.
    /// @param reviewHash SHA-256 of the review note, or zero.
    event MilestoneApproved(
        uint32 indexed projectId,
        uint32 indexed milestoneIndex,
        address indexed auditor,
        uint16 attempt,
        bytes32 reviewHash
    );
    /// @notice An auditor rejected submission `attempt` for the reason in `reasonHash`.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone, counting from 1.
    /// @param auditor The auditor account that acted.
    /// @param attempt Which submission this is, counting from 1.
    /// @param reasonHash SHA-256 of the document stating the reason.
    event MilestoneRejected(
        uint32 indexed projectId,
        uint32 indexed milestoneIndex,
        address indexed auditor,
        uint16 attempt,
        bytes32 reasonHash
    );

    /// @notice Project `projectId` has no milestone `milestoneIndex`.
    error MilestoneNotFound(uint32 projectId, uint32 milestoneIndex);
    /// @notice The milestone's status `status` does not allow this operation.
    error MilestoneStatusInvalid(uint32 projectId, uint32 milestoneIndex, MilestoneStatus status);
    /// @notice Planning `tranche` would exceed the grant; only `remaining` won is unplanned.
    error MilestoneTrancheExceedsGrant(uint32 projectId, uint96 tranche, uint96 remaining);
    /// @notice A milestone needs a due date.
    error MilestoneDueDateMissing();
    /// @notice Only the city admin plans milestones that release payment; a company plans tranche 0.
    error MilestoneTrancheReservedToAdmin(uint32 projectId, uint96 tranche);

    /// @notice Plans a milestone of a project.
    /// @param projectId The project.
    /// @param dueDate Due date, unix seconds.
    /// @param tranche Payment tranche released on approval, won; all tranches fit within the grant.
    /// Only the admin may set a non-zero tranche: payments are the city's to schedule.
    /// @param descriptionHash Hash of the milestone description document.
    /// @return milestoneIndex Index of the new milestone, counting from 1.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE` or acts for the project's company;
    /// - the project is active.
    function planMilestone(uint32 projectId, uint40 dueDate, uint96 tranche, bytes32 descriptionHash)
        external
        returns (uint32 milestoneIndex);

    /// @notice Submits a planned or rejected milestone with evidence documents.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone.
    /// @param evidenceHashes SHA-256 hashes of the evidence documents, at least one.
    /// Requirements:
    /// - caller acts for the project's company;
    /// - the project is active and the milestone planned or rejected.
    function submitMilestone(uint32 projectId, uint32 milestoneIndex, bytes32[] calldata evidenceHashes) external;

    /// @notice Approves the latest submission of a milestone.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone.
    /// @param reviewHash Hash of the review note, or zero.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`;
    /// - the milestone is submitted and the project still active (approval releases a tranche).
    function approveMilestone(uint32 projectId, uint32 milestoneIndex, bytes32 reviewHash) external;

    /// @notice Rejects the latest submission of a milestone; the company may resubmit, or object within
    /// the program's objection window.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone.
    /// @param reasonHash Hash of the document stating the reason; required.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`;
    /// - the milestone is submitted and the project still active.
    function rejectMilestone(uint32 projectId, uint32 milestoneIndex, bytes32 reasonHash) external;

    /// @notice A milestone's current state.
    /// @param projectId The project.
    /// @param milestoneIndex The milestone.
    function getMilestone(uint32 projectId, uint32 milestoneIndex) external view returns (Milestone memory);
}
