"""Signed checkpoints of the ledger: what anyone can check a published fact against."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tenancy.models import Base, UtcDateTime


class LedgerCheckpoint(Base):
    """The Merkle root of a chain's first `tree_size` entries, signed (Ed25519). Public."""

    __tablename__ = "ledger_checkpoints"
    __table_args__ = (UniqueConstraint("chain", "tree_size"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain: Mapped[str] = mapped_column(String(12), index=True)
    tree_size: Mapped[int] = mapped_column(Integer)
    root_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    key_id: Mapped[str] = mapped_column(String(64))  # sha256 of the public key, hex
    signature: Mapped[str] = mapped_column(String(128))  # hex
