"""What the server says to people, in their language: gettext through Flask-Babel.

    _("No such plan.")                     translate now (in a request: the request's language)
    _l("No such plan.")                    translate when shown (module-level constants)
    _("At most %(n)s rows.", n=500)        named %-placeholders, so a translator may move them
    with force_locale("sv"): ...           background work, in the recipient's language

The language of a request (``select_locale``): the language the app shows its person
(``X-Folg-Language``, sent by the PWA, whose own switch need not match the account), else the
signed-in user's own setting (``User.language``, never empty), else the best of da, sv, en in
``Accept-Language``, else English. A unit's country would come next, but a request with a
known user always has the user's language, and one without a user has
no unit, so that step would never decide anything.

Outside an app context these return the English source text, so domain code and its tests
need no app. Stable codes (``error``, field names) are never translated; ``message`` and the
reasons in ``fields`` are. Catalogues: ``server/translations`` (``make messages``;
docs/translation.md).

marshmallow writes its own messages in English ("Length must be between 0 and 10000.");
``localize_reasons`` translates them where every error envelope is built, by matching the
formatted text against marshmallow's templates (``MARSHMALLOW_MESSAGES``) and translating the
template, so its values ({min}, {max}, {choices}) survive whatever schema, field or library
(webargs, flask-smorest) raised it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from babel import Locale, default_locale
from flask import Flask, g, has_request_context, request
from flask_babel import force_locale, gettext, lazy_gettext, ngettext
from flask_babel import refresh as refresh_locale

from server.extensions import babel

LANGUAGES = ("da", "sv", "en")
DEFAULT_LANGUAGE = "en"
# Sent by the PWA on every call with the language it shows (pwa/src/js/http.js).
APP_LANGUAGE_HEADER = "X-Folg-Language"

_ = gettext
_l = lazy_gettext

__all__ = [
    "LANGUAGES",
    "MARSHMALLOW_MESSAGES",
    "N_",
    "_",
    "_l",
    "force_locale",
    "gettext",
    "init_i18n",
    "lazy_gettext",
    "localize_reasons",
    "ngettext",
    "no_such",
    "refresh_locale",
    "select_locale",
]


def N_(message: str) -> str:
    """Mark a message for the catalogue without translating it here (it is translated later)."""
    return message


def select_locale() -> str:
    """The language of this request (see the module docstring); a command (``flask ...``)
    speaks the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as gettext tools do."""
    if not has_request_context():
        return _terminal_language()
    # The language an app shows its person right now (the PWA's own switch, which need not be
    # the one saved on the account): its messages must match the screen they appear on.
    shown = request.headers.get(APP_LANGUAGE_HEADER, "").strip().lower()
    if shown in LANGUAGES:
        return shown
    user = g.get("user")
    if user is not None and user.language in LANGUAGES:
        return user.language
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)  # catalogues in server/translations
    # Flask-Babel keeps the choice on ``g``; an app context can outlive a request (tests, a
    # command that serves several), so each request chooses afresh.
    app.before_request(refresh_locale)


def _terminal_language() -> str:
    try:
        language = Locale.parse(default_locale("LC_MESSAGES") or DEFAULT_LANGUAGE).language
    except (ValueError, TypeError):
        return DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


# What a person is told when a row is not there (or not theirs to see: ids are not oracles).
# One whole sentence each: nouns have genders in Danish and Swedish.
_NO_SUCH = {
    "plan": _l("No such plan."),
    "item": _l("No such item."),
    "unit": _l("No such unit."),
    "visit": _l("No such visit."),
    "finding": _l("No such finding."),
    "photo": _l("No such photo."),
    "note": _l("No such note."),
    "comment": _l("No such comment."),
    "extension": _l("No such extension."),
    "conflict": _l("No such conflict."),
    "measure": _l("No such measure."),
}


def no_such(what: str) -> str:
    message = _NO_SUCH.get(what)
    return str(message) if message is not None else _("No such row.")


# marshmallow's own messages, as it formats them: {name} is a value it fills in. A template
# with a word in it ({obj_type}, Range's "greater than") is listed once per word, so the
# whole sentence is translated. tests/i18n holds this list to marshmallow's.
MARSHMALLOW_MESSAGES = [
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Unknown field."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("Not a valid boolean."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid time."),
    N_("Not a valid aware datetime."),
    N_("Not a valid naive datetime."),
    N_("Not a valid aware time."),
    N_("Not a valid naive time."),
    N_('"{input}" cannot be formatted as a date.'),
    N_('"{input}" cannot be formatted as a datetime.'),
    N_('"{input}" cannot be formatted as a time.'),
    N_("Not a valid period of time."),
    N_("{input!r} cannot be formatted as a timedelta."),
    N_("Not a valid mapping type."),
    N_("Not a valid list."),
    N_("Not a valid tuple."),
    N_("Not a valid UUID."),
    N_("Not a valid URL."),
    N_("Not a valid email address."),
    N_("Not a valid IP address."),
    N_("Not a valid IP interface."),
    N_("Not a valid IPv4 address."),
    N_("Not a valid IPv4 interface."),
    N_("Not a valid IPv6 address."),
    N_("Not a valid IPv6 interface."),
    N_("Must be one of: {choices}."),
    N_("One or more of the choices you made was in: {values}."),
    N_("One or more of the choices you made was not in: {choices}."),
    N_("Must be equal to {other}."),
    N_("String does not match expected pattern."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
]

_PLACEHOLDER = re.compile(r"\{(\w+)(![rs])?\}")


@cache
def _marshmallow_patterns() -> list[tuple[re.Pattern[str], str]]:
    patterns = []
    # The longest literal text first: "Must be greater than {min} and less than {max}." must
    # win over "Must be greater than {min}.", whose {min} would swallow the rest.
    by_specificity = sorted(
        MARSHMALLOW_MESSAGES, key=lambda t: len(_PLACEHOLDER.sub("", t)), reverse=True
    )
    for template in by_specificity:
        parts, position = [], 0
        for match in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[position : match.start()]))
            parts.append(f"(?P<{match.group(1)}>.+?)")
            position = match.end()
        parts.append(re.escape(template[position:]))
        patterns.append((re.compile("".join(parts) + r"\Z", re.DOTALL), template))
    return patterns


def _translate_marshmallow(reason: str) -> str:
    for pattern, template in _marshmallow_patterns():
        match = pattern.match(reason)
        if match:
            # The values are put back as they were written ({input!r} included).
            translated = _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", gettext(template))
            try:
                return translated.format(**match.groupdict())
            except (KeyError, IndexError, ValueError):
                return reason  # a translation that lost a placeholder: English beats nothing
    # Not marshmallow's: a reason of our own, marked N_ where it is written (the rules across
    # fields, the push endpoint check), is its own message id.
    return gettext(reason)


def localize_reasons(fields: Any) -> Any:
    """``fields`` of an envelope with marshmallow's English replaced, however deep it nests
    (a list of reasons, a nested schema's dict, a list's index)."""
    if fields is None:
        return None
    if isinstance(fields, dict):
        return {key: localize_reasons(value) for key, value in fields.items()}
    if isinstance(fields, list | tuple):
        return [localize_reasons(value) for value in fields]
    if isinstance(fields, str):
        return _translate_marshmallow(fields)
    return str(fields)  # a lazy string
