"""Chart.js and ethers are served from the checkout's node_modules (npm's copies, pinned in package.json);
without Chart.js the dashboard still shows every figure in its tables and says how to get the charts back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from registry.browser_libraries import CHART_JS, ETHERS, BrowserLibraryMissing
from registry.settings import PROJECT_ROOT
from registry.web.app import create_app
from registry.web.i18n import Language, catalogue
from tests.api.conftest import IndexedRegistry


def test_the_dashboard_loads_npms_chart_js_from_this_server(client: TestClient) -> None:
    page = client.get("/dashboard").text
    assert f'<script src="{CHART_JS.url}" defer></script>' in page
    served = client.get(CHART_JS.url)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/javascript")
    assert served.content == (PROJECT_ROOT / CHART_JS.file).read_bytes()


def test_the_record_pages_load_npms_ethers_from_this_server(client: TestClient) -> None:
    served = client.get(ETHERS.url)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/javascript")
    assert served.content == (PROJECT_ROOT / ETHERS.file).read_bytes()


def test_a_checkout_without_chart_js_is_told_to_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(BrowserLibraryMissing, match="run `npm ci`"):
        CHART_JS.locate(tmp_path)


def test_without_chart_js_the_dashboard_keeps_its_tables_and_says_why_there_are_no_charts(
    indexed: IndexedRegistry, tmp_path: Path
) -> None:
    settings = indexed.settings.model_copy(update={"project_root": tmp_path})
    with TestClient(create_app(settings)) as client:
        page = client.get("/dashboard")
        assert page.status_code == 200
        assert catalogue(Language.KOREAN)["dashboard.no_charts"] in page.text
        assert str(tmp_path / CHART_JS.file) in page.text
        others = re.findall(r'<script src="([^"]+)"', page.text)
        assert others == ["/static/copy.js", "/static/table-scroll.js"], "the portal's own scripts only, no chart"
        assert 'id="table-budget"' in page.text
        missing = client.get(CHART_JS.url)
        assert missing.status_code == 503 and "npm ci" in missing.text
