"""The Starlette application."""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Route, WebSocketRoute

from api.graphql import GraphQLEndpoint
from api.health import healthz, readyz
from api.services import Services
from api.settings import Settings, load


def create_app(settings: Settings | None = None, services: Services | None = None) -> Starlette:
    """The app; `services` may be given (tests), else built from the settings."""
    services = services or Services.create(settings or load())
    endpoint = GraphQLEndpoint(services)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        await services.start()
        try:
            yield
        finally:
            await services.stop()

    async def home(_request):
        return RedirectResponse("/graphql")

    app = Starlette(
        routes=[
            Route("/", home),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", endpoint),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
