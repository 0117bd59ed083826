"""The verification page: a person drops or chooses a document, the browser computes its SHA-256
(Web Crypto; the file stays on the computer) and asks `GET /api/v1/verify/{sha256}`; only the
explicit "send the file to the server" button uploads it (`POST /api/v1/verify`). The page itself
is static; `static/verify.js` does the work and writes the answer in the page's language.

`GET /qr.svg?path=/verify?sha256=...` draws a QR code (segno) of a page of this site, its absolute
address built from the request's own base URL, so a printed document can carry its verification page.
"""

from __future__ import annotations

import io
from typing import Annotated

import segno
from fastapi import Query, Request
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.routes.verification import UPLOAD_FIELD
from registry.domain.enums import AnchorKind
from registry.web.formatting import enum_name
from registry.web.i18n import Translator, requested_language
from registry.web.parameters import FormProblem
from registry.web.rendering import SECURITY_HEADERS, render
from registry.web.routing import page_router

router = page_router()


@router.get("/verify")
def verify_page(request: Request, context: Context, sha256: str | None = None) -> Response:
    translate = Translator(requested_language(request)[0])
    script_data = {
        "messages": translate.subset("verify."),
        "kinds": {enum_name(kind): translate.enum("anchor_kind", enum_name(kind)) for kind in AnchorKind},
        "records": translate.subset("record."),
        "maxUploadBytes": context.settings.api_max_upload_bytes,
        "uploadField": UPLOAD_FIELD,
        "lang": translate.language.value,
    }
    return render(request, "verify.html", sha256=(sha256 or "").strip(), script_data=script_data,
                  max_upload_bytes=context.settings.api_max_upload_bytes)  # fmt: skip


#: Long enough for any page of the portal with its query; a QR code of more would be hard to scan.
MAX_QR_PATH = 300


@router.get("/qr.svg")
def qr_code(request: Request, path: Annotated[str, Query(max_length=MAX_QR_PATH)]) -> Response:
    """A QR code (SVG) of the page `path` of this site, e.g. `/verify?sha256=...`; only this site's pages."""
    if not path.startswith("/") or path.startswith("//") or "\\" in path or any(c < " " for c in path):
        raise FormProblem("path", "verify.qr_bad_path")
    address = str(request.base_url).rstrip("/") + path
    drawn = io.BytesIO()
    segno.make(address, error="m").save(drawn, kind="svg", scale=4, border=2, xmldecl=False, title=address)
    return Response(drawn.getvalue(), media_type="image/svg+xml",
                    headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=3600"})  # fmt: skip
