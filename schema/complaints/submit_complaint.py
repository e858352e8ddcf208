"""submitComplaint: 投诉, by anyone, named or anonymous; answers the tracking code."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalogue.errors import UnknownDepartment
from schema.complaints.handling import user_error
from schema.complaints.types import ComplaintAbout, ComplaintReceipt, PublicComplaint
from schema.context import Info
from schema.errors import InvalidInput, NotPermitted
from schema.permissions import permitted
from supervision.complaints import filing, queries, service


@strawberry.input(description="实名投诉人: a name and a phone for the callback (回访).")
class ComplainantInput:
    name: str
    phone: str = strawberry.field(description="A mobile, or a landline with its area code.")


@strawberry.input(description="投诉: about a case, a department or an officer.")
class ComplaintInput:
    about: ComplaintAbout
    content: str = strawberry.field(description="What happened (at most 2000 characters).")
    case_number: str | None = strawberry.field(
        default=None, description="About a case: its number (办件编号)."
    )
    department_code: str | None = strawberry.field(
        default=None,
        description="The department: required, except about a published result (公示), "
        "whose department is known.",
    )
    officer: str | None = strawberry.field(
        default=None, description="About an officer: the name or staff number (工号) you know."
    )
    complainant: ComplainantInput | None = strawberry.field(
        default=None, description="Leave out to complain anonymously."
    )

    def to_domain(self) -> filing.Filing:
        given = self.complainant
        return filing.Filing(
            about=filing.ComplaintAbout(self.about),
            content=self.content,
            case_number=self.case_number,
            department_code=self.department_code,
            officer=self.officer,
            complainant=filing.Complainant(given.name, given.phone) if given else None,
        )


SubmitComplaintResult = Annotated[
    ComplaintReceipt | InvalidInput | UnknownDepartment | NotPermitted,
    strawberry.union("SubmitComplaintResult"),
]


@strawberry.type
class SubmitComplaintMutation:
    @strawberry.mutation(
        description="投诉: anyone, signed in or not, files a complaint, named or anonymous; "
        "keep the tracking code it answers to follow it with `complaint(trackingCode)`."
    )
    @permitted("complaint", "submit")
    async def submit_complaint(self, info: Info, input: ComplaintInput) -> SubmitComplaintResult:
        database = info.context.database
        async with database.session(filing.FILING_SCOPE) as session:
            try:
                receipt = await filing.submit_complaint(session=session, filing=input.to_domain())
                view = await queries.follow_complaint(
                    session=session, tracking_code=receipt.tracking_code
                )
            except service.ComplaintError as exc:
                await session.rollback()
                return user_error(exc)
            await session.commit()
        if info.context.relay is not None:
            info.context.relay.kick()
        return ComplaintReceipt(
            tracking_code=receipt.tracking_code,
            due_at=receipt.due_at,
            complaint=PublicComplaint.from_view(view),
        )
