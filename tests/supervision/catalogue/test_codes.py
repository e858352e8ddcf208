import pytest

from supervision import credit_code
from supervision.catalogue.codes import InvalidPowerCode, division_of, make, parse
from supervision.catalogue.spec import Category

DEPARTMENT = credit_code.make(division6="370202", serial=62)
GOOD = make(
    category=Category.PENALTY,
    main=123,
    sub=4,
    division_code="370202000000",
    department_code=DEPARTMENT,
)


def test_a_code_splits_into_its_parts():
    parts = parse(GOOD)
    assert parts.basic == "020123004000"
    assert parts.category is Category.PENALTY
    assert parts.division_code == "370202000000"
    assert parts.department_code == DEPARTMENT
    assert parts.suffix == ""
    assert str(parts) == GOOD


def test_a_handling_item_suffix_is_kept():
    assert parse(GOOD + "0012").suffix == "0012"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (GOOD[:-1], "42 to 46"),
        (GOOD + "00001", "42 to 46"),
        ("11" + GOOD[2:], "basic code"),  # no category 11
        ("00" + GOOD[2:], "basic code"),
        (GOOD[:12] + "370202000001" + GOOD[24:], "division"),  # a village under a district
        (GOOD[:41] + ("0" if GOOD[41] != "0" else "1"), "credit code"),  # checksum
        (GOOD + "0A", "suffix"),
    ],
)
def test_each_malformed_part_is_named(code, reason):
    with pytest.raises(InvalidPowerCode, match=reason):
        parse(code)


def test_the_division_of_a_code_is_read_for_permission_checks():
    assert division_of(GOOD) == "370202000000"
    assert division_of("garbage") is None
