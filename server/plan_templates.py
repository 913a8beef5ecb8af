"""The words of a plan's template, per plan kind and last-column variant: one data file,
``server/catalogues/templates/plan_columns.json``, read here for the server (the Word export
and import, the plan rules) and imported as is by the PWA (``pwa/src/js/template_labels.js``).

    kind ──result_label──> layout ──language──> nine (heading, guiding question) pairs
                                                 + the kind's title

A kind offers only the variants its template has: a ``dk_tilbud`` plan has RESULTAT only
(seed 000); a ``dk_plejefamilie`` plan has seed 001's two tables, STATUS (the default) and
RESULTAT. Plain Python, no Flask: the services and the documents both read it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES_JSON = Path(__file__).resolve().parent / "catalogues" / "templates" / "plan_columns.json"
LANGUAGES = ("da", "sv", "en")


@cache
def _data() -> dict[str, Any]:
    return json.loads(TEMPLATES_JSON.read_text(encoding="utf-8"))


def variants_for(kind: str) -> tuple[str, ...]:
    """The last-column variants (``result_label`` values) a plan of ``kind`` may take."""
    return tuple(_data()["kinds"][kind]["variants"])


def default_variant(kind: str) -> str:
    return str(_data()["kinds"][kind]["default"])


def layout_for(kind: str, result_label: str | None) -> str:
    """The layout a plan is printed and shown with. A variant the kind does not have (a
    ``dk_tilbud`` plan stored as "status" before the rule existed) prints as the default."""
    variants = _data()["kinds"][kind]["variants"]
    return str(variants.get(result_label) or variants[default_variant(kind)])


def columns(layout: str, language: str) -> list[tuple[str, str]]:
    """The nine (heading, guiding question) pairs of ``layout`` in ``language``."""
    return [(heading, question) for heading, question in _data()["columns"][layout][language]]


def layouts() -> tuple[str, ...]:
    return tuple(_data()["columns"])


def titles(language: str) -> dict[str, str]:
    return dict(_data()["titles"][language])
