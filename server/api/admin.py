"""Administration of units, users and memberships (admins only, within their units)."""

from flask.views import MethodView

from server.api.context import authenticated, current_principal, transactional
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.schemas.org import (
    AccessHistoryPageSchema,
    AccessHistoryQuerySchema,
    AdminUserSchema,
    GrantSchema,
    MembershipOutSchema,
    UnitSchema,
    UnitUpdateSchema,
    UserCreateSchema,
    UserUpdateSchema,
)
from server.services import admin
from server.services.users import describe_unit

blp = Blueprint("admin", __name__, url_prefix="/api", description="Units, users, memberships")


@blp.route("/units/<uuid:unit_id>")
class UnitById(MethodView):
    decorators = [authenticated]

    @blp.arguments(UnitUpdateSchema)
    @blp.response(200, UnitSchema)
    @transactional
    def patch(self, values, unit_id):
        principal = current_principal()
        unit = admin.update_unit(db_session(), principal, unit_id, values)
        return describe_unit(unit, principal.roles_by_unit[unit.id])


@blp.route("/users")
class Users(MethodView):
    decorators = [authenticated]

    @blp.response(200, AdminUserSchema(many=True))
    def get(self):
        return admin.list_users(db_session(), current_principal())

    @blp.arguments(UserCreateSchema)
    @blp.response(201, AdminUserSchema)
    @transactional
    def post(self, values):
        return admin.create_user(db_session(), current_principal(), values)


@blp.route("/users/<uuid:user_id>")
class UserById(MethodView):
    decorators = [authenticated]

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, AdminUserSchema)
    @transactional
    def patch(self, values, user_id):
        return admin.update_user(db_session(), current_principal(), user_id, values)


@blp.route("/users/<uuid:user_id>/deactivate")
class UserDeactivate(MethodView):
    decorators = [authenticated]

    @blp.response(200, AdminUserSchema)
    @transactional
    def post(self, user_id):
        return admin.deactivate_user(db_session(), current_principal(), user_id)


@blp.route("/memberships")
class Memberships(MethodView):
    decorators = [authenticated]

    @blp.arguments(GrantSchema)
    @blp.response(201, MembershipOutSchema)
    @transactional
    def post(self, values):
        return admin.grant_membership(db_session(), current_principal(), **values)


@blp.route("/memberships/<uuid:membership_id>")
class MembershipById(MethodView):
    decorators = [authenticated]

    @blp.response(204)
    @transactional
    def delete(self, membership_id):
        admin.revoke_membership(db_session(), current_principal(), membership_id)


@blp.route("/admin/audit")
class AccessHistory(MethodView):
    decorators = [authenticated]

    @blp.arguments(AccessHistoryQuerySchema, location="query")
    @blp.response(200, AccessHistoryPageSchema)
    def get(self, filters):
        """Who changed which user, membership, unit or login token, when and how; newest
        first. Admins, for the units they administer; managers, for the role changes of the
        units they manage."""
        return admin.access_history(db_session(), current_principal(), **filters)
