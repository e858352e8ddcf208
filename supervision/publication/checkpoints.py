"""Signed checkpoints of the ledger, and proofs that a published result is in them.

Each chain of the ledger (one per district) is also an RFC 9162 Merkle tree whose
i-th leaf is entry seq = i + 1 (see `leaves` for what a leaf commits). A checkpoint
signs the root of a chain's first `tree_size` entries; a proof gives a fact's shown
fields, its audit path and the checkpoint, and `verify` checks it with no server.

The leaf hashes of each chain are kept in this process (`_trees`), grown as the chain
grows, and checked against the database before each use (the link hash of the last
entry used), so a chain is read whole once per process, then only its new entries.
The server never signs a tree that does not extend its previous checkpoint.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from supervision.cases.ledger import chain_of
from supervision.cases.models import Action, Case, ChainHead, LedgerEntry
from supervision.cases.states import DECIDED
from supervision.publication import leaves, signing
from supervision.publication.merkle import MerkleTree
from supervision.publication.models import LedgerCheckpoint
from supervision.publication.signing import LedgerKeys
from supervision.publication.verify import PROOF_FORMAT
from tenancy.scope import Scope

log = logging.getLogger(__name__)

# the facts of a published result a proof covers: the decision and its publication
RESULT_ACTIONS = (Action.APPROVE, Action.REJECT, Action.PUBLISH)
SCOPE = Scope.bypass("ledger checkpoints (every chain)")
_BATCH = 5000


class LedgerRewritten(RuntimeError):
    """The ledger no longer gives a root this server signed: it was changed afterwards."""


class NotYetCheckpointed(LookupError):
    """The result's facts are newer than the chain's latest checkpoint."""


@dataclass
class _Leaves:
    tree: MerkleTree = field(default_factory=MerkleTree)
    links: bytearray = field(default_factory=bytearray)  # each entry's link hash, 32 bytes


_trees: dict[tuple[str, str, bytes], _Leaves] = {}


def _cache_key(session: AsyncSession, chain: str, keys: LedgerKeys) -> tuple[str, str, bytes]:
    return (str(session.bind.url), chain, keys.blinding)


async def _link_hash(session: AsyncSession, chain: str, seq: int) -> str | None:
    return await session.scalar(
        select(LedgerEntry.hash).where(LedgerEntry.chain == chain, LedgerEntry.seq == seq)
    )


def _leaf_hashes(blinding: bytes, chain: str, rows) -> list[bytes]:
    return [
        leaves.entry_leaf(blinding=blinding, chain=chain, seq=seq, body=body)
        for seq, body, _ in rows
    ]


async def chain_tree(
    *, session: AsyncSession, chain: str, keys: LedgerKeys, size: int
) -> MerkleTree:
    """The chain's tree holding at least its first `size` entries (read in batches)."""
    key = _cache_key(session, chain, keys)
    cached = _trees.get(key)
    if cached is not None and cached.tree.size:
        # the entries used are still those cached: the link of the last one says so
        last = min(size, cached.tree.size)
        kept = bytes(cached.links[(last - 1) * 32 : last * 32]).hex()
        if await _link_hash(session, chain, last) != kept:
            log.warning("ledger chain %s changed under the cached tree; reading it again", chain)
            cached = None
    if cached is None:
        cached = _trees[key] = _Leaves()
    tree = cached.tree
    while tree.size < size:
        rows = (
            await session.execute(
                select(LedgerEntry.seq, LedgerEntry.body, LedgerEntry.hash)
                .where(
                    LedgerEntry.chain == chain,
                    LedgerEntry.seq > tree.size,
                    LedgerEntry.seq <= size,
                )
                .order_by(LedgerEntry.seq)
                .limit(_BATCH)
            )
        ).all()
        if not rows:
            raise LedgerRewritten(f"chain {chain}: entries after {tree.size} are missing")
        # hashing a batch takes a while: off the event loop
        hashes = await asyncio.to_thread(_leaf_hashes, keys.blinding, chain, rows)
        for (seq, _, link), leaf in zip(rows, hashes, strict=True):  # no await in this loop
            if seq <= tree.size:
                continue  # another task of this process took it meanwhile
            if seq != tree.size + 1:
                raise LedgerRewritten(f"chain {chain}: entry {tree.size + 1} is missing")
            tree.append(leaf)
            cached.links += bytes.fromhex(link)
    return tree


async def latest_checkpoint(*, session: AsyncSession, chain: str) -> LedgerCheckpoint | None:
    """The chain's largest signed checkpoint."""
    return await session.scalar(
        select(LedgerCheckpoint)
        .where(LedgerCheckpoint.chain == chain)
        .order_by(LedgerCheckpoint.tree_size.desc())
        .limit(1)
    )


async def get_checkpoint(
    *, session: AsyncSession, division_code: str, tree_size: int | None = None
) -> LedgerCheckpoint | None:
    """The checkpoint of the division's chain: the latest, or the one of `tree_size`."""
    chain = chain_of(division_code)
    if tree_size is None:
        return await latest_checkpoint(session=session, chain=chain)
    return await session.scalar(
        select(LedgerCheckpoint).where(
            LedgerCheckpoint.chain == chain, LedgerCheckpoint.tree_size == tree_size
        )
    )


def _root_matches(tree: MerkleTree, checkpoint: LedgerCheckpoint) -> None:
    if tree.root(checkpoint.tree_size).hex() != checkpoint.root_hash:
        raise LedgerRewritten(
            f"chain {checkpoint.chain}: its first {checkpoint.tree_size} entries no longer "
            f"give the root signed at {checkpoint.signed_at.isoformat()}"
        )


async def prepare_checkpoint(
    *, session: AsyncSession, chain: str, keys: LedgerKeys, now: datetime
) -> LedgerCheckpoint | None:
    """The signed checkpoint of the chain as it stands, not yet added; None if it did not
    grow since its last checkpoint.

    Raises LedgerRewritten, signing nothing, if the chain no longer extends the last
    checkpoint. Reads only: a read-only session will do.
    """
    size = await session.scalar(select(ChainHead.seq).where(ChainHead.chain == chain)) or 0
    previous = await latest_checkpoint(session=session, chain=chain)
    if size == 0 or (previous is not None and previous.tree_size >= size):
        return None
    tree = await chain_tree(session=session, chain=chain, keys=keys, size=size)
    if previous is not None:
        _root_matches(tree, previous)
    root = tree.root(size).hex()
    signed_at = signing.signed_time(now)
    message = signing.checkpoint_message(
        chain=chain, tree_size=size, root_hash=root, signed_at=signed_at
    )
    return LedgerCheckpoint(
        chain=chain,
        tree_size=size,
        root_hash=root,
        signed_at=signed_at,
        key_id=keys.key_id,
        signature=signing.sign(keys, message),
    )


async def _add(session: AsyncSession, checkpoint: LedgerCheckpoint) -> bool:
    try:
        async with session.begin_nested():
            session.add(checkpoint)
    except IntegrityError:
        return False  # another worker signed this very size first
    return True


async def create_checkpoint(
    *, session: AsyncSession, chain: str, keys: LedgerKeys, now: datetime
) -> LedgerCheckpoint | None:
    """Sign the chain as it stands, if it grew since its last checkpoint; the caller commits.

    Raises LedgerRewritten, signing nothing, if the chain no longer extends the last
    checkpoint. None when there is nothing new (or another process signed this size).
    """
    checkpoint = await prepare_checkpoint(session=session, chain=chain, keys=keys, now=now)
    if checkpoint is None or not await _add(session, checkpoint):
        return None
    return checkpoint


async def checkpoint_all(
    *,
    database,
    keys: LedgerKeys,
    now: datetime,
    every: timedelta = timedelta(0),
) -> list[LedgerCheckpoint]:
    """Sign every chain that grew (and was last signed at least `every` ago).

    Each chain is read in a read-only session (writers are never held up, even on
    SQLite) and its checkpoint written in a short transaction of its own; a chain found
    rewritten is logged and left unsigned.
    """
    async with database.session(SCOPE, read_only=True) as session:
        heads = dict((await session.execute(select(ChainHead.chain, ChainHead.seq))).all())
        signed = dict(
            (
                await session.execute(
                    select(
                        LedgerCheckpoint.chain,
                        func.max(LedgerCheckpoint.tree_size),
                    ).group_by(LedgerCheckpoint.chain)
                )
            ).all()
        )
        recent = set()
        if every > timedelta(0):
            recent = set(
                await session.scalars(
                    select(LedgerCheckpoint.chain)
                    .where(LedgerCheckpoint.signed_at > now - every)
                    .distinct()
                )
            )
    made = []
    for chain in sorted(heads):
        if heads[chain] <= signed.get(chain, 0) or chain in recent:
            continue
        async with database.session(SCOPE, read_only=True) as session:
            try:
                checkpoint = await prepare_checkpoint(
                    session=session, chain=chain, keys=keys, now=now
                )
            except LedgerRewritten as exc:
                log.error("ledger checkpoint refused: %s", exc)
                continue
        if checkpoint is None:
            continue
        async with database.session(SCOPE) as session:
            if await _add(session, checkpoint):
                await session.commit()
                made.append(checkpoint)
    return made


def checkpoint_document(checkpoint: LedgerCheckpoint, keys: LedgerKeys | None) -> dict[str, Any]:
    """A checkpoint as proofs and the API show it (the public key when it is the current one)."""
    current = keys is not None and keys.key_id == checkpoint.key_id
    return {
        "chain": checkpoint.chain,
        "treeSize": checkpoint.tree_size,
        "rootHash": checkpoint.root_hash,
        "signedAt": checkpoint.signed_at,
        "keyId": checkpoint.key_id,
        "signature": checkpoint.signature,
        "publicKey": keys.public_base64 if current else None,
    }


async def result_proof(
    *, session: AsyncSession, keys: LedgerKeys, case_number: str
) -> dict[str, Any] | None:
    """The proof of a published result against its chain's latest checkpoint.

    It covers every decision and publication fact of the case. None unless the case
    exists and its result was published (nothing else is told); NotYetCheckpointed while
    one of those facts is newer than the latest checkpoint.
    """
    # the same test as publishedResults: published, and decided still
    case = await session.scalar(
        select(Case).where(
            Case.number == case_number,
            Case.published_at.is_not(None),
            Case.decided_at.is_not(None),
            Case.state.in_(DECIDED),
        )
    )
    if case is None:
        return None
    chain = chain_of(case.division_code)
    checkpoint = await latest_checkpoint(session=session, chain=chain)
    if checkpoint is None:
        raise NotYetCheckpointed(f"chain {chain} has no checkpoint yet")
    rows = (
        await session.execute(
            select(LedgerEntry.seq, LedgerEntry.body)
            .where(
                LedgerEntry.case_number == case.number,
                LedgerEntry.chain == chain,
                LedgerEntry.action.in_(RESULT_ACTIONS),
            )
            .order_by(LedgerEntry.seq)
        )
    ).all()
    if not rows or rows[-1].seq > checkpoint.tree_size:
        raise NotYetCheckpointed("the result is newer than the latest checkpoint")
    tree = await chain_tree(session=session, chain=chain, keys=keys, size=checkpoint.tree_size)
    _root_matches(tree, checkpoint)
    return {
        "format": PROOF_FORMAT,
        "caseNumber": case.number,
        "entries": [
            {
                "chain": chain,
                "seq": seq,
                "leafIndex": seq - 1,
                "fields": leaves.disclose(blinding=keys.blinding, chain=chain, seq=seq, body=body),
                "auditPath": [h.hex() for h in tree.inclusion_proof(seq - 1, checkpoint.tree_size)],
            }
            for seq, body in rows
        ],
        "checkpoint": checkpoint_document(checkpoint, keys),
    }


async def consistency_proof(
    *, session: AsyncSession, keys: LedgerKeys, division_code: str, first: int, second: int
) -> list[str] | None:
    """RFC 9162 consistency path between two checkpoints of the division's chain, by size.

    None unless both sizes are checkpoints of the chain.
    """
    if not 0 < first <= second:
        return None
    chain = chain_of(division_code)
    checkpoints = list(
        await session.scalars(
            select(LedgerCheckpoint).where(
                LedgerCheckpoint.chain == chain, LedgerCheckpoint.tree_size.in_([first, second])
            )
        )
    )
    if {c.tree_size for c in checkpoints} != {first, second}:
        return None
    tree = await chain_tree(session=session, chain=chain, keys=keys, size=second)
    for checkpoint in checkpoints:
        _root_matches(tree, checkpoint)
    return [h.hex() for h in tree.consistency_proof(first, second)]


def proof_json(proof: dict[str, Any]) -> str:
    """A proof as JSON text, times as the API writes them (ISO 8601)."""
    return json.dumps(proof, ensure_ascii=False, indent=2, default=lambda v: v.isoformat())
