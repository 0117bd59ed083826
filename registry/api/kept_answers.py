"""Answers of a direct route kept as the bytes it sent, for as long as nothing they were built from has
changed, so that the same question asked again is answered without reading the database, asking the
chain reader or building and serializing the model again.

Used by `GET /api/v1/verify/{sha256}`, whose answer depends on the database (any commit to it: the
indexer's, the batch members listed, an edit by hand) and on the head of the chain its live check read:
a `basis` names those, and a kept answer is given only while what it was built on holds. The basis is
taken before the answer is built and again after it; an answer whose basis moved while it was built is
not kept. The answer itself says what it may be kept under (`keepable`): an answer that could not be
checked against the chain is never kept; one whose findings may change at the next block is kept for
its head; one whose findings are final (anchored `RND_CONFIRMATIONS` blocks deep: the anchor book only
adds) is kept across heads, for as long as the database stays the same. A kept answer still says the
block its contract reading was made at and when (`liveCheck.blockNumber`, `liveCheck.checkedAt`).

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
    """Answers grouped by what they were kept under, at most `capacity` in a group, the least recently
    asked dropped first. `basis(context)` says what an answer built now depends on (None: nothing can be
    kept or given now); `keepable(answer, basis)` what that answer may be kept under (None: it may not be
    kept); `holding(basis)` which of what answers were kept under still hold on `basis` (the basis itself
    unless told otherwise). A group that no longer holds is dropped as soon as an answer is kept on a
    newer basis, so answers that expire at the next block never push out those that last."""

    basis: Callable[[ApiContext], Awaitable[Hashable | None]]
    keepable: Callable[[BaseModel, Hashable], Hashable | None]
    holding: Callable[[Hashable], tuple[Hashable, ...]] = lambda basis: (basis,)
    capacity: int = 10_000

    def __post_init__(self) -> None:
        self._groups: dict[Hashable, OrderedDict[Hashable, bytes]] = {}

    def __len__(self) -> int:
        return sum(len(group) for group in self._groups.values())

    def get(self, key: Hashable, basis: Hashable | None) -> bytes | None:
        """The answer kept for `key` under something that holds on `basis`."""
        if basis is None:
            return None
        for under in self.holding(basis):
            group = self._groups.get(under)
            body = group.get(key) if group is not None else None
            if body is not None:
                assert group is not None
                group.move_to_end(key)
                return body
        return None

    def keep(
        self, key: Hashable, before: Hashable | None, after: Hashable | None, answer: BaseModel, body: bytes
    ) -> None:
        """Keeps `body`, the answer for `key` built between two looks at the basis, if both saw the same one."""
        under = self.keepable(answer, before) if before is not None and before == after else None
        if under is None:
            for group in self._groups.values():
                group.pop(key, None)
            return
        holding = self.holding(before)
        for stale in [kept_under for kept_under in self._groups if kept_under not in holding]:
            del self._groups[stale]
        group = self._groups.setdefault(under, OrderedDict())
        group[key] = body
        group.move_to_end(key)
        while len(group) > self.capacity:
            group.popitem(last=False)
