// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {CommercializationFigures, CommercializationReport, ReportStatus} from "../Common.sol";

/// @title Commercialization reports: sales, investment, royalties and jobs per project and year
/// @notice Figures may be committed as a hash first and revealed later:
/// `commitment = keccak256(abi.encode(projectId, year, sales, investment, royalties, jobs, salt))`.
/// One live report per project and year; a disputed report may be replaced by a new one.
interface ICommercialization {
    /// @notice A company reported its figures for `year`.
    /// @param reportId The report.
    /// @param projectId The project.
    /// @param submitter The company account credited with the record (the signer when relayed).
    /// @param year Program or reporting year.
    /// @param figures Sales, investment and royalties in won; jobs created.
    /// @param evidenceHash SHA-256 of the evidence document.
    event CommercializationReported(
        uint32 indexed reportId,
        uint32 indexed projectId,
        address indexed submitter,
        uint16 year,
        CommercializationFigures figures,
        bytes32 evidenceHash
    );
    /// @notice A company committed to hidden figures for `year`.
    /// @param reportId The report.
    /// @param projectId The project.
    /// @param submitter The company account credited with the record (the signer when relayed).
    /// @param year Program or reporting year.
    /// @param commitment Hash committing to the hidden figures.
    /// @param evidenceHash SHA-256 of the evidence document.
    event CommercializationCommitted(
        uint32 indexed reportId,
        uint32 indexed projectId,
        address indexed submitter,
        uint16 year,
        bytes32 commitment,
        bytes32 evidenceHash
    );
    /// @notice The hidden figures of a committed report were disclosed and match the commitment.
    /// @param reportId The report.
    /// @param submitter The company account credited with the record (the signer when relayed).
    /// @param figures Sales, investment and royalties in won; jobs created.
    event CommercializationRevealed(
        uint32 indexed reportId, address indexed submitter, CommercializationFigures figures
    );
    /// @notice An auditor confirmed a report.
    /// @param reportId The report.
    /// @param auditor The auditor account that acted.
    /// @param noteHash SHA-256 of the verification note, or zero.
    event CommercializationVerified(uint32 indexed reportId, address indexed auditor, bytes32 noteHash);
    /// @notice An auditor disputed a report for the reason in `reasonHash`.
    /// @param reportId The report.
    /// @param auditor The auditor account that acted.
    /// @param reasonHash SHA-256 of the document stating the reason.
    event CommercializationDisputed(uint32 indexed reportId, address indexed auditor, bytes32 reasonHash);

    /// @notice No report has id `reportId`.
    error CommercializationReportNotFound(uint32 reportId);
    /// @notice Report `reportId` already stands for this project and year; it can be replaced only once disputed.
    error CommercializationReportExists(uint32 projectId, uint16 year, uint32 reportId);
    /// @notice The report's status `status` does not allow this operation.
    error CommercializationStatusInvalid(uint32 reportId, ReportStatus status);
    /// @notice The revealed figures and salt do not hash to the commitment.
    error CommercializationRevealMismatch(uint32 reportId);
    /// @notice A commitment of zero was given.
    error CommercializationCommitmentZero();

    /// @notice Reports commercialization figures of a project for one year.
    /// @param projectId The project.
    /// @param year The reporting year.
    /// @param figures Sales, investment attracted and royalties in won; jobs created.
    /// @param evidenceHash SHA-256 of the evidence document; required.
    /// @return reportId The new report's id, counting from 1.
    /// Requirements:
    /// - caller acts for the project's company;
    /// - the project is active or completed; no undisputed report exists for that year.
    function reportCommercialization(
        uint32 projectId,
        uint16 year,
        CommercializationFigures calldata figures,
        bytes32 evidenceHash
    ) external returns (uint32 reportId);

    /// @notice Commits to figures that stay hidden until `revealCommercialization`.
    /// @param projectId The project.
    /// @param year The reporting year.
    /// @param commitment keccak256(abi.encode(projectId, year, sales, investment, royalties, jobs, salt)).
    /// @param evidenceHash SHA-256 of the evidence document; required.
    /// @return reportId The new report's id.
    /// Requirements: as for `reportCommercialization`.
    function commitCommercialization(uint32 projectId, uint16 year, bytes32 commitment, bytes32 evidenceHash)
        external
        returns (uint32 reportId);

    /// @notice Discloses the figures of a committed report.
    /// @param reportId The committed report.
    /// @param figures The figures committed to.
    /// @param salt The salt committed to.
    /// Requirements:
    /// - caller acts for the project's company;
    /// - the report is committed and the figures match the commitment.
    function revealCommercialization(uint32 reportId, CommercializationFigures calldata figures, bytes32 salt)
        external;

    /// @notice Confirms a reported (revealed) report.
    /// @param reportId The report.
    /// @param noteHash Hash of the verification note, or zero.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`;
    /// - the report is reported.
    function verifyReport(uint32 reportId, bytes32 noteHash) external;

    /// @notice Disputes a report; the company may then file a new one for the same year, or object to
    /// the dispute in the grant registry within its program's objection window.
    /// @param reportId The report.
    /// @param reasonHash Hash of the document stating the reason; required.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`;
    /// - the report is committed, reported or verified.
    function disputeReport(uint32 reportId, bytes32 reasonHash) external;

    /// @notice A report by id.
    /// @param reportId The report.
    function getReport(uint32 reportId) external view returns (CommercializationReport memory);

    /// @notice The latest report of a project for a year, or zero.
    /// @param projectId The project.
    /// @param year The reporting year.
    function latestReport(uint32 projectId, uint16 year) external view returns (uint32);

    /// @notice How many reports exist (ids run from 1 to this number).
    function reportCount() external view returns (uint32);
}
