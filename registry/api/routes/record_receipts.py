"""`GET /api/v1/receipts/{kind}?<key>`: a receipt (`rnd-registry-receipt/1`, subject `record`) of one
record as the registry's copy shows it: its values, the view that holds it, the coordinates of the
events it is made of, to keep with a printed report and check later against any node
(`rnd-registry verify --receipt R --rpc URL`). A claim, like every receipt: the check asks the chain.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from registry.api.deps import ApiContext, Context
from registry.api.errors import BadParameter
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
from registry.checking.records import kind_spec, parse_key
from registry.indexer.checkpoint import read_checkpoint

router = APIRouter(prefix="/api/v1", tags=["verification"])

ReceiptKind = Literal["program", "project", "milestone", "outcome", "report", "evaluation", "batch"]

#: Each kind's lookup (the one its own route answers with) and the page that shows it.
_LOOKUPS: dict[str, tuple[Callable[..., Awaitable[BaseModel]], str]] = {
    "program": (program_detail, "/programs/{programId}"),
    "project": (project_detail, "/projects/{projectId}"),
    "milestone": (milestone_detail, "/projects/{projectId}/milestones/{milestoneIndex}"),
    "outcome": (outcome_detail, "/outcomes/{outcomeId}"),
    "report": (report_detail, "/reports/{reportId}"),
    "evaluation": (evaluation_detail, "/evaluations/{auditId}"),
    "batch": (batch_detail, "/batches/{root}"),
}


@router.get(
    "/receipts/{kind}",
    response_model=RecordReceipt,
    responses={
        404: {"model": ApiError, "description": "No record with this key."},
        422: {"model": ApiError, "description": "The key's fields are missing or malformed."},
    },
    summary="A receipt of one record",
)
async def record_receipt(kind: ReceiptKind, request: Request, context: Context) -> Response:
    """The receipt of one record, keyed by query parameters as the record's JSON names them
    (`?programId=2`, `?projectId=1&milestoneIndex=2`, `?root=0x…`), as a file to download."""
    wanted = kind_spec(kind)["key"]
    given: dict[str, Any] = {}
    for name, encoding in wanted.items():
        value = request.query_params.get(name)
        if value is None:
            raise BadParameter(f"{name}: a {kind}'s receipt needs {', '.join(wanted)}", parameter=name, status=422)
        given[name] = int(value) if encoding == "int" and value.isdigit() else value
    try:
        key = parse_key(kind, given)
    except ValueError as error:
        raise BadParameter(str(error), parameter=next(iter(wanted)), status=422) from None
    lookup, page = _LOOKUPS[kind]
    found = await lookup(context, *key.values())
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


def _indexed_block(context: ApiContext) -> int | None:
    """The block the copy has read to: its values hold there."""
    with context.engine.connect() as connection:
        checkpoint = read_checkpoint(connection)
    return checkpoint.indexed_block if checkpoint is not None else None
