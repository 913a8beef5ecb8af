"""Schemas for plans, items, notes and the messages of a plan's dialogue.

``*WriteSchema`` load client JSON into Python values; the REST API and the sync push both use
them, so a field is validated the same way on every path. Rules across a row's fields are
declared in ``checks`` (``server/schemas/checks.py``); rules that need other rows, and
permissions, live in ``server/services/plans.py``.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.i18n import N_, _, _l
from server.models.plans import (
    ATTACHMENT_TYPES,
    FILENAME_TEXT,
    ITEM_STATES,
    LONG_TEXT,
    MAX_ATTACHMENT_BYTES,
    MESSAGE_TEXT,
    PLAN_KINDS,
    PLAN_ORIGINS,
    PLAN_STATES,
    RESULT_LABELS,
    SHORT_TEXT,
)
from server.schemas.checks import DateOrder, OnlyWhen
from server.schemas.common import StrictSchema, Text, counted, one_of


class ResponsibleSchema(StrictSchema):
    """One entry of HVEM?: a user of the unit, or a name written as free text."""

    user_id = fields.UUID(allow_none=True)
    name = Text(SHORT_TEXT, min_length=1, allow_none=True)

    @validates_schema
    def _exactly_one(self, data, **kwargs):
        if bool(data.get("user_id")) == bool(data.get("name")):
            raise ValidationError(_("Give either user_id or name."))


class PlanWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=one_of(PLAN_KINDS))
    # The quality catalogue version the plan is written under. Left out on create: the one in
    # force on the inspection date, else the plan date. Changed only while a draft.
    catalogue_id = fields.UUID()
    title = Text(SHORT_TEXT, min_length=1, required=True)
    plan_date = fields.Date(allow_none=True)
    filled_in_by = Text(SHORT_TEXT, allow_none=True)
    responsible_manager = Text(SHORT_TEXT, allow_none=True)
    foster_parents = Text(500, allow_none=True)
    origin = fields.String(validate=one_of(PLAN_ORIGINS))
    inspection_date = fields.Date(allow_none=True)
    origin_note = Text(LONG_TEXT, allow_none=True)
    result_label = fields.String(validate=one_of(RESULT_LABELS))

    checks = (
        DateOrder(
            "inspection_date",
            "plan_date",
            field="inspection_date",
            message=N_("The inspection cannot come after the plan date."),
        ),
        OnlyWhen(
            "foster_parents",
            "kind",
            values=("dk_plejefamilie",),
            message=N_("Only foster-family plans name foster parents."),
        ),
    )


class ItemWriteSchema(StrictSchema):
    id = fields.UUID()
    plan_id = fields.UUID(required=True)
    priority = fields.Integer(strict=True, validate=counted())
    theme_id = fields.UUID(allow_none=True)
    # A criterion of the row's theme (kriterium), optional.
    criterion_id = fields.UUID(allow_none=True)
    topic = Text(LONG_TEXT, allow_none=True)
    goal = Text(LONG_TEXT, allow_none=True)
    activities = Text(LONG_TEXT, allow_none=True)
    resources = Text(LONG_TEXT, allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    ongoing = fields.Boolean()
    timeframe_note = Text(LONG_TEXT, allow_none=True)
    documentation = Text(LONG_TEXT, allow_none=True)
    # HVEM?: who carries the row out, and who follows it up (seed 001 names both jobs).
    responsible = fields.List(fields.Nested(ResponsibleSchema), validate=validate.Length(max=20))
    follow_up_responsible = fields.List(
        fields.Nested(ResponsibleSchema), validate=validate.Length(max=20)
    )
    result = Text(LONG_TEXT, allow_none=True)
    state = fields.String(validate=one_of(ITEM_STATES))
    # The inspection finding the item answers; set when the item is created.
    finding_id = fields.UUID(allow_none=True)

    checks = (
        DateOrder(
            "start_date",
            "end_date",
            field="end_date",
            message=N_("The end date comes before the start date."),
        ),
    )


class NoteWriteSchema(StrictSchema):
    id = fields.UUID()
    item_id = fields.UUID(required=True)
    text = Text(LONG_TEXT, min_length=1, required=True)
    new_state = fields.String(allow_none=True, validate=one_of(ITEM_STATES))
    created_at = fields.AwareDateTime(allow_none=True)


class MessageWriteSchema(StrictSchema):
    """A message of a plan's dialogue: about a row (``item_id``) or the whole plan."""

    id = fields.UUID()
    plan_id = fields.UUID()
    item_id = fields.UUID(allow_none=True)
    body = Text(MESSAGE_TEXT, min_length=1, required=True)
    created_at = fields.AwareDateTime(allow_none=True)


class AttachmentWriteSchema(StrictSchema):
    """Evidence on a row (``item_id``), or on one of its progress notes (``note_id`` too).
    The bytes go first to ``PUT /api/photos/{sha256}``."""

    id = fields.UUID()
    item_id = fields.UUID(required=True)
    note_id = fields.UUID(allow_none=True)
    sha256 = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9a-f]{64}$", error=_l("A lower-case hex SHA-256.")),
    )
    content_type = fields.String(required=True, validate=one_of(ATTACHMENT_TYPES))
    size_bytes = fields.Integer(
        strict=True, required=True, validate=validate.Range(min=1, max=MAX_ATTACHMENT_BYTES)
    )
    filename = Text(FILENAME_TEXT, allow_none=True)
    caption = Text(LONG_TEXT, allow_none=True)
    created_at = fields.AwareDateTime(allow_none=True)


class AttachmentCreateSchema(AttachmentWriteSchema):
    """A new attachment of the item in the path (``item_id`` comes from the path)."""

    def __init__(self, **kwargs):
        super().__init__(partial=("item_id",), **kwargs)


class SendBackSchema(StrictSchema):
    """Why a submitted plan goes back to its author: shown to them on the plan."""

    reason = Text(MESSAGE_TEXT, min_length=1, required=True)


class ReorderSchema(StrictSchema):
    item_ids = fields.List(fields.UUID(), required=True)


# ---- output ---------------------------------------------------------------------------------


class SyncedRowSchema(Schema):
    id = fields.UUID()
    version = fields.Integer()
    updated_at = fields.AwareDateTime()
    updated_by = fields.UUID(allow_none=True)


class PlanSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    kind = fields.String()
    catalogue_id = fields.UUID()
    title = fields.String()
    plan_date = fields.Date(allow_none=True)
    filled_in_by = fields.String(allow_none=True)
    responsible_manager = fields.String(allow_none=True)
    foster_parents = fields.String(allow_none=True)
    origin = fields.String()
    inspection_date = fields.Date(allow_none=True)
    origin_note = fields.String(allow_none=True)
    result_label = fields.String()
    state = fields.String(validate=one_of(PLAN_STATES))
    submitted_at = fields.AwareDateTime(allow_none=True)
    submitted_by = fields.UUID(allow_none=True)
    approved_at = fields.AwareDateTime(allow_none=True)
    approved_by = fields.UUID(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    archived_at = fields.AwareDateTime(allow_none=True)
    returned_at = fields.AwareDateTime(allow_none=True)
    returned_by = fields.UUID(allow_none=True)
    return_reason = fields.String(allow_none=True)


class ResponsibleOutSchema(Schema):
    user_id = fields.String(allow_none=True)
    name = fields.String(allow_none=True)


class ItemColumnsSchema(Schema):
    """The columns of one template row, as the API shows them."""

    priority = fields.Integer()
    theme_id = fields.UUID(allow_none=True)
    criterion_id = fields.UUID(allow_none=True)
    topic = fields.String(allow_none=True)
    goal = fields.String(allow_none=True)
    activities = fields.String(allow_none=True)
    resources = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    ongoing = fields.Boolean()
    timeframe_note = fields.String(allow_none=True)
    documentation = fields.String(allow_none=True)
    responsible = fields.List(fields.Nested(ResponsibleOutSchema))
    follow_up_responsible = fields.List(fields.Nested(ResponsibleOutSchema))
    result = fields.String(allow_none=True)


class ItemSchema(SyncedRowSchema, ItemColumnsSchema):
    plan_id = fields.UUID()
    unit_id = fields.UUID()
    state = fields.String()
    finding_id = fields.UUID(allow_none=True)
    legal_deadline = fields.Date(allow_none=True)


class NoteSchema(SyncedRowSchema):
    item_id = fields.UUID()
    plan_id = fields.UUID()
    unit_id = fields.UUID()
    text = fields.String()
    author_id = fields.UUID()
    created_at = fields.AwareDateTime()
    new_state = fields.String(allow_none=True)


class AttachmentSchema(SyncedRowSchema):
    plan_id = fields.UUID()
    item_id = fields.UUID()
    note_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    sha256 = fields.String()
    content_type = fields.String()
    size_bytes = fields.Integer()
    filename = fields.String(allow_none=True)
    caption = fields.String(allow_none=True)
    created_by = fields.UUID()
    created_at = fields.AwareDateTime()


class MessageSchema(SyncedRowSchema):
    plan_id = fields.UUID()
    item_id = fields.UUID(allow_none=True)
    unit_id = fields.UUID()
    body = fields.String()
    author_id = fields.UUID()
    side = fields.String()
    created_at = fields.AwareDateTime()


class HistoryEventSchema(Schema):
    at = fields.AwareDateTime()
    user_id = fields.UUID(allow_none=True)
    user_name = fields.String(allow_none=True)
    table_name = fields.String()
    row_id = fields.UUID()
    action = fields.String()
    version = fields.Integer()
    changes = fields.Dict()
    via = fields.String()
    after_approval = fields.Boolean()


class PlanFilterSchema(StrictSchema):
    unit_id = fields.UUID()
    kind = fields.String(validate=one_of(PLAN_KINDS))
    state = fields.String(validate=one_of(PLAN_STATES))


# Named variants, so the OpenAPI document has one schema per shape.
class PlanUpdateSchema(PlanWriteSchema):
    """A partial update: send only the fields that change."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class ItemUpdateSchema(ItemWriteSchema):
    """A partial update: send only the fields that change."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


class ItemCreateSchema(ItemWriteSchema):
    """A new item of the plan in the path (``plan_id`` comes from the path)."""

    def __init__(self, **kwargs):
        super().__init__(partial=("plan_id",), **kwargs)


class NoteCreateSchema(NoteWriteSchema):
    """A new note on the item in the path (``item_id`` comes from the path)."""

    def __init__(self, **kwargs):
        super().__init__(partial=("item_id",), **kwargs)


class MessageCreateSchema(StrictSchema):
    """A new message in the thread in the path (the plan's or the item's)."""

    id = fields.UUID()
    body = Text(MESSAGE_TEXT, min_length=1, required=True)
    created_at = fields.AwareDateTime(allow_none=True)


class MessageFilterSchema(StrictSchema):
    # "every": the plan's own thread and all its rows' threads together.
    thread = fields.String(validate=one_of(("plan", "every")))
