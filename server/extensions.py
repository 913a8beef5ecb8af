"""Extensions, created unbound here and bound to an app in ``create_app``."""

import sqlite3
from typing import TYPE_CHECKING, cast

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# Translations of what the server says (server/i18n.py picks the language).
babel = Babel()

# Models subclass ``Model``: Flask-SQLAlchemy's ``db.Model`` at run time, which type checkers
# cannot see through, so they are shown the declarative base it is built on.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def db_session() -> Session:
    """The app context's session. Flask-SQLAlchemy hands out a scoped-session proxy; services
    are typed against the plain Session it stands for."""
    return cast(Session, db.session)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys like PostgreSQL does, let readers run beside the one
    writer (WAL), and wait for a busy writer instead of failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()
