"""What a GraphQL resolver is given: the API's context (settings, database) and the request's loaders."""

from __future__ import annotations

from typing import TypeAlias

import strawberry
from strawberry.fastapi import BaseContext

from registry.api.deps import ApiContext
from registry.api.graphql.loaders import Loaders


class RequestContext(BaseContext):
    """The context of one GraphQL request."""

    def __init__(self, api: ApiContext) -> None:
        super().__init__()
        self.api = api
        self.loaders = Loaders(api)


Info: TypeAlias = strawberry.Info[RequestContext, None]
