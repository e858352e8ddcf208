"""The verifiable record (可验证留痕): signed checkpoints and proofs of published results.

Anonymous. A proof answered here, saved as-is to a file, is what `yangguang verify`
checks offline; `yangguang proof` writes the same document.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from schema.context import Info
from schema.errors import CodedError, checked_division_code
from schema.permissions import can
from supervision.cases.ledger import chain_of
from supervision.publication import checkpoints
from supervision.publication.signing import LedgerKeys
from tenancy.scope import Scope

PROOF_SCOPE = Scope.bypass("proofs of published results (published cases only)")


@strawberry.type(
    description="签名检查点: the Merkle root (RFC 9162) of a ledger chain's first treeSize "
    "entries, signed with Ed25519. The signed text is 'yangguang-checkpoint/1\\nchain "
    "<chain>\\ntree-size <n>\\nroot-hash <hex>\\nsigned-at <YYYY-MM-DDTHH:MM:SSZ>\\n'."
)
class LedgerCheckpoint:
    chain: str = strawberry.field(description="The chain: its district's code (the city's own).")
    tree_size: int
    root_hash: str = strawberry.field(description="Hex SHA-256.")
    signed_at: datetime
    key_id: str = strawberry.field(description="SHA-256 of the raw public key, hex.")
    signature: str = strawberry.field(description="Ed25519 signature of the signed text, hex.")
    public_key: str | None = strawberry.field(
        description="The raw Ed25519 public key, base64, when it is the server's current key."
    )

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> LedgerCheckpoint:
        return cls(
            chain=doc["chain"],
            tree_size=doc["treeSize"],
            root_hash=doc["rootHash"],
            signed_at=doc["signedAt"],
            key_id=doc["keyId"],
            signature=doc["signature"],
            public_key=doc["publicKey"],
        )


@strawberry.type(description="The key checkpoints are signed with: pin it to verify.")
class LedgerPublicKey:
    key_id: str = strawberry.field(description="SHA-256 of the raw public key, hex.")
    public_key: str = strawberry.field(description="The raw Ed25519 public key, base64.")
    pem: str = strawberry.field(description="The same key as PEM (SubjectPublicKeyInfo).")


@strawberry.type(
    description="One committed field of a fact: shown (value and salt; its digest is "
    "SHA-256(salt || canonical JSON [name, value])) or hidden (its digest only)."
)
class ProofField:
    name: str
    value: JSON | None
    salt: str | None
    digest: str | None


@strawberry.type(description="One fact of a published result and its place in the tree.")
class ProvenFact:
    chain: str
    seq: int
    leaf_index: int = strawberry.field(description="seq - 1.")
    fields: list[ProofField]
    audit_path: list[str] = strawberry.field(description="RFC 9162 inclusion path, hex.")


@strawberry.type(
    description="Proof that a published result's facts are in a signed checkpoint; save "
    "the answer and check it offline with `yangguang verify`."
)
class ResultProof:
    format: str
    case_number: str
    entries: list[ProvenFact]
    checkpoint: LedgerCheckpoint

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> ResultProof:
        return cls(
            format=doc["format"],
            case_number=doc["caseNumber"],
            entries=[
                ProvenFact(
                    chain=e["chain"],
                    seq=e["seq"],
                    leaf_index=e["leafIndex"],
                    fields=[ProofField(**f) for f in e["fields"]],
                    audit_path=e["auditPath"],
                )
                for e in doc["entries"]
            ],
            checkpoint=LedgerCheckpoint.from_document(doc["checkpoint"]),
        )


@strawberry.type(description="RFC 9162 consistency proof: the later tree extends the earlier.")
class LedgerConsistency:
    chain: str
    from_size: int
    to_size: int
    path: list[str] = strawberry.field(description="Hex hashes.")


def _keys(info: Info) -> LedgerKeys:
    keys = info.context.ledger_keys
    if keys is None:
        raise CodedError("this server signs no checkpoints", "NOT_CONFIGURED")
    return keys


def _mismatch(exc: checkpoints.LedgerRewritten) -> CodedError:
    return CodedError(f"the ledger does not match its signed checkpoint: {exc}", "LEDGER_MISMATCH")


@strawberry.type
class RecordQueries:
    @strawberry.field(
        description="签名检查点 of the chain a division's facts go to: the latest, or the one "
        "of treeSize. Null before the first.",
        permission_classes=[can("publication", "read")],
    )
    async def ledger_checkpoint(
        self, info: Info, division_code: str, tree_size: int | None = None
    ) -> LedgerCheckpoint | None:
        checked_division_code(division_code)
        row = await info.context.db(
            checkpoints.get_checkpoint, division_code=division_code, tree_size=tree_size
        )
        if row is None:
            return None
        return LedgerCheckpoint.from_document(checkpoints.checkpoint_document(row, _keys(info)))

    @strawberry.field(
        description="The public key checkpoints are signed with now.",
        permission_classes=[can("publication", "read")],
    )
    def ledger_public_key(self, info: Info) -> LedgerPublicKey:
        keys = _keys(info)
        return LedgerPublicKey(
            key_id=keys.key_id, public_key=keys.public_base64, pem=keys.public_pem
        )

    @strawberry.field(
        description="Proof that a published result (公示) is in the ledger as signed. Null "
        "unless the case's result was published; NOT_YET_CHECKPOINTED until a checkpoint "
        "covers it.",
        permission_classes=[can("publication", "read")],
    )
    async def result_proof(self, info: Info, case_number: str) -> ResultProof | None:
        keys = _keys(info)
        async with info.context.database.session(PROOF_SCOPE, read_only=True) as session:
            try:
                doc = await checkpoints.result_proof(
                    session=session, keys=keys, case_number=case_number.strip()
                )
            except checkpoints.NotYetCheckpointed as exc:
                raise CodedError(
                    f"published, but not yet in a signed checkpoint ({exc}); ask again later",
                    "NOT_YET_CHECKPOINTED",
                ) from None
            except checkpoints.LedgerRewritten as exc:
                raise _mismatch(exc) from None
        return ResultProof.from_document(doc) if doc is not None else None

    @strawberry.field(
        description="Proof that the chain's checkpoint of toSize extends the one of fromSize "
        "(nothing before was rewritten). Null unless both are checkpoints of the chain.",
        permission_classes=[can("publication", "read")],
    )
    async def ledger_consistency(
        self, info: Info, division_code: str, from_size: int, to_size: int
    ) -> LedgerConsistency | None:
        checked_division_code(division_code)
        keys = _keys(info)
        async with info.context.database.session(PROOF_SCOPE, read_only=True) as session:
            try:
                path = await checkpoints.consistency_proof(
                    session=session,
                    keys=keys,
                    division_code=division_code,
                    first=from_size,
                    second=to_size,
                )
            except checkpoints.LedgerRewritten as exc:
                raise _mismatch(exc) from None
        if path is None:
            return None
        return LedgerConsistency(
            chain=chain_of(division_code),
            from_size=from_size,
            to_size=to_size,
            path=path,
        )
