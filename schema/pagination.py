"""Relay connections with keyset cursors and a total count."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from schema.errors import CodedError

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 50


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="All matching items, every page.")

    @strawberry.field(description="The nodes of this page, without edges.")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(key: object) -> str:
    return base64.urlsafe_b64encode(f"k:{key}".encode()).decode()


def decode_cursor(cursor: str | None) -> str | None:
    """The key inside a cursor; a clear error for one this server did not make."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    if not text.startswith("k:"):
        raise CodedError("the cursor is not one this server made", "INVALID_CURSOR")
    return text[2:]


def decode_int_cursor(cursor: str | None) -> int | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    number = database_id(key)
    if number is None:
        raise CodedError("the cursor is not one this server made", "INVALID_CURSOR")
    return number


def database_id(text: object) -> int | None:
    """An integer id from text, or None unless it is plain ASCII digits within range."""
    text = str(text)
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if number <= 2**31 - 1 else None


def page_size(first: int | None) -> int:
    """The page asked for; refused beyond the limit (a variable's default escapes the
    check made before execution)."""
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise CodedError(f"first: {first} is outside 0..{MAX_PAGE}", "PAGE_TOO_LARGE")
    return first


def connection(
    rows: Sequence[object],
    *,
    total: int,
    limit: int,
    key: Callable[[object], object],
    node: Callable[[object], T],
) -> Connection[T]:
    """A connection from `limit + 1` fetched rows: the extra one says a next page exists."""
    page = rows[:limit]
    edges = [Edge(cursor=encode_cursor(key(row)), node=node(row)) for row in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > limit,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=total,
    )
