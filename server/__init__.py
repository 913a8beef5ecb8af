"""Følg server: the Flask app factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import Flask
from flask_smorest import Api

from server.config import load_config, resolve_database_url
from server.extensions import db, migrate
from server.i18n import init_i18n
from server.schemas.common import ErrorSchema

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


class FolgApi(Api):
    # Document our error envelope, not flask-smorest's default one.
    ERROR_SCHEMA = ErrorSchema


def app_version() -> str:
    try:
        return metadata.version("folg")
    except metadata.PackageNotFoundError:
        return "0.0.0+local"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    settings = load_config(config)
    app.config.update(settings)
    app.config["SQLALCHEMY_DATABASE_URI"] = resolve_database_url(
        settings["DATABASE_URL"], app.instance_path
    )
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    app.config.update(
        API_TITLE="Følg API",
        API_VERSION=app_version(),
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
    )
    logging.basicConfig(level=logging.INFO)

    from server import models  # noqa: F401  (every table in one metadata)
    from server.hooks import register_session_hooks

    register_session_hooks()

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    init_i18n(app)
    api = FolgApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})

    from server.api import register_blueprints
    from server.api.errors import register_error_handlers

    register_blueprints(api)
    from server.api.docs import register_api_docs  # Swagger UI from the pinned package

    register_api_docs(app)
    from server.api.survey_page import register_survey_page  # /s/<token>: no login

    register_survey_page(app)
    register_error_handlers(app)

    from server.cli import register_commands

    register_commands(app)
    from server.sync_cli import register_sync_commands

    register_sync_commands(app)
    from server.push.cli import register_push_commands  # issue 6

    register_push_commands(app)

    from server.security import register_security
    from server.web import register_web

    register_web(app)
    register_security(app)
    return app
