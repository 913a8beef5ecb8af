"""Schemas for login, users, units and catalogues."""

from marshmallow import Schema, fields, validate

from server.schemas.common import StrictSchema, Text


class LoginSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = Text(1024, min_length=1, required=True)


class MembershipSchema(Schema):
    unit_id = fields.UUID()
    unit_name = fields.String()
    role = fields.String()


class UserSchema(Schema):
    id = fields.UUID()
    email = fields.String()
    name = fields.String()
    language = fields.String()
    memberships = fields.List(fields.Nested(MembershipSchema))


class LoginResultSchema(Schema):
    token = fields.String()
    expires_at = fields.AwareDateTime()
    user = fields.Nested(UserSchema)


class UnitSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    parent_id = fields.UUID(allow_none=True)
    foster_family_type = fields.String(allow_none=True)
    roles = fields.List(fields.String())


class CriterionSchema(Schema):
    id = fields.UUID()
    number = fields.Integer(allow_none=True)
    text = fields.String()


class ThemeSchema(Schema):
    id = fields.UUID()
    number = fields.Integer(allow_none=True)
    name = fields.String()
    scored = fields.Boolean()
    position = fields.Integer()
    criteria = fields.List(fields.Nested(CriterionSchema))


class CatalogueSchema(Schema):
    id = fields.UUID()
    code = fields.String()
    version_label = fields.String()
    name = fields.String()
    language = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date(allow_none=True)
    themes = fields.List(fields.Nested(ThemeSchema))
