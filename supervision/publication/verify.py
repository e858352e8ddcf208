"""Checking a proof of a published result offline: no database, no network.

A proof is the answer of the `resultProof` query (saved as-is, or just its
`resultProof` object) or the output of `yangguang proof`. It holds, for each fact of
the result, the fields the public may see (value and salt) and the others (digest
only), the fact's place in its chain and its audit path, and the signed checkpoint.
Checking it means: recompute each leaf from the fields, walk its audit path up to a
root, compare that root with the checkpoint's, and check the checkpoint's Ed25519
signature, with a public key pinned by the verifier or, failing that, the one the
proof names (then only the key id ties it to the server).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from supervision.publication import signing
from supervision.publication.leaves import leaf_from_disclosure
from supervision.publication.merkle import ProofError, verify_inclusion

PROOF_FORMAT = "yangguang-proof/1"


@dataclass(frozen=True)
class Fact:
    seq: int
    shown: dict[str, Any]  # the fields shown, by name


@dataclass(frozen=True)
class Verified:
    case_number: str
    chain: str
    tree_size: int
    signed_at: datetime
    key_id: str
    pinned: bool  # the signature was checked with a key the verifier gave
    facts: list[Fact]

    def summary(self) -> str:
        """One line for people."""
        what = ", ".join(
            f"{f.shown.get('action', '?')} at {f.shown.get('occurredAt', '?')} (entry {f.seq})"
            for f in self.facts
        )
        key = "pinned key" if self.pinned else "key named in the proof, not pinned"
        return (
            f"verified: case {self.case_number}: {what}; in chain {self.chain} of "
            f"{self.tree_size} entries, checkpoint signed {self.signed_at.isoformat()} "
            f"by {self.key_id[:16]}… ({key})"
        )


def _get(mapping: Any, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(mapping, Mapping) or name not in mapping:
        raise ProofError(f"{where}: {name} is missing")
    value = mapping[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise ProofError(f"{where}: {name} is not what a proof holds there")
    return value


def _hex(text: str, size: int, what: str) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise ProofError(f"{what} is not hex") from None
    if len(raw) != size:
        raise ProofError(f"{what} is not {size} bytes")
    return raw


def unwrap(document: Any) -> Mapping[str, Any]:
    """The proof inside a GraphQL answer ({"data": {"resultProof": …}}), or the proof."""
    if isinstance(document, Mapping) and "data" in document:
        data = document.get("data") or {}
        proof = data.get("resultProof") if isinstance(data, Mapping) else None
        if proof is None:
            errors = "; ".join(
                str(e.get("message"))
                for e in document.get("errors") or []
                if isinstance(e, Mapping)
            )
            raise ProofError(
                "the answer holds no proof (no published result by that number"
                + (f": {errors})" if errors else ")")
            )
        document = proof
    if not isinstance(document, Mapping):
        raise ProofError("not a proof")
    return document


def _public_key(checkpoint: Mapping[str, Any], pinned: Ed25519PublicKey | None):
    key_id = _get(checkpoint, "keyId", str, "checkpoint")
    if pinned is not None:
        if signing.key_id(pinned) != key_id:
            raise ProofError("the checkpoint was signed by another key than the one pinned")
        return pinned
    text = checkpoint.get("publicKey")
    if not isinstance(text, str):
        raise ProofError("the proof names no public key: give one with --public-key")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise ProofError("the proof's public key is not a base64 Ed25519 key") from None
    if signing.key_id(key) != key_id:
        raise ProofError("the proof's public key is not the key its checkpoint names")
    return key


def verify_proof(document: Any, *, public_key: Ed25519PublicKey | None = None) -> Verified:
    """Check a proof; ProofError says what failed."""
    proof = unwrap(document)
    if proof.get("format") != PROOF_FORMAT:
        raise ProofError(f"not a {PROOF_FORMAT} proof")
    case_number = _get(proof, "caseNumber", str, "proof")
    checkpoint = _get(proof, "checkpoint", Mapping, "proof")
    chain = _get(checkpoint, "chain", str, "checkpoint")
    tree_size = _get(checkpoint, "treeSize", int, "checkpoint")
    root = _hex(_get(checkpoint, "rootHash", str, "checkpoint"), 32, "the root hash")
    try:
        signed_at = datetime.fromisoformat(_get(checkpoint, "signedAt", str, "checkpoint"))
    except ValueError:
        raise ProofError("checkpoint: signedAt is not an ISO 8601 time") from None
    if signed_at.tzinfo is None:
        raise ProofError("checkpoint: signedAt has no time zone")

    key = _public_key(checkpoint, public_key)
    message = signing.checkpoint_message(
        chain=chain, tree_size=tree_size, root_hash=root.hex(), signed_at=signed_at
    )
    if not signing.signature_holds(key, message, _get(checkpoint, "signature", str, "checkpoint")):
        raise ProofError("the checkpoint's signature does not hold: it was not signed so")

    entries = _get(proof, "entries", list, "proof")
    if not entries:
        raise ProofError("the proof holds no fact")
    facts = []
    for entry in entries:
        seq = _get(entry, "seq", int, "entry")
        where = f"entry {seq}"
        if _get(entry, "chain", str, where) != chain:
            raise ProofError(f"{where}: of another chain than the checkpoint's")
        index = _get(entry, "leafIndex", int, where)
        if index != seq - 1:
            raise ProofError(f"{where}: leafIndex is not seq - 1")
        fields = _get(entry, "fields", list, where)
        if not all(isinstance(f, Mapping) for f in fields):
            raise ProofError(f"{where}: a field is not an object")
        try:
            leaf = leaf_from_disclosure(chain=chain, seq=seq, fields=fields)
            path = [
                _hex(h if isinstance(h, str) else "", 32, "a hash of the audit path")
                for h in _get(entry, "auditPath", list, where)
            ]
            verify_inclusion(leaf=leaf, index=index, size=tree_size, path=path, root=root)
        except ProofError as exc:
            raise ProofError(
                f"{where}: the fact as shown is not the one the checkpoint signed ({exc})"
            ) from None
        shown = {f["name"]: f.get("value") for f in fields if f.get("salt") is not None}
        if shown.get("caseNumber") != case_number:
            raise ProofError(f"{where}: not a fact of case {case_number}")
        facts.append(Fact(seq=seq, shown=shown))
    return Verified(
        case_number=case_number,
        chain=chain,
        tree_size=tree_size,
        signed_at=signed_at,
        key_id=checkpoint["keyId"],
        pinned=public_key is not None,
        facts=facts,
    )
