"""The verification page: a person drops or chooses a document, the browser computes its SHA-256
(Web Crypto; the file stays on the computer) and asks `GET /api/v1/verify/{sha256}`; only the
explicit "send the file to the server" button uploads it (`POST /api/v1/verify`). The page itself
is static; `static/verify.js` does the work and writes the answer in the page's language."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.routes.verification import UPLOAD_FIELD
from registry.domain.enums import AnchorKind
from registry.web.formatting import enum_name
from registry.web.i18n import Translator, requested_language
from registry.web.rendering import render
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
