// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Audit, AuditResult, Grade} from "../Common.sol";

/// @title Evaluations and audits of projects, with their sanctions
/// @notice A clawback moves the project to `ClawedBack`; a restriction bars the company from new
/// grants until a date.
interface IAudits {
    /// @notice An auditor recorded an evaluation of a project.
    /// @param auditId The audit.
    /// @param projectId The project.
    /// @param auditor The auditor account that acted.
    /// @param grade The evaluation grade.
    /// @param findingsHash SHA-256 of the findings.
    /// @param clawbackAmount Amount clawed back, won; zero for none.
    /// @param restrictedUntil End of the participation restriction, unix seconds; zero for none.
    event AuditRecorded(
        uint32 indexed auditId,
        uint32 indexed projectId,
        address indexed auditor,
        Grade grade,
        bytes32 findingsHash,
        uint96 clawbackAmount,
        uint40 restrictedUntil
    );

    /// @notice No audit has id `auditId`.
    error AuditNotFound(uint32 auditId);
    /// @notice An audit needs a grade.
    error AuditGradeMissing();
    /// @notice The clawback `clawbackAmount` exceeds the grant `amount`.
    error AuditClawbackExceedsGrant(uint32 projectId, uint96 clawbackAmount, uint96 amount);

    /// @notice Records an evaluation of a project, with optional sanctions.
    /// @param projectId The project.
    /// @param result Grade, findings hash (required), clawback in won, restriction end (unix seconds).
    /// @return auditId The new audit's id, counting from 1.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`;
    /// - a clawback is at most the grant and only for a project not already clawed back.
    function recordAudit(uint32 projectId, AuditResult calldata result) external returns (uint32 auditId);

    /// @notice An audit by id.
    /// @param auditId The audit.
    function getAudit(uint32 auditId) external view returns (Audit memory);

    /// @notice How many audits exist (ids run from 1 to this number).
    function auditCount() external view returns (uint32);
}
