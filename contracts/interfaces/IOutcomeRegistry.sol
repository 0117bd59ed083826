// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {ICommercialization} from "./ICommercialization.sol";
import {IGrantRegistry} from "./IGrantRegistry.sol";
import {IObjections} from "./IObjections.sol";
import {IOutcomes} from "./IOutcomes.sol";

/// @title The outcome registry: R&D outcomes, IP status, commercialization reports and objections
/// @notice Everything the outcome registry offers, in one interface for clients.
interface IOutcomeRegistry is IOutcomes, ICommercialization, IObjections {
    /// @notice The grant registry that holds roles, companies, projects and anchors.
    function grantRegistry() external view returns (IGrantRegistry);

    /// @notice The deployed version, semantic versioning.
    function version() external view returns (string memory);
}
