"""The example answers in the OpenAPI document (registry/api/examples.json, captured from the demo
registry by `make api-examples`): one for every JSON operation, each valid against the schema it
illustrates, so a change of schema that outdates them fails here until they are captured again."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from registry.api.app import create_app
from registry.api.examples import add_examples, load_examples
from registry.settings import Settings


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("examples"))
    schema: dict[str, Any] = create_app(settings).openapi()
    return schema


def _json_answers(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    answers = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"].get("200", {}).get("content", {}).get("application/json")
            if content is not None:
                answers[f"{method.upper()} {path}"] = content
    return answers


def test_every_json_answer_in_the_documentation_has_an_example(document: dict[str, Any]) -> None:
    answers = _json_answers(document)
    assert len(answers) > 40
    missing = sorted(key for key, content in answers.items() if "example" not in content)
    assert missing == [], "run `make api-examples` to capture the examples again"
    assert sorted(load_examples()) == sorted(answers), "examples of operations the API no longer has"


def test_every_example_is_valid_against_the_schema_it_illustrates(document: dict[str, Any]) -> None:
    for key, content in _json_answers(document).items():
        validator = jsonschema_rs.validator_for({**content["schema"], "components": document["components"]})
        errors = [
            f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(content["example"])
        ]
        assert errors == [], f"{key}: the example does not fit the schema (run `make api-examples`)"


def test_examples_show_real_records_with_their_provenance(document: dict[str, Any]) -> None:
    examples = load_examples()
    project = examples["GET /api/v1/projects/{projectId}"]
    assert project["provenance"]["transactionHash"].startswith("0x") and project["statusChanges"]
    verification = examples["GET /api/v1/verify/{sha256}"]
    assert verification["anchored"] and verification["batches"][0]["proof"]
    assert verification["howToCheck"]["steps"]
    programs = examples["GET /api/v1/programs"]["items"]
    assert len(programs) == 2 and all(int(p["budget"]) > 0 for p in programs)


def test_an_example_of_an_operation_the_document_lacks_is_left_out() -> None:
    schema: dict[str, Any] = {
        "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {}}}}}}}}
    }
    add_examples(schema, {"GET /a": {"x": 1}, "GET /gone": {"y": 2}, "POST /a": {"z": 3}})
    assert schema["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["example"] == {"x": 1}
    assert list(schema["paths"]) == ["/a"] and list(schema["paths"]["/a"]) == ["get"]
