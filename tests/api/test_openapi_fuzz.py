"""A bounded schemathesis run over the whole application, from its own OpenAPI document: generated
requests to every route (valid and invalid parameters alike) never get a server error, and every
answer (status code, content type, body) is one the document declares.

Bounded for the test command: a fixed seed, a few dozen examples per route, no shrinking; run it by
hand with `HYPOTHESIS_PROFILE=long` style settings (`FUZZ_EXAMPLES=500`) to look harder.
"""

from __future__ import annotations

import os
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from registry.api.app import create_app
from registry.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


# The document does not depend on the data, so it is read from an application over an empty in-memory
# database at collection time; the requests go to the `api` fixture's application over the indexed chain.
# (schemathesis's `from_fixture` would do this lazily, but it relies on a pytest internal gone in pytest 9.)
DOCUMENT = create_app(Settings(data_dir=Path("/nonexistent/rnd-registry"), database_url="sqlite://")).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_server_error_or_an_undeclared_answer(case: Case, api: TestClient) -> None:
    case.call_and_validate(
        app=api.app,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
    )
