"""HTTP routes, thin: parse with a schema, call a service, serialise with a schema."""

from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from server.api import admin, auth, health, plans, units

    for module in (health, auth, units, plans, admin):
        api.register_blueprint(module.blp)

    from server.api import sync  # issue 3

    api.register_blueprint(sync.blp)
    api.register_blueprint(__import__("server.api.documents", fromlist=["blp"]).blp)  # issue 7
    api.register_blueprint(__import__("server.api.push", fromlist=["blp"]).blp)  # issue 6
