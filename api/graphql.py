"""The GraphQL endpoint: authentication, the request context, fast JSON."""

from __future__ import annotations

import asyncio
import dataclasses

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import process_result
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from api.apq import PersistedQueryError
from api.auth import ANONYMOUS, Principal, Unauthenticated
from api.cache import digest
from api.protection import Encoded, Protection, persisted_query_error, validated
from api.ratelimit import refuse, with_headers
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
        self.protection = Protection(services)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            request = Request(scope)
            failure = None
            try:
                principal = await self._principal(request.headers.get("authorization"))
            except Unauthenticated as error:  # counted against the address, then refused
                principal, failure = ANONYMOUS, error
            decision, who = await self.protection.admit(scope, principal.subject)
            if decision is not None:
                if not decision.allowed:
                    await refuse(send, decision, who)
                    return
                send = with_headers(send, decision)
            if failure is not None:
                await unauthenticated_response(failure)(scope, receive, send)
                return
            scope.setdefault("state", {})["principal"] = principal
        elif scope["type"] == "websocket":
            decision, _who = await self.protection.admit(scope, None)
            if decision is not None and not decision.allowed:
                await WebSocket(scope, receive, send).close(code=1008, reason="RATE_LIMITED")
                return
            receive = self._counting_operations(scope, receive, send)
        await super().__call__(scope, receive, send)

    def _counting_operations(self, scope, receive, send):
        """Each operation started on a socket counts like a request: a socket is no way
        around the rate limit. Over the limit, the socket is closed (4429)."""

        async def counted():
            message = await receive()
            if message["type"] == "websocket.receive" and '"subscribe"' in (
                message.get("text") or ""
            ):
                decision, _who = await self.protection.admit(scope, None)
                if decision is not None and not decision.allowed:
                    await send({"type": "websocket.close", "code": 4429, "reason": "RATE_LIMITED"})
                    return {"type": "websocket.disconnect", "code": 4429}
            return message

        return counted

    def should_render_graphql_ide(self, request) -> bool:
        # a GET with a persisted query's hash and no text is a query, not a visit
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def execute_single(  # noqa: PLR0917
        self, request, request_adapter, sub_response, context, root_value, request_data
    ):
        """Persisted queries, then the cache of anonymous answers, then the schema."""
        protection = self.protection
        try:
            resolved = await protection.persisted.resolve(
                request_data.query, request_data.extensions
            )
        except PersistedQueryError as error:
            sub_response.status_code = error.status
            return persisted_query_error(error)
        query = resolved.query
        if query != request_data.query:
            request_data = dataclasses.replace(request_data, query=query)
        key = None
        if query is not None and protection.cache.enabled and context.caller.subject is None:
            query_hash = resolved.hash or digest(query)
            if protection.kind(query_hash, query, request_data.operation_name) == "query":
                key = await protection.cache.key(
                    query_hash, request_data.operation_name, request_data.variables
                )
        body = await protection.cache.get(key) if key is not None else None
        if body is not None:
            if resolved.register:
                await protection.persisted.put(resolved.hash, query)
            self._cache_headers(sub_response, "HIT", request_adapter.method)
            return Encoded(body)
        result = await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )
        if resolved.register and validated(result):
            await protection.persisted.put(resolved.hash, query)
        if key is None:
            sub_response.headers["x-cache"] = "BYPASS"
            return result
        if result.errors or result.data is None:
            sub_response.headers["x-cache"] = "MISS"
            return result
        body = orjson.dumps(process_result(result))
        await protection.cache.put(key, body)
        self._cache_headers(sub_response, "MISS", request_adapter.method)
        return Encoded(body)

    def _cache_headers(self, sub_response, state: str, method: str) -> None:
        sub_response.headers["x-cache"] = state
        if method == "GET" and self.protection.public_max_age:
            sub_response.headers["cache-control"] = (
                f"public, max-age={self.protection.public_max_age}"
            )
            sub_response.headers["vary"] = "Authorization"

    async def process_result(self, request, result):
        if isinstance(result, Encoded):
            return result
        return await super().process_result(request, result)

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
            rating_secret=self.services.rating_secret,
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

    def encode_json(self, data: object) -> str | bytes:
        if isinstance(data, Encoded):  # an HTTP answer, already encoded
            return data.body
        # text, not bytes: graphql-transport-ws messages must be text frames
        return orjson.dumps(data).decode()
