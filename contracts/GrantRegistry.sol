// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Audits} from "./grants/Audits.sol";
import {Membership} from "./grants/Membership.sol";
import {Milestones} from "./grants/Milestones.sol";
import {IGrantRegistry} from "./interfaces/IGrantRegistry.sol";

/// @title The grant registry of a city's R&D programs
/// @notice Members and roles, grant programs, projects, milestones, audits with their sanctions, the
/// decisions a company may object to, and the anchor book of
/// every document hash the registry refers to. Everyone can read everything; each write is allowed
/// only to the party its NatSpec names.
contract GrantRegistry is Milestones, Audits, IGrantRegistry {
    /// @param initialAdmin The city program office: holds `DEFAULT_ADMIN_ROLE` and `ADMIN_ROLE`.
    /// @param adminTransferDelay Seconds a transfer of `DEFAULT_ADMIN_ROLE` must wait, public all along.
    /// @param trustedForwarder The ERC-2771 forwarder that relays signed submissions.
    constructor(address initialAdmin, uint48 adminTransferDelay, address trustedForwarder)
        Membership(initialAdmin, adminTransferDelay, trustedForwarder)
    {}

    /// @inheritdoc IGrantRegistry
    function version() external pure returns (string memory) {
        return "1.1.0";
    }
}
