"""Whole example answers in the OpenAPI document: `examples.json` holds one real answer per JSON
operation, captured from the demo registry by `scripts/capture_api_examples.py` (`make
api-examples`), and `add_examples` puts each beside the schema it illustrates, where /docs shows it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAMPLES_PATH = Path(__file__).with_name("examples.json")


def load_examples() -> dict[str, Any]:
    """The captured examples by `"<METHOD> <path template>"`; none when the file is missing."""
    if not EXAMPLES_PATH.exists():
        return {}
    examples: dict[str, Any] = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))
    return examples


def add_examples(schema: dict[str, Any], examples: dict[str, Any]) -> None:
    """Sets each operation's 200 JSON answer's `example` in the OpenAPI `schema`, in place; an
    example of an operation the document no longer has is left out."""
    for key, example in examples.items():
        method, _, path = key.partition(" ")
        operation = schema.get("paths", {}).get(path, {}).get(method.lower())
        content = (operation or {}).get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if content is not None:
            content["example"] = example
