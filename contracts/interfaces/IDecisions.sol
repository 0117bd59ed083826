// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Decision, ObjectionSubject} from "../Common.sol";

/// @title The decisions a company may object to, as the grant registry keeps them
/// @notice Milestone rejections and evaluations are recorded here when made; report disputes are
/// noted here by the outcome registry. Objections themselves are filed in the outcome registry
/// (`IObjections`), which holds an evaluation's sanction here while an objection to it is open.
interface IDecisions {
    /// @notice Records that `auditor` disputed report `reportId` of project `projectId` now.
    /// @param reportId The report.
    /// @param projectId Its project.
    /// @param auditor The auditor who disputed it.
    /// Requirements:
    /// - caller holds `MODULE_ROLE` (the outcome registry).
    function noteReportDispute(uint32 reportId, uint32 projectId, address auditor) external;

    /// @notice Holds the sanction of `auditId`: objection `objectionId` against it is open.
    /// @param auditId The audit.
    /// @param objectionId The objection.
    /// Requirements:
    /// - caller holds `MODULE_ROLE` (the outcome registry).
    function holdSanction(uint32 auditId, uint32 objectionId) external;

    /// @notice Releases the hold of objection `objectionId` on the sanction of `auditId`; an upheld
    /// objection cancels the sanction if it is still pending.
    /// @param auditId The audit.
    /// @param objectionId The objection, now resolved.
    /// @param upheld Whether it was upheld.
    /// Requirements:
    /// - caller holds `MODULE_ROLE` (the outcome registry).
    function releaseSanction(uint32 auditId, uint32 objectionId, bool upheld) external;

    /// @notice The latest decision on `subject`: who decided, when, for which project, and the
    /// program's objection window in days; zeros when none was recorded.
    /// @param subject The kind of decision.
    /// @param subjectId The project (milestone rejection), report (dispute) or audit (evaluation).
    /// @param milestoneIndex The milestone of a rejection; zero otherwise.
    function decisionOf(ObjectionSubject subject, uint32 subjectId, uint32 milestoneIndex)
        external
        view
        returns (Decision memory);

    /// @notice The open objection holding the sanction of `auditId`, or zero.
    /// @param auditId The audit.
    function sanctionHoldOf(uint32 auditId) external view returns (uint32);
}
