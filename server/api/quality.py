"""The Swedish quality follow-up over REST. Each view: schema in, service call, schema out.

Every synced table has the same five routes under ``/api/quality/<resource>``: list (by
``unit_id``), create, read, partial update and delete; the rules are in
``server/services/quality.py``, shared with the sync push. Besides: default content for a
verksamhet, the egenkontroll's default checklists, the årshjul of a year, a measure's
aggregate, CSV import of values, the tertial compilation, the yearly analysis, what the
sammanvägd bedömning of a year is drawn from, and the kvalitetsberättelse (HTML or .docx):
the draft, and the versions adopted and kept as they were.
"""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema

from server.api.context import authenticated, current_principal, transactional
from server.api.downloads import download
from server.api.json_body import Blueprint
from server.documents.adopted_reports import adopt_report, get_adopted, list_adopted
from server.documents.quality_report import (
    DOCX,
    build_report,
    render_docx,
    render_html,
    report_filename,
)
from server.extensions import db_session
from server.schemas import quality as schemas
from server.services import (
    quality,
    quality_analysis,
    quality_compilation,
    quality_cycle,
    quality_levels,
    quality_measures,
    quality_selfinspection,
)

blp = Blueprint(
    "quality", __name__, url_prefix="/api/quality", description="Swedish quality follow-up"
)

# resource path -> (table, output schema class)
RESOURCES: dict[str, tuple[str, type[Schema]]] = {
    "areas": ("quality_areas", schemas.AreaSchema),
    "measures": ("quality_measures", schemas.MeasureSchema),
    "measure-values": ("measure_values", schemas.MeasureValueSchema),
    "register": ("register_entries", schemas.RegisterEntrySchema),
    "cases": ("case_records", schemas.CaseRecordSchema),
    "survey-questions": ("survey_questions", schemas.SurveyQuestionSchema),
    "survey-responses": ("survey_responses", schemas.SurveyResponseSchema),
    "annual-tasks": ("annual_tasks", schemas.AnnualTaskSchema),
    "links": ("quality_links", schemas.LinkSchema),
    # The follow-up levels of seed 003 (server/models/quality_levels.py).
    "assignment-follow-ups": ("assignment_follow_ups", schemas.AssignmentFollowUpSchema),
    "follow-up-deviations": ("follow_up_deviations", schemas.DeviationSchema),
    "thematic-follow-ups": ("thematic_follow_ups", schemas.ThematicFollowUpSchema),
    "thematic-results": ("thematic_results", schemas.ThematicResultSchema),
    "overall-assessments": ("overall_assessments", schemas.OverallAssessmentSchema),
    "risk-analyses": ("risk_analyses", schemas.RiskAnalysisSchema),
    "checklists": ("checklists", schemas.ChecklistSchema),
    "checklist-runs": ("checklist_runs", schemas.ChecklistRunSchema),
    "checklist-answers": ("checklist_answers", schemas.ChecklistAnswerSchema),
}


def _partial(table: str) -> Schema:
    write = type(schemas.WRITE_SCHEMAS[table])
    named = type(f"{write.__name__.replace('Write', 'Update')}", (write,), {})
    return named(partial=True)


def _collection_view(table: str, out: type[Schema]) -> type[MethodView]:
    write = type(schemas.WRITE_SCHEMAS[table])

    class Collection(MethodView):
        decorators = [authenticated]

        @blp.arguments(schemas.RowFilterSchema, location="query")
        @blp.response(200, out(many=True))
        def get(self, filters):
            return quality.list_rows(db_session(), current_principal(), table, **filters)

        @blp.arguments(write)
        @blp.response(201, out)
        @transactional
        def post(self, values):
            writer = quality.TABLES[table]
            return writer.create(db_session(), current_principal(), values, values.get("id"))

    Collection.__name__ = f"Quality{table.title().replace('_', '')}"
    return Collection


def _row_view(table: str, out: type[Schema]) -> type[MethodView]:
    update = _partial(table)

    class Row(MethodView):
        decorators = [authenticated]

        @blp.response(200, out)
        def get(self, row_id):
            return quality.get_row(db_session(), current_principal(), table, row_id)

        @blp.arguments(update)
        @blp.response(200, out)
        @transactional
        def patch(self, values, row_id):
            principal = current_principal()
            row = quality.get_row(db_session(), principal, table, row_id)
            return quality.TABLES[table].update(db_session(), principal, row, values)

        @blp.response(204)
        @transactional
        def delete(self, row_id):
            principal = current_principal()
            row = quality.get_row(db_session(), principal, table, row_id)
            quality.TABLES[table].delete(db_session(), principal, row)

    Row.__name__ = f"Quality{table.title().replace('_', '')}ById"
    return Row


for _path, (_table, _out) in RESOURCES.items():
    blp.route(f"/{_path}")(_collection_view(_table, _out))
    blp.route(f"/{_path}/<uuid:row_id>")(_row_view(_table, _out))


@blp.route("/defaults")
class Defaults(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.VerksamhetSchema)
    @blp.response(200, schemas.DefaultsResultSchema)
    @transactional
    def post(self, body):
        """Add seed 003's quality areas, example measures and survey questions where missing."""
        return quality_cycle.create_default_content(
            db_session(), current_principal(), body["unit_id"]
        )


@blp.route("/checklists/defaults")
class ChecklistDefaults(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.VerksamhetSchema)
    @blp.response(200, schemas.ChecklistDefaultsResultSchema)
    @transactional
    def post(self, body):
        """Add the egenkontroll checklists of seed 003 (loggkontroll, dokumentation, brandskydd,
        basal hygien) that the unit lacks."""
        return quality_selfinspection.create_default_checklists(
            db_session(), current_principal(), body["unit_id"]
        )


@blp.route("/annual-cycle")
class AnnualCycle(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.UnitYearSchema)
    @blp.response(201, schemas.AnnualTaskSchema(many=True))
    @transactional
    def post(self, body):
        """Add the årshjul of seed 004 for a year (tasks already there are kept)."""
        return quality_cycle.create_default_cycle(
            db_session(), current_principal(), body["unit_id"], body["year"]
        )


@blp.route("/measures/<uuid:measure_id>/aggregate")
class MeasureAggregate(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.AggregateQuerySchema, location="query")
    @blp.response(200, schemas.AggregateSchema)
    def get(self, query, measure_id):
        """The measure for the whole uppdrag in a period, by its aggregation rule."""
        return quality_measures.aggregate_measure(
            db_session(), current_principal(), measure_id, query["period"]
        )


@blp.route("/measure-values/import")
class MeasureValueImport(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.ValueImportSchema)
    @blp.response(200, schemas.ImportResultSchema)
    @transactional
    def post(self, body):
        """Import values from CSV (enhet;mått;period;värde;täljare;nämnare;kommentar)."""
        return quality_measures.import_values(
            db_session(), current_principal(), body["unit_id"], body["csv"]
        )


@blp.route("/compilation")
class Compilation(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.CompilationQuerySchema, location="query")
    @blp.response(200, schemas.CompilationSchema)
    def get(self, query):
        """Counts of the individual follow-up for a tertial or a year, per enhet and in all."""
        return quality_compilation.compile_cases(db_session(), current_principal(), **query)


@blp.route("/overall-assessments/basis")
class AssessmentBasis(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.UnitYearSchema, location="query")
    @blp.response(200, schemas.AssessmentBasisSchema)
    def get(self, query):
        """What the sammanvägd bedömning of a year is drawn from: counts per follow-up level
        for the unit and the units below it that the caller reads."""
        return quality_levels.assessment_basis(
            db_session(), current_principal(), query["unit_id"], query["year"]
        )


@blp.route("/report")
class QualityReport(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.ReportQuerySchema, location="query")
    @blp.response(200)
    def get(self, query):
        """A draft kvalitetsberättelse for a year, as HTML or .docx."""
        report = build_report(db_session(), current_principal(), query["unit_id"], query["year"])
        name = report_filename(report)
        if query["format"] == "docx":
            return download(render_docx(report), DOCX, f"{name}.docx")
        return download(render_html(report), "text/html; charset=utf-8", f"{name}.html", True)


@blp.route("/analysis")
class Analysis(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.AnalysisQuerySchema, location="query")
    @blp.response(200, schemas.AnalysisSchema)
    def get(self, query):
        """Seed 004's analysis: outcomes per tertial and year, by group of clients (small
        groups withheld), against earlier years; the measures' years and key figures."""
        return quality_analysis.analyse(db_session(), current_principal(), **query)


@blp.route("/reports")
class AdoptedReports(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.AdoptQuerySchema, location="query")
    @blp.response(200, schemas.AdoptedReportSchema(many=True))
    def get(self, query):
        """The adopted versions of a unit's kvalitetsberättelser, newest first."""
        return list_adopted(db_session(), current_principal(), query["unit_id"], query.get("year"))

    @blp.arguments(schemas.AdoptWriteSchema)
    @blp.response(201, schemas.AdoptedReportSchema)
    @transactional
    def post(self, body):
        """Adopt (fastställ) the kvalitetsberättelse of a year as it stands: stored, kept."""
        return adopt_report(db_session(), current_principal(), **body)


@blp.route("/reports/<uuid:report_id>")
class AdoptedReportDocument(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.AdoptedFormatSchema, location="query")
    @blp.response(200)
    def get(self, query, report_id):
        """An adopted version, exactly as it was adopted (HTML or .docx)."""
        row = get_adopted(db_session(), current_principal(), report_id)
        if query["format"] == "docx":
            return download(row.docx, DOCX, f"{row.filename}.docx")
        return download(row.html, "text/html; charset=utf-8", f"{row.filename}.html", True)
