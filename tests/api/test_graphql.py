"""`/api/v1/graphql`: the REST API's records, field for field and with the same provenance, through GraphQL;
the same pages and cursors; a nested query read once per level; a query too deep, too costly or asking too
large a page refused before anything is read, saying which limit; bad input answered in GraphQL's form, and
never as a server error, whatever a fuzzer sends."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import types
import typing
from collections.abc import Callable
from typing import Any, get_args, get_origin

import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLOutputType,
    build_schema,
    get_introspection_query,
    get_nullable_type,
    is_list_type,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries
from pydantic import BaseModel

from registry.api.app import create_app
from registry.api.graphql import PATH, SCHEMA_PATH
from registry.api.graphql.models import json_name
from registry.api.schemas.batches import EvidenceBatch
from registry.api.schemas.documents import AnchoredDocument
from registry.api.schemas.grants import (
    Evaluation,
    EvaluationDetail,
    Milestone,
    MilestoneDetail,
    Program,
    Project,
    ProjectDetail,
)
from registry.api.schemas.outcomes import (
    CommercializationReport,
    CommercializationReportDetail,
    IpStatusChange,
    Outcome,
    OutcomeDetail,
)
from registry.store.queries import grants
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of

#: Queries the fuzzing test sends: a few seconds' worth by default (drawing one from the schema takes about 0.2 s);
#: more when run by hand. It sends four times as many request bodies, which cost next to nothing to draw.
FUZZ_EXAMPLES = int(os.environ.get("GRAPHQL_FUZZ_EXAMPLES", "15"))

#: Each top-level list, its REST twin and the model of its items.
LISTS: list[tuple[str, str, type[BaseModel]]] = [
    ("programs", "/api/v1/programs", Program),
    ("projects", "/api/v1/projects", Project),
    ("milestones", "/api/v1/milestones", Milestone),
    ("outcomes", "/api/v1/outcomes", Outcome),
    ("ipStatusChanges", "/api/v1/ip-status-changes", IpStatusChange),
    ("commercializationReports", "/api/v1/commercialization-reports", CommercializationReport),
    ("evaluations", "/api/v1/evaluations", Evaluation),
    ("documents", "/api/v1/documents", AnchoredDocument),
    ("batches", "/api/v1/batches", EvidenceBatch),
]


# ---- helpers ---------------------------------------------------------------------------------------


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) in (typing.Union, types.UnionType, list, typing.Annotated):
        found = [_nested_model(arg) for arg in get_args(annotation)]
        return next((model for model in found if model is not None), None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def fields_of(model: type[BaseModel]) -> str:
    """A selection of every field the REST answer of `model` holds, nested records included."""
    parts = []
    for name, info in model.model_fields.items():
        nested = _nested_model(info.annotation)
        parts.append(json_name(name, info) + (f" {fields_of(nested)}" if nested else ""))
    return "{ " + " ".join(parts) + " }"


@pytest.fixture(scope="module")
def sdl(api: TestClient) -> Any:
    response = api.get(SCHEMA_PATH)
    assert response.status_code == 200
    return build_schema(response.text)


def post(api: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = api.post(PATH, json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def data_of(api: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    body = post(api, query, **variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def the_error(api: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """The one error a query is answered with, when it is answered no data."""
    body = post(api, query, **variables)
    assert body["data"] is None, body
    [error] = body["errors"]
    return dict(error)


def as_rest(value: Any, kind: GraphQLOutputType) -> Any:
    """A GraphQL answer as REST spells it: enums in lower case with `-` (`CLAWED_BACK` -> `clawed-back`)."""
    kind = get_nullable_type(kind)  # type: ignore[assignment]
    if value is None:
        return None
    if is_list_type(kind):
        return [as_rest(item, kind.of_type) for item in value]  # type: ignore[attr-defined]
    if isinstance(kind, GraphQLEnumType):
        return value.lower().replace("_", "-")
    if isinstance(kind, GraphQLObjectType):
        return {key: as_rest(item, kind.fields[key].type) for key, item in value.items()}
    return value


def record_of(sdl: Any, api: TestClient, field: str, arguments: str, model: type[BaseModel]) -> Any:
    """One record as GraphQL answers it, spelled as REST spells it."""
    data = data_of(api, f"{{ {field}({arguments}) {fields_of(model)} }}")
    return as_rest(data[field], sdl.query_type.fields[field].type)


def every_item(sdl: Any, api: TestClient, field: str, model: type[BaseModel], limit: int, **filters: Any) -> Any:
    """Every item of a top-level list, page after page by `nextCursor`, spelled as REST spells them."""
    declared = {"cursor": "String", "limit": "Int", **{name: kind for name, (kind, _) in filters.items()}}
    signature = ", ".join(f"${name}: {kind}" for name, kind in declared.items())
    passed = ", ".join(f"{name}: ${name}" for name in declared)
    query = f"query({signature}) {{ {field}({passed}) {{ items {fields_of(model)} nextCursor }} }}"
    values = {name: value for name, (_, value) in filters.items()}
    items, cursor = [], None
    while True:
        page = data_of(api, query, cursor=cursor, limit=limit, **values)[field]
        items.extend(page["items"])
        if page["nextCursor"] is None:
            return as_rest(items, sdl.query_type.fields[field].type.of_type.fields["items"].type)
        cursor = page["nextCursor"]


@pytest.fixture
def reads(api: TestClient, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the API's context is asked to read while a test runs: one entry per read (a list's page, a
    loader's batch), named after the function that asked."""
    context = api.app.state.context  # type: ignore[attr-defined]
    asked: list[str] = []
    read = context.read

    async def counted(work: Callable[[], Any]) -> Any:
        asked.append(getattr(work, "__qualname__", "?"))
        return await read(work)

    monkeypatch.setattr(context, "read", counted)
    return asked


# ---- the same records as REST ------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "path", "model"), LISTS, ids=[field for field, _, _ in LISTS])
def test_every_list_holds_the_rest_lists_records_field_for_field(
    sdl: Any, api: TestClient, field: str, path: str, model: type[BaseModel]
) -> None:
    rest = all_items(api, path, limit=500)
    assert rest, f"the indexed registry has no {field}"
    assert every_item(sdl, api, field, model, limit=7) == rest


@pytest.mark.parametrize(
    ("field", "path", "model", "key"),
    [
        ("program", "/api/v1/programs", Program, "programId"),
        ("project", "/api/v1/projects", ProjectDetail, "projectId"),
        ("outcome", "/api/v1/outcomes", OutcomeDetail, "outcomeId"),
        ("commercializationReport", "/api/v1/commercialization-reports", CommercializationReportDetail, "reportId"),
        ("evaluation", "/api/v1/evaluations", EvaluationDetail, "auditId"),
    ],
)
def test_every_record_by_id_reads_as_its_rest_detail_with_its_history(
    sdl: Any, api: TestClient, field: str, path: str, model: type[BaseModel], key: str
) -> None:
    for item in all_items(api, path, limit=500):
        detail = api.get(f"{path}/{item[key]}").json()
        assert record_of(sdl, api, field, f"id: {item[key]}", model) == detail


def test_every_milestone_reads_with_its_full_history_as_rest_gives_it(sdl: Any, api: TestClient) -> None:
    milestones = all_items(api, "/api/v1/milestones", limit=500)
    assert any(len(m["history"]) > 2 for m in [
        api.get(f"/api/v1/projects/{m['projectId']}/milestones/{m['milestoneIndex']}").json() for m in milestones
    ])  # fmt: skip
    for item in milestones:
        project, index = item["projectId"], item["milestoneIndex"]
        detail = api.get(f"/api/v1/projects/{project}/milestones/{index}").json()
        assert record_of(sdl, api, "milestone", f"project: {project}, index: {index}", MilestoneDetail) == detail


def test_outcomes_show_their_corrections_revocations_and_ip_history_as_rest_does(sdl: Any, api: TestClient) -> None:
    rest = [api.get(f"/api/v1/outcomes/{o['outcomeId']}").json() for o in all_items(api, "/api/v1/outcomes")]
    assert any(o["amendment"] for o in rest) and any(o["revocation"] for o in rest)
    assert any(o["ipStatusChanges"] for o in rest)
    # Read from the list, whose items have no history: it is looked up for the page at once.
    assert every_item(sdl, api, "outcomes", OutcomeDetail, limit=10) == rest


def test_a_batch_reads_by_its_root_as_rest_gives_it(sdl: Any, api: TestClient) -> None:
    for batch in all_items(api, "/api/v1/batches"):
        assert record_of(sdl, api, "batch", f'root: "{batch["root"]}"', EvidenceBatch) == batch
    assert data_of(api, '{ batch(root: "%s") { root } }' % ("0x" + "ab" * 32)) == {"batch": None}


def test_an_unknown_id_is_null_where_rest_answers_404(api: TestClient) -> None:
    data = data_of(api, "{ program(id: 999) { name } project(id: 999) { amount } milestone(project: 1, index: 99) "
                        "{ status } outcome(id: 999) { revoked } evaluation(id: 999) { grade } "
                        "commercializationReport(id: 999) { year } }")  # fmt: skip
    assert data == dict.fromkeys(data, None) and len(data) == 6
    error_of(api.get("/api/v1/programs/999"), 404)


def test_filters_select_what_the_rest_filters_select(sdl: Any, api: TestClient) -> None:
    cases: list[tuple[str, str, type[BaseModel], dict[str, Any], dict[str, tuple[str, Any]]]] = [
        ("programs", "/api/v1/programs", Program, {"year": 2022, "status": "open"},
         {"year": ("Int", 2022), "status": ("ProgramStatus", "OPEN")}),
        ("projects", "/api/v1/projects", Project, {"program": 1, "status": "active"},
         {"program": ("Int", 1), "status": ("ProjectStatus", "ACTIVE")}),
        ("milestones", "/api/v1/milestones", Milestone, {"status": "approved", "from": "2021-01-01"},
         {"status": ("MilestoneStatus", "APPROVED"), "from": ("Day", "2021-01-01")}),
        ("outcomes", "/api/v1/outcomes", Outcome, {"revoked": "false", "program": 2},
         {"revoked": ("Boolean", False), "program": ("Int", 2)}),
        ("commercializationReports", "/api/v1/commercialization-reports", CommercializationReport,
         {"year": 2024}, {"year": ("Int", 2024)}),
        ("evaluations", "/api/v1/evaluations", Evaluation, {"grade": "poor"}, {"grade": ("Grade", "POOR")}),
    ]  # fmt: skip
    for field, path, model, rest_filters, graphql_filters in cases:
        rest = all_items(api, path, **rest_filters)
        assert rest, f"nothing matches {rest_filters} in {path}"
        assert every_item(sdl, api, field, model, limit=3, **graphql_filters) == rest, field
    company = all_items(api, "/api/v1/projects")[0]["companyId"]
    rest = all_items(api, "/api/v1/projects", company=company)
    assert every_item(sdl, api, "projects", Project, limit=2, company=("String", company)) == rest


def test_pages_and_cursors_are_the_rest_apis_and_work_in_either(api: TestClient) -> None:
    rest_page = api.get("/api/v1/projects", params={"limit": 3, "sort": "-amount"}).json()
    query = 'query($c: String) { projects(limit: 3, sort: "-amount", cursor: $c) { items { projectId } nextCursor } }'
    page = data_of(api, query)["projects"]
    assert [p["projectId"] for p in page["items"]] == [p["projectId"] for p in rest_page["items"]]
    assert page["nextCursor"] == rest_page["nextCursor"] is not None
    rest_next = api.get("/api/v1/projects", params={"limit": 3, "sort": "-amount", "cursor": page["nextCursor"]})
    graphql_next = data_of(api, query, c=rest_page["nextCursor"])["projects"]
    assert [p["projectId"] for p in graphql_next["items"]] == [p["projectId"] for p in rest_next.json()["items"]]


def test_a_relation_pages_as_the_rest_list_filtered_by_its_parent(api: TestClient) -> None:
    projects = data_of(api, "{ programs { items { programId projects(limit: 2) { items { projectId } nextCursor } "
                            "} } }")["programs"]["items"]  # fmt: skip
    for program in projects:
        rest = api.get("/api/v1/projects", params={"program": program["programId"], "limit": 2}).json()
        assert [p["projectId"] for p in program["projects"]["items"]] == [p["projectId"] for p in rest["items"]]
        assert program["projects"]["nextCursor"] == rest["nextCursor"]
    project = next(p for p in all_items(api, "/api/v1/projects") if p["milestoneCount"] > 2)
    query = (
        f'query($c: String) {{ project(id: {project["projectId"]}) {{ milestones(limit: 2, sort: "-dueDate", '
        "cursor: $c) { items { milestoneIndex } nextCursor } } }"
    )
    seen, cursor = [], None
    while True:
        page = data_of(api, query, c=cursor)["project"]["milestones"]
        seen += [m["milestoneIndex"] for m in page["items"]]
        if (cursor := page["nextCursor"]) is None:
            break
    rest = all_items(api, "/api/v1/milestones", project=project["projectId"], sort="-dueDate")
    assert seen == [m["milestoneIndex"] for m in rest]


def test_a_nested_query_reads_the_database_once_per_level(api: TestClient, reads: list[str]) -> None:
    query = (
        "{ programs(limit: 3) { items { programId projects(limit: 10) { items { projectId program { name } "
        "milestones(limit: 10) { items { milestoneIndex history { status } project { amount } } } } } } } }"
    )
    data = data_of(api, query)
    milestones = [
        m for p in data["programs"]["items"] for j in p["projects"]["items"] for m in j["milestones"]["items"]
    ]
    assert len(milestones) > 10
    # The programs; the projects of every program; their programs; the milestones of every project; their
    # histories and their projects: one read each, however many records there are.
    assert len(reads) == 6, reads


# ---- limits -------------------------------------------------------------------------------------------


def test_a_too_deep_query_is_refused_naming_the_depth_limit_and_nothing_is_read(
    api: TestClient, indexed: IndexedRegistry, reads: list[str]
) -> None:
    assert indexed.settings.api_graphql_max_depth == 10
    deep = "{ programs(limit: 1) { items { projects(limit: 1) { items { program { projects(limit: 1) { items " \
           "{ program { projects(limit: 1) { items { program { name } } } } } } } } } } } }"  # fmt: skip
    error = the_error(api, deep)
    assert error["message"] == "'anonymous' exceeds maximum operation depth of 10"
    assert reads == []
    allowed = deep.replace("{ program { name } }", "{ projectId }")
    assert data_of(api, allowed)["programs"]["items"]


def test_a_too_costly_query_is_refused_with_its_cost_and_the_limit_and_nothing_is_read(
    api: TestClient, indexed: IndexedRegistry, reads: list[str]
) -> None:
    assert indexed.settings.api_graphql_max_cost == 50_000
    error = the_error(api, "{ programs(limit: 500) { items { projects(limit: 500) { items { projectId } } } } }")
    # Each field counts 1, each list its items' fields times its limit: 500 programs x (1 + 500 projects x 2).
    cost = 1 + 500 * (1 + 1 + 500 * (1 + 1))
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": 50_000}
    assert error["message"].startswith("query too costly: its answer could hold 501,001 values")
    assert "more than this server's limit of 50,000" in error["message"]
    assert reads == []
    # Aliases count each time they are asked.
    many = " ".join(f"a{i}: programs(limit: 500) {{ items {{ programId name year }} }}" for i in range(30))
    assert the_error(api, f"{{ {many} }}")["extensions"]["cost"] == 30 * (1 + 500 * (1 + 3))
    assert reads == []


def test_a_page_larger_than_the_servers_maximum_is_refused_as_rest_refuses_it(api: TestClient) -> None:
    rest = error_of(api.get("/api/v1/projects", params={"limit": 501}), 422)
    error = the_error(api, "query($n: Int) { projects(limit: $n) { items { projectId } } }", n=501)
    assert error["message"] == rest["message"] == "limit: at most 500 items per page (got 501)"
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "status": 422, "parameter": "limit"}
    assert the_error(api, "{ projects(limit: 0) { items { projectId } } }")["extensions"]["parameter"] == "limit"


def test_the_standard_introspection_query_is_answered_and_a_nested_one_refused(api: TestClient) -> None:
    schema = data_of(api, get_introspection_query(descriptions=True, input_value_deprecation=True))["__schema"]
    assert schema["queryType"]["name"] == "Query" and schema["mutationType"] is None
    nested = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }"
    errors = post(api, nested)["errors"]
    assert errors and all("introspection" in e["message"].lower() for e in errors)


# ---- errors --------------------------------------------------------------------------------------------


def test_a_bad_argument_is_refused_with_the_rest_apis_message_and_parameter(api: TestClient) -> None:
    for parameter, value, status in [("cursor", "abc", 400), ("sort", "budget", 422)]:
        rest = error_of(api.get("/api/v1/projects", params={parameter: value}), status)
        error = the_error(api, f'{{ projects({parameter}: "{value}") {{ items {{ projectId }} }} }}')
        assert error["message"] == rest["message"]
        assert error["path"] == ["projects"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "status": status, "parameter": parameter}
    error = the_error(api, '{ milestones(from: "2022-01-01", to: "2021-01-01") { items { status } } }')
    assert (error["message"], error["extensions"]["parameter"]) == ("to: 2021-01-01 is before from (2022-01-01)", "to")
    error = the_error(api, '{ projects(company: "12-34") { items { projectId } } }')
    assert error["extensions"]["parameter"] == "company" and "'12-34'" in error["message"]
    error = the_error(api, '{ documents(anchoredBy: "0x12") { items { sha256 } } }')
    assert error["message"] == "anchoredBy: '0x12' is not an account address (0x and 40 hex digits)"
    assert the_error(api, '{ programs(from: "2021-02-30") { items { name } } }')["message"] == \
        "Day: '2021-02-30' is not a day of the calendar"  # fmt: skip
    assert "not 32 bytes in hex" in the_error(api, '{ batch(root: "0x12") { root } }')["message"]


def test_the_endpoint_is_read_only(api: TestClient) -> None:
    for operation in ("mutation { programs { items { name } } }", "subscription { programs { items { name } } }"):
        error = the_error(api, operation)
        assert error["message"].endswith("operation is not supported by the schema.")
    response = api.put(PATH, json={"query": "{ programs { items { name } } }"})
    assert response.status_code == 405


def test_a_request_that_is_no_graphql_request_is_a_400_in_graphqls_form(api: TestClient) -> None:
    for body, message in [
        (5, 'the request body must be a JSON object: {"query": ..., "variables": ...}'),
        ([{"query": "{ programs { items { name } } }"}], "Batching is not enabled"),
        ({"query": 5}, "The GraphQL operation's `query` must be a string or null, if provided."),
        ({"query": "{ programs { items { name } } }", "variables": [1]},
         "The GraphQL operation's `variables` must be an object or null, if provided."),
    ]:  # fmt: skip
        response = api.post(PATH, json=body)
        assert (response.status_code, response.json()) == (
            400,
            {"errors": [{"message": message, "extensions": {"status": 400}}]},
        )
    response = api.post(PATH, content=b"{", headers={"content-type": "application/json"})
    assert (
        response.status_code == 400
        and response.json()["errors"][0]["message"] == "Unable to parse request body as JSON"
    )


def test_a_get_asks_a_query_and_no_ide_page_is_served(api: TestClient) -> None:
    response = api.get(PATH, params={"query": "{ program(id: 1) { name } }"})
    assert response.status_code == 200 and response.json()["data"]["program"]["name"]
    # No GraphiQL: its page would load its scripts from a CDN.
    response = api.get(PATH, headers={"accept": "text/html"})
    assert response.status_code == 400 and response.headers["content-type"] == "application/json"
    assert SCHEMA_PATH in response.json()["errors"][0]["message"]
    assert "mutations are not allowed" in api.get(PATH, params={"query": "mutation { x }"}).json()["errors"][0][
        "message"]  # fmt: skip


def test_the_schema_is_served_as_sdl_and_the_rest_document_leaves_graphql_out(sdl: Any, api: TestClient) -> None:
    assert {"programs", "project", "milestone", "outcome", "documents", "batch"} <= set(sdl.query_type.fields)
    assert sdl.mutation_type is None and sdl.subscription_type is None
    assert "provenance" in sdl.get_type("MilestoneStep").fields
    paths = api.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith(PATH)]


def test_a_database_that_cannot_be_read_is_the_rest_apis_503_and_a_fault_a_logged_500(
    indexed: IndexedRegistry, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def corrupt(*_args: Any) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug with a secret in it")

    # An application of its own: the database failure it meets is remembered, and reported by /health.
    with TestClient(create_app(indexed.settings), raise_server_exceptions=False) as api:
        monkeypatch.setattr(grants, "program", corrupt)
        error = post(api, "{ program(id: 1) { name } }")["errors"][0]
        assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "status": 503}
        assert error["message"].startswith("the registry's database cannot be read just now: it is corrupt.")
        assert error["path"] == ["program"]
        monkeypatch.setattr(grants, "program", broken)
        with caplog.at_level(logging.ERROR, logger="registry.api"):
            error = post(api, "{ program(id: 1) { name } }")["errors"][0]
        assert (error["message"], error["extensions"]) == (
            "internal server error; it has been logged",
            {"code": "INTERNAL_SERVER_ERROR", "status": 500},
        )
        assert "secret" not in json.dumps(error)
        [logged] = [r for r in caplog.records if r.exc_info]
        assert logged.getMessage() == "GraphQL: program failed" and "secret" in str(logged.exc_info[1])


# ---- fuzzing -------------------------------------------------------------------------------------------


def _no_server_error(response: Any) -> None:
    assert response.status_code < 500, response.text
    body = response.json()
    statuses = [e.get("extensions", {}).get("status") for e in body.get("errors", [])]
    assert 500 not in statuses, body


#: Values of the custom scalars an argument can take: well formed, so that a query is not refused for one of its
#: many arguments before it reaches the data (malformed ones are tested above, and by the body fuzzing below).
_VALUES = {
    "Day": st.dates().map(lambda day: nodes.String(day.isoformat())),
    "Hex32": st.binary(min_size=32, max_size=32).map(lambda raw: nodes.String("0x" + raw.hex())),
}


@pytest.fixture(scope="module")
def sdl_text(api: TestClient) -> str:
    return api.get(SCHEMA_PATH).text


def test_fuzzed_queries_never_meet_a_server_error(api: TestClient, sdl_text: str) -> None:
    @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(query=queries(sdl_text, custom_scalars=_VALUES))
    def run(query: str) -> None:
        _no_server_error(api.post(PATH, json={"query": query}))

    run()


def test_fuzzed_request_bodies_never_meet_a_server_error(api: TestClient) -> None:
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
    values = st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
        max_leaves=8,
    )
    bodies = st.fixed_dictionaries(
        {}, optional={"query": st.text(max_size=40) | values, "variables": values, "operationName": values,
                      "extensions": values},
    ) | values  # fmt: skip

    @settings(max_examples=4 * FUZZ_EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(body=bodies)
    def run(body: Any) -> None:
        _no_server_error(api.post(PATH, content=json.dumps(body), headers={"content-type": "application/json"}))

    run()
