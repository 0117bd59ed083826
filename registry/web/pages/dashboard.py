"""The dashboard for the city and the council: budget against granted per program and year,
milestones done and overdue, outcomes by type, commercialization over the years.

Its figures are the statistics API's, computed by the same functions at one moment (`asOf`, shown
on the page): each chart is drawn by `static/dashboard.js` from the API's JSON embedded in the
page, each has a table with the exact figures, and each links the API's CSV export.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby
from urllib.parse import urlencode

from fastapi import Request
from pydantic.alias_generators import to_camel
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.schemas.statistics import OutcomeFigures, ProgramStatistics, ReportYearStatistics, YearStatistics
from registry.browser_libraries import CHART_JS, BrowserLibraryMissing
from registry.domain.enums import OutcomeType
from registry.web import parameters
from registry.web.formatting import enum_name, utc_iso, visible_strings
from registry.web.i18n import Translator, requested_language
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()

OUTCOME_TYPES = [kind for kind in OutcomeType if kind is not OutcomeType.NONE]


def outcome_field(kind: OutcomeType) -> str:
    """The field of `OutcomesByType` that counts `kind` (in JSON, camelCase: `patentApplication`)."""
    return kind.name.lower()


@router.get("/dashboard")
def dashboard_page(request: Request, context: Context, year: str | None = None) -> Response:
    chosen_year = parameters.year(year)
    computed = context.statistics.programs(None, year=chosen_year)
    found, moment = computed.value, computed.as_of
    programs = [ProgramStatistics.of(p) for p in found]
    by_year = sorted(found, key=lambda p: p.year)
    years = [YearStatistics.of(y, list(group)) for y, group in groupby(by_year, key=lambda p: p.year)]
    totals = YearStatistics.of(chosen_year or 0, found)
    reported = context.statistics.report_years(moment, program_year=chosen_year).value
    report_years = [ReportYearStatistics.of(y) for y in reported]
    as_of = datetime.fromtimestamp(moment, UTC)

    query = {"asOf": utc_iso(as_of), **({"year": str(chosen_year)} if chosen_year is not None else {})}
    exports = {
        "programs_csv": f"/api/v1/statistics/programs/export?{urlencode({**query, 'format': 'csv'})}",
        "programs_json": f"/api/v1/statistics/programs?{urlencode(query)}",
        "years_csv": f"/api/v1/statistics/years/export?{urlencode({**query, 'format': 'csv'})}",
        "years_json": f"/api/v1/statistics/years?{urlencode(query)}",
        "commercialization_csv": f"/api/v1/statistics/commercialization/export?{urlencode({**query, 'format': 'csv'})}",
        "commercialization_json": f"/api/v1/statistics/commercialization?{urlencode(query)}",
    }
    try:
        CHART_JS.locate(context.settings.project_root)
        chart_script: str | None = CHART_JS.url
        chart_problem: str | None = None
    except BrowserLibraryMissing as missing:
        chart_script, chart_problem = None, str(missing)

    translate = Translator(requested_language(request)[0])
    # Program names label the charts (a canvas, which would apply a bidi control): made visible.
    chart_data = visible_strings({
        "lang": translate.language.value,
        "programs": [p.model_dump(mode="json") for p in programs],
        "years": [y.model_dump(mode="json") for y in years],
        "reportYears": [y.model_dump(mode="json") for y in report_years],
        "outcomeTypes": [
            {"key": to_camel(outcome_field(kind)), "label": translate.enum("outcome_type", enum_name(kind))}
            for kind in OUTCOME_TYPES
        ],
        "messages": translate.subset("chart."),
    })
    return render(request, "dashboard.html", programs=programs, years=years, report_years=report_years, totals=totals,
                  outcome_types=OUTCOME_TYPES, outcome_count=_outcome_count, outcome_field=outcome_field,
                  as_of=as_of, year=chosen_year, exports=exports, chart_data=chart_data, chart_script=chart_script,
                  chart_problem=chart_problem)  # fmt: skip


def _outcome_count(outcomes: OutcomeFigures, kind: OutcomeType) -> int:
    count: int = getattr(outcomes.by_type, outcome_field(kind))
    return count
