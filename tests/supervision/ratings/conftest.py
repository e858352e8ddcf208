import pytest

from supervision.cases.calendar import current_calendar
from tenancy.scope import Scope


@pytest.fixture(scope="module")
async def calendar(database):
    async with database.session(Scope.bypass("test: calendar"), read_only=True) as session:
        return await current_calendar(session=session)
