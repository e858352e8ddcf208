"""Masking personal data before it leaves the system: 张**, 3702**********1234, 138****5678."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from supervision import credit_code


def mask_name(name: str | None) -> str | None:
    """A person's name as its surname and stars (复姓 keep two characters)."""
    if not name:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * max(len(name) - keep, 1)


def _ends(text: str, head: int, tail: int) -> str:
    return text[:head] + "*" * (len(text) - head - tail) + (text[-tail:] if tail else "")


def _short(text: str) -> str:
    """Any other length (a passport, an old ID card, a landline): at most its last third,
    nothing at all when that is under three characters."""
    tail = len(text) // 3
    return _ends(text, 0, tail) if tail >= 3 else "*" * len(text)


def mask_id_number(number: str | None) -> str | None:
    """An ID card number (18 characters) cut to its first and last four: 3702**********1234."""
    if not number:
        return number
    return _ends(number, 4, 4) if len(number) == 18 else _short(number)


def mask_phone(phone: str | None) -> str | None:
    """A mobile number (11 digits) cut to its first three and last four: 138****5678."""
    if not phone:
        return phone
    return _ends(phone, 3, 4) if len(phone) == 11 else _short(phone)


@dataclass(frozen=True)
class PublicApplicant:
    """An applicant as the public sees it: a person masked, a company by name and credit code.

    `kind` is PERSON or COMPANY; the phone is always masked, an ID number always cut.
    """

    kind: str
    name: str | None
    id_number: str | None
    credit_code: str | None
    phone: str | None


def public_applicant(applicant: Mapping | None) -> PublicApplicant:
    """The applicant of a case as published (公示).

    A company is one with a well-formed credit code (统一社会信用代码, public by law): its name
    and code are shown. Anyone else is a person: name, ID number and phone masked, and a
    malformed credit code is not shown at all (it may be personal data reported in error).
    """
    data = applicant or {}
    code = str(data.get("creditCode") or "").strip().upper()
    company = credit_code.is_valid(code)
    name = str(data.get("name") or "").strip() or None
    return PublicApplicant(
        kind="COMPANY" if company else "PERSON",
        name=name if company else mask_name(name),
        id_number=mask_id_number(str(data.get("idNumber") or "").strip() or None),
        credit_code=code if company else None,
        phone=mask_phone(str(data.get("phone") or "").strip() or None),
    )
