"""A portal mistake is a page in the person's language saying what was wrong, with the right status;
the API's own paths keep answering with the API's JSON errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from registry.web.i18n import Language, catalogue
from registry.web.rendering import CONTENT_SECURITY_POLICY

KO, EN = catalogue(Language.KOREAN), catalogue(Language.ENGLISH)
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _notice(page: str) -> str:
    return page.split('role="alert"><p>', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(
    ("path", "key", "values"),
    [
        ("/programs/999", "errors.no_program", {"id": "999"}),
        ("/programs/abc", "errors.no_program", {"id": "abc"}),
        ("/projects/0", "errors.no_project", {"id": "0"}),
        ("/projects/1/milestones/99", "errors.no_milestone", {"project": "1", "index": "99"}),
        ("/outcomes/99999", "errors.no_outcome", {"id": "99999"}),
        ("/reports/99999", "errors.no_report", {"id": "99999"}),
        ("/evaluations/99999", "errors.no_evaluation", {"id": "99999"}),
    ],
)
def test_an_unknown_record_is_a_404_page_naming_it(
    client: TestClient, path: str, key: str, values: dict[str, str]
) -> None:
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert _notice(answer.text) == KO[key].format(**values)
    assert _notice(client.get(path, params={"lang": "en"}).text) == EN[key].format(**values)


@pytest.mark.parametrize(
    ("path", "field", "typed"),
    [
        ("/search?year=20x1", "year", "20x1"),
        ("/search?company=131-81", "company", "131-81"),
        ("/search?type=invention", "type", "invention"),
        ("/search?program=first", "program", "first"),
    ],
)
def test_a_search_that_cannot_be_read_shows_the_form_with_the_field_at_fault(
    client: TestClient, path: str, field: str, typed: str
) -> None:
    answer = client.get(path + "&lang=en")
    assert answer.status_code == 400
    message = EN[f"errors.{field}"].format(value=typed)
    assert f'<p class="field-error" id="{field}-error" role="alert">{message}</p>' in answer.text
    assert answer.text.count(message) == 1, "said once, under the field"
    assert f'id="{field}"' in answer.text and 'aria-invalid="true"' in answer.text


def test_a_filter_that_cannot_be_read_is_a_400_page(client: TestClient) -> None:
    answer = client.get("/evaluations", params={"grade": "splendid", "lang": "en"})
    assert answer.status_code == 400
    assert _notice(answer.text) == EN["errors.grade"].format(value="splendid")
    damaged = client.get("/programs", params={"cursor": "not-a-cursor", "lang": "en"})
    assert damaged.status_code == 400
    assert _notice(damaged.text) == EN["errors.cursor"]


def test_an_unknown_address_is_a_page_for_a_browser_and_json_for_a_program(client: TestClient) -> None:
    page = client.get("/programmes", headers=HTML)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert _notice(page.text) == KO["errors.no_page"].format(path="/programmes")

    plain = client.get("/programmes")
    assert plain.status_code == 404 and plain.json()["error"]["status"] == 404

    api = client.get("/api/v1/programmes", headers=HTML)
    assert api.status_code == 404 and api.json()["error"]["status"] == 404
    assert client.get("/static/nothing.js", headers=HTML).status_code == 404


def test_the_api_keeps_its_own_errors_and_documentation_without_portal_pages(client: TestClient) -> None:
    refused = client.get("/api/v1/programs/abc")
    assert refused.status_code == 422 and refused.json()["error"]["parameter"] == "programId"
    paths = client.get("/openapi.json").json()["paths"]
    assert all(path.startswith("/api/") or path in ("/health", "/metrics") for path in paths), sorted(paths)
