// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AnchorKind, IpStatus, Outcome, OutcomeDetails, OutcomeType} from "../Common.sol";
import {IOutcomes} from "../interfaces/IOutcomes.sol";
import {GrantRegistryLink} from "./GrantRegistryLink.sol";

/// @title R&D outcomes: add, amend, revoke, and follow their IP status
/// @notice Implements `IOutcomes`; who may write is asked of the grant registry.
abstract contract Outcomes is GrantRegistryLink, IOutcomes {
    mapping(uint32 outcomeId => Outcome outcome) private _outcomes;
    uint32 private _outcomeCount;

    /// @inheritdoc IOutcomes
    function addOutcome(
        uint32 projectId,
        OutcomeType outcomeType,
        string calldata externalId,
        OutcomeDetails calldata details,
        bytes32 evidenceHash
    ) external returns (uint32 outcomeId) {
        outcomeId = _addOutcome(_msgSender(), projectId, outcomeType, externalId, evidenceHash);
        emit OutcomeDetailsRecorded(outcomeId, details);
    }

    /// @inheritdoc IOutcomes
    function amendOutcome(
        uint32 originalId,
        OutcomeType outcomeType,
        string calldata externalId,
        OutcomeDetails calldata details,
        bytes32 evidenceHash,
        bytes32 reasonHash
    ) external returns (uint32 outcomeId) {
        Outcome storage original = _currentOutcome(originalId);
        uint32 projectId = original.projectId;
        _companyProject(projectId, _msgSender());
        if (outcomeType == OutcomeType.None) revert OutcomeTypeMissing();
        _anchorRequired(evidenceHash, AnchorKind.OutcomeEvidence, _msgSender());
        _anchorRequired(reasonHash, AnchorKind.Document, _msgSender());
        outcomeId = ++_outcomeCount;
        original.amendedBy = outcomeId;
        _outcomes[outcomeId] = Outcome({
            projectId: projectId,
            outcomeType: outcomeType,
            ipStatus: _carriesIp(outcomeType) ? original.ipStatus : IpStatus.None,
            revoked: false,
            amends: originalId,
            amendedBy: 0,
            recordedAt: uint40(block.timestamp),
            evidenceHash: evidenceHash,
            externalId: externalId
        });
        emit OutcomeAmended(outcomeId, originalId, _msgSender(), outcomeType, externalId, evidenceHash, reasonHash);
        emit OutcomeDetailsRecorded(outcomeId, details);
    }

    /// @inheritdoc IOutcomes
    function revokeOutcome(uint32 outcomeId, bytes32 reasonHash) external {
        Outcome storage outcome = _currentOutcome(outcomeId);
        if (!_isAuditor(_msgSender())) _companyProject(outcome.projectId, _msgSender());
        _anchorRequired(reasonHash, AnchorKind.Document, _msgSender());
        outcome.revoked = true;
        emit OutcomeRevocation(outcomeId, _msgSender(), reasonHash);
    }

    /// @inheritdoc IOutcomes
    function updateIpStatus(uint32 outcomeId, IpStatus newStatus, bytes32 evidenceHash) external {
        Outcome storage outcome = _currentOutcome(outcomeId);
        _companyProject(outcome.projectId, _msgSender());
        OutcomeType outcomeType = outcome.outcomeType;
        if (!_carriesIp(outcomeType)) revert OutcomeNotIntellectualProperty(outcomeId, outcomeType);
        IpStatus from = outcome.ipStatus;
        if (!_ipTransitionAllowed(from, newStatus)) revert OutcomeIpTransitionInvalid(outcomeId, from, newStatus);
        _anchorRequired(evidenceHash, AnchorKind.IpEvidence, _msgSender());
        outcome.ipStatus = newStatus;
        emit IpStatusChanged(outcomeId, _msgSender(), from, newStatus, evidenceHash);
    }

    /// @inheritdoc IOutcomes
    function getOutcome(uint32 outcomeId) external view returns (Outcome memory) {
        return _existingOutcome(outcomeId);
    }

    /// @inheritdoc IOutcomes
    function outcomeCount() external view returns (uint32) {
        return _outcomeCount;
    }

    /// @dev An outcome recorded by `account`, the caller or the signer of a relayed submission.
    function _addOutcome(
        address account,
        uint32 projectId,
        OutcomeType outcomeType,
        string calldata externalId,
        bytes32 evidenceHash
    ) internal returns (uint32 outcomeId) {
        _requireActiveOrCompleted(projectId, _companyProject(projectId, account));
        if (outcomeType == OutcomeType.None) revert OutcomeTypeMissing();
        _anchorRequired(evidenceHash, AnchorKind.OutcomeEvidence, account);
        outcomeId = ++_outcomeCount;
        _outcomes[outcomeId] = Outcome({
            projectId: projectId,
            outcomeType: outcomeType,
            ipStatus: IpStatus.None,
            revoked: false,
            amends: 0,
            amendedBy: 0,
            recordedAt: uint40(block.timestamp),
            evidenceHash: evidenceHash,
            externalId: externalId
        });
        emit OutcomeAdded(outcomeId, projectId, account, outcomeType, externalId, evidenceHash);
    }

    function _existingOutcome(uint32 outcomeId) private view returns (Outcome storage outcome) {
        outcome = _outcomes[outcomeId];
        if (outcome.outcomeType == OutcomeType.None) revert OutcomeNotFound(outcomeId);
    }

    /// @dev An outcome that can still change: neither revoked nor superseded by an amendment.
    function _currentOutcome(uint32 outcomeId) private view returns (Outcome storage outcome) {
        outcome = _existingOutcome(outcomeId);
        if (outcome.revoked) revert OutcomeAlreadyRevoked(outcomeId);
        if (outcome.amendedBy != 0) revert OutcomeAlreadyAmended(outcomeId, outcome.amendedBy);
    }

    function _carriesIp(OutcomeType outcomeType) private pure returns (bool) {
        return outcomeType == OutcomeType.PatentApplication || outcomeType == OutcomeType.PatentRegistration
            || outcomeType == OutcomeType.Software || outcomeType == OutcomeType.PlantVariety
            || outcomeType == OutcomeType.TechnologyTransfer;
    }

    /// @dev Filing comes first or not at all; registration, licensing and transfer follow in any order
    /// (an application may be licensed before it is granted); lapsed is final.
    function _ipTransitionAllowed(IpStatus from, IpStatus to) private pure returns (bool) {
        if (to == IpStatus.None || to == from || from == IpStatus.Lapsed) return false;
        if (to == IpStatus.Filed) return from == IpStatus.None;
        return true;
    }
}
