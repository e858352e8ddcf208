"""Casbin decisions, per role and tier: each role granted at 市南区 (370202)."""

import pytest

from policies.enforcer import Authorizer, GrantEntry
from policies.roles import Role

DISTRICT = "370202000000"
TOWN = "370202001000"
VILLAGE = "370202001001"
SIBLING = "370203000000"
SIBLING_VILLAGE = "370203001001"
CITY = "370200000000"

# (role, object, action, allowed at its own district/town/village)
PERMISSIONS = [
    ("officer", "officer", "read", True),
    ("officer", "warning", "handle", False),
    ("officer", "grant", "manage", False),
    ("department_head", "rectification", "submit", True),
    ("department_head", "warning", "handle", False),
    ("inspector", "warning", "handle", True),
    ("inspector", "card", "issue", False),
    ("inspector", "power", "manage", False),
    ("supervisor", "card", "issue", True),
    ("supervisor", "rule", "manage", True),
    ("supervisor", "grant", "manage", False),
    ("catalogue_admin", "power", "manage", True),
    ("catalogue_admin", "case", "report", False),
    ("system", "case", "report", True),
    ("system", "officer", "read", False),
    ("system", "warning", "handle", False),
    ("platform", "case", "report", True),
    ("platform", "ledger", "federate", True),
    ("platform", "grant", "manage", False),
    ("admin", "grant", "manage", True),
    ("admin", "power", "manage", True),
]


@pytest.fixture(scope="module")
def authorizer() -> Authorizer:
    return Authorizer([GrantEntry(f"user-{role}", role, DISTRICT) for role in Role])


@pytest.mark.parametrize(("role", "obj", "act", "allowed"), PERMISSIONS)
def test_role_permissions_reach_down_the_subtree(authorizer, role, obj, act, allowed):
    subject = f"user-{role}"
    for division in (DISTRICT, TOWN, VILLAGE):
        assert authorizer.allowed(subject, obj, act, division) is allowed, division


@pytest.mark.parametrize(("role", "obj", "act", "allowed"), PERMISSIONS)
def test_no_grant_reaches_a_sibling_or_the_city(authorizer, role, obj, act, allowed):
    subject = f"user-{role}"
    for division in (SIBLING, SIBLING_VILLAGE, CITY):
        assert authorizer.allowed(subject, obj, act, division) is False, division


@pytest.mark.parametrize(
    ("obj", "act", "allowed"),
    [
        ("division", "read", True),
        ("department", "read", True),
        ("power", "read_published", True),
        ("publication", "read", True),
        ("officer", "read", False),
        ("case", "read", False),
        ("case", "report", False),
        ("grant", "manage", False),
    ],
)
def test_anonymous_callers_hold_only_the_public_role(authorizer, obj, act, allowed):
    assert authorizer.allowed(None, obj, act, VILLAGE) is allowed
    assert authorizer.allowed(None, obj, act) is allowed


def test_everyone_holds_the_public_role(authorizer):
    assert authorizer.allowed("user-system", "division", "read", SIBLING)
    assert authorizer.allowed("nobody-at-all", "publication", "read", CITY)


def test_unknown_subjects_and_actions_are_denied(authorizer):
    assert not authorizer.allowed("nobody-at-all", "officer", "read", VILLAGE)
    assert not authorizer.allowed("user-inspector", "warning", "delete", VILLAGE)


def test_a_subject_named_like_a_role_gains_nothing():
    authorizer = Authorizer([GrantEntry("someone", "officer", DISTRICT)])
    assert not authorizer.allowed("admin", "grant", "manage", DISTRICT)


def test_a_city_grant_reaches_every_district():
    authorizer = Authorizer([GrantEntry("boss", "supervisor", CITY)])
    assert authorizer.allowed("boss", "card", "issue", SIBLING_VILLAGE)
    assert authorizer.allowed("boss", "card", "issue", VILLAGE)
    assert not authorizer.allowed("boss", "card", "issue", "370300000000")  # another city


def test_without_a_division_the_check_is_anywhere_the_subject_holds_grants(authorizer):
    assert authorizer.allowed("user-inspector", "warning", "handle")
    assert not authorizer.allowed("user-inspector", "grant", "manage")


def test_scope_follows_the_grants():
    authorizer = Authorizer(
        [GrantEntry("a", "officer", TOWN), GrantEntry("a", "inspector", SIBLING)]
    )
    assert authorizer.scope_for("a").prefixes == ("370202001", "370203")
    assert authorizer.scope_for(None).prefixes == ()
