"""Portal lists are read with the API's keyset pages: a cursor continues after the same row, and a
page that has more links to the next one with the filters kept."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from registry.web import listing


def _outcome_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<th scope="row"><a href="/outcomes/(\d+)">', page)]


def test_a_cursor_continues_the_search_after_the_same_row_as_the_api(client: TestClient) -> None:
    first = client.get("/api/v1/outcomes", params={"year": 2021, "limit": 3}).json()
    rest = client.get("/api/v1/outcomes", params={"year": 2021, "cursor": first["nextCursor"], "limit": 500}).json()
    assert len(rest["items"]) > 3
    page = client.get("/search", params={"year": "2021", "outcomes_cursor": first["nextCursor"]})
    assert page.status_code == 200
    assert _outcome_ids(page.text) == [item["outcomeId"] for item in rest["items"]][: listing.PAGE_ROWS]


def test_a_long_list_links_its_next_page_keeping_the_filters(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = [item["outcomeId"] for item in client.get("/api/v1/outcomes", params={"year": 2021}).json()["items"]]
    assert len(everything) > 8
    monkeypatch.setattr(listing, "PAGE_ROWS", 4)

    page = client.get("/search", params={"year": "2021", "lang": "en"}).text
    assert _outcome_ids(page) == everything[:4]
    links = re.findall(r'<a href="(\?[^"]*outcomes_cursor=[^"]*)" rel="next">', page)
    assert len(links) == 1
    following = html.unescape(links[0])
    assert following.startswith("?year=2021&lang=en&outcomes_cursor=")

    second = client.get("/search" + following).text
    assert _outcome_ids(second) == everything[4:8]
