from flask.views import MethodView
from flask_smorest import Blueprint

from server.api.context import authenticated, current_principal
from server.extensions import db
from server.schemas.org import CatalogueSchema, UnitSchema
from server.services.catalogues import list_catalogues
from server.services.users import visible_units

blp = Blueprint("units", __name__, url_prefix="/api", description="Units and catalogues")


@blp.route("/units")
class Units(MethodView):
    decorators = [authenticated]

    @blp.response(200, UnitSchema(many=True))
    def get(self):
        return visible_units(db.session, current_principal())


@blp.route("/catalogues")
class Catalogues(MethodView):
    decorators = [authenticated]

    @blp.response(200, CatalogueSchema(many=True))
    def get(self):
        return list_catalogues(db.session)
