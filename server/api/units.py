from flask.views import MethodView

from server.api.context import authenticated, current_principal, transactional
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.schemas.org import CatalogueSchema, PersonSchema, UnitCreateSchema, UnitSchema
from server.services import admin
from server.services.catalogues import list_catalogues
from server.services.users import colleagues, describe_unit, visible_units

blp = Blueprint("units", __name__, url_prefix="/api", description="Units and catalogues")


@blp.route("/units")
class Units(MethodView):
    decorators = [authenticated]

    @blp.response(200, UnitSchema(many=True))
    def get(self):
        return visible_units(db_session(), current_principal())

    @blp.arguments(UnitCreateSchema)
    @blp.response(201, UnitSchema)
    @transactional
    def post(self, values):
        """Admins add a unit below one they administer."""
        principal = current_principal()
        unit = admin.create_unit(db_session(), principal, values)
        # Roles flow down to sub-units, so the admin's roles on the new unit are those on the
        # parent they were checked on (the schema requires one; unit.parent_id may be None).
        return describe_unit(unit, principal.roles_by_unit[values["parent_id"]])


@blp.route("/catalogues")
class Catalogues(MethodView):
    decorators = [authenticated]

    @blp.response(200, CatalogueSchema(many=True))
    def get(self):
        return list_catalogues(db_session())


@blp.route("/people")
class People(MethodView):
    decorators = [authenticated]

    @blp.response(200, PersonSchema(many=True))
    def get(self):
        """Names of the people in the user's units and the units above them (no emails)."""
        return colleagues(db_session(), current_principal())
