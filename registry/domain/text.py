"""Text from the chain shown safely: bidirectional-text controls written as visible marks, never applied.

A company writes what it likes into an outcome identifier or a program name. A right-to-left override
(U+202E) in it would make a reader see `fdp.exe` as `exe.pdf`, or a number backwards (the "Trojan
Source" trick, CVE-2021-42574). The portal and the CSV exports therefore show each of the nine
embedding, override and isolate controls as `<U+202E>`; the API's JSON keeps the text as recorded.
"""

from __future__ import annotations

import re

#: LRE, RLE, PDF, LRO, RLO (U+202A-U+202E) and LRI, RLI, FSI, PDI (U+2066-U+2069).
BIDI_CONTROLS = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def code_point_mark(character: str) -> str:
    """`<U+202E>`: how a character that must not act (or cannot be written) is shown."""
    return f"<U+{ord(character):04X}>"


def visible_bidi(text: str) -> str:
    """`text` with each bidirectional control replaced by its visible mark (`abc<U+202E>fed`)."""
    return _BIDI.sub(lambda found: code_point_mark(found.group()), text)


_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in BIDI_CONTROLS}


def json_with_bidi_escaped(json_text: str) -> str:
    """JSON text with each bidi control written as its `\\u202e` escape: the same data to any JSON
    reader, and nothing that reorders the text for a person who opens the file. (A control can only
    stand inside a JSON string, where the escape means the same character.)"""
    return json_text.translate(_JSON_ESCAPES)


def has_bidi(text: str) -> bool:
    """Whether `text` holds a bidirectional control."""
    return _BIDI.search(text) is not None
