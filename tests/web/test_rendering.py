"""Every portal page carries a Content-Security-Policy allowing only this server and nothing inline;
the language asked for is set on the page and kept in a cookie; and whatever the chain or a person
supplies is escaped, in the markup and in the JSON the scripts read."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN
from registry.domain.records import ProgramTerms
from registry.web.i18n import Language, catalogue
from registry.web.rendering import CONTENT_SECURITY_POLICY
from tests.api.conftest import IndexedRegistry
from tests.api.test_operations import samples
from tests.web.conftest import BrowserTab, ReviewedMilestone

PAGES = ["/", "/verify", "/programs", "/evaluations", "/dashboard", "/search?year=2021"]
HOSTILE = "<img src=x onerror=\"console.error('markup ran')\"></script><script>console.error('script ran')</script>"


def test_every_page_allows_only_this_server_and_runs_nothing_inline(
    client: TestClient, reviewed: ReviewedMilestone
) -> None:
    for path in [*PAGES, f"/programs/{reviewed.program_id}", reviewed.path]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"] == "text/html; charset=utf-8"
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert answer.headers["x-content-type-options"] == "nosniff"
        page = answer.text
        # Scripts come from files; the only inline blocks are JSON data, which the browser does not run.
        for attributes in re.findall(r"<script([^>]*)>", page):
            assert "src=\"/static/" in attributes or 'type="application/json"' in attributes, (path, attributes)
        assert re.findall(r"\sstyle=|\son[a-z]+=", page) == []
        assert re.findall(r"""(?:src|href|action)="(?:https?:)?//""", page) == []


def test_the_policy_names_no_other_origin_and_no_inline_code() -> None:
    directives = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == directives["script-src"] == directives["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    # Scripts, styles, images and fonts come from this server alone; only the chain check's questions go
    # elsewhere: to the JSON-RPC node the reader chooses, which may be any partner's.
    assert directives["connect-src"] == "'self' http: https:"
    others = {name: value for name, value in directives.items() if name != "connect-src"}
    assert not any("http" in value for value in others.values())
    assert directives["frame-ancestors"] == "'none'"


def test_asking_for_english_sets_the_page_language_and_a_cookie(client: TestClient) -> None:
    answer = client.get("/programs", params={"lang": "en"})
    assert '<html lang="en" ' in answer.text
    assert f"<h1>{catalogue(Language.ENGLISH)['programs.title']}</h1>" in answer.text
    assert answer.cookies.get("lang") == "en"
    assert 'href="?lang=ko" lang="ko"' in answer.text

    kept = client.get("/programs")  # the cookie the client was given
    assert '<html lang="en" ' in kept.text and "set-cookie" not in kept.headers
    client.cookies.set("lang", "ko")
    assert '<html lang="ko" ' in client.get("/programs").text


def test_what_a_person_types_is_shown_escaped(client: TestClient) -> None:
    # Letters are read as a part of a company's name: searched for, and shown back escaped.
    answer = client.get("/search", params={"company": "<b>131</b>"})
    assert answer.status_code == 200
    assert "&lt;b&gt;131&lt;/b&gt;" in answer.text
    assert "<b>131</b>" not in answer.text


@pytest.fixture(scope="module")
def hostile_program(indexed: IndexedRegistry, reviewed: ReviewedMilestone, w3: Web3) -> Iterator[int]:
    """A program whose name and field are markup, as anyone with the admin role could write them."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    admin = RegistryClient(w3, indexed.manifest, account=dev_account(ADMIN))
    try:
        terms = ProgramTerms(name=HOSTILE, year=2031, budget=10**9, per_project_cap=10**8, field=HOSTILE)
        program_id = admin.execute(admin.ops.create_program(terms)).record.program_id
        indexed.index()
        yield program_id
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


def test_markup_in_a_record_is_escaped_in_pages_and_in_the_scripts_data(
    hostile_program: int, client: TestClient
) -> None:
    for path in [f"/programs/{hostile_program}", "/programs", "/dashboard?year=2031", "/search?year=2031"]:
        page = client.get(path).text
        assert HOSTILE not in page, path
        assert "&lt;img src=x onerror=" in page or "\\u003cimg src=x onerror=" in page, path
    data = client.get("/dashboard?year=2031").text.split('id="dashboard-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and "\\u003c/script\\u003e" in data


def test_markup_in_a_record_runs_nothing_in_the_browser(hostile_program: int, desktop: BrowserTab) -> None:
    for path in [f"/programs/{hostile_program}", "/search?year=2031", "/dashboard?year=2031"]:
        desktop.visit(path)
    assert desktop.page.locator("h1").inner_text().startswith(catalogue(Language.KOREAN)["dashboard.title"])
    assert desktop.page.locator("#table-budget tbody th").inner_text() == HOSTILE
    desktop.assert_quiet()


def test_metrics_label_pages_lookups_and_static_files_by_their_route(client: TestClient) -> None:
    before = samples(client.get("/metrics").text)
    for path in ("/projects/1", "/api/v1/projects/1", "/static/portal.css", "/static/copy.js"):
        assert client.get(path).status_code == 200, path
    after = samples(client.get("/metrics").text)

    def counted(route: str) -> float:
        key = ("registry_api_requests_total", (("method", "GET"), ("route", route), ("status", "200")))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert counted("/projects/{project_id}") == 1
    assert counted("/api/v1/projects/{projectId}") == 1  # the direct route, with its FastAPI twin's label
    assert counted("/static/{path}") == 2
    assert counted("unmatched") == 0


def test_on_english_pages_the_korean_part_of_a_name_is_marked_korean(client: TestClient) -> None:
    programs = client.get("/api/v1/programs").json()["items"]
    korean = next(p for p in programs if re.search("[가-힣]", p["name"]))
    page = client.get(f"/programs/{korean['programId']}?lang=en").text
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, flags=re.DOTALL)
    assert heading is not None
    marked = re.findall(r'<span lang="ko">([^<]*)</span>', heading.group(1))
    assert marked and all(re.search("[가-힣]", run) for run in marked)
    assert re.sub(r"<[^>]+>", "", heading.group(1)) == html.escape(korean["name"], quote=False)
    assert page.count('<span lang="ko">') >= 2  # the heading and the breadcrumb
    # On a Korean page everything is Korean already: no mark.
    assert '<span lang="ko">' not in client.get(f"/programs/{korean['programId']}?lang=ko").text


def test_help_texts_show_commands_as_code_not_as_markdown(client: TestClient) -> None:
    for language in ("ko", "en"):
        page = client.get(f"/verify?lang={language}").text
        help_text = re.search(r'<p class="help" id="hash-help">(.*?)</p>', page, flags=re.DOTALL)
        assert help_text is not None
        assert "<code>sha256sum " in help_text.group(1) and "`" not in help_text.group(1)


def test_an_ip_status_never_set_reads_as_not_applicable() -> None:
    assert catalogue(Language.ENGLISH)["enum.ip_status.none"] == "Not applicable"
    assert catalogue(Language.KOREAN)["enum.ip_status.none"] == "해당 없음"
