"""统一社会信用代码 (GB 32100-2015): the 18-character code of a department or company."""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_check_char(body: str) -> str:
    """The check character of an 8-character organisation code (GB 11714)."""
    total = sum(_ALNUM(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def _ALNUM(char: str) -> int:  # noqa: N802 - GB 11714 maps letters from 10 up
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def check_char(body: str) -> str:
    """The 18th character of a credit code whose first 17 are `body`."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    """Whether the text is a well-formed credit code with a correct checksum."""
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    return check_char(code[:17]) == code[17]


def make(*, division6: str, serial: int, kind: str = "11") -> str:
    """A valid credit code for a government body (11: 机构编制, 机关) in a division."""
    org = f"{serial:08d}"
    body = f"{kind}{division6}{org}{org_check_char(org)}"
    return body + check_char(body)
