"""留痕: the append-only, hash-chained ledger of facts.

Each entry's hash covers its chain, its place in the chain, the hash before it and
its canonical body, so changing, removing or reordering any entry breaks every link
after it. On PostgreSQL a trigger also refuses UPDATE and DELETE outright.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.models import ChainHead, LedgerEntry
from tenancy.codes import Tier, prefix_of, tier_of
from tenancy.scope import subtree

GENESIS = "0" * 64


def canonical(body: dict) -> str:
    """The one text a body is hashed as: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def link_hash(*, chain: str, seq: int, prev_hash: str, body_hash: str) -> str:
    return sha256(f"{chain}|{seq}|{prev_hash}|{body_hash}")


def chain_of(division_code: str) -> str:
    """The chain a division's facts go to: its district's (the city's own for the city)."""
    if tier_of(division_code) is Tier.CITY:
        return division_code
    return prefix_of(division_code)[:6].ljust(12, "0")


async def lock_heads(*, session: AsyncSession, chains: Sequence[str]) -> dict[str, ChainHead]:
    """The heads of these chains, locked for this transaction (created when new)."""
    chains = sorted(set(chains))  # one order for every writer: no deadlocks
    heads = {
        h.chain: h
        for h in await session.scalars(
            select(ChainHead).where(ChainHead.chain.in_(chains)).with_for_update()
        )
    }
    for chain in chains:
        if chain not in heads:
            heads[chain] = ChainHead(chain=chain, seq=0, hash=GENESIS)
            session.add(heads[chain])
    return heads


def append(head: ChainHead, body_hash: str) -> tuple[int, str, str]:
    """The (seq, prev_hash, hash) of the next entry of a chain; moves the head."""
    seq = head.seq + 1
    prev_hash = head.hash
    digest = link_hash(chain=head.chain, seq=seq, prev_hash=prev_hash, body_hash=body_hash)
    head.seq, head.hash = seq, digest
    return seq, prev_hash, digest


async def _walk(session: AsyncSession, chain: str, batch: int = 5000):
    after = 0
    while True:
        rows = list(
            await session.scalars(
                select(LedgerEntry)
                .where(LedgerEntry.chain == chain, LedgerEntry.seq > after)
                .order_by(LedgerEntry.seq)
                .limit(batch)
            )
        )
        for entry in rows:
            yield entry
        if len(rows) < batch:
            return
        after = rows[-1].seq


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    chain: str | None = None
    seq: int | None = None
    event_id: str | None = None
    reason: str | None = None


async def verify(
    *,
    session: AsyncSession,
    division_code: str,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
) -> Verification:
    """Walk the chains under a division; answer ok or the first broken link.

    Whole chains are walked (a link can only be checked against its predecessor);
    `occurred_from`/`occurred_to` narrow which entries are reported on.
    """
    chains = sorted(
        {
            c
            for c in await session.scalars(
                select(LedgerEntry.chain).where(subtree(LedgerEntry.division_code, division_code))
            )
        }
    )
    checked = 0
    for chain in chains:
        previous = GENESIS
        expected_seq = 1
        async for entry in _walk(session, chain):
            in_range = (occurred_from is None or entry.occurred_at >= occurred_from) and (
                occurred_to is None or entry.occurred_at <= occurred_to
            )
            problem = None
            if entry.seq != expected_seq:
                problem = f"entry {expected_seq} is missing"
            elif entry.prev_hash != previous:
                problem = "does not follow the entry before it"
            elif sha256(entry.body) != entry.body_hash:
                problem = "its content was changed"
            elif entry.hash != link_hash(
                chain=chain, seq=entry.seq, prev_hash=entry.prev_hash, body_hash=entry.body_hash
            ):
                problem = "its hash does not match"
            if problem:
                return Verification(False, checked, chain, entry.seq, entry.event_id, problem)
            previous, expected_seq = entry.hash, expected_seq + 1
            checked += in_range
        head = await session.get(ChainHead, chain)
        if head is not None and (head.seq, head.hash) != (expected_seq - 1, previous):
            return Verification(
                False, checked, chain, expected_seq, None, "the chain's last entries are missing"
            )
    return Verification(True, checked)
