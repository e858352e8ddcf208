# the case-reporting fixtures, shared with the cases tests
from tests.schema.cases.conftest import case_number, event, licensing_power  # noqa: F401
