"""How nodes say that a request covered too much, read in one place for the client, the indexer and the checks.

Free of web3 on purpose: the indexer's read-ahead process imports this, and loading web3 (with
eth-account and py_ecc behind it) would cost it over a second before it reads its first range.
"""

from __future__ import annotations

import re

# Messages by which nodes say "that was too much at once" (geth, Besu, Erigon, Infura, Alchemy...).
_TOO_MUCH = re.compile(
    r"more than \d+ (results|logs)|too many|response size|limit exceeded|exceeds? (the )?(max|limit|range)"
    r"|block range|range (is )?too (large|wide|big)|query timeout|timed? ?out|max results",
    re.IGNORECASE,
)


def refused_as_too_much(message: str) -> bool:
    """Whether a node's error message refuses a request as covering too much (a block range longer
    than it allows, or more results than it returns at once)."""
    return bool(_TOO_MUCH.search(message))
