"""Every model module, imported so the metadata knows all tables."""

import policies.models  # noqa: F401
import supervision.cases.models  # noqa: F401
import supervision.catalogue.models  # noqa: F401
import supervision.complaints.models  # noqa: F401
import supervision.notify.models  # noqa: F401
import supervision.organisation  # noqa: F401
import supervision.publication.models  # noqa: F401
import supervision.ratings.models  # noqa: F401
import supervision.rules.models  # noqa: F401
import tenancy.models  # noqa: F401
