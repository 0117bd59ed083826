// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Anchor, AnchorKind, Batch} from "../Common.sol";
import {IEvidence} from "../interfaces/IEvidence.sol";
import {Membership} from "./Membership.sol";

/// @title Anchoring of document hashes, one by one or as Merkle batches
/// @notice Implements `IEvidence`.
/// @dev Every document hash a record refers to is anchored here too, so one view (`anchorOf`)
/// answers "is this document on chain, since when, and who put it there" for any document. Only
/// the first anchoring is stored; later references show in the records' events. Batches store the
/// root only: the leaves stay off chain, which is what keeps a batch under 250 gas per document.
abstract contract EvidenceAnchoring is Membership, IEvidence {
    mapping(bytes32 documentHash => Anchor anchor) private _anchors;
    mapping(bytes32 root => Batch batch) private _batches;

    /// @inheritdoc IEvidence
    function anchorDocument(bytes32 documentHash) external {
        _requireParticipant(_msgSender());
        _requireHash(documentHash);
        uint48 anchoredAt = _anchors[documentHash].blockNumber;
        if (anchoredAt != 0) revert EvidenceAlreadyAnchored(documentHash, anchoredAt);
        _anchor(documentHash, AnchorKind.Document, _msgSender());
        emit DocumentAnchored(documentHash, _msgSender());
    }

    /// @inheritdoc IEvidence
    function anchorBatch(bytes32 root, uint32 leafCount, bytes32 manifestHash) external {
        _requireParticipant(_msgSender());
        _requireHash(root);
        if (leafCount == 0) revert EvidenceBatchEmpty();
        uint48 anchoredAt = _batches[root].blockNumber;
        if (anchoredAt != 0) revert EvidenceBatchAlreadyAnchored(root, anchoredAt);
        _batches[root] = Batch(_msgSender(), uint40(block.timestamp), uint48(block.number));
        emit BatchAnchored(root, _msgSender(), leafCount, manifestHash);
    }

    /// @inheritdoc IEvidence
    function anchorFor(bytes32 documentHash, AnchorKind kind, address account) external onlyRole(MODULE_ROLE) {
        _anchorRequired(documentHash, kind, account);
    }

    /// @inheritdoc IEvidence
    function anchorOf(bytes32 documentHash) external view returns (Anchor memory) {
        return _anchors[documentHash];
    }

    /// @inheritdoc IEvidence
    function batchOf(bytes32 root) external view returns (Batch memory) {
        return _batches[root];
    }

    /// @inheritdoc IEvidence
    function verifyBatchMember(bytes32 root, bytes32 documentHash, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        // slither-disable-next-line incorrect-equality -- 0 means never anchored: no transaction runs in block 0
        if (_batches[root].blockNumber == 0) return false;
        // Double hashing, as OpenZeppelin's StandardMerkleTree does, keeps a leaf from ever being
        // mistaken for an inner node.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(documentHash))));
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @dev Anchors `documentHash` for `account` unless it already is; keeps only the first anchoring.
    function _anchor(bytes32 documentHash, AnchorKind kind, address account) internal {
        // slither-disable-next-line incorrect-equality -- 0 means never anchored: no transaction runs in block 0
        if (_anchors[documentHash].blockNumber == 0) {
            _anchors[documentHash] = Anchor(account, uint40(block.timestamp), uint48(block.number), kind);
        }
    }

    /// @dev Anchors an optional document: zero means "no document".
    function _anchorIfAny(bytes32 documentHash, AnchorKind kind, address account) internal {
        if (documentHash != bytes32(0)) _anchor(documentHash, kind, account);
    }

    /// @dev Anchors a required document.
    function _anchorRequired(bytes32 documentHash, AnchorKind kind, address account) internal {
        _requireHash(documentHash);
        _anchor(documentHash, kind, account);
    }

    function _requireHash(bytes32 documentHash) internal pure {
        if (documentHash == bytes32(0)) revert EvidenceHashZero();
    }
}
