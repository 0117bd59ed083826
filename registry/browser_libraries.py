"""The JavaScript libraries the portal's pages use, served from this server: the copies npm
installed in the checkout's `node_modules/` (`package.json` pins them), never a CDN, so the portal
works on a network that reaches nothing but this server (and, for the chain check, the reader's node).

- Chart.js draws the dashboard's charts;
- ethers encodes the chain check's calls and decodes its events (and is inlined into the standalone
  verifier).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry.errors import ConfigurationError


class BrowserLibraryMissing(ConfigurationError):
    """A library is not installed in the checkout."""

    def __init__(self, name: str, expected: Path) -> None:
        self.expected = expected
        super().__init__(f"{name} is not installed ({expected} is missing): run `npm ci` in the checkout")


@dataclass(frozen=True)
class BrowserLibrary:
    """A self-contained browser build (UMD, minified) in `node_modules`, and where pages ask for it."""

    name: str
    file: Path
    url: str

    def locate(self, project_root: Path) -> Path:
        """The file to serve, found under `project_root` (settings.project_root)."""
        path = project_root / self.file
        if not path.is_file():
            raise BrowserLibraryMissing(self.name, path)
        return path


#: Chart.js: it defines the global `Chart`.
CHART_JS = BrowserLibrary("Chart.js", Path("node_modules/chart.js/dist/chart.umd.min.js"),
                          "/static/vendor/chart.umd.min.js")  # fmt: skip
#: ethers: it defines the global `ethers`.
ETHERS = BrowserLibrary("ethers", Path("node_modules/ethers/dist/ethers.umd.min.js"),
                        "/static/vendor/ethers.umd.min.js")  # fmt: skip
LIBRARIES = (CHART_JS, ETHERS)
