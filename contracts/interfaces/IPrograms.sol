// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {
    Program,
    ProgramRules,
    ProgramTerms,
    Project,
    ProjectFunds,
    ProjectStatus,
    ProjectTargets,
    ProjectTerms
} from "../Common.sol";

/// @title Grant programs and the projects (grant agreements) they fund
/// @notice Amounts are whole Korean won. The sum of a program's grants never exceeds its budget and
/// no grant exceeds the program's per-project cap.
interface IPrograms {
    /// @notice A program was opened.
    /// @param programId The program.
    /// @param admin The admin account that acted.
    /// @param name Program name.
    /// @param year Program or reporting year.
    /// @param budget Total budget, won.
    /// @param perProjectCap Largest grant per project, won.
    /// @param field Technology field.
    /// @param metadataHash SHA-256 of the program notice, or zero.
    /// @param metadataURI Where the notice can be read, or empty.
    event ProgramCreated(
        uint32 indexed programId,
        address indexed admin,
        string name,
        uint16 year,
        uint96 budget,
        uint96 perProjectCap,
        string field,
        bytes32 metadataHash,
        string metadataURI
    );
    /// @notice The rules of a program, set when it opened.
    /// @param programId The program.
    /// @param rules Follow-up years, objection window, longest restriction and largest clawback.
    event ProgramRulesSet(uint32 indexed programId, ProgramRules rules);
    /// @notice A program stopped accepting projects.
    /// @param programId The program.
    /// @param admin The admin account that acted.
    event ProgramClosed(uint32 indexed programId, address indexed admin);
    /// @notice A grant agreement was registered.
    /// @param projectId The project.
    /// @param programId The program.
    /// @param companyId The company identity (keccak256 of its business registration number).
    /// @param amount Grant amount, won.
    /// @param startDate Start of the project period, unix seconds.
    /// @param endDate End of the project period, unix seconds.
    /// @param planHash SHA-256 of the project plan, or zero.
    /// @param admin The admin account that acted.
    event ProjectRegistered(
        uint32 indexed projectId,
        uint32 indexed programId,
        bytes32 indexed companyId,
        uint96 amount,
        uint40 startDate,
        uint40 endDate,
        bytes32 planHash,
        address admin
    );
    /// @notice The performance targets agreed with a project when it was registered; they live in this
    /// event only, since nothing on chain depends on them.
    /// @param projectId The project.
    /// @param targets Papers, patents, sales and investment (won) and jobs; zero for no target.
    event ProjectTargetsSet(uint32 indexed projectId, ProjectTargets targets);
    /// @notice The part of a grant that was never paid went back to its program's budget, because the
    /// project was terminated or its money clawed back.
    /// @param projectId The project.
    /// @param programId The program whose remaining budget grew by `amount`.
    /// @param amount Won returned: the grant less the tranches its approved milestones released.
    event GrantFundsReturned(uint32 indexed projectId, uint32 indexed programId, uint96 amount);
    /// @notice A project changed status; `documentHash` explains why (completion report, termination
    /// reason or audit findings).
    /// @param projectId The project.
    /// @param from The status before.
    /// @param to The status after.
    /// @param documentHash SHA-256 of the document behind the change, or zero.
    /// @param actor The account that acted.
    event ProjectStatusChanged(
        uint32 indexed projectId,
        ProjectStatus from,
        ProjectStatus to,
        bytes32 documentHash,
        address indexed actor
    );

    /// @notice No program has id `programId`.
    error ProgramNotFound(uint32 programId);
    /// @notice The program is closed and takes no new projects.
    error ProgramNotOpen(uint32 programId);
    /// @notice A program needs a name.
    error ProgramNameEmpty();
    /// @notice The per-project cap must be above zero and at most the budget.
    error ProgramCapInvalid(uint96 perProjectCap, uint96 budget);
    /// @notice Granting `amount` would exceed the program's budget; only `remaining` won is left.
    error ProgramBudgetExceeded(uint32 programId, uint96 amount, uint96 remaining);
    /// @notice A program needs at least one follow-up year and an objection window of at least one day.
    error ProgramRulesInvalid(uint8 followUpYears, uint16 objectionDays);
    /// @notice No project has id `projectId`.
    error ProjectNotFound(uint32 projectId);
    /// @notice The amount must be above zero and at most the program's per-project cap.
    error ProjectAmountInvalid(uint32 programId, uint96 amount, uint96 perProjectCap);
    /// @notice The project period must end after it starts.
    error ProjectPeriodInvalid(uint40 startDate, uint40 endDate);
    /// @notice The project's status `status` does not allow this operation.
    error ProjectStatusInvalid(uint32 projectId, ProjectStatus status);
    /// @notice `account` does not act for the company that holds project `projectId`.
    error ProjectUnauthorizedCompany(uint32 projectId, address account);

    /// @notice Opens a grant program.
    /// @param terms Name, year, budget and per-project cap in won, field, metadata document and rules.
    /// @return programId The new program's id, counting from 1.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - the name is not empty and `0 < perProjectCap <= budget`.
    function createProgram(ProgramTerms calldata terms) external returns (uint32 programId);

    /// @notice Closes a program to new projects; existing projects carry on.
    /// @param programId The program.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - the program is open.
    function closeProgram(uint32 programId) external;

    /// @notice Registers a funded project (grant agreement) under an open program.
    /// @param terms Program, company, amount, period, plan document hash and performance targets.
    /// @return projectId The new project's id, counting from 1.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - the program is open, the amount within its cap and its remaining budget;
    /// - the company is not under a participation restriction.
    function registerProject(ProjectTerms calldata terms) external returns (uint32 projectId);

    /// @notice Marks an active project completed.
    /// @param projectId The project.
    /// @param reportHash Hash of the completion report, or zero.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - the project is active.
    function completeProject(uint32 projectId, bytes32 reportHash) external;

    /// @notice Terminates an active project early; the unpaid part of the grant goes back to the program.
    /// @param projectId The project.
    /// @param reasonHash Hash of the document stating the reason; required.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`;
    /// - the project is active.
    function terminateProject(uint32 projectId, bytes32 reasonHash) external;

    /// @notice The project's status, after checking that `account` acts for the project's company.
    /// @param projectId The project.
    /// @param account The account that wants to write for the project.
    /// @return status The project's status; reverts `ProjectNotFound` or `ProjectUnauthorizedCompany`.
    function checkCompanyWrite(uint32 projectId, address account) external view returns (ProjectStatus status);

    /// @notice A program by id.
    /// @param programId The program.
    function getProgram(uint32 programId) external view returns (Program memory);

    /// @notice A project by id.
    /// @param projectId The project.
    function getProject(uint32 projectId) external view returns (Project memory);

    /// @notice The rules of a program.
    /// @param programId The program.
    function rulesOf(uint32 programId) external view returns (ProgramRules memory);

    /// @notice What a project's approved milestones paid, and what went back to its program.
    /// @param projectId The project.
    function fundsOf(uint32 projectId) external view returns (ProjectFunds memory);

    /// @notice How many programs exist (ids run from 1 to this number).
    function programCount() external view returns (uint32);

    /// @notice How many projects exist (ids run from 1 to this number).
    function projectCount() external view returns (uint32);
}
