"""Answers of a direct route kept as the bytes it sent, for as long as nothing they were built from has
changed, so that the same question asked again is answered without reading the database, asking the
chain reader or building and serializing the model again.

Used by `GET /api/v1/verify/{sha256}`, whose answer depends on the database (any commit to it: the
indexer's, the batch members listed, an edit by hand) and on the head of the chain its live check read:
a `basis` names those, and a kept answer is given only while the basis is the same. The basis is taken before the answer
is built and again after it; an answer whose basis moved while it was built is not kept. An answer
that could not be checked against the chain is never kept. A kept answer still says the block its
contract reading was made at and when (`liveCheck.checkedAt`): that reading is the one it was built on,
at the head the reader would use now.

Why by hand: response caches (HTTP caches, `aiocache`, `fastapi-cache`) key on the request and expire on
time; these answers must expire the moment the database or the head moves, and the key is known only
from inside the registry.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from pydantic import BaseModel

from registry.api.deps import ApiContext


@dataclass
class KeptAnswers:
    """At most `capacity` answers, the least recently asked dropped first; `basis(context)` says what the
    answers depend on now (None: nothing can be kept now), `keepable(answer, basis)` whether one may be kept."""

    basis: Callable[[ApiContext], Awaitable[Hashable | None]]
    keepable: Callable[[BaseModel, Hashable], bool]
    capacity: int = 10_000

    def __post_init__(self) -> None:
        self._kept: OrderedDict[Hashable, tuple[Hashable, bytes]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def get(self, key: Hashable, basis: Hashable | None) -> bytes | None:
        """The answer kept for `key` if it was built on `basis`."""
        if basis is None:
            return None
        found = self._kept.get(key)
        if found is None or found[0] != basis:
            return None
        self._kept.move_to_end(key)
        return found[1]

    def keep(
        self, key: Hashable, before: Hashable | None, after: Hashable | None, answer: BaseModel, body: bytes
    ) -> None:
        """Keeps `body`, the answer for `key` built between two looks at the basis, if both saw the same one."""
        if before is None or before != after or not self.keepable(answer, before):
            self._kept.pop(key, None)
            return
        self._kept[key] = (before, body)
        self._kept.move_to_end(key)
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)
