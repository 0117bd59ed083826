// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Objection, ObjectionStatus, ObjectionSubject} from "../Common.sol";

/// @title Objections (이의신청) to a milestone rejection, a report dispute or an evaluation
/// @notice The grant registry keeps the decisions (`IDecisions.decisionOf`); objections, the company's
/// filings against them, live here beside its outcomes and reports.
/// Within its program's objection window after the decision, the company files an objection
/// with evidence; an auditor other than the one who decided upholds or dismisses it, with a reason.
/// While an objection to an evaluation is open its sanction cannot be confirmed, and upholding it
/// cancels a sanction still pending. An upheld objection to a rejection or dispute is the company's
/// record; the remedy (a resubmission, a new report) follows the usual way.
interface IObjections {
    /// @notice The company objected to a decision.
    /// @param objectionId The objection.
    /// @param projectId The project.
    /// @param company The company account credited with the objection (the signer when relayed).
    /// @param subject What kind of decision is contested.
    /// @param subjectId The project (milestone rejection), report (dispute) or audit (evaluation).
    /// @param milestoneIndex The milestone of a rejection; zero otherwise.
    /// @param evidenceHash SHA-256 of the objection and its evidence.
    event ObjectionFiled(
        uint32 indexed objectionId,
        uint32 indexed projectId,
        address indexed company,
        ObjectionSubject subject,
        uint32 subjectId,
        uint32 milestoneIndex,
        bytes32 evidenceHash
    );
    /// @notice An auditor upheld or dismissed an objection.
    /// @param objectionId The objection.
    /// @param auditor The auditor account that acted.
    /// @param upheld True when the objection was upheld, false when dismissed.
    /// @param reasonHash SHA-256 of the document stating the reason.
    event ObjectionResolved(uint32 indexed objectionId, address indexed auditor, bool upheld, bytes32 reasonHash);

    /// @notice No objection has id `objectionId`.
    error ObjectionNotFound(uint32 objectionId);
    /// @notice There is no such decision to object to (no rejection, dispute or evaluation recorded).
    error ObjectionDecisionNotFound(ObjectionSubject subject, uint32 subjectId, uint32 milestoneIndex);
    /// @notice The objection window closed at `deadline` (unix seconds).
    error ObjectionWindowClosed(ObjectionSubject subject, uint32 subjectId, uint40 deadline);
    /// @notice Objection `objectionId` was already filed against this decision.
    error ObjectionAlreadyFiled(uint32 objectionId);
    /// @notice The objection is `status`, not open.
    error ObjectionNotOpen(uint32 objectionId, ObjectionStatus status);
    /// @notice `auditor` made the contested decision and cannot resolve the objection to it.
    error ObjectionOwnDecision(uint32 objectionId, address auditor);

    /// @notice Files an objection to a decision of the company's project.
    /// @param subject `MilestoneRejection`, `ReportDispute` or `Evaluation`.
    /// @param subjectId The project (for a milestone rejection), the report or the audit.
    /// @param milestoneIndex The rejected milestone; zero for the others.
    /// @param evidenceHash SHA-256 of the objection and its evidence; required.
    /// @return objectionId The new objection's id, counting from 1.
    /// Requirements:
    /// - caller acts for the project's company;
    /// - the decision exists, its objection window is open and no objection was filed against it.
    function fileObjection(ObjectionSubject subject, uint32 subjectId, uint32 milestoneIndex, bytes32 evidenceHash)
        external
        returns (uint32 objectionId);

    /// @notice Upholds or dismisses an open objection.
    /// @param objectionId The objection.
    /// @param upheld True to uphold, false to dismiss.
    /// @param reasonHash SHA-256 of the document stating the reason; required.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE` and did not make the contested decision;
    /// - the objection is open.
    function resolveObjection(uint32 objectionId, bool upheld, bytes32 reasonHash) external;

    /// @notice An objection by id.
    /// @param objectionId The objection.
    function getObjection(uint32 objectionId) external view returns (Objection memory);

    /// @notice How many objections exist (ids run from 1 to this number).
    function objectionCount() external view returns (uint32);
}
