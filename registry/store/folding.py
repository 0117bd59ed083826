"""How names are compared in a search: one folding, used by the indexer when it stores a company's
name and by the queries when they read what a person typed, so both sides meet on the same text."""

from __future__ import annotations

import unicodedata


def folded(text: str) -> str:
    """`text` NFKC-normalized and case-folded: `(주)한빛` typed as compatibility characters or with
    decomposed Hangul (as macOS file names are) finds the composed name, and `HANBIT` finds `Hanbit`.
    SQL's LIKE and lower() fold ASCII only (SQLite) or depend on the collation (PostgreSQL)."""
    return unicodedata.normalize("NFKC", text).casefold()


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape character `\\`) matching any folded text that contains `text` folded."""
    # A NUL is stored as U+FFFD (registry.indexer.abi.text), and PostgreSQL refuses it in a parameter.
    escaped = folded(text).replace("\x00", "\ufffd")
    escaped = escaped.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
