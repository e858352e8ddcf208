"""The tenant scope of a request, applied automatically to every ORM statement.

A scope is the set of subtrees a caller may see. Each scoped model (one carrying
`division_code` through `TenantOwned`) is filtered by it on every SELECT, UPDATE
and DELETE, and checked on every flush. A session without a scope sees nothing.
Seeing everything is possible only through `Scope.bypass(reason)`, named so it
can be found with grep. On PostgreSQL the same rule is repeated by row-level
security, fed by `Scope.as_setting()` at the start of every transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, false, or_
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from tenancy.codes import prefix_of

SESSION_KEY = "tenant_scope"


@dataclass(frozen=True, slots=True)
class Scope:
    """Subtrees (as code prefixes) a caller may see; `reason` set means all."""

    prefixes: tuple[str, ...] = ()
    bypass_reason: str | None = None

    @classmethod
    def of(cls, division_codes: list[str] | set[str] | tuple[str, ...]) -> Scope:
        """The scope reaching these divisions and everything below them."""
        prefixes = sorted({prefix_of(code) for code in division_codes}, key=len)
        kept: list[str] = []
        for prefix in prefixes:
            if not any(prefix.startswith(k) for k in kept):
                kept.append(prefix)
        return cls(tuple(sorted(kept)))

    @classmethod
    def bypass(cls, reason: str) -> Scope:
        """The explicit, named way to see every tenant's rows."""
        if not reason:
            raise ValueError("a scope bypass needs a reason")
        return cls((), reason)

    @property
    def unrestricted(self) -> bool:
        return self.bypass_reason is not None

    def allows(self, division_code: str) -> bool:
        """Whether a row of this division is inside the scope."""
        return self.unrestricted or any(division_code.startswith(p) for p in self.prefixes)

    def as_setting(self) -> str:
        """The value given to PostgreSQL's `yangguang.scope` for row-level security."""
        return "*" if self.unrestricted else ",".join(self.prefixes)

    def clause(self, column):
        """A SQL condition on a division-code column; index-friendly ranges."""
        if self.unrestricted:
            return None
        if not self.prefixes:
            return false()
        return or_(*(column.between(p.ljust(12, "0"), p.ljust(12, "9")) for p in self.prefixes))


def subtree(column, division_code: str):
    """A condition on a division-code column: that division and everything below it."""
    return Scope.of([division_code]).clause(column)


class OutOfScope(PermissionError):
    """A write touched a row outside the caller's part of the tree."""

    code = "OUT_OF_SCOPE"


class TenantOwned:
    """Mixin for models owned by one division; the scope applies to them."""

    __tenant_owned__ = True


def scope_of(session: Session) -> Scope:
    """The scope attached to a session; an empty one if none was set."""
    return session.info.get(SESSION_KEY) or Scope()


def set_scope(session: Session, scope: Scope) -> None:
    """Attach a scope to a session (the sync session behind an AsyncSession)."""
    session.info[SESSION_KEY] = scope


_SCOPED: list[type] = []


def register(cls: type) -> type:
    """Class decorator: put a TenantOwned model under the automatic scope."""
    _SCOPED.append(cls)
    return cls


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria added to the parent statement propagate to these
    if not (state.is_select or state.is_update or state.is_delete):
        return
    scope = scope_of(state.session)
    if scope.unrestricted:
        return
    options = [
        with_loader_criteria(cls, scope.clause(cls.division_code), include_aliases=True)
        for cls in _SCOPED
    ]
    state.statement = state.statement.options(*options)


@event.listens_for(Session, "before_flush")
def _check_writes(session: Session, flush_context, instances) -> None:
    scope = scope_of(session)
    if scope.unrestricted:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__tenant_owned__", False) and not scope.allows(obj.division_code):
            raise OutOfScope(
                f"{type(obj).__name__} of division {obj.division_code} is outside "
                "the caller's part of the tree"
            )
