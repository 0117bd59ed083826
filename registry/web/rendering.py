"""Rendering a portal page: the Jinja2 environment (autoescaping everything), the values every page
shares (language, translator, navigation), and the headers every page carries (a Content-Security-
Policy that allows only this server, the language cookie)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from registry.web import formatting, published
from registry.web.i18n import LANGUAGE_COOKIE, LANGUAGE_PARAMETER, Translator, requested_language

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: Only this server, for everything: no inline scripts or styles, no other origins, no framing.
#: Data that scripts need travels in `<script type="application/json">`, which is data, not script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        # The record pages' chain check asks the JSON-RPC node the reader chooses, wherever it is.
        "connect-src 'self' http: https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600

#: The main navigation: (path, message key).
NAVIGATION = [
    ("/", "nav.home"),
    ("/verify", "nav.verify"),
    ("/programs", "nav.programs"),
    ("/search", "nav.search"),
    ("/evaluations", "nav.evaluations"),
    ("/dashboard", "nav.dashboard"),
    ("/workspace", "nav.workspace"),
]


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=formatting.shown,
    )
    environment.filters.update(
        won=formatting.won,
        won_words=formatting.won_in_words,
        korea_time=formatting.korea_time,
        utc_iso=formatting.utc_iso,
        day=formatting.calendar_day,
        hex=formatting.hex_text,
        short_hex=formatting.short_hex,
        enum_name=formatting.enum_name,
        number=formatting.number,
        claim=formatting.claim,
        claim_value=formatting.claim_value,
        korean=formatting.korean_marked,
        code_spans=formatting.code_spans,
    )
    environment.globals.update(claim_key=formatting.claim_key)
    published.install(environment)
    return environment


templates = Jinja2Templates(env=_environment())


def render(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """The page `template` in the request's language, with the portal's headers."""
    language, asked_now = requested_language(request)
    translate = Translator(language)
    other = language.other
    toggled = request.url.include_query_params(**{LANGUAGE_PARAMETER: other.value})
    shared = {
        "lang": language.value,
        "t": translate,
        "navigation": NAVIGATION,
        "current_path": request.url.path,
        "other_language": other.value,
        # A query alone, so the link stays on this page whatever its path looks like.
        "other_language_url": f"?{toggled.query}",
    }
    response = templates.TemplateResponse(request, template, {**shared, **values}, status_code=status,
                                          headers=SECURITY_HEADERS)  # fmt: skip
    if asked_now:
        response.set_cookie(LANGUAGE_COOKIE, language.value, max_age=_LANGUAGE_COOKIE_SECONDS, samesite="lax",
                            httponly=True)  # fmt: skip
    return response
