"""The GraphQL schema: queries and mutations assembled from the domain modules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from schema.access.grant_role import GrantRoleMutation
from schema.access.queries import AccessQueries
from schema.access.revoke_role import RevokeRoleMutation
from schema.cases.load_work_calendar import LoadWorkCalendarMutation
from schema.cases.queries import CaseQueries
from schema.cases.report_case_events import ReportCaseEventsMutation
from schema.cases.subscriptions import CaseSubscriptions
from schema.catalogue.cancel_power import CancelPowerMutation
from schema.catalogue.create_power import CreatePowerMutation
from schema.catalogue.merge_powers import MergePowersMutation
from schema.catalogue.publish_power import PublishPowerMutation
from schema.catalogue.queries import CatalogueQueries
from schema.catalogue.revise_power import RevisePowerMutation
from schema.catalogue.split_power import SplitPowerMutation
from schema.catalogue.suspend_power import SuspendPowerMutation
from schema.changes import DataChanged, Hook
from schema.complaints.accept_complaint import AcceptComplaintMutation
from schema.complaints.assign_complaint import AssignComplaintMutation
from schema.complaints.close_complaint import CloseComplaintMutation
from schema.complaints.queries import ComplaintQueries
from schema.complaints.reply_complaint import ReplyComplaintMutation
from schema.complaints.submit_complaint import SubmitComplaintMutation
from schema.context import Context
from schema.cost import MAX_COST
from schema.divisions.queries import DivisionQueries
from schema.limits import ErrorCodes, limit_extensions
from schema.node import NodeQueries
from schema.notify.deactivate_webhook import DeactivateWebhookMutation
from schema.notify.queries import NotificationQueries
from schema.notify.register_webhook import RegisterWebhookMutation
from schema.notify.retry_notification import RetryNotificationMutation
from schema.organisation.queries import OrganisationQueries
from schema.publication.record import RecordQueries
from schema.publication.results import PublishedResultQueries
from schema.publication.stats import PublicStatsQueries
from schema.ratings.queries import RatingQueries
from schema.ratings.rate_case import RateCaseMutation
from schema.ratings.record_rating_callback import RecordRatingCallbackMutation
from schema.rules.add_rule import AddRuleMutation
from schema.rules.close_warning import CloseWarningMutation
from schema.rules.config_queries import RuleQueries
from schema.rules.confirm_warning import ConfirmWarningMutation
from schema.rules.create_monitoring_point import CreateMonitoringPointMutation
from schema.rules.dismiss_warning import DismissWarningMutation
from schema.rules.issue_card import IssueCardMutation
from schema.rules.order_rectification import OrderRectificationMutation
from schema.rules.queries import WarningQueries
from schema.rules.reopen_rectification import ReopenRectificationMutation
from schema.rules.submit_rectification import SubmitRectificationMutation
from schema.rules.subscriptions import WarningSubscriptions
from schema.rules.update_monitoring_point import UpdateMonitoringPointMutation
from schema.rules.update_rule import UpdateRuleMutation
from schema.rules.verify_rectification import VerifyRectificationMutation
from schema.scalars import SCALARS


@strawberry.type
class Query(
    NodeQueries,
    AccessQueries,
    DivisionQueries,
    OrganisationQueries,
    CatalogueQueries,
    CaseQueries,
    WarningQueries,
    NotificationQueries,
    RuleQueries,
    RecordQueries,
    PublishedResultQueries,
    PublicStatsQueries,
    RatingQueries,
    ComplaintQueries,
):
    pass


@strawberry.type
class Subscription(CaseSubscriptions, WarningSubscriptions):
    pass


@strawberry.type
class Mutation(
    GrantRoleMutation,
    RevokeRoleMutation,
    CreatePowerMutation,
    RevisePowerMutation,
    PublishPowerMutation,
    SuspendPowerMutation,
    CancelPowerMutation,
    SplitPowerMutation,
    MergePowersMutation,
    ReportCaseEventsMutation,
    LoadWorkCalendarMutation,
    ConfirmWarningMutation,
    DismissWarningMutation,
    IssueCardMutation,
    OrderRectificationMutation,
    SubmitRectificationMutation,
    VerifyRectificationMutation,
    ReopenRectificationMutation,
    CloseWarningMutation,
    RegisterWebhookMutation,
    DeactivateWebhookMutation,
    RetryNotificationMutation,
    CreateMonitoringPointMutation,
    UpdateMonitoringPointMutation,
    AddRuleMutation,
    UpdateRuleMutation,
    RateCaseMutation,
    RecordRatingCallbackMutation,
    SubmitComplaintMutation,
    AcceptComplaintMutation,
    AssignComplaintMutation,
    ReplyComplaintMutation,
    CloseComplaintMutation,
):
    pass


class OperationState(SchemaExtension):
    """Each operation gets its own session and loaders, given back when it ends."""

    async def on_operation(self) -> AsyncIterator[None]:
        context = self.execution_context.context
        if not isinstance(context, Context):
            yield
            return
        token = context.begin_operation(self.execution_context)
        try:
            yield
        finally:
            await context.end_operation(token)


def build_schema(
    *, prod: bool = False, max_cost: int = MAX_COST, data_changed: Hook | None = None
) -> strawberry.Schema:
    """The schema; in production errors are masked and field suggestions are off.

    `data_changed` is awaited after every mutation (the API drops cached answers).
    """
    extensions: list = [OperationState, *limit_extensions(max_cost=max_cost)]
    if data_changed is not None:
        extensions.append(lambda: DataChanged(hook=data_changed))
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=[*extensions, lambda: ErrorCodes(mask=prod)],
        config=StrawberryConfig(disable_field_suggestions=prod),
        scalar_overrides=SCALARS,
    )
