// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title Relays submissions signed off chain (EIP-712) to the registry contracts
/// @notice A company clerk signs a `ForwardRequest` (target, call, nonce, deadline) for this chain and
/// this forwarder; anyone may send it. The registries credit the signer. A signature works once
/// (nonce), only until its deadline, and only on the chain and forwarder it was signed for.
contract RegistryForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("RndRegistryForwarder") {}

    /// @notice Relays one signed request; if the registry refuses it, its own error is returned.
    /// @param request The signed request.
    /// Requirements:
    /// - the signature is the request's `from`, for this chain and forwarder, with its current nonce;
    /// - the deadline has not passed; the target trusts this forwarder; `msg.value == request.value`.
    function execute(ForwardRequestData calldata request) public payable override {
        if (msg.value != request.value) revert ERC2771ForwarderMismatchedValue(request.value, msg.value);
        if (!_execute(request, true)) {
            // OpenZeppelin's `execute` replaces the registry's error with a bare `FailedCall()`, which
            // would tell a clerk nothing. `_execute` makes no other call after the relayed one, so the
            // return data buffer still holds the registry's revert data: pass it on unchanged.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                let size := returndatasize()
                returndatacopy(0, 0, size)
                revert(0, size)
            }
        }
    }
}
