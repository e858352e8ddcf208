"""The roles a grant may name."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    PUBLIC = "public"
    OFFICER = "officer"
    DEPARTMENT_HEAD = "department_head"
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    CATALOGUE_ADMIN = "catalogue_admin"
    SYSTEM = "system"
    PLATFORM = "platform"
    ADMIN = "admin"


# Roles held by machines rather than people: business systems and lower tiers.
SERVICE_ROLES = frozenset({Role.SYSTEM, Role.PLATFORM})
