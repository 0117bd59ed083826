"""schemathesis over the whole application, from the OpenAPI document it serves, as
`schemathesis run --checks all --mode all` runs it: every phase (the document's examples, coverage of
each constraint's edges, random fuzzing, stateful sequences) and every check, with valid and invalid
inputs alike. Zero failures means the document and the API agree: no request gets a server error;
every answer (status code, content type, headers, body) is one the document declares; every input
the document calls valid is accepted, and every input it calls invalid is refused.

Bounded for the test command: a fixed seed, derandomized, a few dozen examples per operation. Run
it by hand with more (`FUZZ_EXAMPLES=200`, about ten minutes) to look harder, or another
`FUZZ_SEED` to look elsewhere.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import schemathesis
from schemathesis.checks import CHECKS
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status, events, from_schema
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.hooks import HookContext

from registry.api.app import create_app
from tests.api.conftest import IndexedRegistry

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("FUZZ_SEED", "17"))

# Every check schemathesis has runs on every answer (`--checks all`); `max_response_time` needs a limit and
# a test never asserts a time. Some find nothing to judge in this document, which is public (its one write,
# the relay, takes only what a registry member signed): `ignored_auth` and `object_level_authorization` (no
# operation declares a security scheme), `missing_required_header` (none requires a header), `use_after_free`
# and `ensure_resource_availability` (nothing is created or deleted). They run all the same, so that a change
# that gives them something to judge is judged.


def _as_the_document_says_in_words(_context: HookContext, case: Case[Any]) -> Case[Any]:
    """What the document says of valid inputs in words, since no JSON Schema of one parameter can: a
    `cursor` is the `nextCursor` of a previous page, unchanged (any other string is a 400, as
    documented), and `to` is not before `from` (a 422). A valid request holds to both; an invalid one
    is left as generated."""
    if case.meta is None or case.meta.generation.mode is not GenerationMode.POSITIVE or not case.query:
        return case
    case.query.pop("cursor", None)
    start, end = case.query.get("from"), case.query.get("to")
    if isinstance(start, str) and isinstance(end, str) and end < start:
        case.query["from"], case.query["to"] = end, start
    return case


def _failure_line(phase: str, check: str, failure: Any, curl: str) -> str:
    return f"[{phase}] {check} on {failure.operation}: {failure.title}\n    {failure.message}\n    {curl}"


def test_the_api_does_what_its_openapi_document_says(indexed: IndexedRegistry) -> None:
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
            "checks": {"enabled": True},
            "continue-on-failure": True,
            "workers": 1,
        }
    )
    # An application of its own, started by schemathesis: the document it serves is the one tested. Its relay
    # is on, so that what the relay refuses is judged (off, every POST /api/v1/relay is the same 503).
    relaying = indexed.settings.model_copy(update={"relay_dev_key": 6})
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(relaying), config=config)
    schema.hook("map_case")(_as_the_document_says_in_words)

    failures: list[str] = []
    judged: Counter[str] = Counter()
    phases: dict[str, Status] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):
            failures.append(f"schemathesis could not test {event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            failures.append(f"schemathesis stopped: {event.exception!r}")
        elif isinstance(event, events.PhaseFinished):
            phases[event.phase.name.value] = event.status
        elif isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                for check in checks:
                    judged[check.name] += 1
                    if check.status is Status.FAILURE and check.failure_info is not None:
                        line = _failure_line(event.phase.value, check.name, check.failure_info.failure,
                                             check.failure_info.code_sample)  # fmt: skip
                        if line not in failures:
                            failures.append(line)
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures)
    ran = {name for name, status in phases.items() if status is not Status.SKIP}
    assert {"examples", "coverage", "fuzzing", "stateful"} <= ran, phases
    never_ran = set(CHECKS.get_all_names()) - set(judged)
    assert not never_ran, f"checks that never ran: {never_ran}"
