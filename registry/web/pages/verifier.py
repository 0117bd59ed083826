"""`GET /verifier.html`: the standalone verifier, one HTML file to keep and open from disk, which
checks a document and its receipt against a JSON-RPC node the reader types, with no registry server.

The file is assembled from `static/verifier/` (the page, its style, `verifier.js`), ethers' UMD build
from npm (`registry.browser_libraries`, inlined: no CDN), the contracts' ABI
(`registry/checking/abi.json`), the anchor kinds and both languages' `verifier.*` messages. Its
scripts are inline, so its Content-Security-Policy (in the file, and on the download) allows exactly
those scripts by their SHA-256 and lets them talk to any http(s) node, the reader's choice.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path

from fastapi import Request
from starlette.responses import Response

from registry.browser_libraries import ETHERS
from registry.checking.receipts import kind_name
from registry.checking.spec import registry_abi
from registry.domain.enums import AnchorKind
from registry.settings import get_settings
from registry.web.i18n import Language, Translator
from registry.web.routing import page_router

SOURCES = Path(__file__).resolve().parent.parent / "static" / "verifier"
DOWNLOAD_NAME = "rnd-registry-verifier.html"

router = page_router()


def _source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _inline_script(text: str) -> str:
    # `</script` would end the element early; `<\/script` means the same inside JS strings and regexes.
    return text.replace("</script", "<\\/script")


def verifier_policy(scripts: list[str], styles: list[str]) -> str:
    """The file's Content-Security-Policy: its own inline scripts and style by hash, nothing else
    loaded, and requests to any http or https JSON-RPC node (the reader's chosen node)."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_source_hash(s) for s in scripts),
            "style-src " + " ".join(_source_hash(s) for s in styles),
            "connect-src http: https:",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


@cache
def build_verifier() -> tuple[str, str]:
    """The standalone verifier's HTML and its Content-Security-Policy."""
    ethers = ETHERS.locate(get_settings().project_root).read_text(encoding="utf-8")
    template = (SOURCES / "verifier.html").read_text(encoding="utf-8")
    style = (SOURCES / "verifier.css").read_text(encoding="utf-8")
    scripts = [_inline_script(ethers), _inline_script((SOURCES / "verifier.js").read_text(encoding="utf-8"))]
    data = {
        "messages": {language.value: Translator(language).subset("verifier.") for language in Language},
        "abi": registry_abi(),
        "kinds": [kind_name(kind) for kind in AnchorKind],
    }
    # JSON inside <script>: `<` escaped so that no text in it can close the element.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    policy = verifier_policy(scripts, [style])
    html = (
        template.replace("@CSP@", policy)
        .replace("@STYLE@", style)
        .replace("@DATA@", payload)
        .replace("<script>@ETHERS@</script>", "<script>" + scripts[0] + "</script>")
        .replace("<script>@VERIFIER@</script>", "<script>" + scripts[1] + "</script>")
    )
    return html, policy


@router.get("/verifier.html")
def standalone_verifier(request: Request) -> Response:
    """The standalone verifier as a download, to keep and open from disk."""
    html, policy = build_verifier()
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{DOWNLOAD_NAME}"',
            "Content-Security-Policy": policy + "; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )
