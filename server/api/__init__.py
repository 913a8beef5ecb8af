"""HTTP routes, thin: parse with a schema, call a service, serialise with a schema."""

from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from server.api import admin, auth, health, plans, units

    for module in (health, auth, units, plans, admin):
        api.register_blueprint(module.blp)
    api.register_blueprint(__import__("server.api.sync", fromlist=["blp"]).blp)  # issue 3
