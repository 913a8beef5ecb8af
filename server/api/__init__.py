"""HTTP routes, thin: parse with a schema, call a service, serialise with a schema."""

from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from server.api import health

    api.register_blueprint(health.blp)
