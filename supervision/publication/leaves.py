"""The leaf a ledger entry is in the Merkle tree: every field committed, each on its own.

A fact's body holds personal data (the applicant's name, ID number, phone), so a
public proof cannot carry the body, and the ledger's own `body_hash` cannot be the
leaf: recomputing it needs the whole body, and an unsalted hash of a phone number
whose ends are published (138****5678) falls to ten thousand guesses. Instead each
field is committed with its own secret salt:

    fields     the body's top-level fields, with `applicant` split into
               `applicant.name`, `applicant.idNumber`, `applicant.creditCode`, …
    salt       BLAKE2b-256 keyed with the blinding key, of "yangguang-leaf/1|<chain>|<seq>|<name>"
    digest     SHA-256(salt || canonical JSON of [name, value])
    leaf data  canonical JSON of {"chain", "fields": {name: digest hex}, "format", "seq"}
    leaf hash  SHA-256(0x00 || leaf data)                       (RFC 9162 §2.1.1)

Canonical JSON is the ledger's: sorted keys, no spaces, UTF-8 kept (orjson writes the
same bytes faster; the ledger's encoder is the fallback). A proof shows a field as its
value and salt (anyone recomputes the digest, so changing the value breaks the proof)
or as its digest alone (hidden, yet still bound by the leaf). A verifier never derives
a salt: the server's blinding key stays secret, so a hidden field cannot be guessed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import orjson

from supervision import credit_code
from supervision.cases.ledger import canonical
from supervision.publication.merkle import ProofError, leaf_hash

LEAF_FORMAT = "yangguang-leaf/1"
SPLIT = "applicant"  # the object whose fields are committed one by one

# What the public sees of a result's fact: who decided what, when — never who applied.
PUBLIC_FIELDS = frozenset(
    {"caseNumber", "powerCode", "divisionCode", "departmentCode", "action", "occurredAt"}
)
# A company's name and credit code are public (as in published results: an applicant
# with a well-formed credit code); a person's name, ID number and phone never are.
COMPANY_FIELDS = frozenset({"applicant.name", "applicant.creditCode"})


def committed_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a leaf commits: top-level ones, the applicant's one by one."""
    fields: dict[str, Any] = {}
    for name, value in body.items():
        split = name == SPLIT and isinstance(value, dict)
        for key, item in value.items() if split else [(None, value)]:
            field = name if key is None else f"{SPLIT}.{key}"
            if field in fields:
                raise ValueError(f"a body names {field} twice once the applicant is split")
            fields[field] = item
    return fields


def public_fields(fields: Mapping[str, Any]) -> set[str]:
    """The fields of a fact the public may see."""
    shown = {name for name in fields if name in PUBLIC_FIELDS}
    code = fields.get("applicant.creditCode")
    if isinstance(code, str) and credit_code.is_valid(code.strip().upper()):
        shown |= {name for name in fields if name in COMPANY_FIELDS}
    return shown


def _canonical(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits
        return canonical(value).encode()


def _salts(blinding: bytes, chain: str, seq: int):
    prefix = f"{LEAF_FORMAT}|{chain}|{seq}|"
    return lambda name: hashlib.blake2b(
        (prefix + name).encode(), key=blinding, digest_size=32
    ).digest()


def field_digest(name: str, value: Any, salt: bytes) -> bytes:
    """SHA-256(salt || canonical [name, value])."""
    return hashlib.sha256(salt + _canonical([name, value])).digest()


def leaf_data(*, chain: str, seq: int, digests: Mapping[str, bytes]) -> bytes:
    """The bytes a leaf hashes."""
    return _canonical(
        {
            "format": LEAF_FORMAT,
            "chain": chain,
            "seq": seq,
            "fields": {name: digest.hex() for name, digest in digests.items()},
        }
    )


def entry_leaf(*, blinding: bytes, chain: str, seq: int, body: str) -> bytes:
    """The leaf hash of a ledger entry from its stored body."""
    salt = _salts(blinding, chain, seq)
    digests = {
        name: field_digest(name, value, salt(name))
        for name, value in committed_fields(orjson.loads(body)).items()
    }
    return leaf_hash(leaf_data(chain=chain, seq=seq, digests=digests))


def disclose(
    *, blinding: bytes, chain: str, seq: int, body: str, shown: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """The entry's fields as a proof carries them, by name: shown ones with value and salt,
    the rest as their digest (default: what the public may see is shown)."""
    fields = committed_fields(orjson.loads(body))
    shown = public_fields(fields) if shown is None else set(shown)
    salts = _salts(blinding, chain, seq)
    out = []
    for name in sorted(fields):
        salt = salts(name)
        if name in shown:
            out.append({"name": name, "value": fields[name], "salt": salt.hex(), "digest": None})
        else:
            digest = field_digest(name, fields[name], salt).hex()
            out.append({"name": name, "value": None, "salt": None, "digest": digest})
    return out


def _hex32(text: Any, what: str) -> bytes:
    if not isinstance(text, str) or len(text) != 64:
        raise ProofError(f"{what} is not 64 hex digits")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise ProofError(f"{what} is not 64 hex digits") from None


def leaf_from_disclosure(*, chain: str, seq: int, fields: Iterable[Mapping[str, Any]]) -> bytes:
    """The leaf hash recomputed from the fields a proof carries (ProofError if malformed)."""
    digests: dict[str, bytes] = {}
    for item in fields:
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise ProofError("a field has no name")
        if name in digests:
            raise ProofError(f"field {name} appears twice")
        if item.get("salt") is not None:
            salt = _hex32(item["salt"], f"the salt of {name}")
            digests[name] = field_digest(name, item.get("value"), salt)
        else:
            if item.get("value") is not None:
                raise ProofError(f"field {name} has a value but no salt")
            digests[name] = _hex32(item.get("digest"), f"the digest of {name}")
    return leaf_hash(leaf_data(chain=chain, seq=seq, digests=digests))
