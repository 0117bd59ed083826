// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IGrantRegistry} from "./interfaces/IGrantRegistry.sol";
import {IOutcomeRegistry} from "./interfaces/IOutcomeRegistry.sol";
import {Commercialization} from "./outcomes/Commercialization.sol";
import {GrantRegistryLink} from "./outcomes/GrantRegistryLink.sol";
import {Objections} from "./outcomes/Objections.sol";
import {Outcomes} from "./outcomes/Outcomes.sol";

/// @title The outcome registry of a city's R&D programs
/// @notice R&D outcomes with their IP status, commercialization reports, and the company's objections
/// to the grant registry's decisions. Who may write is
/// decided by the grant registry, where this contract holds `MODULE_ROLE`.
contract OutcomeRegistry is Outcomes, Commercialization, Objections, IOutcomeRegistry {
    /// @param grants The grant registry.
    /// @param trustedForwarder The ERC-2771 forwarder that relays signed submissions.
    constructor(IGrantRegistry grants, address trustedForwarder) GrantRegistryLink(grants, trustedForwarder) {}

    /// @inheritdoc IOutcomeRegistry
    function grantRegistry() external view returns (IGrantRegistry) {
        return _grants;
    }

    /// @inheritdoc IOutcomeRegistry
    function version() external pure returns (string memory) {
        return "1.1.0";
    }
}
