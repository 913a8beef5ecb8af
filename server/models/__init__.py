"""All models, imported here so Alembic and the app see one complete metadata.

The flush hooks are registered by the app factory (``server/hooks.py``), not on import."""

from server.models.audit import AuditEvent
from server.models.base import SyncedMixin
from server.models.catalogue import Catalogue, Criterion, Theme
from server.models.login_throttle import LoginThrottle
from server.models.org import AuthToken, Membership, Organisation, Unit, User
from server.models.plans import Plan, PlanItem, PlanMessage, ProgressNote
from server.models.push import Notification, NotificationPreference, PushSubscription
from server.models.quality import (
    AnnualTask,
    CaseRecord,
    MeasureValue,
    QualityArea,
    QualityLink,
    QualityMeasure,
    RegisterEntry,
    SurveyQuestion,
    SurveyResponse,
)
from server.models.survey_links import SurveyLink
from server.models.sync import Conflict, SyncClient, SyncClock, SyncMutationResult
from server.models.visits import (
    DeadlineExtension,
    Finding,
    ItemComment,
    PhotoBlob,
    Visit,
    VisitPhoto,
)

__all__ = [
    "AnnualTask",
    "AuditEvent",
    "AuthToken",
    "CaseRecord",
    "Catalogue",
    "Conflict",
    "Criterion",
    "DeadlineExtension",
    "Finding",
    "ItemComment",
    "LoginThrottle",
    "MeasureValue",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "PhotoBlob",
    "Plan",
    "PlanItem",
    "PlanMessage",
    "ProgressNote",
    "PushSubscription",
    "QualityArea",
    "QualityLink",
    "QualityMeasure",
    "RegisterEntry",
    "SyncClient",
    "SyncClock",
    "SyncMutationResult",
    "SurveyLink",
    "SurveyQuestion",
    "SurveyResponse",
    "SyncedMixin",
    "Theme",
    "Unit",
    "User",
    "Visit",
    "VisitPhoto",
]
