"""Schemas for visits, findings, photos, deadline extensions and inspector comments.

The write schemas load client JSON for both REST and the sync push. Rules across a row's
fields (a påbud needs a deadline, a rating a justification) are declared in ``checks``
(``server/schemas/checks.py``); rules across rows (the theme must belong to the visit's
catalogue, the deadline come after the visit) live in ``server/services/visits.py``.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.i18n import N_, _l
from server.models.plans import LONG_TEXT, SHORT_TEXT
from server.models.visits import FINDING_KINDS, RATING_MAX, RATING_MIN, VISIT_PURPOSES
from server.schemas.checks import RequiredWhen
from server.schemas.common import StrictSchema, Text, counted, one_of
from server.schemas.plans import ResponsibleOutSchema, ResponsibleSchema, SyncedRowSchema


class VisitWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    visit_date = fields.Date(required=True)
    announced = fields.Boolean()
    inspectors = fields.List(fields.Nested(ResponsibleSchema), validate=validate.Length(max=10))
    purpose = fields.String(required=True, validate=one_of(VISIT_PURPOSES))
    notes = Text(LONG_TEXT, allow_none=True)


class FindingWriteSchema(StrictSchema):
    id = fields.UUID()
    visit_id = fields.UUID(required=True)
    theme_id = fields.UUID(required=True)
    criterion_id = fields.UUID(allow_none=True)
    kind = fields.String(required=True, validate=one_of(FINDING_KINDS))
    text = Text(LONG_TEXT, min_length=1, required=True)
    deadline = fields.Date(allow_none=True)
    rating = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=RATING_MIN, max=RATING_MAX)
    )
    rating_justification = Text(LONG_TEXT, allow_none=True)
    created_at = fields.AwareDateTime(allow_none=True)

    checks = (
        RequiredWhen(
            "deadline", "kind", values=("paabud",), message=N_("A påbud needs a deadline (frist).")
        ),
        RequiredWhen(
            "rating_justification", "rating", message=N_("A rating needs a written justification.")
        ),
    )


class PhotoWriteSchema(StrictSchema):
    id = fields.UUID()
    visit_id = fields.UUID(required=True)
    finding_id = fields.UUID(allow_none=True)
    sha256 = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$", error=_l("A lower-case hex SHA-256.")),
    )
    content_type = fields.String(required=True)
    size_bytes = fields.Integer(strict=True, required=True, validate=counted())
    caption = Text(SHORT_TEXT, allow_none=True)
    created_at = fields.AwareDateTime(allow_none=True)


class ExtensionWriteSchema(StrictSchema):
    id = fields.UUID()
    item_id = fields.UUID(required=True)
    new_deadline = fields.Date(required=True)
    reason = Text(LONG_TEXT, min_length=1, required=True)
    granted_by = Text(SHORT_TEXT, min_length=1, required=True)
    created_at = fields.AwareDateTime(allow_none=True)


class CommentWriteSchema(StrictSchema):
    id = fields.UUID()
    item_id = fields.UUID(required=True)
    text = Text(LONG_TEXT, min_length=1, required=True)
    created_at = fields.AwareDateTime(allow_none=True)


class FindingToItemSchema(StrictSchema):
    """Turn a finding into an item of ``plan_id``; the other fields override the prefill."""

    id = fields.UUID()
    plan_id = fields.UUID(required=True)
    topic = Text(LONG_TEXT, allow_none=True)
    goal = Text(LONG_TEXT, allow_none=True)
    end_date = fields.Date(allow_none=True)


class VisitFilterSchema(StrictSchema):
    unit_id = fields.UUID()


# Named partial variants, so the OpenAPI document has one schema per shape.
class VisitUpdateSchema(VisitWriteSchema):
    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class FindingUpdateSchema(FindingWriteSchema):
    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class FindingCreateSchema(FindingWriteSchema):
    """A new finding of the visit in the path."""

    def __init__(self, **kwargs):
        super().__init__(partial=("visit_id",), **kwargs)


class PhotoCreateSchema(PhotoWriteSchema):
    def __init__(self, **kwargs):
        super().__init__(partial=("visit_id",), **kwargs)


class ExtensionCreateSchema(ExtensionWriteSchema):
    def __init__(self, **kwargs):
        super().__init__(partial=("item_id",), **kwargs)


class CommentCreateSchema(CommentWriteSchema):
    def __init__(self, **kwargs):
        super().__init__(partial=("item_id",), **kwargs)


# ---- output ---------------------------------------------------------------------------------


class VisitSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    catalogue_id = fields.UUID()
    visit_date = fields.Date()
    announced = fields.Boolean()
    inspectors = fields.List(fields.Nested(ResponsibleOutSchema))
    purpose = fields.String()
    notes = fields.String(allow_none=True)
    created_by = fields.UUID()


class FindingSchema(SyncedRowSchema):
    visit_id = fields.UUID()
    unit_id = fields.UUID()
    theme_id = fields.UUID()
    criterion_id = fields.UUID(allow_none=True)
    kind = fields.String()
    text = fields.String()
    deadline = fields.Date(allow_none=True)
    rating = fields.Integer(allow_none=True)
    rating_justification = fields.String(allow_none=True)
    author_id = fields.UUID()
    created_at = fields.AwareDateTime()
    # The plan items that answer this finding: the link seen from the finding's side.
    item_ids = fields.List(fields.UUID())


class PhotoSchema(SyncedRowSchema):
    visit_id = fields.UUID()
    finding_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    sha256 = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    caption = fields.String(allow_none=True)
    created_by = fields.UUID()
    created_at = fields.AwareDateTime()


class ExtensionSchema(SyncedRowSchema):
    item_id = fields.UUID()
    plan_id = fields.UUID()
    unit_id = fields.UUID()
    new_deadline = fields.Date()
    reason = fields.String()
    granted_by = fields.String()
    author_id = fields.UUID()
    created_at = fields.AwareDateTime()


class CommentSchema(SyncedRowSchema):
    item_id = fields.UUID()
    plan_id = fields.UUID()
    unit_id = fields.UUID()
    text = fields.String()
    author_id = fields.UUID()
    created_at = fields.AwareDateTime()


class UploadStatusSchema(Schema):
    sha256 = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    received_bytes = fields.Integer()
    complete = fields.Boolean()


class ThemeSummarySchema(Schema):
    theme_id = fields.UUID()
    number = fields.Integer(allow_none=True)
    name = fields.String()
    scored = fields.Boolean()
    rating_average = fields.Float(allow_none=True)
    ratings = fields.Integer()
    findings = fields.List(fields.Nested(FindingSchema))


class VisitSummarySchema(Schema):
    visit = fields.Nested(VisitSchema)
    unit_name = fields.String()
    catalogue = fields.String()
    themes = fields.List(fields.Nested(ThemeSummarySchema))
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
