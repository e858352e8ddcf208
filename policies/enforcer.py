"""The Casbin enforcer: role permissions from policy.csv, grants from the database.

Policies are loaded once per process and swapped whole when they change (see
sync.py); a request never reads them from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import casbin

from tenancy.codes import tenant_path
from tenancy.scope import Scope

HERE = Path(__file__).parent
MODEL_PATH = HERE / "model.conf"
POLICY_PATH = HERE / "policy.csv"
# Decisions are remembered until the policies are swapped (a new Authorizer).
_MAX_REMEMBERED = 100_000


@dataclass(frozen=True, slots=True)
class GrantEntry:
    subject: str
    role: str
    division_code: str


def _path_prefix_match(request_path: str, grant_path: str) -> bool:
    # A grant's tenant path is a prefix of the paths of all divisions it reaches.
    return request_path.startswith(grant_path)


def _casbin_subject(subject: str) -> str:
    # Subjects live in their own namespace so no subject can pose as a role.
    return "subject:" + subject


class Authorizer:
    """Answers "may this subject do this, here?" — deny unless a policy allows."""

    def __init__(self, grants: Iterable[GrantEntry] = (), version: int = -1) -> None:
        self.version = version
        self._enforcer = self._build(grants)
        self._decisions: dict[tuple, bool] = {}
        self._by_subject: dict[str, list[GrantEntry]] = defaultdict(list)
        for grant in grants:
            self._by_subject[grant.subject].append(grant)

    @staticmethod
    def _build(grants: Iterable[GrantEntry]) -> casbin.Enforcer:
        enforcer = casbin.Enforcer(str(MODEL_PATH), str(POLICY_PATH))
        enforcer.enable_auto_save(False)
        enforcer.add_named_domain_matching_func("g", _path_prefix_match)
        rules = [[_casbin_subject(g.subject), g.role, tenant_path(g.division_code)] for g in grants]
        if rules:
            enforcer.add_grouping_policies(rules)
        return enforcer

    def allowed(
        self, subject: str | None, obj: str, act: str, division_code: str | None = None
    ) -> bool:
        """Whether `subject` (None: anonymous) may `act` on `obj`.

        With a division, the check is made there; without one, anywhere the
        subject holds a grant (the tenant scope then narrows the rows).
        """
        key = (subject, obj, act, division_code)
        decision = self._decisions.get(key)
        if decision is None:
            if len(self._decisions) > _MAX_REMEMBERED:
                self._decisions.clear()
            decision = self._decisions[key] = self._decide(subject, obj, act, division_code)
        return decision

    def _decide(self, subject: str | None, obj: str, act: str, division_code: str | None) -> bool:
        sub = _casbin_subject(subject) if subject else "anonymous"
        if division_code is not None:
            return self._enforcer.enforce(sub, tenant_path(division_code), obj, act)
        if self._enforcer.enforce("anonymous", "", obj, act):
            return True
        return any(
            self._enforcer.enforce(sub, tenant_path(g.division_code), obj, act)
            for g in self._by_subject.get(subject or "", ())
        )

    def grants_of(self, subject: str | None) -> list[GrantEntry]:
        """The subject's grants as loaded in this process."""
        return list(self._by_subject.get(subject or "", ()))

    def scope_for(
        self, subject: str | None, obj: str | None = None, act: str | None = None
    ) -> Scope:
        """The part of the tree the subject's grants reach; with obj/act, only the
        grants whose role may do that there (an officer's grant never widens what a
        catalogue admin's grant may read of officers)."""
        grants = self.grants_of(subject)
        if obj is not None:
            grants = [g for g in grants if self.allowed(subject, obj, act, g.division_code)]
        return Scope.of([g.division_code for g in grants])
