"""Which powers the caller reads: the catalogue's own visibility rule, from the context."""

from __future__ import annotations

from schema.context import Info
from supervision.catalogue.queries import Readership


def readership(info: Info) -> Readership:
    """Published powers for everyone; all versions inside the scope of those who may read powers."""
    context = info.context
    if context.caller.subject is None or not context.allowed("power", "read"):
        return Readership()
    return Readership(scope=context.scope_for("power", "read"))
