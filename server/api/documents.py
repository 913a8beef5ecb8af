"""Plans as Word documents and items as spreadsheets. Thin views over ``server.documents``.

GET  /api/plans/{id}/export.docx?lang=da|sv|en   the plan in the template's layout;
                                                 &threads=1 adds the dialogue as an appendix,
                                                 &notes=1 each row's progress notes
GET  /api/items/export.csv | export.xlsx         items across readable plans, filtered
POST /api/plans/import                           multipart (file, unit_id, kind) -> preview
POST /api/plans/import/confirm                   the edited preview -> 201 draft plan
"""

from __future__ import annotations

import functools

from flask import g, request
from flask.views import MethodView

from server import documents
from server.api.context import authenticated, current_principal, transactional
from server.api.downloads import download
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.schemas.documents import (
    ImportConfirmSchema,
    ImportFileSchema,
    ImportFormSchema,
    ImportPreviewSchema,
    ImportUploadSchema,
    ItemExportFilterSchema,
    PlanExportSchema,
)
from server.schemas.plans import PlanSchema

blp = Blueprint(
    "documents", __name__, url_prefix="/api", description="Plans as Word documents; spreadsheets"
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Room for the multipart wrapping and form fields around a file at the size limit, so a file
# just over the limit reaches the parser's check and gets its plain message.
UPLOAD_OVERHEAD = 256 * 1024


def _language(query) -> str:
    return query.get("lang") or g.user.language


def allow_docx_upload(view):
    """Raise this request's body limit from the app default to the .docx limit."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        request.max_content_length = documents.MAX_BYTES + UPLOAD_OVERHEAD
        return view(*args, **kwargs)

    return wrapper


@blp.route("/plans/<uuid:plan_id>/export.docx")
class PlanDocx(MethodView):
    decorators = [authenticated]

    @blp.arguments(PlanExportSchema, location="query")
    @blp.response(200, content_type=DOCX, description="The plan as a Word document.")
    def get(self, query, plan_id):
        data, filename = documents.export_plan_docx(
            db_session(),
            current_principal(),
            plan_id,
            _language(query),
            query["threads"],
            query["notes"],
        )
        return download(data, DOCX, filename)


def _items_export_view(file_format: str) -> type[MethodView]:
    class ItemsExport(MethodView):
        decorators = [authenticated]

        @blp.arguments(ItemExportFilterSchema, location="query")
        @blp.response(200, content_type=MEDIA_TYPES[file_format])
        def get(self, query):
            language = _language(query)
            filters = {k: v for k, v in query.items() if k != "lang"}
            data, name = documents.export_items(
                db_session(), current_principal(), file_format, language, **filters
            )
            return download(data, MEDIA_TYPES[file_format], name)

    ItemsExport.__name__ = f"ItemsExport{file_format.title()}"
    ItemsExport.get.__doc__ = (
        f"Items of the plans you may read as {file_format.upper()}, by unit, state, overdue."
    )
    return ItemsExport


for _format in MEDIA_TYPES:
    blp.route(f"/items/export.{_format}")(_items_export_view(_format))


@blp.route("/plans/import")
class PlanImport(MethodView):
    decorators = [authenticated, allow_docx_upload]

    @blp.arguments(ImportFormSchema, location="form")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.doc(requestBody={"content": {"multipart/form-data": {"schema": ImportUploadSchema}}})
    @blp.response(200, ImportPreviewSchema)
    def post(self, form, files):
        """Read a filled-in .docx plan and show what it would become. Saves nothing."""
        data = files["file"].stream.read(documents.MAX_BYTES + 1)
        return documents.preview_import(
            db_session(),
            current_principal(),
            data,
            form["unit_id"],
            form["kind"],
            catalogue_id=form.get("catalogue_id"),
        )


@blp.route("/plans/import/confirm")
class PlanImportConfirm(MethodView):
    decorators = [authenticated]

    @blp.arguments(ImportConfirmSchema)
    @blp.response(201, PlanSchema)
    @transactional
    def post(self, body):
        """Create the draft plan and its items from the (edited) preview, all or nothing."""
        return documents.confirm_import(db_session(), current_principal(), **body)
