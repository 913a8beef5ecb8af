"""HTTP routes, thin: parse with a schema, call a service, serialise with a schema."""

from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from server.api import admin, auth, documents, health, plans, push, sync, units

    for module in (health, auth, units, plans, admin, sync, documents, push):
        api.register_blueprint(module.blp)
