"""The respondent's page: ``/s/<token>``, a plain HTML form that works on a 360 px phone.

No login, no script, no cookie: the server renders the questions (Jinja, autoescaped: text
is never markup, as ``pwa/src/js/ui/dom.js`` keeps it in the app) and takes the answers as an
ordinary form POST, so the page keeps the app's Content-Security-Policy (no inline script or
style; its stylesheet is ``/s/survey.css``) and works on any phone browser. Everything goes
through ``server/services/survey_links.py``, as the JSON routes do.

    GET  /s/<token>[?lang=sv|da|en]   the form, or why the link cannot be answered
    POST /s/<token>                   answers: thanks (201), or the form again with each
                                      problem beside its question and every answer kept (422)

The language is the link's (the manager chose it), which ``?lang=`` overrides; an unknown
token is answered in the browser's language. Unknown tokens count as guesses of the address
(429 past the free ones). The PWA's service worker leaves ``/s/`` to the network
(``pwa/build.mjs``), so a phone with the app installed still gets this page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from flask import Blueprint, Flask, Response, render_template, request

from server import clock
from server.api.survey_links import as_nobody, client_address
from server.extensions import db_session
from server.i18n import LANGUAGES, _l, force_locale, select_locale
from server.models.survey_links import LINK_LANGUAGES
from server.services import survey_links
from server.services.errors import FolgError, InvalidInput, NotFound, RateLimited

TEMPLATES = Path(__file__).parent / "survey_templates"
blp = Blueprint("survey_page", __name__, template_folder="survey_templates")

# Every word of the page, translated in server/translations like the API's messages.
WORDS = {
    "title_end_of_intervention": _l("Questions after your intervention"),
    "title_annual": _l("Yearly questionnaire"),
    "intro": _l(
        "Your answers help us to improve. Answer the questions you want to; you can leave any "
        "of them empty. The link works once, and you need no account."
    ),
    "anonymous": _l(
        "Do not write names, personal identity numbers or phone numbers in your answers."
    ),
    "last_day": _l("Answer by %(date)s at the latest."),
    "scale_hint": _l("1 means not at all, 5 means completely."),
    "yes": _l("Yes"),
    "no": _l("No"),
    "send": _l("Send my answers"),
    "errors_title": _l("Some answers need another look"),
    "thanks_title": _l("Thank you!"),
    "thanks": _l("Your answers have been saved. You can close this page now."),
    "refused_title": _l("The survey cannot be opened"),
    "language": _l("Language"),
    "page_title": _l("Survey"),
}
LANGUAGE_NAMES = {"sv": "Svenska", "da": "Dansk", "en": "English"}


def _words() -> dict[str, Any]:
    return {key: str(value) for key, value in WORDS.items()}


def _page(template: str, status: int, language: str, **context: Any) -> Response:
    token = context.get("token")
    with force_locale(language):
        html = render_template(
            f"survey/{template}",
            lang=language,
            words=_words(),
            languages=[
                (code, LANGUAGE_NAMES[code], f"/s/{token}?lang={code}" if token else None)
                for code in LINK_LANGUAGES
            ],
            **context,
        )
    response = Response(html, status=status, mimetype="text/html")
    # The address holds the token: no cache of any kind keeps the page or the answers.
    response.headers["Cache-Control"] = "no-store"
    return response


def _refused(error: FolgError, language: str) -> Response:
    response = _page("message.html", error.status, language, message=error.message)
    if isinstance(error, RateLimited) and error.extra.get("retry_after_seconds") is not None:
        response.headers["Retry-After"] = str(error.extra["retry_after_seconds"])
    return response


def _asked_language(default: str) -> str:
    asked = request.args.get("lang", "")
    return asked if asked in LINK_LANGUAGES else default


@blp.route("/s/<string:token>", methods=["GET", "POST"])
def survey_page(token: str) -> Response:
    as_nobody()
    session, now = db_session(), clock.now()
    browser_language = _asked_language(select_locale() if select_locale() in LANGUAGES else "en")
    try:
        link = survey_links.find_link(session, token, client_address(), now)
    except (NotFound, RateLimited) as error:
        return _refused(error, browser_language)
    language = _asked_language(link.language)
    questions = survey_links.questions_of(session, link)
    form = {str(q.id): request.form.get(str(q.id), "") for q in questions}
    context = {
        "token": token,
        "survey": link.survey,
        "expires_text": format_date(link.expires_on, format="long", locale=language),
        "questions": questions,
        "values": form,
        "problems": {},
        "general_problem": None,
    }
    with force_locale(language):
        try:
            if request.method == "GET":
                survey_links.refuse_unless_open(session, link, now.date())
                return _page("form.html", 200, language, **context)
            answers = survey_links.read_form(questions, form)
            survey_links.answer_link(session, link, answers, now)
            session.commit()
        except InvalidInput as error:
            session.rollback()
            prefix = "answers."
            context["problems"] = {
                field[len(prefix) :]: reasons
                for field, reasons in error.fields.items()
                if field.startswith(prefix)
            }
            context["general_problem"] = "; ".join(error.fields.get("answers", [])) or None
            return _page("form.html", 422, language, **context)
        except FolgError as error:
            session.rollback()
            return _refused(error, language)
    return _page("thanks.html", 201, language)


@blp.get("/s/survey.css")
def survey_css() -> Response:
    response = Response(_read(TEMPLATES / "survey.css"), mimetype="text/css")
    response.headers["Cache-Control"] = "no-cache"
    return response


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def register_survey_page(app: Flask) -> None:
    app.register_blueprint(blp)
