# roles handed out for a test, shared with the handling tests
from tests.schema.rules.conftest import granted  # noqa: F401
