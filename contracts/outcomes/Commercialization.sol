// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AnchorKind, CommercializationFigures, CommercializationReport, ReportStatus} from "../Common.sol";
import {ICommercialization} from "../interfaces/ICommercialization.sol";
import {GrantRegistryLink} from "./GrantRegistryLink.sol";

/// @title Commercialization reports, open or committed-then-revealed, verified or disputed by auditors
/// @notice Implements `ICommercialization`; who may write is asked of the grant registry.
abstract contract Commercialization is GrantRegistryLink, ICommercialization {
    mapping(uint32 reportId => CommercializationReport report) private _reports;
    mapping(uint32 projectId => mapping(uint16 year => uint32 reportId)) private _latestReports;
    uint32 private _reportCount;

    /// @inheritdoc ICommercialization
    function reportCommercialization(
        uint32 projectId,
        uint16 year,
        CommercializationFigures calldata figures,
        bytes32 evidenceHash
    ) external returns (uint32 reportId) {
        return _reportCommercialization(_msgSender(), projectId, year, figures, evidenceHash);
    }

    /// @inheritdoc ICommercialization
    function commitCommercialization(uint32 projectId, uint16 year, bytes32 commitment, bytes32 evidenceHash)
        external
        returns (uint32 reportId)
    {
        if (commitment == bytes32(0)) revert CommercializationCommitmentZero();
        reportId = _openReport(_msgSender(), projectId, year, evidenceHash);
        CommercializationReport storage report = _reports[reportId];
        report.status = ReportStatus.Committed;
        report.commitment = commitment;
        emit CommercializationCommitted(reportId, projectId, _msgSender(), year, commitment, evidenceHash);
    }

    /// @inheritdoc ICommercialization
    function revealCommercialization(uint32 reportId, CommercializationFigures calldata figures, bytes32 salt)
        external
    {
        CommercializationReport storage report = _existingReport(reportId);
        _companyProject(report.projectId, _msgSender());
        if (report.status != ReportStatus.Committed) revert CommercializationStatusInvalid(reportId, report.status);
        bytes32 expected = keccak256(
            abi.encode(
                report.projectId, report.year, figures.sales, figures.investment, figures.royalties, figures.jobs, salt
            )
        );
        if (expected != report.commitment) revert CommercializationRevealMismatch(reportId);
        report.status = ReportStatus.Reported;
        report.figures = figures;
        emit CommercializationRevealed(reportId, _msgSender(), figures);
    }

    /// @inheritdoc ICommercialization
    function verifyReport(uint32 reportId, bytes32 noteHash) external {
        _requireAuditor(_msgSender());
        CommercializationReport storage report = _existingReport(reportId);
        if (report.status != ReportStatus.Reported) revert CommercializationStatusInvalid(reportId, report.status);
        _anchorIfAny(noteHash, AnchorKind.ReviewNote, _msgSender());
        report.status = ReportStatus.Verified;
        emit CommercializationVerified(reportId, _msgSender(), noteHash);
    }

    /// @inheritdoc ICommercialization
    function disputeReport(uint32 reportId, bytes32 reasonHash) external {
        _requireAuditor(_msgSender());
        CommercializationReport storage report = _existingReport(reportId);
        if (report.status == ReportStatus.Disputed) revert CommercializationStatusInvalid(reportId, report.status);
        _anchorRequired(reasonHash, AnchorKind.ReviewNote, _msgSender());
        report.status = ReportStatus.Disputed;
        emit CommercializationDisputed(reportId, _msgSender(), reasonHash);
        // slither-disable-next-line reentrancy-events -- our grant registry's noteReportDispute makes no external call
        _grants.noteReportDispute(reportId, report.projectId, _msgSender());
    }

    /// @inheritdoc ICommercialization
    function getReport(uint32 reportId) external view returns (CommercializationReport memory) {
        return _existingReport(reportId);
    }

    /// @inheritdoc ICommercialization
    function latestReport(uint32 projectId, uint16 year) external view returns (uint32) {
        return _latestReports[projectId][year];
    }

    /// @inheritdoc ICommercialization
    function reportCount() external view returns (uint32) {
        return _reportCount;
    }

    /// @dev A report filed by `account`, the caller or the signer of a relayed submission.
    function _reportCommercialization(
        address account,
        uint32 projectId,
        uint16 year,
        CommercializationFigures calldata figures,
        bytes32 evidenceHash
    ) internal returns (uint32 reportId) {
        reportId = _openReport(account, projectId, year, evidenceHash);
        CommercializationReport storage report = _reports[reportId];
        report.status = ReportStatus.Reported;
        report.figures = figures;
        emit CommercializationReported(reportId, projectId, account, year, figures, evidenceHash);
    }

    /// @dev Checks who reports and whether the year is free, then creates the report without a status.
    function _openReport(address account, uint32 projectId, uint16 year, bytes32 evidenceHash)
        private
        returns (uint32 reportId)
    {
        _requireActiveOrCompleted(projectId, _companyProject(projectId, account));
        uint32 latest = _latestReports[projectId][year];
        if (latest != 0 && _reports[latest].status != ReportStatus.Disputed) {
            revert CommercializationReportExists(projectId, year, latest);
        }
        _anchorRequired(evidenceHash, AnchorKind.ReportEvidence, account);
        reportId = ++_reportCount;
        _latestReports[projectId][year] = reportId;
        CommercializationReport storage report = _reports[reportId];
        report.projectId = projectId;
        report.year = year;
        report.recordedAt = uint40(block.timestamp);
        report.evidenceHash = evidenceHash;
    }

    function _existingReport(uint32 reportId) private view returns (CommercializationReport storage report) {
        report = _reports[reportId];
        if (report.status == ReportStatus.None) revert CommercializationReportNotFound(reportId);
    }
}
