"""ethers, the library the record pages' chain check encodes calls and decodes events with, served
from this server: the copy npm installed in the checkout's `node_modules/` (`package.json` pins it),
never a CDN, as Chart.js is (chart_library.py)."""

from __future__ import annotations

from pathlib import Path

from registry.errors import ConfigurationError

#: ethers' self-contained browser build (UMD, minified): it defines the global `ethers`.
ETHERS_JS = Path("node_modules") / "ethers" / "dist" / "ethers.umd.min.js"
#: Where the page asks for it.
ETHERS_JS_URL = "/static/vendor/ethers.umd.min.js"


class EthersLibraryMissing(ConfigurationError):
    """ethers is not installed in the checkout."""

    def __init__(self, expected: Path) -> None:
        self.expected = expected
        super().__init__(f"ethers is not installed ({expected} is missing): run `npm ci` in the checkout")


def ethers_library(project_root: Path) -> Path:
    """The ethers file to serve, found under `project_root` (settings.project_root)."""
    path = project_root / ETHERS_JS
    if not path.is_file():
        raise EthersLibraryMissing(path)
    return path
