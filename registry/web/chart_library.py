"""Chart.js, the dashboard's charting library, served from this server: the copy npm installed in
the checkout's `node_modules/` (`package.json` pins it), never a CDN, so the portal works on a
network that reaches nothing but this server."""

from __future__ import annotations

from pathlib import Path

from registry.errors import ConfigurationError

#: Chart.js's self-contained build (UMD, minified): it defines the global `Chart`.
CHART_JS = Path("node_modules") / "chart.js" / "dist" / "chart.umd.min.js"
#: Where the page asks for it.
CHART_JS_URL = "/static/vendor/chart.umd.min.js"


class ChartLibraryMissing(ConfigurationError):
    """Chart.js is not installed in the checkout."""

    def __init__(self, expected: Path) -> None:
        self.expected = expected
        super().__init__(f"Chart.js is not installed ({expected} is missing): run `npm ci` in the checkout")


def chart_library(project_root: Path) -> Path:
    """The Chart.js file to serve, found under `project_root` (settings.project_root)."""
    path = project_root / CHART_JS
    if not path.is_file():
        raise ChartLibraryMissing(path)
    return path
