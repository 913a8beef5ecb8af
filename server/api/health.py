from flask.views import MethodView

from server import app_version
from server.api.json_body import Blueprint
from server.extensions import db
from server.schemas.common import HealthSchema

blp = Blueprint("health", __name__, url_prefix="/api", description="Liveness")


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        return {
            "status": "ok",
            "database": "postgresql" if db.engine.dialect.name == "postgresql" else "sqlite",
            "version": app_version(),
        }
