// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Membership of the registry: roles and company accounts
/// @notice The city admin, auditors and consortium members hold AccessControl roles (their changes
/// are OpenZeppelin's `RoleGranted`/`RoleRevoked` events). A company account is bound to exactly one
/// company identity (the hash of its business registration number) and may write only for that
/// company's projects.
interface IMembership {
    /// @notice `account` now acts for the company `companyId`.
    /// @param account The company staff account.
    /// @param companyId The company identity (keccak256 of its business registration number).
    /// @param admin The admin account that acted.
    event CompanyAccountBound(address indexed account, bytes32 indexed companyId, address indexed admin);
    /// @notice The company `companyId` is published under `name` (상호) from now on: its first name, or a
    /// change of name. Earlier names stay in these events.
    /// @param companyId The company identity (keccak256 of its business registration number).
    /// @param name The company's public name.
    /// @param admin The admin account that acted.
    event CompanyNamed(bytes32 indexed companyId, string name, address indexed admin);
    /// @notice `account` no longer acts for the company `companyId`.
    /// @param account The company staff account.
    /// @param companyId The company identity (keccak256 of its business registration number).
    /// @param admin The admin account that acted.
    event CompanyAccountUnbound(address indexed account, bytes32 indexed companyId, address indexed admin);
    /// @notice The company may not receive new grants before `until` (unix seconds), set by audit `auditId`.
    /// @param companyId The company identity (keccak256 of its business registration number).
    /// @param until End of the restriction, unix seconds.
    /// @param auditId The audit.
    event CompanyRestrictionSet(bytes32 indexed companyId, uint40 until, uint32 indexed auditId);

    /// @notice A company identity of zero was given.
    error MembershipCompanyIdZero();
    /// @notice The zero address was given as an account.
    error MembershipAccountZero();
    /// @notice `account` is already bound to `companyId`; unbind it first.
    error MembershipAccountAlreadyBound(address account, bytes32 companyId);
    /// @notice `account` is not bound to any company.
    error MembershipAccountNotBound(address account);
    /// @notice `account` would hold `role` and a company binding at once (separation of duties).
    error MembershipRoleConflict(address account, bytes32 role);
    /// @notice `account` holds no admin, auditor or member role and no company binding.
    error MembershipNotParticipant(address account);
    /// @notice The company is restricted from new grants until `until` (unix seconds).
    error MembershipCompanyRestricted(bytes32 companyId, uint40 until);
    /// @notice The company has no public name yet: give one when binding its first account.
    error MembershipCompanyNameMissing(bytes32 companyId);
    /// @notice A company name is at most 200 bytes; `length` were given.
    error MembershipCompanyNameTooLong(uint256 length);
    /// @notice The company is already published under that name.
    error MembershipCompanyNameUnchanged(bytes32 companyId);

    /// @notice Role of the city program office: opens programs, registers projects, binds companies.
    function ADMIN_ROLE() external view returns (bytes32);

    /// @notice Role of the city auditors and evaluators.
    function AUDITOR_ROLE() external view returns (bytes32);

    /// @notice Role of consortium partners that run nodes and may anchor documents.
    function MEMBER_ROLE() external view returns (bytes32);

    /// @notice Role of registry contracts (the outcome registry) that check company rights and anchor
    /// documents here on behalf of the accounts that call them.
    function MODULE_ROLE() external view returns (bytes32);

    /// @notice Binds `account` to the company `companyId` so it can write for that company's projects,
    /// and publishes the company's name when it has none yet.
    /// @param account The company staff account.
    /// @param companyId keccak256 of the company's business registration number.
    /// @param name The company's public name (상호): required for a company's first binding; empty keeps
    /// the current name, and a different one records a change of name.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - `account` is not bound yet and holds no admin or auditor role.
    function bindCompanyAccount(address account, bytes32 companyId, string calldata name) external;

    /// @notice Publishes a company's name, or a change of its name.
    /// @param companyId keccak256 of the company's business registration number.
    /// @param name The new public name, 1 to 200 bytes.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - the name differs from the current one.
    function renameCompany(bytes32 companyId, string calldata name) external;

    /// @notice The company's current public name, or empty when it has none.
    /// @param companyId A company identity.
    function companyName(bytes32 companyId) external view returns (string memory);

    /// @notice Removes the company binding of `account`. The records it wrote stay.
    /// @param account The company staff account.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - `account` is bound.
    function unbindCompanyAccount(address account) external;

    /// @notice The company `account` is bound to, or zero.
    /// @param account Any account.
    function companyOf(address account) external view returns (bytes32);

    /// @notice Until when (unix seconds) `companyId` is barred from new grants; zero when never.
    /// @param companyId A company identity.
    function restrictionOf(bytes32 companyId) external view returns (uint40);

    /// @notice Whether `account` may anchor documents: it holds the top admin, admin, auditor or member
    /// role, or a company binding. (`MODULE_ROLE` contracts anchor through `anchorFor` instead.)
    /// @param account Any account.
    function isParticipant(address account) external view returns (bool);
}
