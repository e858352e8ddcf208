"""The GraphQL endpoint: authentication, the request context, fast JSON."""

from __future__ import annotations

import asyncio

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.auth import ANONYMOUS, Principal, Unauthenticated
from api.services import Services
from schema.context import Caller, Context


def unauthenticated_response(error: Unauthenticated) -> Response:
    body = {
        "data": None,
        "errors": [
            {
                "message": str(error),
                "extensions": {"code": error.code, "reason": error.reason},
            }
        ],
    }
    return JSONResponse(
        body,
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class GraphQLEndpoint(GraphQL):
    def __init__(self, services: Services) -> None:
        super().__init__(
            services.schema,
            graphql_ide="graphiql" if not services.settings.is_prod else None,
            subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        )
        self.services = services

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            try:
                principal = await self._principal(request.headers.get("authorization"))
            except Unauthenticated as error:
                await unauthenticated_response(error)(scope, receive, send)
                return
            scope.setdefault("state", {})["principal"] = principal
        await super().__call__(scope, receive, send)

    async def _principal(self, authorization: str | None) -> Principal:
        verifier = self.services.verifier
        if verifier.fetches_keys:  # a JWKS fetch must not block the event loop
            return await asyncio.to_thread(verifier.from_header, authorization)
        return verifier.from_header(authorization)

    async def get_context(self, request: Request | WebSocket, response=None) -> Context:
        principal: Principal = getattr(request.state, "principal", ANONYMOUS)
        return Context(
            caller=Caller(principal.subject, principal.kind),
            database=self.services.database,
            policy=self.services.policy,
            stream=self.services.stream,
            relay=self.services.relay,
            ledger_keys=self.services.ledger_keys,
            prod=self.services.settings.is_prod,
        )

    async def on_ws_connect(self, context: Context):
        params = context.connection_params or {}
        header = params.get("Authorization") or params.get("authorization")
        try:
            principal = await self._principal(header)
        except Unauthenticated as error:
            raise ConnectionRejectionError(
                {"code": error.code, "reason": error.reason, "message": str(error)}
            ) from None
        context.caller = Caller(principal.subject, principal.kind)
        return None

    def encode_json(self, data: object) -> str:
        # text, not bytes: graphql-transport-ws messages must be text frames
        return orjson.dumps(data).decode()
