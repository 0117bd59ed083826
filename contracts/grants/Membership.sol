// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {IMembership} from "../interfaces/IMembership.sol";

/// @title Roles and company accounts of the registry
/// @notice Roles come from OpenZeppelin AccessControl. The top `DEFAULT_ADMIN_ROLE`, which grants and
/// revokes every other role, can only change hands through a two-step transfer with a delay, so
/// the public sees a change of governance before it takes effect. Every write may also arrive
/// through the trusted ERC-2771 forwarder, signed off chain by the account it is credited to.
/// @dev Companies get a small internal number the first time they appear, so that a project, its
/// company and its status fit in one storage slot and a company's write costs one read for the
/// caller's binding and one for the project.
abstract contract Membership is AccessControlDefaultAdminRules, ERC2771Context, IMembership {
    /// @inheritdoc IMembership
    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN_ROLE");
    /// @inheritdoc IMembership
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    /// @inheritdoc IMembership
    bytes32 public constant MEMBER_ROLE = keccak256("MEMBER_ROLE");
    /// @inheritdoc IMembership
    bytes32 public constant MODULE_ROLE = keccak256("MODULE_ROLE");

    mapping(address account => uint32 companyNo) private _accountCompany;
    mapping(bytes32 companyId => uint32 companyNo) private _companyNumbers;
    mapping(uint32 companyNo => bytes32 companyId) private _companyIds;
    mapping(uint32 companyNo => uint40 until) private _restrictedUntil;
    mapping(uint32 companyNo => string name) private _companyNames;
    uint32 private _companyCount;

    /// @param initialAdmin Holder of `DEFAULT_ADMIN_ROLE` and `ADMIN_ROLE` (the city program office).
    /// @param adminTransferDelay Seconds a transfer of `DEFAULT_ADMIN_ROLE` waits before it can complete.
    /// @param trustedForwarder The ERC-2771 forwarder that relays signed submissions.
    constructor(address initialAdmin, uint48 adminTransferDelay, address trustedForwarder)
        AccessControlDefaultAdminRules(adminTransferDelay, initialAdmin)
        ERC2771Context(trustedForwarder)
    {
        _grantRole(ADMIN_ROLE, initialAdmin);
    }

    /// @inheritdoc IMembership
    function bindCompanyAccount(address account, bytes32 companyId, string calldata name)
        external
        onlyRole(ADMIN_ROLE)
    {
        if (account == address(0)) revert MembershipAccountZero();
        if (companyId == bytes32(0)) revert MembershipCompanyIdZero();
        uint32 bound = _accountCompany[account];
        if (bound != 0) revert MembershipAccountAlreadyBound(account, _companyIds[bound]);
        _requireNoPrivilegedRole(account);
        uint32 companyNo = _companyNumber(companyId);
        if (bytes(name).length != 0) {
            if (keccak256(bytes(name)) != keccak256(bytes(_companyNames[companyNo]))) {
                _nameCompany(companyNo, companyId, name);
            }
        } else if (bytes(_companyNames[companyNo]).length == 0) {
            revert MembershipCompanyNameMissing(companyId);
        }
        _accountCompany[account] = companyNo;
        emit CompanyAccountBound(account, companyId, _msgSender());
    }

    /// @inheritdoc IMembership
    function renameCompany(bytes32 companyId, string calldata name) external onlyRole(ADMIN_ROLE) {
        if (companyId == bytes32(0)) revert MembershipCompanyIdZero();
        if (bytes(name).length == 0) revert MembershipCompanyNameMissing(companyId);
        uint32 companyNo = _companyNumber(companyId);
        if (keccak256(bytes(name)) == keccak256(bytes(_companyNames[companyNo]))) {
            revert MembershipCompanyNameUnchanged(companyId);
        }
        _nameCompany(companyNo, companyId, name);
    }

    /// @inheritdoc IMembership
    function companyName(bytes32 companyId) external view returns (string memory) {
        return _companyNames[_companyNumbers[companyId]];
    }

    /// @inheritdoc IMembership
    function unbindCompanyAccount(address account) external onlyRole(ADMIN_ROLE) {
        uint32 bound = _accountCompany[account];
        if (bound == 0) revert MembershipAccountNotBound(account);
        delete _accountCompany[account];
        emit CompanyAccountUnbound(account, _companyIds[bound], _msgSender());
    }

    /// @inheritdoc IMembership
    function companyOf(address account) external view returns (bytes32) {
        return _companyIds[_accountCompany[account]];
    }

    /// @inheritdoc IMembership
    function restrictionOf(bytes32 companyId) external view returns (uint40) {
        return _restrictedUntil[_companyNumbers[companyId]];
    }

    /// @inheritdoc IMembership
    function isParticipant(address account) public view returns (bool) {
        return _accountCompany[account] != 0 || hasRole(ADMIN_ROLE, account) || hasRole(AUDITOR_ROLE, account)
            || hasRole(MEMBER_ROLE, account) || hasRole(DEFAULT_ADMIN_ROLE, account);
    }

    /// @dev The signer of a relayed submission, or the caller.
    function _msgSender() internal view virtual override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view virtual override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view virtual override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }

    /// @dev A company account must not also approve, audit or administer (separation of duties).
    function _grantRole(bytes32 role, address account) internal virtual override returns (bool) {
        if (role != MEMBER_ROLE && _accountCompany[account] != 0) revert MembershipRoleConflict(account, role);
        return super._grantRole(role, account);
    }

    /// @dev Refuses a company account as the next top admin now, not when it accepts days later.
    function _beginDefaultAdminTransfer(address newAdmin) internal virtual override {
        if (_accountCompany[newAdmin] != 0) revert MembershipRoleConflict(newAdmin, DEFAULT_ADMIN_ROLE);
        super._beginDefaultAdminTransfer(newAdmin);
    }

    function _requireNoPrivilegedRole(address account) private view {
        if (hasRole(DEFAULT_ADMIN_ROLE, account)) revert MembershipRoleConflict(account, DEFAULT_ADMIN_ROLE);
        if (hasRole(ADMIN_ROLE, account)) revert MembershipRoleConflict(account, ADMIN_ROLE);
        if (hasRole(AUDITOR_ROLE, account)) revert MembershipRoleConflict(account, AUDITOR_ROLE);
        if (hasRole(MODULE_ROLE, account)) revert MembershipRoleConflict(account, MODULE_ROLE);
    }

    function _nameCompany(uint32 companyNo, bytes32 companyId, string calldata name) private {
        if (bytes(name).length > 200) revert MembershipCompanyNameTooLong(bytes(name).length);
        _companyNames[companyNo] = name;
        emit CompanyNamed(companyId, name, _msgSender());
    }

    function _requireParticipant(address account) internal view {
        if (!isParticipant(account)) revert MembershipNotParticipant(account);
    }

    /// @dev The internal number of `companyId`, assigned on first use.
    function _companyNumber(bytes32 companyId) internal returns (uint32 companyNo) {
        companyNo = _companyNumbers[companyId];
        if (companyNo == 0) {
            companyNo = ++_companyCount;
            _companyNumbers[companyId] = companyNo;
            _companyIds[companyNo] = companyId;
        }
    }

    function _accountCompanyNo(address account) internal view returns (uint32) {
        return _accountCompany[account];
    }

    function _companyIdOf(uint32 companyNo) internal view returns (bytes32) {
        return _companyIds[companyNo];
    }

    function _restrictionOf(uint32 companyNo) internal view returns (uint40) {
        return _restrictedUntil[companyNo];
    }

    /// @dev Extends (never shortens) the company's restriction from new grants; a date already past
    /// restricts nothing and is ignored.
    function _restrictCompany(uint32 companyNo, uint40 until, uint32 auditId) internal {
        if (until > _restrictedUntil[companyNo] && until > block.timestamp) {
            _restrictedUntil[companyNo] = until;
            emit CompanyRestrictionSet(_companyIds[companyNo], until, auditId);
        }
    }
}
