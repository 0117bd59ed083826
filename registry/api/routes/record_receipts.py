"""`GET /api/v1/receipts/<kind>?<key>`: a receipt (`rnd-registry-receipt/1`, subject `record`) of one
record as the registry's copy shows it: its values, the view that holds it, the coordinates of the
events it is made of, to keep with a printed report and check later against any node
(`rnd-registry verify --receipt R --rpc URL`). A claim, like every receipt: the check asks the chain.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from registry.api.deps import ApiContext, Context
from registry.api.parameters import MAX_ID, MerkleRoot
from registry.api.routes.batches import batch_detail
from registry.api.routes.evaluations import evaluation_detail
from registry.api.routes.milestones import milestone_detail
from registry.api.routes.outcomes import outcome_detail
from registry.api.routes.programs import program_detail
from registry.api.routes.projects import project_detail
from registry.api.routes.receipts import ISSUED_BY, receipt_download
from registry.api.routes.reports import report_detail
from registry.api.schemas.common import ApiError
from registry.checking.receipts import RecordReceipt
from registry.checking.record_receipts import build_record_receipt, record_events
from registry.checking.records import parse_key
from registry.indexer.checkpoint import read_checkpoint

router = APIRouter(prefix="/api/v1", tags=["verification"])

RecordId = Annotated[int, Query(ge=1, le=MAX_ID, examples=[1])]
Position = Annotated[int, Query(ge=0, le=MAX_ID, examples=[0])]
Root = Annotated[MerkleRoot, Query(examples=["0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"])]

#: Each kind's key (its query parameters, as the record's JSON and `kind_spec` name them, with the bounds
#: of the record's own route), its lookup (the one that route answers with) and the page that shows it.
_KINDS: dict[str, tuple[dict[str, Any], Callable[..., Awaitable[BaseModel]], str]] = {
    "program": ({"programId": RecordId}, program_detail, "/programs/{programId}"),
    "project": ({"projectId": RecordId}, project_detail, "/projects/{projectId}"),
    "milestone": (
        {"projectId": RecordId, "milestoneIndex": Position},
        milestone_detail,
        "/projects/{projectId}/milestones/{milestoneIndex}",
    ),
    "outcome": ({"outcomeId": RecordId}, outcome_detail, "/outcomes/{outcomeId}"),
    "report": ({"reportId": RecordId}, report_detail, "/reports/{reportId}"),
    "evaluation": ({"auditId": RecordId}, evaluation_detail, "/evaluations/{auditId}"),
    "batch": ({"root": Root}, batch_detail, "/batches/{root}"),
}


async def _record_receipt(kind: str, key: dict[str, Any], request: Request, context: ApiContext) -> Response:
    """The receipt of the `kind` record with `key`, as a file to download."""
    _, lookup, page = _KINDS[kind]
    given = {name: "0x" + value.hex() if isinstance(value, bytes) else value for name, value in key.items()}
    found = await lookup(context, *parse_key(kind, given).values())
    record = found.model_dump(mode="json", by_alias=True)
    contracts = context.contracts()
    # The copy has indexed the record, so it has a checkpoint; its values hold at that block.
    block = await context.read(lambda: _indexed_block(context)) or max(e.block_number for e in record_events(record))
    receipt = build_record_receipt(
        kind, given, record, chain_id=contracts.chain_id, grant_registry=contracts.grant_registry,
        outcome_registry=contracts.outcome_registry, block_number=block, issued_by=ISSUED_BY,
        verify_url=str(request.base_url).rstrip("/") + page.format(**given),
    )  # fmt: skip
    name = "-".join(str(v)[:12] for v in given.values())
    return receipt_download(receipt, f"receipt-{kind}-{name}.json")


def _add_receipt_route(kind: str) -> None:
    """`GET /api/v1/receipts/<kind>?<key>`, one operation per kind, so that the document declares each
    kind's key as the parameters it takes."""
    key, _, _ = _KINDS[kind]

    async def answer(request: Request, context: Context, **given: Any) -> Response:
        return await _record_receipt(kind, given, request, context)

    keyword = inspect.Parameter.KEYWORD_ONLY
    answer.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", keyword, annotation=Request),
            inspect.Parameter("context", keyword, annotation=Context),
            *(inspect.Parameter(name, keyword, annotation=kind_of) for name, kind_of in key.items()),
        ],
        return_annotation=Response,
    )
    answer.__name__ = f"{kind}_receipt"
    answer.__doc__ = (
        f"The receipt of one {kind}, keyed by {', '.join(key)} as the record's JSON names them, as a file to "
        "download."
    )
    router.get(
        f"/receipts/{kind}",
        response_model=RecordReceipt,
        responses={
            404: {"model": ApiError, "description": f"No {kind} with this key."},
            422: {"model": ApiError, "description": "The key's fields are missing or malformed."},
        },
        summary=f"A receipt of one {kind}",
    )(answer)


for _kind in _KINDS:
    _add_receipt_route(_kind)


def _indexed_block(context: ApiContext) -> int | None:
    """The block the copy has read to: its values hold there."""
    with context.engine.connect() as connection:
        checkpoint = read_checkpoint(connection)
    return checkpoint.indexed_block if checkpoint is not None else None
