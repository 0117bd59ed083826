"""Published documents on the portal's record pages: a reason or note typed as text is shown as text
under the record's link to it, and any other published document (a plan, a report, findings) gets a
download link, so a reader sees what the registry proves existed, not only its hash.

What is shown comes from the document store only after its bytes were checked against the hash the
record names (`registry.api.routes.public_documents`); a document not published, not held or altered
shows nothing more than the hash, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jinja2

from registry.api.deps import ApiContext
from registry.api.errors import ApiProblem
from registry.api.routes.public_documents import published_document
from registry.evidence.hashing import hash_to_hex

#: Texts up to this size are shown in the page; longer ones are a download like any other document.
SHOWN_TEXT_BYTES = 4096


@dataclass(frozen=True)
class PublishedDocument:
    name: str
    size: int
    media_type: str
    url: str
    #: The text itself, for a short plain-text document (a typed reason), else None.
    text: str | None


def published(template_context: jinja2.runtime.Context, digest: bytes | None) -> PublishedDocument | None:
    """The published document with hash `digest`, checked, or None (not published, not held, altered)."""
    if not digest or not any(digest):
        return None
    context: ApiContext = template_context["request"].app.state.context
    try:
        stored, path = published_document(context, digest)
    except ApiProblem:
        return None
    text = None
    if stored.media_type == "text/plain" and stored.size <= SHOWN_TEXT_BYTES:
        with open(path, "rb") as file:
            text = file.read(SHOWN_TEXT_BYTES).decode("utf-8", errors="replace")
    url = f"/api/v1/documents/{hash_to_hex(digest).removeprefix('0x')}"
    return PublishedDocument(stored.name, stored.size, stored.media_type, url, text)


def install(environment: jinja2.Environment) -> None:
    published_global: Any = jinja2.pass_context(published)
    environment.globals.update(published=published_global)
