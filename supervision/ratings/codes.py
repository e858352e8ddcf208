"""评价码: the rating code an applicant gets with the result, proving the case is theirs.

A code is derived, never stored: HMAC-SHA256 keyed with the server's rating secret
(`YANGGUANG_RATING_SECRET`) over the case number, read as a number and written in 8
characters of an alphabet that cannot be misread (no 0/O, 1/I/L): 31^8 ≈ 2^39 codes, so
guessing one for a given case is hopeless at any rate the portal lets an address ask.

The business system learns the code from `reportCaseEvents` (each accepted APPROVE or
REJECT answers the case's code) or from the `ratingCode` query, and prints it on the
result it hands the applicant (办结通知书, SMS). Nothing per case is kept, so a leaked
table reveals no code; changing the secret changes every code (codes already handed out
stop working).
"""

from __future__ import annotations

import hashlib
import hmac
import re

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
GROUP = 4
_DOMAIN = b"yangguang-rating-code/1|"
_CHARS = frozenset(ALPHABET)
_SEPARATORS = re.compile(r"[\s-]")


def rating_code(case_number: str, secret: bytes) -> str:
    """The case's rating code, shown as XXXX-XXXX."""
    if not secret:
        raise ValueError("a rating code needs the server's rating secret")
    digest = hmac.new(secret, _DOMAIN + case_number.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars[:GROUP]) + "-" + "".join(chars[GROUP:])


def normal_code(text: str | None) -> str | None:
    """A code as written by `rating_code`, from what someone typed (any case, with or
    without a dash or spaces); None when it cannot be one."""
    raw = _SEPARATORS.sub("", text or "").upper()
    if len(raw) != LENGTH or not set(raw) <= _CHARS:
        return None
    return raw[:GROUP] + "-" + raw[GROUP:]


def code_matches(case_number: str, code: str | None, secret: bytes) -> bool:
    """Whether `code` is the case's rating code (compared in constant time)."""
    expected = rating_code(case_number, secret)
    given = normal_code(code) or "-" * len(expected)  # compared all the same, never equal
    return hmac.compare_digest(given.encode(), expected.encode())
