"""公示结果: publishedResults and publishedResult, the published results anyone may read.

Cases belong to tenants and anonymous callers hold none, so these fields read through a
session of their own under the publication scope (`results.PUBLICATION_SCOPE`), and only
through `supervision.publication.results`, which answers published, decided, masked results.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from schema.context import Info
from schema.divisions.types import Division
from schema.errors import CodedError, checked_division_code
from schema.organisation.types import Department
from schema.pagination import Connection, connection, decode_cursor, page_size
from schema.permissions import can
from supervision.publication import results


async def _read(info: Info, fetch, /, **kwargs):
    """Run a publication function in a read-only session under the publication scope."""
    database = info.context.database
    async with database.session(results.PUBLICATION_SCOPE, read_only=True) as session:
        return await fetch(session=session, **kwargs)


@strawberry.enum(description="The decision published: 办结通过 APPROVED, 办结不通过 REJECTED.")
class Decision(enum.Enum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


@strawberry.enum(description="个人 PERSON (masked) or 企业/组织 COMPANY (public by law).")
class ApplicantKind(enum.Enum):
    PERSON = "PERSON"
    COMPANY = "COMPANY"


@strawberry.type(
    description="The applicant as published: a person masked (张**, 3702**********1234, "
    "138****5678); a company by name and credit code (统一社会信用代码), which are public."
)
class PublicApplicant:
    kind: ApplicantKind
    name: str | None
    id_number: str | None = strawberry.field(description="Masked: its first and last four.")
    credit_code: str | None = strawberry.field(description="A company's only; public.")
    phone: str | None = strawberry.field(description="Always masked.")


@strawberry.type(description="公示: the published result of a decided case; personal data masked.")
class PublishedResult(relay.Node):
    key: relay.NodeID[str]
    case_number: str = strawberry.field(description="办件编号.")
    division_code: str
    department_code: str
    department_name: str
    power_code: str
    power_name: str | None = strawberry.field(
        description="The power's name in the published catalogue."
    )
    decision: Decision
    decided_at: datetime = strawberry.field(description="办结时间.")
    published_at: datetime = strawberry.field(description="公示时间.")
    on_time: bool = strawberry.field(description="Decided within the promised limit (按时办结).")
    applicant: PublicApplicant
    department_id: strawberry.Private[int]

    @classmethod
    def from_result(cls, result: results.PublishedResult) -> PublishedResult:
        applicant = result.applicant
        return cls(
            key=result.case_number,
            case_number=result.case_number,
            division_code=result.division_code,
            department_code=result.department_code,
            department_name=result.department_name,
            power_code=result.power_code,
            power_name=result.power_name,
            decision=Decision(result.decision),
            decided_at=result.decided_at,
            published_at=result.published_at,
            on_time=result.on_time,
            applicant=PublicApplicant(
                kind=ApplicantKind(applicant.kind),
                name=applicant.name,
                id_number=applicant.id_number,
                credit_code=applicant.credit_code,
                phone=applicant.phone,
            ),
            department_id=result.department_id,
        )

    @strawberry.field(description="部门: the department that decided (public directory).")
    async def department(self, info: Info) -> Department:
        return Department.from_row(await info.context.loaders.department.load(self.department_id))

    @strawberry.field
    async def division(self, info: Info) -> Division:
        return Division.from_row(await info.context.loaders.division.load(self.division_code))

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PublishedResult | None]:
        numbers = list(node_ids)
        found = await _read(info, results.published_results_by_number, numbers=numbers)
        return [PublishedResult.from_result(found[n]) if n in found else None for n in numbers]


@strawberry.input(description="Which published results: every field narrows.")
class PublishedResultFilter:
    division_code: str | None = strawberry.field(
        default=None, description="This division and below."
    )
    department_code: str | None = None
    power_code: str | None = None
    decided_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    decided_to: datetime | None = strawberry.field(default=None, description="Exclusive.")

    def to_domain(self) -> results.PublishedFilter:
        if self.division_code is not None:
            checked_division_code(self.division_code)
        return results.PublishedFilter(
            division_code=self.division_code,
            department_code=(self.department_code or "").strip() or None,
            power_code=(self.power_code or "").strip() or None,
            decided_from=self.decided_from,
            decided_to=self.decided_to,
        )


def _cursor_key(result: PublishedResult) -> str:
    return f"{result.decided_at.isoformat()}|{result.case_number}"


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    decided, _, number = key.partition("|")
    try:
        return datetime.fromisoformat(decided), number
    except ValueError:
        raise CodedError("the cursor is not one this server made", "INVALID_CURSOR") from None


@strawberry.type
class PublishedResultQueries:
    @strawberry.field(
        description="公示: published results of decided cases, latest decision first; anyone "
        "may read them, applicants masked.",
        permission_classes=[can("publication", "read")],
    )
    async def published_results(
        self,
        info: Info,
        filter: PublishedResultFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PublishedResult]:
        limit = page_size(first)
        found, total = await _read(
            info,
            results.list_published_results,
            flt=(filter or PublishedResultFilter()).to_domain(),
            after=_after(after),
            limit=limit + 1,
        )
        return connection(
            [PublishedResult.from_result(r) for r in found],
            total=total,
            limit=limit,
            key=_cursor_key,
            node=lambda node: node,
        )

    @strawberry.field(
        description="A published result by case number (a direct link); null unless published.",
        permission_classes=[can("publication", "read")],
    )
    async def published_result(self, info: Info, case_number: str) -> PublishedResult | None:
        number = case_number.strip()
        found = await _read(info, results.published_results_by_number, numbers=[number])
        return PublishedResult.from_result(found[number]) if number in found else None
