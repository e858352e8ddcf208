"""The 12-digit statistical division code (统计用区划代码): tier, parent and tenant path.

Layout: PP CC DD TTT VVV — province, city, district/county, town/street, village/community.
Everything about a division's place in the tree follows from its code alone.
"""

from __future__ import annotations

import enum


class Tier(enum.StrEnum):
    """层级: the four tiers a city's supervision network spans."""

    CITY = "CITY"
    DISTRICT = "DISTRICT"
    TOWN = "TOWN"
    VILLAGE = "VILLAGE"


# Significant digits of a code at each tier: the prefix shared by its whole subtree.
PREFIX_LENGTH = {Tier.CITY: 4, Tier.DISTRICT: 6, Tier.TOWN: 9, Tier.VILLAGE: 12}
_ORDER = [Tier.CITY, Tier.DISTRICT, Tier.TOWN, Tier.VILLAGE]


class InvalidDivisionCode(ValueError):
    """The text is not a 12-digit code of a city, district, town or village."""

    code = "INVALID_DIVISION_CODE"


def tier_of(code: str) -> Tier:
    """The tier a code belongs to, checked against the code's structure."""
    if not isinstance(code, str) or len(code) != 12 or not code.isascii():
        raise InvalidDivisionCode(f"{code!r}: a division code has 12 digits")
    if not code.isdigit():
        raise InvalidDivisionCode(f"{code!r}: a division code has digits only")
    province, city, district = code[0:2], code[2:4], code[4:6]
    town, village = code[6:9], code[9:12]
    if province == "00" or city == "00":
        raise InvalidDivisionCode(f"{code!r}: not within a city (province or city is 00)")
    if district == "00":
        if town != "000" or village != "000":
            raise InvalidDivisionCode(f"{code!r}: a town must sit under a district")
        return Tier.CITY
    if town == "000":
        if village != "000":
            raise InvalidDivisionCode(f"{code!r}: a village must sit under a town")
        return Tier.DISTRICT
    return Tier.TOWN if village == "000" else Tier.VILLAGE


def prefix_of(code: str) -> str:
    """The digits every code in this division's subtree starts with."""
    return code[: PREFIX_LENGTH[tier_of(code)]]


def parent_of(code: str) -> str | None:
    """The code of the division one tier up, or None for a city."""
    tier = tier_of(code)
    if tier is Tier.CITY:
        return None
    up = _ORDER[_ORDER.index(tier) - 1]
    return code[: PREFIX_LENGTH[up]].ljust(12, "0")


def lineage(code: str) -> list[str]:
    """Codes from the city down to this division, itself included."""
    tier = tier_of(code)
    return [code[: PREFIX_LENGTH[t]].ljust(12, "0") for t in _ORDER[: _ORDER.index(tier) + 1]]


def tenant_path(code: str) -> str:
    """The tenant path: the lineage joined by '/', with a trailing '/'.

    A grant's path is a string prefix of the path of every division it reaches,
    and of no other.
    """
    return "/".join(lineage(code)) + "/"


def covers(ancestor: str, code: str) -> bool:
    """Whether `code` is `ancestor` or lies below it."""
    return code.startswith(prefix_of(ancestor))
