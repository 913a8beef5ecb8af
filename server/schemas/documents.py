"""Schemas for the document endpoints: export options, the import preview and its confirmation.

The preview's ``recognised`` and ``items`` are shaped so a client can post them back as the
confirmation's ``plan`` and ``items`` after the user has edited them; the preview-only keys
(``unit_name``, ``theme_name``, ``matched``, ``raw_theme``) are accepted there and ignored.
"""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from server.models.plans import ITEM_STATES, PLAN_KINDS, SHORT_TEXT
from server.schemas.common import StrictSchema, Text, one_of
from server.schemas.plans import ItemColumnsSchema, ItemWriteSchema, PlanWriteSchema

LANGUAGES = ("da", "sv", "en")
MAX_IMPORTED_ITEMS = 200


class ExportLanguageSchema(StrictSchema):
    lang = fields.String(validate=one_of(LANGUAGES))


class PlanExportSchema(ExportLanguageSchema):
    # The dialogue with the inspectorate as an appendix (``?threads=1``).
    threads = fields.Boolean(load_default=False)
    # Each row's progress notes, with author and date (``?notes=1``).
    notes = fields.Boolean(load_default=False)


class ItemExportFilterSchema(ExportLanguageSchema):
    unit_id = fields.UUID()
    state = fields.String(validate=one_of(ITEM_STATES))
    overdue = fields.Boolean()


class ImportFormSchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=one_of(PLAN_KINDS))
    # The quality catalogue version to read the themes by; left out: the one in force on the
    # document's inspection date, else its plan date.
    catalogue_id = fields.UUID()


class ImportFileSchema(Schema):
    file = Upload(required=True)


class ImportUploadSchema(ImportFormSchema, ImportFileSchema):
    """The whole multipart body, for the OpenAPI document only: flask-smorest documents one
    location per request body, and the upload is read as form fields plus a file."""


# ---- the preview ---------------------------------------------------------------------------


class RecognisedSchema(Schema):
    title = fields.String(allow_none=True)
    unit_name = fields.String(allow_none=True)
    plan_date = fields.Date(allow_none=True)
    filled_in_by = fields.String(allow_none=True)
    responsible_manager = fields.String(allow_none=True)
    foster_parents = fields.String(allow_none=True)
    origin = fields.String()
    inspection_date = fields.Date(allow_none=True)
    result_label = fields.String()
    catalogue_id = fields.UUID()


class PreviewItemSchema(ItemColumnsSchema):
    theme_name = fields.String(allow_none=True)
    matched = fields.Boolean()
    raw_theme = fields.String()


class ImportPreviewSchema(Schema):
    unit_id = fields.UUID()
    kind = fields.String()
    catalogue_id = fields.UUID()
    recognised = fields.Nested(RecognisedSchema)
    items = fields.List(fields.Nested(PreviewItemSchema))
    unrecognised = fields.List(fields.String())
    warnings = fields.List(fields.String())


# ---- the confirmation ----------------------------------------------------------------------


class ImportPlanSchema(PlanWriteSchema):
    """The plan's header; unit and kind come from the top level of the confirmation."""

    class Meta(StrictSchema.Meta):
        exclude = ("id", "unit_id", "kind")

    unit_name = Text(SHORT_TEXT, allow_none=True)  # shown in the preview, not stored


class ImportItemSchema(ItemWriteSchema):
    """One row; the plan it belongs to is the one the confirmation creates."""

    class Meta(StrictSchema.Meta):
        exclude = ("id", "plan_id")

    theme_name = fields.String(allow_none=True)
    matched = fields.Boolean()
    raw_theme = fields.String(allow_none=True)


class ImportConfirmSchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=one_of(PLAN_KINDS))
    plan = fields.Nested(ImportPlanSchema, required=True)
    items = fields.List(
        fields.Nested(ImportItemSchema),
        load_default=list,
        validate=validate.Length(max=MAX_IMPORTED_ITEMS),
    )
