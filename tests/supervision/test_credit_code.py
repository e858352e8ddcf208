"""统一社会信用代码 (GB 32100-2015): the checksum catches any single changed character."""

from __future__ import annotations

import pytest

from supervision.credit_code import ALPHABET, is_valid, make

KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_real_codes_are_valid(code):
    assert is_valid(code)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_changing_any_one_character_makes_the_code_invalid(code):
    still_valid = []
    for position, original in enumerate(code):
        for replacement in ALPHABET + "IOSVZ":
            if replacement == original:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            if is_valid(changed):
                still_valid.append(changed)
    assert still_valid == []


def test_make_always_produces_valid_codes():
    divisions = ["370200", "370202", "370211", "370285", "110000"]
    made = [
        make(division6=division6, serial=serial, kind=kind)
        for division6 in divisions
        for serial in [*range(1, 1200), 9_999_999, 99_999_999]
        for kind in ("11", "12", "91")
    ]
    assert [c for c in made if not is_valid(c)] == []
    assert len(set(made)) == len(made)


def test_make_puts_kind_and_division_first():
    code = make(division6="370202", serial=42)
    assert len(code) == 18
    assert code.startswith("11370202")
    assert code[8:16] == "00000042"


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("91350100m000100y43", id="lowercase"),
        pytest.param("91350100M000100Y4", id="17-chars"),
        pytest.param("91350100M000100Y43" + "0", id="19-chars"),
        pytest.param("", id="empty"),
    ],
)
def test_malformed_input_is_invalid(code):
    assert not is_valid(code)
