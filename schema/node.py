"""Relay `node(id)`: any object with a global ID, as far as the caller may see it."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.cases.types import Case
from schema.catalogue.types import Power
from schema.context import Info
from schema.divisions.types import Division
from schema.errors import CodedError
from schema.organisation.types import Department
from schema.publication.results import PublishedResult

# type name -> (type, the permission needed to read it)
NODE_TYPES: dict[str, tuple[type, str, str]] = {
    "Division": (Division, "division", "read"),
    "Department": (Department, "department", "read"),
    # powers apply their own visibility (published, or inside the caller's scope)
    "Power": (Power, "power", "read_published"),
    "Case": (Case, "case", "read"),
    # 公示: published results only, masked; a Case id stays hidden from the public
    "PublishedResult": (PublishedResult, "publication", "read"),
}


@strawberry.type
class NodeQueries:
    @strawberry.field(description="An object by its global ID; null if absent or hidden.")
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        try:
            global_id = relay.GlobalID.from_id(id)
        except Exception:
            raise CodedError("not a global ID this server made", "INVALID_ID") from None
        entry = NODE_TYPES.get(global_id.type_name)
        if entry is None:
            return None
        node_type, obj, act = entry
        if not info.context.allowed(obj, act):
            return None
        nodes = await node_type.resolve_nodes(info=info, node_ids=[global_id.node_id])
        return nodes[0]
