"""Schemas for login, users, units and catalogues."""

from marshmallow import Schema, fields, validate

from server.models.access_audit import ACCESS_TABLES_BY_KIND
from server.models.org import ROLES
from server.schemas.common import StrictSchema, Text, one_of


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


class PersonSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    unit_ids = fields.List(fields.UUID())


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
    # The legal source of the version, and where its dates come from (null: unsourced).
    source = fields.String(allow_none=True)
    dates_source = fields.String(allow_none=True)
    themes = fields.List(fields.Nested(ThemeSchema))


UNIT_KINDS = ("dk_tilbud", "dk_afdeling", "dk_plejefamilie", "se_verksamhet", "se_enhet")
FAMILY_TYPES = ("almen", "forstaerket", "specialiseret", "netvaerk")


class UnitCreateSchema(StrictSchema):
    parent_id = fields.UUID(required=True)
    name = Text(200, min_length=1, required=True)
    kind = fields.String(required=True, validate=one_of(UNIT_KINDS))
    foster_family_type = fields.String(allow_none=True, validate=one_of(FAMILY_TYPES))


class UnitUpdateSchema(StrictSchema):
    name = Text(200, min_length=1)
    foster_family_type = fields.String(allow_none=True, validate=one_of(FAMILY_TYPES))


class MembershipWriteSchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=one_of(ROLES))


class GrantSchema(MembershipWriteSchema):
    user_id = fields.UUID(required=True)


class UserCreateSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = Text(200, min_length=1, required=True)
    password = Text(1024, min_length=8, required=True)
    language = fields.String(validate=one_of(("da", "sv", "en")))
    memberships = fields.List(fields.Nested(MembershipWriteSchema), required=True)


class UserUpdateSchema(StrictSchema):
    """Only the fields given change; ``password`` sets a new one and ends the user's
    sessions, as ``active: false`` does."""

    email = fields.Email(validate=validate.Length(max=254))
    name = Text(200, min_length=1)
    password = Text(1024, min_length=8, load_only=True)
    language = fields.String(validate=one_of(("da", "sv", "en")))
    active = fields.Boolean()


class MembershipOutSchema(Schema):
    id = fields.UUID()
    user_id = fields.UUID()
    unit_id = fields.UUID()
    role = fields.String()


class AdminUserSchema(Schema):
    id = fields.UUID()
    email = fields.String()
    name = fields.String()
    language = fields.String()
    active = fields.Boolean()
    memberships = fields.List(fields.Nested(MembershipOutSchema))


ACCESS_KINDS = tuple(ACCESS_TABLES_BY_KIND)
MAX_HISTORY_PAGE = 500


class AccessHistoryQuerySchema(StrictSchema):
    kind = fields.String(validate=one_of(ACCESS_KINDS))
    row_id = fields.UUID(metadata={"description": "The user, membership, unit or token."})
    actor_id = fields.UUID(metadata={"description": "Who made the change."})
    subject_user_id = fields.UUID(
        metadata={
            "description": "The user the change is about: their user row, memberships, tokens."
        }
    )
    unit_id = fields.UUID(metadata={"description": "A unit you administer."})
    since = fields.AwareDateTime(metadata={"description": "Changes at or after this time."})
    before = fields.UUID(metadata={"description": "The next_before of the previous page."})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_HISTORY_PAGE))


class AccessEventSchema(Schema):
    id = fields.UUID()
    at = fields.AwareDateTime()
    actor_id = fields.UUID(allow_none=True, metadata={"description": "None for the CLI."})
    actor_name = fields.String(allow_none=True)
    via = fields.String(metadata={"description": "rest or cli"})
    kind = fields.String(metadata={"description": ", ".join(ACCESS_KINDS)})
    row_id = fields.UUID()
    unit_id = fields.UUID(allow_none=True)
    subject_user_id = fields.UUID(allow_none=True)
    subject_user_name = fields.String(allow_none=True)
    action = fields.String(metadata={"description": "create, update, delete or revoke"})
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw(allow_none=True)),
        metadata={"description": "{field: [old, new]}; a new password shows as (changed)."},
    )


class AccessHistoryPageSchema(Schema):
    events = fields.List(fields.Nested(AccessEventSchema))
    next_before = fields.UUID(allow_none=True)
