"""Sync over HTTP: ``POST /api/sync/pull``, ``POST /api/sync/push`` and conflict resolution.

Thin: schema in, a ``server.services.sync`` call, JSON out. ``docs/sync-protocol.md`` is the
contract.
"""

from __future__ import annotations

import json
import uuid

from flask import Response, current_app, request
from flask.views import MethodView

from server.api.context import authenticated, committed, current_principal, transactional
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.i18n import _
from server.schemas.sync import (
    PullRequestSchema,
    PullResponseSchema,
    PushRequestSchema,
    PushResponseSchema,
    ResolveConflictSchema,
    ResolvedConflictSchema,
)
from server.services.errors import InvalidInput, TooLarge
from server.services.sync import check_schema_version, conflicts
from server.services.sync import pull as sync_pull
from server.services.sync import push as sync_push

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync")


@blp.before_request
def _refuse_large_push():
    # Refused before it is parsed (the app-wide MAX_CONTENT_LENGTH is larger).
    limit = current_app.config["SYNC_MAX_PUSH_BYTES"]
    if request.path.endswith("/push") and (request.content_length or 0) > limit:
        raise TooLarge(
            _(
                "A push body may be %(limit)s bytes at most; send fewer mutations per push.",
                limit=limit,
            ),
            max_bytes=limit,
        )


def _check_version(version: int) -> None:
    config = current_app.config
    check_schema_version(version, config["SYNC_MIN_SCHEMA_VERSION"], config["SYNC_SCHEMA_VERSION"])


def _cursor_key() -> bytes | None:
    """Cursors are signed with the app's secret key (docs/deploy.md); unsigned without one."""
    secret = current_app.config.get("SECRET_KEY")
    if not secret:
        return None
    return secret if isinstance(secret, bytes) else str(secret).encode()


@blp.route("/pull")
class Pull(MethodView):
    decorators = [authenticated]

    @blp.arguments(PullRequestSchema)
    @blp.response(200, PullResponseSchema)
    def post(self, args):
        _check_version(args["schema_version"])
        max_page = current_app.config["SYNC_MAX_PAGE"]
        limit = args["limit"] or max_page
        if limit > max_page:
            raise InvalidInput(
                _("A pull page holds at most %(max_page)s changes.", max_page=max_page),
                fields={"limit": [_("At most %(max_page)s.", max_page=max_page)]},
            )
        page = sync_pull.pull(
            db_session(),
            current_principal(),
            args["cursor"],
            limit,
            client_id=args["client_id"],
            retention_days=current_app.config["TOMBSTONE_RETENTION_DAYS"],
            signing_key=_cursor_key(),
        )
        db_session().rollback()  # read-only: end the snapshot now
        # Serialised directly (compact, keys unsorted) because a page can hold thousands of
        # rows and this is the hot path; changes PostgreSQL wrote as JSON are spliced in as
        # they are. PullResponseSchema documents the shape.
        changes = ",".join(
            c if isinstance(c, str) else json.dumps(c, separators=(",", ":")) for c in page.changes
        )
        rest = {
            "cursor": page.cursor,
            "has_more": page.has_more,
            "last_mutation_id": page.last_mutation_id,
        }
        body = f'{{"changes":[{changes}],{json.dumps(rest, separators=(",", ":"))[1:]}'
        # The next page's cursor in headers too: a client may ask for that page as soon as the
        # headers arrive, while it still reads and applies this one (sync-protocol.md, 4).
        headers = {"Sync-Cursor": page.cursor, "Sync-Has-More": str(page.has_more).lower()}
        return Response(body, mimetype="application/json", headers=headers)


@blp.route("/push")
class Push(MethodView):
    decorators = [authenticated]

    @blp.arguments(PushRequestSchema)
    @blp.response(200, PushResponseSchema)
    @committed  # the push takes the clock itself, after checking its batch
    def post(self, args):
        _check_version(args["schema_version"])
        results = sync_push.push(
            db_session(),
            current_principal(),
            args["client_id"],
            args["mutations"],
            max_mutations=current_app.config["SYNC_MAX_MUTATIONS"],
            gap_wait_seconds=current_app.config["SYNC_GAP_WAIT_SECONDS"],
            schema_version=args["schema_version"],
        )
        # Plain JSON values already, serialised directly like a pull page (a result per
        # mutation, up to 500); PushResponseSchema documents the shape.
        body = json.dumps({"results": results}, separators=(",", ":"))
        return Response(body, mimetype="application/json")


@blp.route("/conflicts/<uuid:conflict_id>/resolve")
class ResolveConflict(MethodView):
    decorators = [authenticated]

    @blp.arguments(ResolveConflictSchema)
    @blp.response(200, ResolvedConflictSchema)
    @transactional
    def post(self, args, conflict_id: uuid.UUID):
        conflict = conflicts.resolve_conflict_by_id(
            db_session(),
            current_principal(),
            conflict_id,
            args["resolution"],
            args["resolved_value"],
        )
        return {
            "id": str(conflict.id),
            "version": conflict.version,
            "status": conflict.status,
            "resolution": conflict.resolution,
            "resolved_value": conflict.resolved_value,
        }
