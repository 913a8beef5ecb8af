"""Request and response shapes of ``POST /api/sync/pull`` and ``POST /api/sync/push``.

Field values inside ``fields`` and ``base`` are checked per table by the push engine with the
same write schemas as REST (``server/schemas/plans.py``); here only the envelope is checked.
"""

from __future__ import annotations

from marshmallow import Schema, validate
from marshmallow import fields as ma

from server.schemas.common import CHECKED_ELSEWHERE, MAX_INT64, StrictSchema, Text, counted
from sync.protocol import OPS, STATUSES, TABLES


class PullRequestSchema(StrictSchema):
    cursor = ma.String(load_default=None, allow_none=True, validate=validate.Length(max=20000))
    limit = ma.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    schema_version = ma.Integer(required=True, strict=True)
    client_id = Text(64, min_length=1, load_default=None, allow_none=True)


class ChangeSchema(Schema):
    table = ma.String(required=True, validate=validate.OneOf(TABLES))
    id = ma.String(required=True)
    version = ma.Integer(required=True)
    deleted = ma.Boolean(required=True)
    fields = ma.Dict(keys=ma.String(), required=True)  # type: ignore[assignment]  # the wire name


class PullResponseSchema(Schema):
    changes = ma.List(ma.Nested(ChangeSchema), required=True)
    cursor = ma.String(required=True)
    has_more = ma.Boolean(required=True)
    last_mutation_id = ma.Integer(allow_none=True)


class MutationSchema(StrictSchema):
    mutation_id = ma.Integer(required=True, strict=True, validate=counted(1, MAX_INT64))
    table = ma.String(
        required=True, validate=validate.Length(min=1, max=40), metadata=CHECKED_ELSEWHERE
    )
    id = ma.UUID(required=True)
    op = ma.String(required=True, validate=validate.OneOf(OPS))
    base_version = ma.Integer(
        load_default=None, allow_none=True, strict=True, validate=counted(0, MAX_INT64)
    )
    # Keys are strings in any JSON object; keys and values are checked per table by the push
    # engine, so a bad one rejects this mutation alone.
    fields = ma.Dict(load_default=dict, metadata=CHECKED_ELSEWHERE)  # type: ignore[assignment]  # the wire name
    base = ma.Dict(load_default=dict, metadata=CHECKED_ELSEWHERE)


class PushRequestSchema(StrictSchema):
    client_id = Text(64, min_length=1, required=True)
    schema_version = ma.Integer(required=True, strict=True)
    mutations = ma.List(ma.Nested(MutationSchema), required=True)


class ResultErrorSchema(Schema):
    error = ma.String(required=True)
    message = ma.String(required=True)
    fields = ma.Dict(keys=ma.String(), values=ma.List(ma.String()))  # type: ignore[assignment]  # the wire name


class ResultConflictSchema(Schema):
    id = ma.String(required=True)
    kind = ma.String(required=True)
    field = ma.String(allow_none=True)
    server_value = ma.Raw(allow_none=True)
    client_value = ma.Raw(allow_none=True)


class ResultRowSchema(Schema):
    version = ma.Integer(required=True)
    deleted = ma.Boolean(required=True)
    fields = ma.Dict(keys=ma.String(), required=True)  # type: ignore[assignment]  # the wire name


class MutationResultSchema(Schema):
    mutation_id = ma.Integer(required=True)
    status = ma.String(required=True, validate=validate.OneOf(STATUSES))
    original_status = ma.String(allow_none=True)
    version = ma.Integer()
    conflicts = ma.List(ma.Nested(ResultConflictSchema))
    error = ma.Nested(ResultErrorSchema)
    row = ma.Nested(ResultRowSchema)


class PushResponseSchema(Schema):
    results = ma.List(ma.Nested(MutationResultSchema), required=True)


class ResolveConflictSchema(StrictSchema):
    resolution = ma.String(
        required=True, validate=validate.OneOf(("server", "client", "custom", "restore"))
    )
    resolved_value = ma.Raw(allow_none=True, load_default=None)


class ResolvedConflictSchema(Schema):
    id = ma.String(required=True)
    version = ma.Integer(required=True)
    status = ma.String(required=True)
    resolution = ma.String(required=True)
    resolved_value = ma.Raw(allow_none=True)
