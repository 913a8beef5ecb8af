"""HTTP routes, thin: parse with a schema, call a service, serialise with a schema."""

from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    from server.api import (
        admin,
        auth,
        documents,
        health,
        plans,
        push,
        quality,
        survey_links,
        sync,
        units,
        visits,
    )

    for module in (
        health,
        auth,
        units,
        plans,
        admin,
        sync,
        documents,
        push,
        visits,
        quality,
        survey_links,
    ):
        api.register_blueprint(module.blp)
