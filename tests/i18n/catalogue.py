"""The server's message ids, read from the source as `make messages` reads them, and a test
for "this answer still holds English": any message id whose translation differs from it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "server" / "translations"
LANGUAGES = ("da", "sv")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+(?:![rs])?\}")


@cache
def source_ids() -> frozenset[str | tuple[str, str]]:
    """Every message id in server/, extracted with babel.cfg's keywords."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    ids: set[str | tuple[str, str]] = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        ids.add(tuple(message) if isinstance(message, tuple | list) else message)
    return frozenset(ids)


def po(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file)


def mo(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo", "rb") as file:
        return read_mo(file)


def singular_ids() -> Iterable[str]:
    for message in source_ids():
        if isinstance(message, tuple):
            yield from message
        else:
            yield message


@cache
def english_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """A pattern per English source text that reads differently in ``language``; its
    placeholders match any value."""
    catalogue = po(language)
    patterns = []
    for message_id in singular_ids():
        entry = catalogue.get(message_id)
        translated = entry.string if entry is not None else None
        if translated == message_id or (isinstance(translated, tuple) and message_id in translated):
            continue  # the same words in both languages ("%(question_id)s: %(value)s")
        parts, position = [], 0
        for match in PLACEHOLDER.finditer(message_id):
            parts.append(re.escape(message_id[position : match.start()]))
            parts.append(".+?")
            position = match.end()
        parts.append(re.escape(message_id[position:]))
        # Whole words at both ends: a short id ("No") is not found inside "Nogle".
        patterns.append(re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)", re.DOTALL))
    return tuple(patterns)


def texts_of(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts_of(item)


def english_in(value, language: str) -> list[str]:
    """The texts in ``value`` (an answer, however nested) that hold an English source text."""
    return [
        text
        for text in texts_of(value)
        if any(pattern.search(text) for pattern in english_patterns(language))
    ]
