"""Per-request DataLoaders: every relation resolves through one of these."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from supervision import organisation
from supervision.cases import queries as cases
from supervision.cases.calendar import current_calendar
from supervision.cases.clock import WorkCalendar
from supervision.catalogue import service as catalogue
from supervision.rules import config as rule_config
from supervision.rules import queries as warnings
from tenancy import divisions


class Loaders:
    """One set per request, sharing the request's session (one query at a time)."""

    def __init__(self, session: AsyncSession, lock: asyncio.Lock) -> None:
        self._session = session
        self._lock = lock
        self.division = self._loader(divisions.divisions_by_code, "codes", None)
        self.children = self._loader(divisions.children_by_parent, "parent_codes", [])
        self.departments_of_division = self._loader(
            organisation.departments_by_division, "division_codes", []
        )
        self.department = self._loader(organisation.departments_by_id, "ids", None)
        self.posts_of_officer = self._loader(organisation.posts_by_officer, "officer_ids", [])
        self.nodes_of_version = self._loader(catalogue.nodes_by_version, "version_ids", [])
        self.risk_points_of_version = self._loader(
            catalogue.risk_points_by_version, "version_ids", []
        )
        self.power_version = self._loader(catalogue.versions_by_id, "ids", None)
        self.steps_of_case = self._loader(cases.steps_by_case, "case_numbers", [])
        self.attachments_of_case = self._loader(cases.attachments_by_case, "case_numbers", [])
        self.case = self._loader(warnings.cases_by_number, "numbers", None)
        self.actions_of_warning = self._loader(warnings.actions_by_warning, "warning_ids", [])
        self.cards_of_warning = self._loader(warnings.cards_by_warning, "warning_ids", [])
        self.warning = self._loader(warnings.warnings_by_id, "ids", None)
        self.rules_of_point = self._loader(rule_config.rules_by_point, "point_ids", [])
        self._calendar: WorkCalendar | None = None

    async def calendar(self) -> WorkCalendar:
        """The working-day calendar, read once per operation."""
        if self._calendar is None:
            async with self._lock:
                if self._calendar is None:  # another field may have read it meanwhile
                    self._calendar = await current_calendar(session=self._session)
        return self._calendar

    def _loader(
        self, fetch: Callable[..., Awaitable[dict]], keyword: str, missing: object
    ) -> DataLoader:
        async def load(keys: Sequence) -> list:
            # An AsyncSession runs one statement at a time; loaders take turns.
            async with self._lock:
                found = await fetch(session=self._session, **{keyword: list(keys)})
            return [found.get(key, missing) for key in keys]

        return DataLoader(load_fn=load)
