// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IpStatus, Outcome, OutcomeDetails, OutcomeType} from "../Common.sol";

/// @title R&D outcomes and the status of the intellectual property they carry
/// @notice Nothing is deleted: a correction is a new outcome that points at the original through
/// `amends`, and a revocation keeps the record and states a reason. New outcomes need an active or
/// completed project; corrections, revocations and IP status changes of existing outcomes stay
/// possible whatever the project's status, since they keep the public record true.
interface IOutcomes {
    /// @notice A company recorded an outcome of its project.
    /// @param outcomeId The outcome.
    /// @param projectId The project.
    /// @param submitter The company account credited with the record (the signer when relayed).
    /// @param outcomeType The outcome category.
    /// @param externalId Patent number, DOI or registration number.
    /// @param evidenceHash SHA-256 of the evidence document.
    event OutcomeAdded(
        uint32 indexed outcomeId,
        uint32 indexed projectId,
        address indexed submitter,
        OutcomeType outcomeType,
        string externalId,
        bytes32 evidenceHash
    );
    /// @notice Outcome `outcomeId` corrects outcome `originalId`, for the reason in `reasonHash`.
    /// @param outcomeId The outcome.
    /// @param originalId The outcome being corrected.
    /// @param submitter The company account credited with the record (the signer when relayed).
    /// @param outcomeType The outcome category.
    /// @param externalId Patent number, DOI or registration number.
    /// @param evidenceHash SHA-256 of the evidence document.
    /// @param reasonHash SHA-256 of the document stating the reason.
    event OutcomeAmended(
        uint32 indexed outcomeId,
        uint32 indexed originalId,
        address indexed submitter,
        OutcomeType outcomeType,
        string externalId,
        bytes32 evidenceHash,
        bytes32 reasonHash
    );
    /// @notice The type-specific details of an outcome just added or amended (journal and SCI(E)
    /// indexing of a paper, country of a patent, contract date, licensee and fee of a transfer...).
    /// @param outcomeId The outcome.
    /// @param details Venue, country, counterparty, date, amount (won) and SCI(E) indexing.
    event OutcomeDetailsRecorded(uint32 indexed outcomeId, OutcomeDetails details);
    /// @notice An outcome was withdrawn; the record stays, marked revoked.
    /// @param outcomeId The outcome.
    /// @param actor The account that acted.
    /// @param reasonHash SHA-256 of the document stating the reason.
    event OutcomeRevocation(uint32 indexed outcomeId, address indexed actor, bytes32 reasonHash);
    /// @notice The intellectual-property status of an outcome changed.
    /// @param outcomeId The outcome.
    /// @param actor The account that acted.
    /// @param from The status before.
    /// @param to The status after.
    /// @param evidenceHash SHA-256 of the evidence document.
    event IpStatusChanged(
        uint32 indexed outcomeId, address indexed actor, IpStatus from, IpStatus to, bytes32 evidenceHash
    );

    /// @notice No outcome has id `outcomeId`.
    error OutcomeNotFound(uint32 outcomeId);
    /// @notice `OutcomeType.None` is not an outcome type.
    error OutcomeTypeMissing();
    /// @notice The outcome was revoked and cannot change any more.
    error OutcomeAlreadyRevoked(uint32 outcomeId);
    /// @notice The outcome was already corrected by `amendedBy`; act on that one instead.
    error OutcomeAlreadyAmended(uint32 outcomeId, uint32 amendedBy);
    /// @notice Outcomes of type `outcomeType` carry no intellectual-property status.
    error OutcomeNotIntellectualProperty(uint32 outcomeId, OutcomeType outcomeType);
    /// @notice An IP status cannot go from `from` to `to`.
    error OutcomeIpTransitionInvalid(uint32 outcomeId, IpStatus from, IpStatus to);

    /// @notice Records an R&D outcome of the caller's project.
    /// @param projectId The project.
    /// @param outcomeType The national outcome category.
    /// @param externalId Patent number, DOI, registration number...; may be empty.
    /// @param details What else identifies an outcome of this type (see `OutcomeDetails`); the
    /// registry's clients check each type's identifiers before they send.
    /// @param evidenceHash SHA-256 of the evidence document; required.
    /// @return outcomeId The new outcome's id, counting from 1.
    /// Requirements:
    /// - caller acts for the project's company;
    /// - the project is active or completed.
    function addOutcome(
        uint32 projectId,
        OutcomeType outcomeType,
        string calldata externalId,
        OutcomeDetails calldata details,
        bytes32 evidenceHash
    ) external returns (uint32 outcomeId);

    /// @notice Corrects an outcome by recording a new one that points at it.
    /// @param originalId The outcome being corrected; it must not be revoked or already amended.
    /// @param outcomeType The corrected category.
    /// @param externalId The corrected external identifier.
    /// @param details The corrected type-specific details.
    /// @param evidenceHash SHA-256 of the corrected evidence; required.
    /// @param reasonHash Hash of the document explaining the correction; required.
    /// @return outcomeId The new outcome's id.
    /// Requirements:
    /// - caller acts for the company of the original's project.
    function amendOutcome(
        uint32 originalId,
        OutcomeType outcomeType,
        string calldata externalId,
        OutcomeDetails calldata details,
        bytes32 evidenceHash,
        bytes32 reasonHash
    ) external returns (uint32 outcomeId);

    /// @notice Withdraws an outcome, keeping the record and the reason.
    /// @param outcomeId The outcome.
    /// @param reasonHash Hash of the document stating the reason; required.
    /// Requirements:
    /// - caller acts for the project's company or holds `AUDITOR_ROLE`;
    /// - the outcome is neither revoked nor amended (revoke the latest correction instead).
    function revokeOutcome(uint32 outcomeId, bytes32 reasonHash) external;

    /// @notice Records a change of intellectual-property status (filed, registered, licensed,
    /// transferred, lapsed). Filed only comes first; lapsed is final.
    /// @param outcomeId The outcome; a patent, software, plant-variety or technology-transfer outcome.
    /// @param newStatus The new status.
    /// @param evidenceHash SHA-256 of the supporting document; required.
    /// Requirements:
    /// - caller acts for the project's company;
    /// - the outcome is neither revoked nor amended.
    function updateIpStatus(uint32 outcomeId, IpStatus newStatus, bytes32 evidenceHash) external;

    /// @notice An outcome by id.
    /// @param outcomeId The outcome.
    function getOutcome(uint32 outcomeId) external view returns (Outcome memory);

    /// @notice How many outcomes exist (ids run from 1 to this number).
    function outcomeCount() external view returns (uint32);
}
