"""The keys of the verifiable record, and the text a checkpoint signs.

Two keys, kept apart because they live differently:

- the signing key (Ed25519) signs checkpoints; it may be rotated — old checkpoints stay
  checkable with the old public key, whose id (SHA-256 of the raw public key) they name;
- the blinding key (32 to 64 random bytes) salts each committed field of a fact, so a proof
  can show some fields and hide the others (personal data) behind a digest no one can
  reverse by guessing. It must never change: every leaf of every tree depends on it.

A checkpoint signs this UTF-8 text, one `name value` per line, each line ending in \\n:

    yangguang-checkpoint/1
    chain 370202000000
    tree-size 1234
    root-hash <64 hex digits>
    signed-at 2026-11-21T07:23:17Z
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

CHECKPOINT_FORMAT = "yangguang-checkpoint/1"
MIN_BLINDING_BYTES = 32


class KeyFormatError(ValueError):
    """A key given as text is not one this module can read."""


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise KeyFormatError("neither PEM nor base64") from None


def load_signing_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8) or the base64 of its 32 raw bytes."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise KeyFormatError("not a readable unencrypted PEM private key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFormatError("the PEM key is not an Ed25519 key")
        return key
    raw = _b64(text)
    if len(raw) != 32:
        raise KeyFormatError("a raw Ed25519 private key is 32 bytes (base64)")
    return Ed25519PrivateKey.from_private_bytes(raw)


def load_public_key(text: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo) or base64 of its 32 raw bytes."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode())
        except (ValueError, TypeError):
            raise KeyFormatError("not a readable PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise KeyFormatError("the PEM key is not an Ed25519 key")
        return key
    raw = _b64(text)
    if len(raw) != 32:
        raise KeyFormatError("a raw Ed25519 public key is 32 bytes (base64)")
    return Ed25519PublicKey.from_public_bytes(raw)


def load_blinding_key(text: str) -> bytes:
    """The blinding key from base64 (32 to 64 bytes: it keys BLAKE2b)."""
    raw = _b64(text.strip())
    if not MIN_BLINDING_BYTES <= len(raw) <= 64:
        raise KeyFormatError("the blinding key must be 32 to 64 bytes (base64)")
    return raw


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex: how a checkpoint names the key that signed it."""
    return hashlib.sha256(raw_public(key)).hexdigest()


def new_signing_key_pem() -> str:
    """A fresh Ed25519 private key as PEM (PKCS#8)."""
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def new_blinding_key() -> str:
    """A fresh blinding key, base64."""
    return base64.b64encode(secrets.token_bytes(MIN_BLINDING_BYTES)).decode()


@dataclass(frozen=True)
class LedgerKeys:
    """The signing key of checkpoints and the blinding key of leaves."""

    signing: Ed25519PrivateKey
    blinding: bytes = field(repr=False)  # secret: never in a log

    @classmethod
    def from_text(cls, *, signing: str, blinding: str) -> LedgerKeys:
        return cls(signing=load_signing_key(signing), blinding=load_blinding_key(blinding))

    @property
    def public(self) -> Ed25519PublicKey:
        return self.signing.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    @property
    def public_base64(self) -> str:
        return base64.b64encode(raw_public(self.public)).decode()

    @property
    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()


def signed_time(moment: datetime) -> datetime:
    """The moment as a checkpoint keeps it: UTC, whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0)


def checkpoint_message(*, chain: str, tree_size: int, root_hash: str, signed_at: datetime) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    at = signed_time(signed_at).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{CHECKPOINT_FORMAT}\n"
        f"chain {chain}\n"
        f"tree-size {tree_size}\n"
        f"root-hash {root_hash}\n"
        f"signed-at {at}\n"
    ).encode()


def sign(keys: LedgerKeys, message: bytes) -> str:
    """The Ed25519 signature of the message, hex."""
    return keys.signing.sign(message).hex()


def signature_holds(public: Ed25519PublicKey, message: bytes, signature_hex: str) -> bool:
    """Whether the hex signature is the key's over the message."""
    try:
        public.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
