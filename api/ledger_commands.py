"""`yangguang checkpoint`, `yangguang proof` and `yangguang verify`: the verifiable record.

`verify` needs nothing but the proof (and, best, the pinned public key): no settings,
no database, no network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from api.settings import Settings, SettingsError, ledger_keys, load


def _fail(message: str, code: int = 2):
    print(f"yangguang: {message}", file=sys.stderr)
    raise SystemExit(code)


def ledger_keys_or_exit(settings: Settings):
    """The record's keys, or a one-line refusal (prod without them)."""
    try:
        return ledger_keys(settings)
    except SettingsError as exc:
        _fail(str(exc))


def _settings_and_keys():
    try:
        settings = load()
    except SettingsError as exc:
        _fail(str(exc))
    return settings, ledger_keys_or_exit(settings)


async def _checkpoint(settings: Settings, keys) -> list:
    from datetime import UTC, datetime

    from supervision.publication.checkpoints import checkpoint_all
    from tenancy.db import Database

    database = Database(settings.database_url, app_role=settings.database_role)
    try:
        return await checkpoint_all(database=database, keys=keys, now=datetime.now(UTC))
    finally:
        await database.dispose()


def cmd_checkpoint(_args: argparse.Namespace) -> None:
    settings, keys = _settings_and_keys()
    made = asyncio.run(_checkpoint(settings, keys))
    for c in made:
        print(f"checkpoint: chain {c.chain}, {c.tree_size} entries, root {c.root_hash}")
    if not made:
        print("checkpoint: no chain grew since its last checkpoint")


async def _proof(settings: Settings, keys, case_number: str):
    from supervision.publication.checkpoints import result_proof
    from tenancy.db import Database
    from tenancy.scope import Scope

    database = Database(settings.database_url, app_role=settings.database_role)
    try:
        scope = Scope.bypass("proofs of published results (published cases only)")
        async with database.session(scope, read_only=True) as session:
            return await result_proof(session=session, keys=keys, case_number=case_number)
    finally:
        await database.dispose()


def cmd_proof(args: argparse.Namespace) -> None:
    from supervision.publication.checkpoints import (
        LedgerRewritten,
        NotYetCheckpointed,
        proof_json,
    )

    settings, keys = _settings_and_keys()
    try:
        proof = asyncio.run(_proof(settings, keys, args.case_number.strip()))
    except (NotYetCheckpointed, LedgerRewritten) as exc:
        _fail(str(exc), 1)
    if proof is None:
        _fail(f"no published result numbered {args.case_number!r}", 1)
    print(proof_json(proof))


def cmd_verify(args: argparse.Namespace) -> None:
    from supervision.publication.merkle import ProofError
    from supervision.publication.signing import KeyFormatError, load_public_key
    from supervision.publication.verify import verify_proof

    try:
        text = sys.stdin.read() if args.proof == "-" else Path(args.proof).read_text()
        document = json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {args.proof}: {exc}")
    except ValueError as exc:
        _fail(f"{args.proof} is not JSON: {exc}")
    key = None
    if not args.public_key and not args.trust_embedded_key:
        # a forger signs with a key of their own and names it in the proof
        _fail(
            "give the server's public key with --public-key FILE "
            "(--trust-embedded-key checks only that the proof agrees with itself)"
        )
    if args.public_key:
        try:
            key = load_public_key(Path(args.public_key).read_text())
        except OSError as exc:
            _fail(f"cannot read {args.public_key}: {exc}")
        except KeyFormatError as exc:
            _fail(f"{args.public_key}: {exc}")
    try:
        verified = verify_proof(document, public_key=key)
    except ProofError as exc:
        print(f"NOT verified: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(verified.summary())


def add_ledger_commands(commands) -> None:
    """The record's subcommands, on the `yangguang` parser's subparsers."""
    checkpoint = commands.add_parser(
        "checkpoint", help="sign a checkpoint of every ledger chain that grew"
    )
    checkpoint.set_defaults(func=cmd_checkpoint)

    proof = commands.add_parser(
        "proof", help="print the proof of a published result (as resultProof answers it)"
    )
    proof.add_argument("case_number", metavar="CASE_NUMBER")
    proof.set_defaults(func=cmd_proof)

    verify = commands.add_parser(
        "verify", help="check a proof offline: its facts, audit paths and signed checkpoint"
    )
    verify.add_argument("proof", metavar="PROOF.json", help="the proof ('-': standard input)")
    verify.add_argument(
        "--public-key",
        metavar="FILE",
        help="the server's public key (PEM or base64), fetched once and kept",
    )
    verify.add_argument(
        "--trust-embedded-key",
        action="store_true",
        help="use the key the proof names: shows only that the proof agrees with itself",
    )
    verify.set_defaults(func=cmd_verify)
