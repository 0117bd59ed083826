"""The chain check of every record page: the rules (`records.json`) and ABIs (`abi.json`) the
browser's `static/chain-check.js` reads records from the chain with, and the configuration each
record page embeds for it (`templates/chain_check.html`): the nodes the reader may ask, the
deployment's chain id, deploy block, addresses and runtime code hashes, and the page's messages.

The server only says where to look and what the city claims to have deployed; the reader's browser
asks the node itself and compares what the chain says with what the page shows.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from registry.api.deps import ApiContext
from registry.browser_libraries import ETHERS
from registry.checking.spec import ABI_PATH, RECORD_SPEC_PATH
from registry.web.i18n import Translator
from registry.web.rendering import templates
from registry.web.routing import page_router

router = page_router()

RECORD_SPEC_URL = "/chain-check/records.json"
ABI_URL = "/chain-check/abi.json"
#: Seconds the browser waits for one answer of the node before calling it unreachable.
NODE_TIMEOUT_SECONDS = 10

_CACHE = {"Cache-Control": "public, max-age=300"}


@router.get(RECORD_SPEC_URL)
def record_spec_file() -> Response:
    return FileResponse(RECORD_SPEC_PATH, media_type="application/json", headers=_CACHE)


@router.get(ABI_URL)
def abi_file() -> Response:
    return FileResponse(ABI_PATH, media_type="application/json", headers=_CACHE)


def chain_check_config(request: Request, t: Translator) -> dict[str, Any]:
    """What `chain-check.js` needs on a record page, embedded as JSON: nodes to offer (the
    consortium's published ones, or else the registry's own, said to be the city's), the deployment
    to expect, the rules' and the library's addresses on this server, and the `check.` messages and
    enum labels in the page's language."""
    context: ApiContext = request.app.state.context
    settings = context.settings
    manifest = context.manifest
    if settings.public_rpc_nodes:
        nodes = [{"name": n.name, "url": n.url, "city": False} for n in settings.public_rpc_nodes]
    else:
        nodes = [{"name": t("check.city_node"), "url": settings.rpc_url, "city": True}]
    return {
        "nodes": nodes,
        "chainId": manifest.chain_id if manifest else None,
        "deployBlock": manifest.deploy_block if manifest else None,
        "contracts": {
            name: {"address": c.address, "codeHash": c.code_hash}
            for name, c in (manifest.contracts.items() if manifest else ())
        },
        "specUrl": RECORD_SPEC_URL,
        "abiUrl": ABI_URL,
        "ethersUrl": ETHERS.url,
        "timeoutSeconds": NODE_TIMEOUT_SECONDS,
        "messages": t.subset("check."),
        "enums": t.subset("enum."),
        "lang": t.language.value,
    }


# The included template (chain_check.html) asks for its configuration as it renders.
templates.env.globals.update(chain_check_config=chain_check_config)
