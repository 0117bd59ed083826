"""Statistics of the indexed registry: per program (each belongs to one year), and per company.

Counted in SQL with GROUP BY, one query per record table. Won amounts are summed exactly: on
PostgreSQL they are NUMERIC, whose SUM is exact; on SQLite they are zero-padded decimal text (see
`UnsignedInteger`), and SQLite's SUM of text turns into a float past 2**63, so the digits are summed
in slices of ten, each slice's sum staying far below 2**63, and put together in Python.

What counts (the API repeats this in its field descriptions):

- milestones by their current status; overdue as registry.domain.deadlines says, at `as_of`;
- outcomes by type, counting only those that stand: not revoked, and not corrected by a later
  outcome (the correction counts instead);
- commercialization figures summed over disclosed reports that are not disputed (reported or
  verified); a committed report's figures are hidden until it is revealed. Per program they add up
  every year reported under it; per year (`report_year_statistics`) they go by the report's own year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    or_,
    select,
)

from registry.domain.deadlines import (
    WAITING_FOR_COMPANY,
    FollowUpYear,
    ReportState,
    commercialization_schedule,
    overdue_cutoff,
)
from registry.domain.enums import MilestoneStatus, OutcomeType, ProjectStatus, ReportStatus, SanctionStatus
from registry.domain.records import DEFAULT_FOLLOW_UP_YEARS
from registry.store.queries import grants
from registry.store.queries import outcomes as outcome_queries
from registry.store.queries.prepared import PreparedQuery, Snapshot
from registry.store.schema import (
    UnsignedInteger,
    audits,
    commercialization_reports,
    companies,
    company_accounts,
    company_restrictions,
    milestones,
    outcomes,
    programs,
    projects,
)

#: Digits summed per slice on SQLite: a slice is below 10**10, so 900 million rows sum below 2**63.
_SLICE_DIGITS = 10
#: Reports whose figures count: disclosed and not disputed.
COUNTED_REPORTS = (ReportStatus.REPORTED, ReportStatus.VERIFIED)


@dataclass
class MilestoneCounts:
    total: int = 0
    planned: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0
    overdue: int = 0


@dataclass
class OutcomeCounts:
    #: Outcomes that stand (not revoked, not corrected), by type.
    by_type: dict[OutcomeType, int] = field(default_factory=dict)
    revoked: int = 0
    corrected: int = 0

    @property
    def standing(self) -> int:
        return sum(self.by_type.values())


@dataclass
class CommercializationTotals:
    reports: int = 0
    committed: int = 0
    reported: int = 0
    verified: int = 0
    disputed: int = 0
    sales: int = 0
    investment: int = 0
    royalties: int = 0
    jobs: int = 0


@dataclass
class Targets:
    """Performance targets (성과목표) added up over projects; a project with none recorded adds nothing."""

    papers: int = 0
    patents: int = 0
    sales: int = 0
    investment: int = 0
    jobs: int = 0
    #: Projects whose targets were recorded (`ProjectTargetsSet`).
    projects: int = 0


@dataclass(frozen=True)
class Results:
    """What projects achieved against their targets: papers are current, not revoked Paper outcomes;
    patents Patent application and registration outcomes alike; sales, investment and jobs the counted
    commercialization reports' figures (reported or verified)."""

    papers: int
    patents: int
    sales: int
    investment: int
    jobs: int

    @classmethod
    def of(cls, outcomes: OutcomeCounts, commercialization: CommercializationTotals) -> Results:
        by_type = outcomes.by_type
        return cls(
            papers=by_type.get(OutcomeType.PAPER, 0),
            patents=by_type.get(OutcomeType.PATENT_APPLICATION, 0) + by_type.get(OutcomeType.PATENT_REGISTRATION, 0),
            sales=commercialization.sales, investment=commercialization.investment, jobs=commercialization.jobs,
        )  # fmt: skip


@dataclass
class FollowUpCounts:
    """Commercialization follow-up years of the projects at the moment asked, as
    `registry.domain.deadlines.commercialization_schedule` decides each (program's `follow_up_years`)."""

    #: Ended years whose report is not in yet and still within its due date.
    due: int = 0
    #: Years whose due date passed with no report.
    late: int = 0
    #: Years with a report on record.
    reported: int = 0


@dataclass
class Activity:
    """What happened under a group of projects (a program's, a company's)."""

    projects: int = 0
    #: What the projects hold of their programs' budgets: their amounts less what went back
    #: (`GrantFundsReturned`), so a program's figure is the `granted` its chain record keeps.
    granted: int = 0
    #: Tranches of approved milestones (`fundsOf(...).paid`), and unpaid grants returned to programs.
    paid: int = 0
    returned: int = 0
    milestones: MilestoneCounts = field(default_factory=MilestoneCounts)
    outcomes: OutcomeCounts = field(default_factory=OutcomeCounts)
    commercialization: CommercializationTotals = field(default_factory=CommercializationTotals)
    clawbacks: int = 0
    targets: Targets = field(default_factory=Targets)
    follow_up: FollowUpCounts = field(default_factory=FollowUpCounts)

    @property
    def results(self) -> Results:
        return Results.of(self.outcomes, self.commercialization)

    def add(self, other: Activity) -> None:
        """Adds `other`'s counts and sums to these."""
        self.projects += other.projects
        self.granted += other.granted
        self.paid += other.paid
        self.returned += other.returned
        self.clawbacks += other.clawbacks
        for name in MilestoneCounts.__dataclass_fields__:
            setattr(self.milestones, name, getattr(self.milestones, name) + getattr(other.milestones, name))
        for kind, count in other.outcomes.by_type.items():
            self.outcomes.by_type[kind] = self.outcomes.by_type.get(kind, 0) + count
        self.outcomes.revoked += other.outcomes.revoked
        self.outcomes.corrected += other.outcomes.corrected
        for name in CommercializationTotals.__dataclass_fields__:
            total = getattr(self.commercialization, name) + getattr(other.commercialization, name)
            setattr(self.commercialization, name, total)
        for name in Targets.__dataclass_fields__:
            setattr(self.targets, name, getattr(self.targets, name) + getattr(other.targets, name))
        for name in FollowUpCounts.__dataclass_fields__:
            setattr(self.follow_up, name, getattr(self.follow_up, name) + getattr(other.follow_up, name))


@dataclass(frozen=True)
class ReportYearStatistics:
    """The commercialization reports for one year (the year their figures are for)."""

    year: int
    commercialization: CommercializationTotals


@dataclass(frozen=True)
class ProgramStatistics:
    program_id: int
    name: str
    year: int
    field: str
    status: int
    budget: int
    per_project_cap: int
    #: What the chain says the program granted (the sum of its projects' amounts).
    granted: int
    activity: Activity


@dataclass(frozen=True)
class CompanyStatistics:
    company_id: bytes
    #: The public name last published on chain; None if never named.
    name: str | None
    programs: int
    #: Accounts bound to the company now.
    accounts: int
    restricted_until: int | None
    activity: Activity


def program_statistics(
    connection: Connection, *, as_of: int, year: int | None = None, program_id: int | None = None
) -> list[ProgramStatistics]:
    """Every program (of `year`, or only `program_id`, if given), by id, with what happened under it."""
    query = select(programs).order_by(programs.c.program_id)
    if year is not None:
        query = query.where(programs.c.year == year)
    if program_id is not None:
        query = query.where(programs.c.program_id == program_id)
    rows = connection.execute(query).mappings().all()
    condition = None
    if year is not None or program_id is not None:
        condition = projects.c.program_id.in_([row["program_id"] for row in rows])
    activity = _activity(connection, projects.c.program_id, as_of, condition)
    return [
        ProgramStatistics(
            program_id=row["program_id"],
            name=row["name"],
            year=row["year"],
            field=row["field"],
            status=row["status"],
            budget=row["budget"],
            per_project_cap=row["per_project_cap"],
            granted=row["granted"],
            activity=activity.get(row["program_id"], Activity()),
        )
        for row in rows
    ]


def company_statistics(
    connection: Connection, *, as_of: int, company_id: bytes | None = None
) -> list[CompanyStatistics]:
    """Every company that holds a project or an account (or only `company_id`), by company id."""
    condition = projects.c.company_id == company_id if company_id is not None else None
    activity = _activity(connection, projects.c.company_id, as_of, condition)
    program_counts = _by_key(connection, select(projects.c.company_id, func.count(func.distinct(projects.c.program_id)))
                             .group_by(projects.c.company_id), condition)  # fmt: skip
    account_query = select(company_accounts.c.company_id, func.count()).where(company_accounts.c.active)
    if company_id is not None:
        account_query = account_query.where(company_accounts.c.company_id == company_id)
    accounts = {bytes(k): int(n) for k, n in connection.execute(account_query.group_by(company_accounts.c.company_id))}
    restrictions = {
        bytes(k): int(until)
        for k, until in connection.execute(
            select(company_restrictions.c.company_id, company_restrictions.c.restricted_until)
        )
    }
    names = {bytes(k): str(name) for k, name in connection.execute(select(companies.c.company_id, companies.c.name))}
    found = sorted(set(activity) | set(accounts))
    return [
        CompanyStatistics(
            company_id=company,
            name=names.get(company),
            programs=program_counts.get(company, 0),
            accounts=accounts.get(company, 0),
            restricted_until=restrictions.get(company),
            activity=activity.get(company, Activity()),
        )
        for company in found
        if company_id is None or company == company_id
    ]


def _activity(
    connection: Connection, key: Column[Any], as_of: int, condition: ColumnElement[bool] | None
) -> dict[Any, Activity]:
    """Activity per value of `key` (a column of `projects`), over the projects matching `condition`."""
    dialect = connection.dialect.name
    found: dict[Any, Activity] = defaultdict(Activity)

    amounts = [_exact_sum(projects.c[name], dialect) for name in ("amount", "paid", "returned")]
    width = len(amounts[0])
    query = select(key, func.count(), *[part for parts in amounts for part in parts]).group_by(key)
    for row in connection.execute(_where(query, condition)):
        activity = found[_key(row[0])]
        activity.projects = int(row[1])
        amount, paid, returned = (_combine(row[2 + i * width : 2 + (i + 1) * width], dialect) for i in range(3))
        activity.granted, activity.paid, activity.returned = amount - returned, paid, returned

    p = projects
    target_sums = [_exact_sum(p.c.target_sales, dialect), _exact_sum(p.c.target_investment, dialect)]
    width = len(target_sums[0])
    query = select(
        key, func.count(), func.sum(p.c.target_papers), func.sum(p.c.target_patents), func.sum(p.c.target_jobs),
        *[part for parts in target_sums for part in parts],
    ).where(p.c.target_papers.is_not(None)).group_by(key)  # fmt: skip
    for row in connection.execute(_where(query, condition)):
        targets = found[_key(row[0])].targets
        targets.projects = int(row[1])
        targets.papers, targets.patents, targets.jobs = (int(v or 0) for v in row[2:5])
        targets.sales = _combine(row[5 : 5 + width], dialect)
        targets.investment = _combine(row[5 + width : 5 + 2 * width], dialect)

    late = and_(  # registry.domain.deadlines.is_overdue, in SQL
        milestones.c.due_date < overdue_cutoff(as_of),
        milestones.c.status.in_([int(s) for s in WAITING_FOR_COMPANY]),
        projects.c.status == int(ProjectStatus.ACTIVE),
    )
    overdue = func.sum(case((late, 1), else_=0))
    query = (
        select(key, milestones.c.status, func.count(), overdue)
        .select_from(milestones.join(projects, projects.c.project_id == milestones.c.project_id))
        .group_by(key, milestones.c.status)
    )
    for row in connection.execute(_where(query, condition)):
        counts = found[_key(row[0])].milestones
        milestone_status, count = MilestoneStatus(row[1]), int(row[2])
        counts.total += count
        counts.overdue += int(row[3] or 0)
        if milestone_status is not MilestoneStatus.NONE:
            name = milestone_status.name.lower()
            setattr(counts, name, getattr(counts, name) + count)

    corrected = case((outcomes.c.amended_by != 0, 1), else_=0)
    query = (
        select(key, outcomes.c.outcome_type, outcomes.c.revoked, corrected, func.count())
        .select_from(outcomes.join(projects, projects.c.project_id == outcomes.c.project_id))
        .group_by(key, outcomes.c.outcome_type, outcomes.c.revoked, corrected)
    )
    for row in connection.execute(_where(query, condition)):
        counted = found[_key(row[0])].outcomes
        count = int(row[4])
        if row[2]:
            counted.revoked += count
        elif row[3]:
            counted.corrected += count
        else:
            kind = OutcomeType(row[1])
            counted.by_type[kind] = counted.by_type.get(kind, 0) + count

    for value, totals in _commercialization(connection, key, condition).items():
        found[value].commercialization = totals

    for value, owed in _follow_up(connection, key, as_of, condition).items():
        found[value].follow_up = owed

    # A clawback counts once a second auditor put it into effect; a pending or cancelled one does not.
    clawed = _exact_sum(audits.c.clawback_amount, dialect)
    query = (
        select(key, *clawed)
        .select_from(audits.join(projects, projects.c.project_id == audits.c.project_id))
        .where(audits.c.sanction_status == int(SanctionStatus.IN_EFFECT))
        .group_by(key)
    )
    for row in connection.execute(_where(query, condition)):
        found[_key(row[0])].clawbacks = _combine(row[1:], dialect)
    return dict(found)


def _follow_up(
    connection: Connection, key: Column[Any], as_of: int, condition: ColumnElement[bool] | None
) -> dict[Any, FollowUpCounts]:
    """Follow-up years due, late and reported per value of `key`, each project's schedule decided by
    `registry.domain.deadlines` (not restated in SQL: the rule lives in one place)."""
    r = commercialization_reports
    reported: dict[int, set[int]] = defaultdict(set)
    years_reported = select(r.c.project_id, r.c.year).select_from(
        r.join(projects, projects.c.project_id == r.c.project_id)
    )
    for project_id, year in connection.execute(_where(years_reported.distinct(), condition)):
        reported[int(project_id)].add(int(year))
    found: dict[Any, FollowUpCounts] = defaultdict(FollowUpCounts)
    ended = select(key, projects.c.project_id, projects.c.status, projects.c.end_date, programs.c.follow_up_years)
    ended = ended.select_from(projects.join(programs, programs.c.program_id == projects.c.program_id))
    for value, project_id, status, end_date, years in connection.execute(_where(ended, condition)):
        schedule = commercialization_schedule(
            ProjectStatus(status), int(end_date), reported.get(int(project_id), set()), as_of,
            years or DEFAULT_FOLLOW_UP_YEARS,
        )  # fmt: skip
        counts = found[_key(value)]
        for entry in schedule:
            if entry.state is ReportState.DUE:
                counts.due += 1
            elif entry.state is ReportState.LATE:
                counts.late += 1
            elif entry.state is ReportState.REPORTED:
                counts.reported += 1
    return dict(found)


def report_year_statistics(connection: Connection, *, program_year: int | None = None) -> list[ReportYearStatistics]:
    """Commercialization per year the reports are for (a report's own year, not its program's), oldest
    first; only of the programs of `program_year`, if given."""
    condition = None
    if program_year is not None:
        condition = projects.c.program_id.in_(select(programs.c.program_id).where(programs.c.year == program_year))
    found = _commercialization(connection, commercialization_reports.c.year, condition)
    return [ReportYearStatistics(year=year, commercialization=found[year]) for year in sorted(found)]


def _commercialization(
    connection: Connection, key: Column[Any], condition: ColumnElement[bool] | None
) -> dict[Any, CommercializationTotals]:
    """Commercialization reports by status, and the counted reports' figures, per value of `key` (a column
    of `projects` or of `commercialization_reports`), over the projects matching `condition`."""
    dialect = connection.dialect.name
    found: dict[Any, CommercializationTotals] = defaultdict(CommercializationTotals)
    r = commercialization_reports
    sums = [_exact_sum(r.c.sales, dialect), _exact_sum(r.c.investment, dialect), _exact_sum(r.c.royalties, dialect)]
    query = (
        select(key, r.c.status, func.count(), func.sum(r.c.jobs), *[part for parts in sums for part in parts])
        .select_from(r.join(projects, projects.c.project_id == r.c.project_id))
        .group_by(key, r.c.status)
    )
    width = len(sums[0])
    for row in connection.execute(_where(query, condition)):
        totals = found[_key(row[0])]
        status, count = ReportStatus(row[1]), int(row[2])
        totals.reports += count
        if status is not ReportStatus.NONE:
            name = status.name.lower()
            setattr(totals, name, getattr(totals, name) + count)
        if status in COUNTED_REPORTS:
            values = row[4:]
            totals.jobs += int(row[3] or 0)
            totals.sales += _combine(values[0:width], dialect)
            totals.investment += _combine(values[width : 2 * width], dialect)
            totals.royalties += _combine(values[2 * width : 3 * width], dialect)
    return dict(found)


def _where(query: Any, condition: ColumnElement[bool] | None) -> Any:
    return query if condition is None else query.where(condition)


def _by_key(connection: Connection, query: Any, condition: ColumnElement[bool] | None) -> dict[Any, int]:
    return {_key(k): int(n) for k, n in connection.execute(_where(query, condition))}


def _key(value: Any) -> Any:
    return bytes(value) if isinstance(value, bytes | memoryview) else value


def _exact_sum(column: Column[Any], dialect: str) -> list[ColumnElement[Any]]:
    """SUM of a won column as SQL expressions whose results `_combine` puts together exactly."""
    if dialect != "sqlite":
        return [func.coalesce(func.sum(column), 0)]
    kind = column.type
    assert isinstance(kind, UnsignedInteger)
    parts: list[ColumnElement[Any]] = []
    end = kind.digits  # slices from the least significant digits up; substr counts from 1
    while end > 0:
        start = max(end - _SLICE_DIGITS, 0)
        parts.append(func.coalesce(func.sum(cast(func.substr(column, start + 1, end - start), Integer)), 0))
        end = start
    return parts


def _combine(values: Sequence[Any] | Iterable[Any], dialect: str) -> int:
    values = list(values)
    if dialect != "sqlite":
        return int(values[0] or 0)
    return sum(int(value or 0) * 10 ** (_SLICE_DIGITS * position) for position, value in enumerate(values))


# ---- one project's results against its targets ----------------------------------------------------------

_PROJECT_RESULTS: dict[str, PreparedQuery] = {}
_PATENTS = (int(OutcomeType.PATENT_APPLICATION), int(OutcomeType.PATENT_REGISTRATION))


def _project_results_query(dialect: str) -> PreparedQuery:
    o, r = outcomes, commercialization_reports
    wanted = bindparam("id", type_=BigInteger)
    standing = and_(o.c.project_id == wanted, o.c.revoked.is_(False), o.c.amended_by == 0)

    def count(*where: ColumnElement[bool]) -> ColumnElement[Any]:
        return select(func.count()).select_from(o).where(standing, *where).scalar_subquery()

    # Compiled once, so no IN over a list (SQLAlchemy renders its values at execution).
    counted = and_(r.c.project_id == wanted, or_(*(r.c.status == int(s) for s in COUNTED_REPORTS)))
    sums: list[ColumnElement[Any]] = []
    for name in ("sales", "investment"):
        sums += [select(part).where(counted).scalar_subquery() for part in _exact_sum(r.c[name], dialect)]
    jobs = select(func.coalesce(func.sum(r.c.jobs), 0)).where(counted).scalar_subquery()
    return PreparedQuery(
        select(count(o.c.outcome_type == int(OutcomeType.PAPER)).label("papers"),
               count(or_(*(o.c.outcome_type == kind for kind in _PATENTS))).label("patents"), jobs.label("jobs"),
               *(part.label(f"part_{i}") for i, part in enumerate(sums)))
    )  # fmt: skip


def project_results(reader: Snapshot, project_id: int) -> Results:
    """What one project achieved, counted as `Results` says (the figures the statistics add up)."""
    dialect = reader.dialect.name
    prepared = _PROJECT_RESULTS.get(dialect)
    if prepared is None:
        prepared = _PROJECT_RESULTS[dialect] = _project_results_query(dialect)
    (row,) = prepared.rows(reader, id=project_id)
    parts = [row[f"part_{i}"] for i in range(len(row) - 3)]
    width = len(parts) // 2
    return Results(
        papers=int(row["papers"]), patents=int(row["patents"]), sales=_combine(parts[:width], dialect),
        investment=_combine(parts[width:], dialect), jobs=int(row["jobs"] or 0),
    )  # fmt: skip


def project_follow_up(reader: Snapshot, project_row: Mapping[str, Any], as_of: int) -> list[FollowUpYear]:
    """One project's follow-up years at `as_of`, each with its due day and state, as
    `registry.domain.deadlines` decides them with its program's `follow_up_years`."""
    program = grants.program(reader, project_row["program_id"])
    years = program["follow_up_years"] if program is not None else None
    return commercialization_schedule(
        ProjectStatus(project_row["status"]), int(project_row["end_date"]),
        outcome_queries.report_years(reader, project_row["project_id"]), as_of, years or DEFAULT_FOLLOW_UP_YEARS,
    )  # fmt: skip
