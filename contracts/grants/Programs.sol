// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {
    AnchorKind,
    Program,
    ProgramRules,
    ProgramStatus,
    ProgramTerms,
    Project,
    ProjectFunds,
    ProjectStatus,
    ProjectTerms
} from "../Common.sol";
import {IPrograms} from "../interfaces/IPrograms.sol";
import {EvidenceAnchoring} from "./EvidenceAnchoring.sol";

/// @title Grant programs and projects, with budget and cap enforcement
/// @notice Implements `IPrograms`.
abstract contract Programs is EvidenceAnchoring, IPrograms {
    /// @dev One slot: everything a company write needs to check about its project.
    struct ProjectRecord {
        uint32 programId;
        uint32 companyNo;
        ProjectStatus status;
        uint96 amount;
        uint40 startDate;
        uint40 endDate;
    }

    /// @dev Milestone bookkeeping of a project, kept apart so a submission does not read it.
    struct MilestoneBook {
        uint32 milestoneCount;
        uint96 plannedTranches;
        uint96 paidTranches;
    }

    mapping(uint32 programId => Program program) private _programs;
    mapping(uint32 projectId => ProjectRecord project) private _projects;
    mapping(uint32 projectId => bytes32 planHash) private _planHashes;
    mapping(uint32 projectId => MilestoneBook book) internal _milestoneBooks;
    mapping(uint32 programId => ProgramRules rules) private _rules;
    mapping(uint32 projectId => uint96 returned) private _returned;
    uint32 private _programCount;
    uint32 private _projectCount;

    /// @inheritdoc IPrograms
    function createProgram(ProgramTerms calldata terms) external onlyRole(ADMIN_ROLE) returns (uint32 programId) {
        if (bytes(terms.name).length == 0) revert ProgramNameEmpty();
        if (terms.perProjectCap == 0 || terms.perProjectCap > terms.budget) {
            revert ProgramCapInvalid(terms.perProjectCap, terms.budget);
        }
        ProgramRules calldata rules = terms.rules;
        if (rules.followUpYears == 0 || rules.objectionDays == 0) {
            revert ProgramRulesInvalid(rules.followUpYears, rules.objectionDays);
        }
        programId = ++_programCount;
        _rules[programId] = rules;
        Program storage program = _programs[programId];
        program.budget = terms.budget;
        program.perProjectCap = terms.perProjectCap;
        program.year = terms.year;
        program.status = ProgramStatus.Open;
        program.metadataHash = terms.metadataHash;
        program.name = terms.name;
        program.field = terms.field;
        program.metadataURI = terms.metadataURI;
        _anchorIfAny(terms.metadataHash, AnchorKind.ProgramMetadata, _msgSender());
        emit ProgramCreated(
            programId,
            _msgSender(),
            terms.name,
            terms.year,
            terms.budget,
            terms.perProjectCap,
            terms.field,
            terms.metadataHash,
            terms.metadataURI
        );
        emit ProgramRulesSet(programId, rules);
    }

    /// @inheritdoc IPrograms
    function closeProgram(uint32 programId) external onlyRole(ADMIN_ROLE) {
        Program storage program = _openProgram(programId);
        program.status = ProgramStatus.Closed;
        emit ProgramClosed(programId, _msgSender());
    }

    /// @inheritdoc IPrograms
    function registerProject(ProjectTerms calldata terms) external onlyRole(ADMIN_ROLE) returns (uint32 projectId) {
        Program storage program = _openProgram(terms.programId);
        if (terms.companyId == bytes32(0)) revert MembershipCompanyIdZero();
        if (terms.amount == 0 || terms.amount > program.perProjectCap) {
            revert ProjectAmountInvalid(terms.programId, terms.amount, program.perProjectCap);
        }
        uint96 remaining = program.budget - program.granted;
        if (terms.amount > remaining) revert ProgramBudgetExceeded(terms.programId, terms.amount, remaining);
        if (terms.endDate <= terms.startDate) revert ProjectPeriodInvalid(terms.startDate, terms.endDate);
        uint32 companyNo = _companyNumber(terms.companyId);
        uint40 restrictedUntil = _restrictionOf(companyNo);
        if (restrictedUntil > block.timestamp) revert MembershipCompanyRestricted(terms.companyId, restrictedUntil);

        program.granted += terms.amount;
        program.projectCount += 1;
        projectId = ++_projectCount;
        _projects[projectId] = ProjectRecord({
            programId: terms.programId,
            companyNo: companyNo,
            status: ProjectStatus.Active,
            amount: terms.amount,
            startDate: terms.startDate,
            endDate: terms.endDate
        });
        _planHashes[projectId] = terms.planHash;
        _anchorIfAny(terms.planHash, AnchorKind.ProjectPlan, _msgSender());
        emit ProjectRegistered(
            projectId,
            terms.programId,
            terms.companyId,
            terms.amount,
            terms.startDate,
            terms.endDate,
            terms.planHash,
            _msgSender()
        );
        emit ProjectTargetsSet(projectId, terms.targets);
    }

    /// @inheritdoc IPrograms
    function completeProject(uint32 projectId, bytes32 reportHash) external onlyRole(ADMIN_ROLE) {
        _requireProjectStatus(projectId, _existingProject(projectId), ProjectStatus.Active);
        _anchorIfAny(reportHash, AnchorKind.Document, _msgSender());
        _setProjectStatus(projectId, ProjectStatus.Completed, reportHash);
    }

    /// @inheritdoc IPrograms
    function terminateProject(uint32 projectId, bytes32 reasonHash) external onlyRole(ADMIN_ROLE) {
        ProjectRecord storage project = _existingProject(projectId);
        _requireProjectStatus(projectId, project, ProjectStatus.Active);
        _anchorRequired(reasonHash, AnchorKind.Document, _msgSender());
        _setProjectStatus(projectId, ProjectStatus.Terminated, reasonHash);
        _returnUnpaid(projectId, project);
    }

    /// @inheritdoc IPrograms
    function checkCompanyWrite(uint32 projectId, address account) external view returns (ProjectStatus) {
        return _companyProject(projectId, account).status;
    }

    /// @inheritdoc IPrograms
    function getProgram(uint32 programId) external view returns (Program memory) {
        return _existingProgram(programId);
    }

    /// @inheritdoc IPrograms
    function getProject(uint32 projectId) external view returns (Project memory) {
        ProjectRecord storage record = _existingProject(projectId);
        MilestoneBook storage book = _milestoneBooks[projectId];
        return Project({
            programId: record.programId,
            companyId: _companyIdOf(record.companyNo),
            status: record.status,
            amount: record.amount,
            startDate: record.startDate,
            endDate: record.endDate,
            planHash: _planHashes[projectId],
            milestoneCount: book.milestoneCount,
            plannedTranches: book.plannedTranches
        });
    }

    /// @inheritdoc IPrograms
    function rulesOf(uint32 programId) external view returns (ProgramRules memory) {
        _existingProgram(programId);
        return _rules[programId];
    }

    /// @inheritdoc IPrograms
    function fundsOf(uint32 projectId) external view returns (ProjectFunds memory) {
        _existingProject(projectId);
        return ProjectFunds({paid: _milestoneBooks[projectId].paidTranches, returned: _returned[projectId]});
    }

    /// @inheritdoc IPrograms
    function programCount() external view returns (uint32) {
        return _programCount;
    }

    /// @inheritdoc IPrograms
    function projectCount() external view returns (uint32) {
        return _projectCount;
    }

    function _existingProgram(uint32 programId) private view returns (Program storage program) {
        program = _programs[programId];
        if (program.status == ProgramStatus.None) revert ProgramNotFound(programId);
    }

    function _openProgram(uint32 programId) private view returns (Program storage program) {
        program = _existingProgram(programId);
        if (program.status != ProgramStatus.Open) revert ProgramNotOpen(programId);
    }

    /// @dev The rules of the project's program.
    function _projectRules(ProjectRecord storage project) internal view returns (ProgramRules storage) {
        return _rules[project.programId];
    }

    /// @dev Gives the part of the grant no approved milestone paid back to the program's budget, once:
    /// when an active or completed project is terminated or its money clawed back.
    function _returnUnpaid(uint32 projectId, ProjectRecord storage project) internal {
        uint96 unpaid = project.amount - _milestoneBooks[projectId].paidTranches;
        _returned[projectId] = unpaid;
        _programs[project.programId].granted -= unpaid;
        emit GrantFundsReturned(projectId, project.programId, unpaid);
    }

    function _existingProject(uint32 projectId) internal view returns (ProjectRecord storage project) {
        project = _projects[projectId];
        if (project.status == ProjectStatus.None) revert ProjectNotFound(projectId);
    }

    /// @dev The project, after checking that `account` acts for its company.
    function _companyProject(uint32 projectId, address account) internal view returns (ProjectRecord storage project) {
        project = _existingProject(projectId);
        if (_accountCompanyNo(account) != project.companyNo) revert ProjectUnauthorizedCompany(projectId, account);
    }

    function _requireProjectStatus(uint32 projectId, ProjectRecord storage project, ProjectStatus expected)
        internal
        view
    {
        if (project.status != expected) revert ProjectStatusInvalid(projectId, project.status);
    }

    function _setProjectStatus(uint32 projectId, ProjectStatus to, bytes32 documentHash) internal {
        ProjectRecord storage project = _projects[projectId];
        ProjectStatus from = project.status;
        project.status = to;
        emit ProjectStatusChanged(projectId, from, to, documentHash, _msgSender());
    }
}
