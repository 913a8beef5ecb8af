"""All models, imported here so Alembic and the app see one complete metadata.

The flush hooks are registered by the app factory (``server/hooks.py``), not on import."""

from server.models.audit import AuditEvent
from server.models.base import SyncedMixin
from server.models.catalogue import Catalogue, Criterion, Theme
from server.models.login_throttle import LoginThrottle
from server.models.org import AuthToken, Membership, Organisation, Unit, User
from server.models.plans import Plan, PlanAttachment, PlanItem, PlanMessage, ProgressNote
from server.models.push import Notification, NotificationPreference, PushSubscription
from server.models.quality import (
    AdoptedReport,
    AnnualTask,
    CaseRecord,
    Checklist,
    ChecklistAnswer,
    ChecklistRun,
    MeasureValue,
    QualityArea,
    QualityLink,
    QualityMeasure,
    RegisterEntry,
    RiskAnalysis,
    SurveyQuestion,
    SurveyResponse,
)
from server.models.quality_levels import (
    AssignmentFollowUp,
    FollowUpDeviation,
    OverallAssessment,
    ThematicFollowUp,
    ThematicResult,
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
    "AdoptedReport",
    "AnnualTask",
    "AssignmentFollowUp",
    "AuditEvent",
    "AuthToken",
    "CaseRecord",
    "Catalogue",
    "Checklist",
    "ChecklistAnswer",
    "ChecklistRun",
    "Conflict",
    "Criterion",
    "DeadlineExtension",
    "FollowUpDeviation",
    "Finding",
    "ItemComment",
    "LoginThrottle",
    "MeasureValue",
    "Membership",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OverallAssessment",
    "PhotoBlob",
    "Plan",
    "PlanAttachment",
    "PlanItem",
    "PlanMessage",
    "ProgressNote",
    "PushSubscription",
    "QualityArea",
    "QualityLink",
    "QualityMeasure",
    "RegisterEntry",
    "RiskAnalysis",
    "SyncClient",
    "SyncClock",
    "SyncMutationResult",
    "SurveyLink",
    "SurveyQuestion",
    "SurveyResponse",
    "SyncedMixin",
    "ThematicFollowUp",
    "ThematicResult",
    "Theme",
    "Unit",
    "User",
    "Visit",
    "VisitPhoto",
]
