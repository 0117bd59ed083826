"""One error body for every failure, `{"error": {"status", "message", "parameter"?}}`, whatever
raised it: an unknown path or method, a parameter of the wrong type (named, with what was given)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers.api import error_of


def test_an_unknown_path_is_a_404_pointing_at_the_index_and_the_documentation(api: TestClient) -> None:
    assert error_of(api.get("/api/v1/grants"), 404) == {
        "status": 404,
        "message": "no such resource; the API's lists are at /api/v1 and every endpoint is documented at /docs",
    }


def test_writing_a_record_is_a_405_saying_records_are_read_only(api: TestClient) -> None:
    assert error_of(api.delete("/api/v1/programs/1"), 405) == {
        "status": 405,
        "message": "this endpoint does not accept that method; records are read-only "
        "(the writes are POST /api/v1/relay and POST /api/v1/documents)",
    }


def test_a_parameter_of_the_wrong_type_is_named_with_the_value_given(api: TestClient) -> None:
    assert error_of(api.get("/api/v1/projects", params={"year": "2021년"}), 422) == {
        "status": 422,
        "message": "year: Input should be a valid integer, unable to parse string as an integer (got '2021년')",
        "parameter": "year",
    }


def test_several_bad_parameters_are_all_named_the_first_as_the_parameter(api: TestClient) -> None:
    error = error_of(api.get("/api/v1/outcomes", params={"revoked": "maybe", "limit": "-1"}), 422)
    assert error["parameter"] == "revoked"
    assert error["message"].startswith("revoked: Input should be a valid boolean")
    assert "; limit: Input should be greater than or equal to 1" in error["message"]
