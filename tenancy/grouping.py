"""Grouping fetched rows by key, for batch loads that answer many keys at once."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def grouped(rows: Iterable[V], keys: Sequence[K], key: Callable[[V], K]) -> dict[K, list[V]]:
    """Rows by key, in their order; every asked key present, empty when nothing matched."""
    groups: dict[K, list[V]] = {k: [] for k in keys}
    for row in rows:
        groups[key(row)].append(row)
    return groups
