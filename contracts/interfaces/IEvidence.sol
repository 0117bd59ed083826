// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Anchor, AnchorKind, Batch} from "../Common.sol";

/// @title Evidence anchoring: document hashes and Merkle batches
/// @notice Documents stay off chain; their SHA-256 hashes are anchored here, once each (the first
/// anchoring is kept). Many documents can be anchored in one transaction as the root of an
/// OpenZeppelin-compatible Merkle tree whose leaves are
/// `keccak256(bytes.concat(keccak256(abi.encode(documentHash))))`.
interface IEvidence {
    /// @notice A stand-alone document hash was anchored.
    /// @param documentHash SHA-256 of the document behind the change, or zero.
    /// @param anchoredBy The account that anchored it.
    event DocumentAnchored(bytes32 indexed documentHash, address indexed anchoredBy);
    /// @notice A Merkle root over `leafCount` documents was anchored; `manifestHash` is the SHA-256 of
    /// the off-chain manifest listing them.
    /// @param root The Merkle root.
    /// @param anchoredBy The account that anchored it.
    /// @param leafCount How many documents the batch holds.
    /// @param manifestHash SHA-256 of the manifest listing the documents.
    event BatchAnchored(bytes32 indexed root, address indexed anchoredBy, uint32 leafCount, bytes32 manifestHash);

    /// @notice A document hash (evidence, reason or findings) is required but zero was given.
    error EvidenceHashZero();
    /// @notice At least one evidence document is required.
    error EvidenceMissing();
    /// @notice The document was anchored before, at `blockNumber`.
    error EvidenceAlreadyAnchored(bytes32 documentHash, uint48 blockNumber);
    /// @notice The batch root was anchored before, at `blockNumber`.
    error EvidenceBatchAlreadyAnchored(bytes32 root, uint48 blockNumber);
    /// @notice A batch must hold at least one document.
    error EvidenceBatchEmpty();

    /// @notice Anchors one document hash.
    /// @param documentHash SHA-256 of the document.
    /// Requirements:
    /// - caller holds a registry role or a company binding;
    /// - the document is not anchored yet.
    function anchorDocument(bytes32 documentHash) external;

    /// @notice Anchors the Merkle root of a batch of documents.
    /// @param root The Merkle root.
    /// @param leafCount How many documents the batch holds.
    /// @param manifestHash SHA-256 of the manifest that lists the documents.
    /// Requirements:
    /// - caller holds a registry role or a company binding;
    /// - the root is not anchored yet and `leafCount > 0`.
    function anchorBatch(bytes32 root, uint32 leafCount, bytes32 manifestHash) external;

    /// @notice Anchors a document a record of another registry contract refers to, for `account`.
    /// @param documentHash SHA-256 of the document; anchoring an anchored document changes nothing.
    /// @param kind What the document is to the record.
    /// @param account The account the record is credited to.
    /// Requirements:
    /// - caller holds `MODULE_ROLE`.
    function anchorFor(bytes32 documentHash, AnchorKind kind, address account) external;

    /// @notice Where and when `documentHash` was first anchored; all zero if never.
    /// @param documentHash SHA-256 of a document.
    function anchorOf(bytes32 documentHash) external view returns (Anchor memory);

    /// @notice Where and when the batch `root` was anchored; all zero if never.
    /// @param root A Merkle root.
    function batchOf(bytes32 root) external view returns (Batch memory);

    /// @notice Whether `documentHash` belongs to the anchored batch `root`, by its Merkle `proof`.
    /// @param root An anchored Merkle root.
    /// @param documentHash SHA-256 of a document.
    /// @param proof Sibling hashes from the leaf up to the root.
    function verifyBatchMember(bytes32 root, bytes32 documentHash, bytes32[] calldata proof)
        external
        view
        returns (bool);

}
