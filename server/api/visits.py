"""Inspection visits over REST. Each view: schema in, service call, schema out.

GET/POST          /api/visits                          ?unit_id=
GET/PATCH/DELETE  /api/visits/{id}
GET/POST          /api/visits/{id}/findings
GET/PATCH/DELETE  /api/findings/{id}
POST              /api/findings/{id}/to-item           the manager's one step to a plan item
GET/POST          /api/visits/{id}/photos              photo records (bytes: /api/photos)
DELETE            /api/visit-photos/{id}
GET               /api/visits/{id}/summary             per theme: findings, rating averages
GET               /api/visits/{id}/report.docx         the summary as a Word document
GET/POST          /api/items/{id}/comments             inspectors' comments (append-only)
GET/POST          /api/items/{id}/extensions           recorded deadline extensions
PUT               /api/photos/{sha256}                 resumable, idempotent upload (also the
                                                       bytes of a plan row's attachments)
GET               /api/photos/{sha256}/upload          how far an upload got
GET               /api/photos/{sha256}                 the (stripped) bytes
"""

from __future__ import annotations

import io

from flask import g, request, send_file
from flask.views import MethodView
from marshmallow import EXCLUDE, Schema, fields, validate

from server.api.context import authenticated, current_principal, transactional
from server.api.downloads import download
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.models.visits import PHOTO_TYPES
from server.schemas.documents import ExportLanguageSchema
from server.schemas.plans import ItemSchema
from server.schemas.visits import (
    CommentCreateSchema,
    CommentSchema,
    ExtensionCreateSchema,
    ExtensionSchema,
    FindingCreateSchema,
    FindingSchema,
    FindingToItemSchema,
    FindingUpdateSchema,
    PhotoCreateSchema,
    PhotoSchema,
    UploadStatusSchema,
    VisitFilterSchema,
    VisitSchema,
    VisitSummarySchema,
    VisitUpdateSchema,
    VisitWriteSchema,
)
from server.services import photos, plans, visits
from server.services.visit_report import DOCX, visit_report

blp = Blueprint("visits", __name__, url_prefix="/api", description="Inspection visits")

SHA256 = "<string(length=64):sha256>"


@blp.route("/visits")
class Visits(MethodView):
    decorators = [authenticated]

    @blp.arguments(VisitFilterSchema, location="query")
    @blp.response(200, VisitSchema(many=True))
    def get(self, filters):
        return visits.list_visits(db_session(), current_principal(), **filters)

    @blp.arguments(VisitWriteSchema)
    @blp.response(201, VisitSchema)
    @transactional
    def post(self, values):
        return visits.create_visit(db_session(), current_principal(), values, values.get("id"))


@blp.route("/visits/<uuid:visit_id>")
class VisitById(MethodView):
    decorators = [authenticated]

    @blp.response(200, VisitSchema)
    def get(self, visit_id):
        return visits.get_visit(db_session(), current_principal(), visit_id)

    @blp.arguments(VisitUpdateSchema)
    @blp.response(200, VisitSchema)
    @transactional
    def patch(self, values, visit_id):
        principal = current_principal()
        visit = visits.get_visit(db_session(), principal, visit_id)
        return visits.update_visit(db_session(), principal, visit, values)

    @blp.response(204)
    @transactional
    def delete(self, visit_id):
        principal = current_principal()
        visit = visits.get_visit(db_session(), principal, visit_id)
        visits.delete_visit(db_session(), principal, visit)


@blp.route("/visits/<uuid:visit_id>/findings")
class VisitFindings(MethodView):
    decorators = [authenticated]

    @blp.response(200, FindingSchema(many=True))
    def get(self, visit_id):
        session = db_session()
        return visits.with_item_ids(
            session, visits.list_findings(session, current_principal(), visit_id)
        )

    @blp.arguments(FindingCreateSchema)
    @blp.response(201, FindingSchema)
    @transactional
    def post(self, values, visit_id):
        principal = current_principal()
        visits.get_visit(db_session(), principal, visit_id)
        values = {**values, "visit_id": visit_id}
        finding = visits.create_finding(db_session(), principal, values, values.get("id"))
        return visits.with_item_ids(db_session(), [finding])[0]


@blp.route("/findings/<uuid:finding_id>")
class FindingById(MethodView):
    decorators = [authenticated]

    @blp.response(200, FindingSchema)
    def get(self, finding_id):
        session = db_session()
        finding = visits.get_finding(session, current_principal(), finding_id)
        return visits.with_item_ids(session, [finding])[0]

    @blp.arguments(FindingUpdateSchema)
    @blp.response(200, FindingSchema)
    @transactional
    def patch(self, values, finding_id):
        principal = current_principal()
        finding = visits.get_finding(db_session(), principal, finding_id)
        finding = visits.update_finding(db_session(), principal, finding, values)
        return visits.with_item_ids(db_session(), [finding])[0]

    @blp.response(204)
    @transactional
    def delete(self, finding_id):
        principal = current_principal()
        finding = visits.get_finding(db_session(), principal, finding_id)
        visits.delete_finding(db_session(), principal, finding)


@blp.route("/findings/<uuid:finding_id>/to-item")
class FindingToItem(MethodView):
    decorators = [authenticated]

    @blp.arguments(FindingToItemSchema)
    @blp.response(201, ItemSchema)
    @transactional
    def post(self, values, finding_id):
        """Turn the finding into an item of a plan of its unit, prefilled and linked."""
        principal = current_principal()
        finding = visits.get_finding(db_session(), principal, finding_id)
        return visits.finding_to_item(db_session(), principal, finding, values)


@blp.route("/visits/<uuid:visit_id>/photos")
class VisitPhotos(MethodView):
    decorators = [authenticated]

    @blp.response(200, PhotoSchema(many=True))
    def get(self, visit_id):
        return visits.list_photos(db_session(), current_principal(), visit_id)

    @blp.arguments(PhotoCreateSchema)
    @blp.response(201, PhotoSchema)
    @transactional
    def post(self, values, visit_id):
        principal = current_principal()
        visits.get_visit(db_session(), principal, visit_id)
        values = {**values, "visit_id": visit_id}
        return visits.create_photo(db_session(), principal, values, values.get("id"))


@blp.route("/visit-photos/<uuid:photo_id>")
class VisitPhotoById(MethodView):
    decorators = [authenticated]

    @blp.response(204)
    @transactional
    def delete(self, photo_id):
        principal = current_principal()
        photo = visits.get_photo(db_session(), principal, photo_id)
        visits.delete_photo(db_session(), principal, photo)


@blp.route("/visits/<uuid:visit_id>/summary")
class VisitSummary(MethodView):
    decorators = [authenticated]

    @blp.response(200, VisitSummarySchema)
    def get(self, visit_id):
        principal = current_principal()
        visit = visits.get_visit(db_session(), principal, visit_id)
        return visits.visit_summary(db_session(), principal, visit)


@blp.route("/visits/<uuid:visit_id>/report.docx")
class VisitReport(MethodView):
    decorators = [authenticated]

    @blp.arguments(ExportLanguageSchema, location="query")
    @blp.response(200, content_type=DOCX)
    def get(self, query, visit_id):
        """The visit summary as a Word document: the spindelvæv, a table per theme."""
        data, name = visit_report(
            db_session(), current_principal(), visit_id, query.get("lang") or g.user.language
        )
        return download(data, DOCX, name)


@blp.route("/items/<uuid:item_id>/comments")
class ItemComments(MethodView):
    decorators = [authenticated]

    @blp.response(200, CommentSchema(many=True))
    def get(self, item_id):
        return visits.list_comments(db_session(), current_principal(), item_id)

    @blp.arguments(CommentCreateSchema)
    @blp.response(201, CommentSchema)
    @transactional
    def post(self, values, item_id):
        principal = current_principal()
        plans.get_item(db_session(), principal, item_id)
        values = {**values, "item_id": item_id}
        return visits.add_comment(db_session(), principal, values, values.get("id"))


@blp.route("/items/<uuid:item_id>/extensions")
class ItemExtensions(MethodView):
    decorators = [authenticated]

    @blp.response(200, ExtensionSchema(many=True))
    def get(self, item_id):
        return visits.list_extensions(db_session(), current_principal(), item_id)

    @blp.arguments(ExtensionCreateSchema)
    @blp.response(201, ExtensionSchema)
    @transactional
    def post(self, values, item_id):
        principal = current_principal()
        plans.get_item(db_session(), principal, item_id)
        values = {**values, "item_id": item_id}
        return visits.add_extension(db_session(), principal, values, values.get("id"))


# ---- photo bytes ---------------------------------------------------------------------------


class UploadHeadersSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    content_type = fields.String(data_key="Content-Type", required=True)
    upload_length = fields.Integer(
        data_key="Upload-Length", required=True, validate=validate.Range(min=1)
    )
    upload_offset = fields.Integer(
        data_key="Upload-Offset", load_default=0, validate=validate.Range(min=0)
    )


@blp.route(f"/photos/{SHA256}")
class PhotoBytes(MethodView):
    decorators = [authenticated]

    @blp.arguments(UploadHeadersSchema, location="headers")
    @blp.response(200, UploadStatusSchema)
    def put(self, headers, sha256):
        """Upload a photo, or the next piece of it. Idempotent: a complete photo stays."""
        content_type = headers["content_type"].split(";")[0].strip().lower()
        try:
            outcome = photos.receive_piece(
                db_session(),
                current_principal(),
                sha256,
                content_type,
                headers["upload_length"],
                headers["upload_offset"],
                request.get_data(cache=False),
            )
            # Committed even when the outcome is an error: a corrupt upload is dropped for good.
            db_session().commit()
        except BaseException:
            db_session().rollback()
            raise
        if outcome.error is not None:
            raise outcome.error
        return outcome.blob

    @blp.response(200, content_type="image/jpeg")
    def get(self, sha256):
        """The photo's (or attachment's) bytes, with their metadata stripped. A PDF comes as a
        download, never shown inside the app's origin."""
        blob = photos.read_photo(db_session(), current_principal(), sha256)
        download = blob.content_type not in PHOTO_TYPES
        return send_file(
            io.BytesIO(blob.data),
            mimetype=blob.content_type,
            max_age=86400,
            as_attachment=download,
            download_name=f"{sha256[:16]}.pdf" if download else None,
        )


@blp.route(f"/photos/{SHA256}/upload")
class PhotoUploadStatus(MethodView):
    decorators = [authenticated]

    @blp.response(200, UploadStatusSchema)
    def get(self, sha256):
        return photos.upload_status(db_session(), current_principal(), sha256)
