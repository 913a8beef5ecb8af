"""Text as it comes out of Word documents, and dates written the way people write them.

Real plans are messy (seed 002): cells broken across lines, words split with a hyphen at a
line end, HTML-ish remnants (``<p>``, ``<b>``) from a conversion, non-breaking spaces. Two
forms of a text are used:

* ``clean_text``: what we store. Tags become line breaks or vanish, each line is trimmed and
  its spaces collapsed; the line breaks the author made stay.
* ``squash``: what we compare. Lower case, letters and digits only, so "Selvstændighed og
  \\nrelationer", "SELVSTÆNDIGHED OG RELATIONER" and "selvstændig-\\nhed og relationer" are
  one key.

``xml_safe`` is what every document writer applies to its values first: input schemas refuse
characters XML cannot hold (``server/schemas/common.py``), but rows stored before they did may
still carry one, and one such character would make the unit's whole document fail.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date
from typing import Any, TypeVar

from server.documents.labels import LANGUAGES
from server.schemas.common import NOT_XML_TEXT

# Only tags a conversion leaves behind; anything else that looks like "<...>" is kept as text.
_BREAK_TAGS = re.compile(r"</p\s*>|<br\s*/?>|</div\s*>|</li\s*>", re.IGNORECASE)
_DROP_TAGS = re.compile(
    r"</?(?:p|b|i|u|em|strong|span|div|ul|ol|li|font|sup|sub)(?:\s[^<>]*)?>", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
T = TypeVar("T")


def xml_safe(value: T) -> T:
    """``value`` without the characters a Word document (XML) cannot hold: in a string, and
    in the strings of dataclasses, dicts, lists and tuples, rebuilt. Anything else as is."""
    found: Any = value
    if isinstance(found, str):
        return NOT_XML_TEXT.sub("", found)  # type: ignore[return-value]
    if dataclasses.is_dataclass(found) and not isinstance(found, type):
        fields = [f.name for f in dataclasses.fields(found) if f.init]
        changes = {name: xml_safe(getattr(found, name)) for name in fields}
        return dataclasses.replace(found, **changes)  # type: ignore[return-value]
    if isinstance(found, dict):
        return {xml_safe(k): xml_safe(v) for k, v in found.items()}  # type: ignore[return-value]
    if isinstance(found, list | tuple):
        return type(found)(xml_safe(v) for v in found)  # type: ignore[return-value]
    return value


def strip_tags(text: str) -> str:
    text = _BREAK_TAGS.sub("\n", text)
    return _DROP_TAGS.sub("", text)


def clean_text(text: str | None) -> str | None:
    """Trimmed lines, single spaces, no tag remnants, no blank lines at either end."""
    if text is None:
        return None
    text = _CONTROL.sub("", strip_tags(text).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    # Keep one blank line where the author left one or more, none at the ends.
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) or None


def squash(text: str | None) -> str:
    """A comparison key: case-folded, NFC, letters and digits only."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", strip_tags(text)).casefold()
    return _NOT_WORD.sub("", text)


def split_lines(text: str | None) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()]


# ---- dates ---------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _labels in LANGUAGES.values():
    for _number, _name in enumerate(_labels.MONTHS, start=1):
        _MONTHS[_name.casefold()] = _number
        _MONTHS[_name.casefold()[:3]] = _number
_MONTHS["okt"] = 10

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# 9.8.2021, 09-08-2021, 9/8/2021 and the inspector's 22.3-2021.
_NUMERIC = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})")
# 9. august 2021, 9 augusti 2021, 9. aug. 2021
_WRITTEN = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})", re.UNICODE)


def parse_date(text: str | None) -> date | None:
    """The first date written in ``text``, or None. Day before month, as in Danish and Swedish."""
    if not text:
        return None
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WRITTEN, "dMy")):
        for match in pattern.finditer(text):
            found = _to_date(match.groups(), order)
            if found is not None:
                return found
    return None


def _to_date(parts: tuple[str, ...], order: str) -> date | None:
    try:
        if order == "ymd":
            year, month, day = (int(p) for p in parts)
        elif order == "dmy":
            day, month, year = (int(p) for p in parts)
        else:
            day, year = int(parts[0]), int(parts[2])
            month = _MONTHS.get(parts[1].casefold(), 0)
        return date(year, month, day)
    except ValueError:
        return None
