import pytest

from tenancy.codes import (
    InvalidDivisionCode,
    Tier,
    covers,
    lineage,
    parent_of,
    prefix_of,
    tenant_path,
    tier_of,
)


@pytest.mark.parametrize(
    ("code", "tier"),
    [
        ("370200000000", Tier.CITY),
        ("370202000000", Tier.DISTRICT),
        ("370202001000", Tier.TOWN),
        ("370202001001", Tier.VILLAGE),
        ("370283101201", Tier.VILLAGE),
    ],
)
def test_tier_follows_from_the_code(code, tier):
    assert tier_of(code) is tier


@pytest.mark.parametrize(
    "code",
    [
        "37020200100",  # 11 digits
        "3702020010011",  # 13 digits
        "37020200100X",
        "３７０２０２００１００１",  # full-width digits
        "000000000000",
        "370000000000",  # a province, not a city
        "370200001000",  # a town directly under a city
        "370202000001",  # a village directly under a district
    ],
)
def test_malformed_codes_are_refused(code):
    with pytest.raises(InvalidDivisionCode):
        tier_of(code)


def test_parent_and_lineage_climb_the_tree():
    assert parent_of("370202001001") == "370202001000"
    assert parent_of("370202001000") == "370202000000"
    assert parent_of("370202000000") == "370200000000"
    assert parent_of("370200000000") is None
    assert lineage("370202001001") == [
        "370200000000",
        "370202000000",
        "370202001000",
        "370202001001",
    ]


def test_tenant_path_of_an_ancestor_prefixes_only_its_subtree():
    district = tenant_path("370202000000")
    assert district == "370200000000/370202000000/"
    assert tenant_path("370202001001").startswith(district)
    assert not tenant_path("370203001001").startswith(district)
    assert not tenant_path("370200000000").startswith(district)


def test_covers_is_the_subtree_relation():
    assert prefix_of("370202001000") == "370202001"
    assert covers("370202000000", "370202001001")
    assert covers("370202000000", "370202000000")
    assert not covers("370202000000", "370203001001")
    assert not covers("370202001000", "370202000000")
