"""Finding the catalogue theme a document's TEMA cell names.

A TEMA cell reads "1. prioritet: Selvstændighed og relationer", give or take bold tags,
line breaks inside words, case and spacing. The priority prefix is split off first; the rest is
compared with the theme names of the plan's catalogue version, from strict to loose:

1. the same letters and digits (``squash``) as a theme name;
2. a theme name inside the text ("Tema 4: Sundhed og trivsel – magtanvendelse");
3. "Tema 4" alone: the theme's number;
4. close spelling (a typo), by similarity ratio.

No match is not an error: the preview shows the row as unmatched and the user picks a theme.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Protocol, TypeVar

from server.documents.text import squash, strip_tags

_PRIORITY_PREFIX = (
    re.compile(r"^\W*(\d{1,3})\s*\.?\s*(?:prioritet|prioritering|priority|prio)\b\s*:?", re.I),
    re.compile(r"^\W*(?:prioritet|priority|prio)\.?\s*(\d{1,3})\b\s*:?", re.I),
)
_NUMBER_ONLY = re.compile(r"^(?:tema|theme|kvalitetsområde|område|nr)?(\d{1,2})$")
FUZZY_THRESHOLD = 0.85


class ThemeLike(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def number(self) -> int | None: ...


T = TypeVar("T", bound=ThemeLike)


@dataclass(frozen=True)
class ThemeCell:
    """A TEMA cell taken apart: the priority it states (if any) and the theme text after it."""

    priority: int | None
    theme_text: str


def split_priority(raw: str | None) -> ThemeCell:
    text = " ".join(strip_tags(raw or "").split())
    for pattern in _PRIORITY_PREFIX:
        match = pattern.match(text)
        if match:
            return ThemeCell(int(match.group(1)), text[match.end() :].strip(" :-–"))
    return ThemeCell(None, text.strip())


def match_theme(text: str | None, themes: Sequence[T]) -> T | None:
    key = squash(text)
    if not key or not themes:
        return None
    keyed = [(squash(theme.name), theme) for theme in themes]
    for name_key, theme in keyed:
        if name_key == key:
            return theme
    inside = [(len(name_key), theme) for name_key, theme in keyed if name_key and name_key in key]
    if inside:
        return max(inside, key=lambda pair: pair[0])[1]
    number = _NUMBER_ONLY.match(key)
    if number:
        return next((t for t in themes if t.number == int(number.group(1))), None)
    scored = [(SequenceMatcher(None, key, name_key).ratio(), theme) for name_key, theme in keyed]
    ratio, best = max(scored, key=lambda pair: pair[0])
    return best if ratio >= FUZZY_THRESHOLD else None
