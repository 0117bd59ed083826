// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAudits} from "./IAudits.sol";
import {IDecisions} from "./IDecisions.sol";
import {IEvidence} from "./IEvidence.sol";
import {IMembership} from "./IMembership.sol";
import {IMilestones} from "./IMilestones.sol";
import {IPrograms} from "./IPrograms.sol";

/// @title The grant registry: members, programs, projects, milestones, audits, decisions and the anchor book
/// @notice Everything the grant registry offers, in one interface for clients.
interface IGrantRegistry is IAccessControl, IMembership, IEvidence, IPrograms, IDecisions, IMilestones, IAudits {
    /// @notice The deployed version, semantic versioning.
    function version() external view returns (string memory);
}
