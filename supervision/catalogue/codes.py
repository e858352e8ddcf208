"""The power code (事项实施编码), modelled on GB/T 39554.1.

    BBBBBBBBBBBB DDDDDDDDDDDD CCCCCCCCCCCCCCCCCC [SSSS]
    basic code   division     implementing body  handling-item suffix

- basic code (基本编码), 12 digits: the category's two-digit number (01 行政许可 …
  10 其他), the main item (4 digits), the sub-item (3) and the item's extension (3);
- division (行政区划代码), 12 digits: where the power is exercised;
- implementing body (实施主体编码): the department's unified social credit code,
  checksum included;
- suffix (业务办理项编码), 0 to 4 digits, for a variant of the same item.
"""

from __future__ import annotations

from dataclasses import dataclass

from supervision import credit_code
from supervision.catalogue.spec import Category
from tenancy.codes import InvalidDivisionCode, tier_of

_CATEGORY_BY_NUMBER = {c.number: c for c in Category}


class InvalidPowerCode(ValueError):
    code = "INVALID_CODE"


@dataclass(frozen=True)
class PowerCode:
    basic: str
    division_code: str
    department_code: str
    suffix: str

    @property
    def category(self) -> Category:
        return _CATEGORY_BY_NUMBER[self.basic[:2]]

    def __str__(self) -> str:
        return self.basic + self.division_code + self.department_code + self.suffix


def parse(code: str) -> PowerCode:
    """The parts of a power code; InvalidPowerCode says which part is wrong."""
    if not isinstance(code, str) or not 42 <= len(code) <= 46 or not code.isascii():
        raise InvalidPowerCode(f"{code!r}: a power code has 42 to 46 characters")
    basic, division, body, suffix = code[:12], code[12:24], code[24:42], code[42:]
    if not basic.isdigit() or basic[:2] not in _CATEGORY_BY_NUMBER:
        raise InvalidPowerCode(f"{code}: the basic code must be 12 digits starting 01–10")
    try:
        tier_of(division)
    except InvalidDivisionCode as exc:
        raise InvalidPowerCode(f"{code}: the division part is wrong: {exc}") from None
    if not credit_code.is_valid(body):
        raise InvalidPowerCode(f"{code}: the implementing body's credit code {body} is not valid")
    if suffix and not suffix.isdigit():
        raise InvalidPowerCode(f"{code}: the suffix must be digits")
    return PowerCode(basic, division, body, suffix)


def division_of(code: str) -> str | None:
    """The division a code names, or None when the code is malformed (for permission checks)."""
    try:
        return parse(code).division_code
    except InvalidPowerCode:
        return None


def make(
    *,
    category: Category,
    main: int,
    sub: int,
    division_code: str,
    department_code: str,
    suffix: str = "",
) -> str:
    """A well-formed power code."""
    return f"{category.number}{main:04d}{sub:03d}000{division_code}{department_code}{suffix}"
