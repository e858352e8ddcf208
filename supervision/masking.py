"""Masking personal data before it leaves the system: 张**, 3702**********1234, 138****5678."""

from __future__ import annotations


def mask_name(name: str | None) -> str | None:
    """A person's name as its surname and stars (复姓 keep two characters)."""
    if not name:
        return name
    keep = 2 if len(name) >= 4 else 1
    return name[:keep] + "*" * max(len(name) - keep, 1)


def mask_id_number(number: str | None) -> str | None:
    """An ID card number cut to its first and last four characters."""
    if not number:
        return number
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str | None) -> str | None:
    """A phone number cut to its first three and last four digits."""
    if not phone:
        return phone
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
