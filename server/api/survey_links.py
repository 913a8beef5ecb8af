"""Survey links over REST: the manager's routes, and the respondent's (no login).

    GET    /api/quality/survey-links?unit_id=&survey=&state=   the links (managers)
    POST   /api/quality/survey-links                           make 1..200; tokens shown once
    GET    /api/quality/survey-links/summary?unit_id=          answered / open / ... per survey
    POST   /api/quality/survey-links/<id>/reissue              a new token (to send again)
    POST   /api/quality/survey-links/<id>/withdraw
    GET    /api/public/surveys/<token>                         the questions (no login)
    POST   /api/public/surveys/<token>                         the answers, once

The respondent's page at ``/s/<token>`` (``server/api/survey_page.py``) uses the same service.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for
from flask.views import MethodView

from server import clock
from server.api.context import authenticated, committed, current_principal, transactional
from server.api.json_body import Blueprint
from server.extensions import db_session
from server.i18n import force_locale, refresh_locale
from server.models.survey_links import LINK_LANGUAGES
from server.schemas import survey_links as schemas
from server.services import survey_links
from server.services.survey_links import IssuedLink

blp = Blueprint(
    "survey_links",
    __name__,
    url_prefix="/api",
    description="Survey links: a questionnaire answered once, without an account",
)


def client_address() -> str:
    return request.remote_addr or "unknown"


def issued(issued_link: IssuedLink) -> dict[str, Any]:
    """A link with its token and the address to send, for the one answer that shows them."""
    link = issued_link.link
    shown = {name: getattr(link, name) for name in schemas.SurveyLinkSchema._declared_fields}
    return {
        **shown,
        "token": issued_link.token,
        "url": url_for("survey_page.survey_page", token=issued_link.token, _external=True),
    }


@blp.route("/quality/survey-links")
class SurveyLinks(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.SurveyLinkFilterSchema, location="query")
    @blp.response(200, schemas.SurveyLinkSchema(many=True))
    def get(self, query):
        """The links of a unit (and the enheter below it), oldest first; ``state=open`` is the
        re-send list."""
        return survey_links.list_links(db_session(), current_principal(), **query)

    @blp.arguments(schemas.SurveyLinkCreateSchema)
    @blp.response(201, schemas.SurveyIssuedLinksSchema)
    @transactional
    def post(self, values):
        """Make ``count`` links (or one for a closed case). Each token is in this answer only."""
        made = survey_links.create_links(db_session(), current_principal(), values, clock.now())
        return {"links": [issued(i) for i in made]}


@blp.route("/quality/survey-links/summary")
class SurveyLinkSummary(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.SurveyLinkSummaryQuerySchema, location="query")
    @blp.response(200, schemas.SurveyLinkCountsSchema(many=True))
    def get(self, query):
        """Per survey: links made, answered, open, expired, withdrawn."""
        return survey_links.link_summary(
            db_session(), current_principal(), query["unit_id"], clock.now().date()
        )


@blp.route("/quality/survey-links/<uuid:link_id>/reissue")
class SurveyLinkReissue(MethodView):
    decorators = [authenticated]

    @blp.arguments(schemas.SurveyLinkReissueSchema)
    @blp.response(200, schemas.SurveyIssuedLinkSchema)
    @transactional
    def post(self, body, link_id):
        """A new token for an unanswered link, to send as a reminder; the old one stops working."""
        return issued(
            survey_links.reissue_link(
                db_session(), current_principal(), link_id, body.get("expires_on"), clock.now()
            )
        )


@blp.route("/quality/survey-links/<uuid:link_id>/withdraw")
class SurveyLinkWithdraw(MethodView):
    decorators = [authenticated]

    @blp.response(200, schemas.SurveyLinkSchema)
    @transactional
    def post(self, link_id):
        """Withdraw an unanswered link: whoever opens it is told so."""
        return survey_links.withdraw_link(db_session(), current_principal(), link_id, clock.now())


def as_nobody() -> None:
    """A respondent has no account: no user's language (nor any left on ``g``) decides."""
    g.pop("user", None)
    refresh_locale()


def link_language(link_language: str) -> str:
    asked = request.args.get("lang", "")
    return asked if asked in LINK_LANGUAGES else link_language


@blp.route("/public/surveys/<string:token>")
class PublicSurvey(MethodView):
    """No login: the token is the key. Messages are in the link's language (or ``?lang=``)."""

    @blp.response(200, schemas.PublicSurveySchema)
    @committed
    def get(self, token):
        """The questions of an open link."""
        as_nobody()
        session, now = db_session(), clock.now()
        link = survey_links.find_link(session, token, client_address(), now)
        language = link_language(link.language)
        with force_locale(language):
            survey_links.refuse_unless_open(session, link, now.date())
        return {
            "survey": link.survey,
            "language": language,
            "expires_on": link.expires_on,
            "questions": survey_links.questions_of(session, link),
        }

    @blp.arguments(schemas.PublicAnswerSchema)
    @blp.response(201, schemas.PublicAnsweredSchema)
    @committed
    def post(self, body, token):
        """Answer once; a second answer is refused (409 ``invalid_state``, ``link_state``)."""
        as_nobody()
        session, now = db_session(), clock.now()
        link = survey_links.find_link(session, token, client_address(), now)
        with force_locale(link_language(link.language)):
            response = survey_links.answer_link(session, link, body["answers"], now)
        return {"answered_on": response.answered_on}
