// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {AnchorKind, ProjectStatus} from "../Common.sol";
import {IGrantRegistry} from "../interfaces/IGrantRegistry.sol";
import {IPrograms} from "../interfaces/IPrograms.sol";

/// @title The outcome registry's link to the grant registry
/// @notice Roles, company bindings, projects and the anchor book all live in the grant registry;
/// this base asks it, so there is one source of truth for who may write what. Its reverts
/// (`ProjectNotFound`, `ProjectUnauthorizedCompany`, `EvidenceHashZero`...) reach the caller unchanged.
abstract contract GrantRegistryLink is ERC2771Context {
    IGrantRegistry internal immutable _grants;
    bytes32 private immutable _auditorRole;

    /// @param grants The grant registry; this contract must hold its `MODULE_ROLE`.
    /// @param trustedForwarder The ERC-2771 forwarder that relays signed submissions.
    constructor(IGrantRegistry grants, address trustedForwarder) ERC2771Context(trustedForwarder) {
        _grants = grants;
        _auditorRole = grants.AUDITOR_ROLE();
    }

    /// @dev The project's status, after the grant registry checked `account` acts for its company.
    function _companyProject(uint32 projectId, address account) internal view returns (ProjectStatus) {
        return _grants.checkCompanyWrite(projectId, account);
    }

    /// @dev Outcomes and commercialization continue after a project ends, but not after it failed.
    function _requireActiveOrCompleted(uint32 projectId, ProjectStatus status) internal pure {
        if (status != ProjectStatus.Active && status != ProjectStatus.Completed) {
            revert IPrograms.ProjectStatusInvalid(projectId, status);
        }
    }

    function _isAuditor(address account) internal view returns (bool) {
        return _grants.hasRole(_auditorRole, account);
    }

    function _requireAuditor(address account) internal view {
        if (!_isAuditor(account)) revert IAccessControl.AccessControlUnauthorizedAccount(account, _auditorRole);
    }

    function _anchorRequired(bytes32 documentHash, AnchorKind kind, address account) internal {
        // slither-disable-next-line reentrancy-no-eth -- our grant registry's anchorFor makes no external call
        _grants.anchorFor(documentHash, kind, account);
    }

    function _anchorIfAny(bytes32 documentHash, AnchorKind kind, address account) internal {
        if (documentHash != bytes32(0)) _grants.anchorFor(documentHash, kind, account);
    }
}
