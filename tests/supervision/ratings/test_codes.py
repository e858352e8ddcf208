"""Rating codes: derived from the case number with the server's secret, never stored."""

from __future__ import annotations

import re

from supervision.ratings.codes import ALPHABET, code_matches, normal_code, rating_code

SECRET = b"r" * 32


def test_a_code_is_two_groups_of_four_unambiguous_characters():
    code = rating_code("370202-2025-000329", SECRET)
    assert re.fullmatch(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", code)
    assert not set(code) & set("01OIL")


def test_the_same_case_and_secret_give_the_same_code_and_others_differ():
    code = rating_code("370202-2025-000329", SECRET)
    assert rating_code("370202-2025-000329", SECRET) == code
    assert rating_code("370202-2025-000330", SECRET) != code
    assert rating_code("370202-2025-000329", b"s" * 32) != code


def test_a_code_is_read_whatever_its_case_dashes_and_spaces():
    code = rating_code("370202-2025-000329", SECRET)
    typed = f" {code.lower().replace('-', ' ')} "
    assert normal_code(typed) == code
    assert code_matches("370202-2025-000329", typed, SECRET)


def test_a_wrong_or_malformed_code_does_not_match():
    code = rating_code("370202-2025-000329", SECRET)
    assert not code_matches("370202-2025-000330", code, SECRET)
    for wrong in ("", None, "ABCD", code + "2", "0000-0000", "ABCD-EFGI"):
        assert not code_matches("370202-2025-000329", wrong, SECRET)
    assert normal_code("ABCD-EFGI") is None  # I cannot be in a code
