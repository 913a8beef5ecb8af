"""All models, imported here so Alembic and the app see one complete metadata."""

# The flush hooks. access_audit imports versioning, so versioning's hook runs first and new
# units have their ids before a membership in them is audited.
from server.models import access_audit, versioning  # noqa: F401
from server.models.audit import AuditEvent
from server.models.base import SyncedMixin
from server.models.catalogue import Catalogue, Criterion, Theme
from server.models.login_throttle import LoginThrottle
from server.models.org import AuthToken, Membership, Organisation, Unit, User
from server.models.plans import Plan, PlanItem, ProgressNote
from server.models.push import Notification, NotificationPreference, PushSubscription
from server.models.quality import (
    QUALITY_MODELS,
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
from server.models.sync import Conflict, SyncClient, SyncClock, SyncMutationResult
from server.models.visits import (
    DeadlineExtension,
    Finding,
    ItemComment,
    PhotoBlob,
    Visit,
    VisitPhoto,
)
from server.push import events as _push_events  # noqa: F401  (registers the outbox hook)

# The tables a device receives, in the order a fresh device should apply them.
SYNCED_MODELS: tuple[type[SyncedMixin], ...] = (
    Unit,
    Catalogue,
    Theme,
    Criterion,
    Plan,
    PlanItem,
    ProgressNote,
    Conflict,
    Visit,
    Finding,
    VisitPhoto,
    DeadlineExtension,
    ItemComment,
    # Swedish quality follow-up, after the plans its links point at.
    *QUALITY_MODELS,
)

__all__ = [
    "SYNCED_MODELS",
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
    "ProgressNote",
    "PushSubscription",
    "QualityArea",
    "QualityLink",
    "QualityMeasure",
    "RegisterEntry",
    "SyncClient",
    "SyncClock",
    "SyncMutationResult",
    "SurveyQuestion",
    "SurveyResponse",
    "SyncedMixin",
    "Theme",
    "Unit",
    "User",
    "Visit",
    "VisitPhoto",
]
