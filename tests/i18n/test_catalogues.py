"""The catalogues hold every message the server can say, in Danish and Swedish, compiled."""

from __future__ import annotations

import inspect

import pytest
from babel.messages.pofile import read_po
from marshmallow import fields, validate
from marshmallow.schema import Schema

from server.i18n import MARSHMALLOW_MESSAGES
from tests.i18n.catalogue import LANGUAGES, PLACEHOLDER, TRANSLATIONS, mo, po, source_ids


def _as_tuple(strings) -> tuple[str, ...]:
    return tuple(strings) if isinstance(strings, tuple | list) else (strings,)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_source_has_a_translation_that_is_not_fuzzy(language):
    catalogue = po(language)
    missing, fuzzy = [], []
    for message_id in source_ids():
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        entry = catalogue.get(key)
        strings = () if entry is None else _as_tuple(entry.string)
        if not strings or not all(strings):
            missing.append(key)
        elif entry.fuzzy:
            fuzzy.append(key)
    assert missing == [], f"no {language} translation (run make messages, then translate)"
    assert fuzzy == [], f"fuzzy in {language}: check the translation and drop the fuzzy flag"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    wrong = [
        entry.id
        for entry in po(language)
        if entry.id
        and isinstance(entry.id, str)
        and sorted(PLACEHOLDER.findall(entry.id)) != sorted(PLACEHOLDER.findall(entry.string))
    ]
    assert wrong == []


def test_the_template_is_the_one_the_source_gives():
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        template = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(file) if m.id}
    assert template == set(source_ids()), "run make messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_its_po_file_says(language):
    compiled = {_as_tuple(m.id): _as_tuple(m.string) for m in mo(language) if m.id}
    written = {_as_tuple(m.id): _as_tuple(m.string) for m in po(language) if m.id and not m.fuzzy}
    assert compiled == written, "run make messages (pybabel compile) and commit the .mo"


def _marshmallow_templates() -> set[str]:
    """marshmallow's own messages, with the words it fills in written out."""
    templates: set[str] = set()
    for _name, field in inspect.getmembers(fields, inspect.isclass):
        for message in getattr(field, "default_error_messages", {}).values():
            obj_types = {"date", "datetime", "time"} if "{obj_type}" in message else {None}
            for obj_type in obj_types:
                aware = "{awareness}" in message and obj_type != "date"  # a date has no zone
                for awareness in ("aware", "naive") if aware else (None,):
                    text = message
                    if obj_type:
                        text = text.replace("{obj_type}", obj_type)
                    if awareness:
                        text = text.replace("{awareness}", awareness)
                    templates.add(text)
    templates.update(Schema._default_error_messages.values())
    for _name, validator in inspect.getmembers(validate, inspect.isclass):
        for attribute in ("default_message", "message_min", "message_max", "message_all"):
            if attribute in validator.__dict__ and validator is not validate.Range:
                templates.add(validator.__dict__[attribute])
        if "message_equal" in validator.__dict__:
            templates.add(validator.__dict__["message_equal"])
    for low in (True, False):
        for high in (True, False):
            ranged = validate.Range(min=0, max=1, min_inclusive=low, max_inclusive=high)
            templates.update({ranged.message_min, ranged.message_max, ranged.message_all})
    # Only serialising (never input) mixes obj_type into these; they are listed anyway.
    return {t for t in templates if "{obj_type}" not in t and "{awareness}" not in t}


def test_every_message_marshmallow_can_give_is_listed_for_translation():
    listed = set(MARSHMALLOW_MESSAGES)
    assert _marshmallow_templates() - listed == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_marshmallow_message_comes_back_whole_in_the_readers_language(app, language):
    """Each template, filled in as marshmallow fills it, is translated as one sentence with its
    values in place (not matched by a shorter template that swallows the rest)."""
    from server.i18n import _PLACEHOLDER, gettext, localize_reasons

    values = {"min": "1", "max": "5", "equal": "3", "choices": "a, b", "values": "c, d"}
    values |= {"other": "7", "input": "'x'"}
    with app.test_request_context(headers={"Accept-Language": language}):
        for template in MARSHMALLOW_MESSAGES:
            plain = _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", template)
            english = plain.format(**values)
            expected = _PLACEHOLDER.sub(lambda m: "{" + m.group(1) + "}", gettext(template))
            assert localize_reasons([english]) == [expected.format(**values)], template
