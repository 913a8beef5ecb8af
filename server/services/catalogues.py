"""Quality catalogues: loaded from ``server/catalogues/*.json`` into versioned rows.

Ids are derived from the catalogue code, version and theme number (UUIDv5), so every
installation, device and imported document names the same theme with the same id.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.i18n import _
from server.models import Catalogue, Criterion, Theme
from server.services.errors import InvalidInput

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogues"
ID_NAMESPACE = uuid.UUID("7d3f6f0e-6a52-4d4b-9a55-1f0c2b8d9e11")

CATALOGUE_FOR_PLAN_KIND = {
    "dk_tilbud": "dk_tilbud",
    "dk_plejefamilie": "dk_plejefamilie",
    "se_handlingsplan": "se_kvalitetsomraden",
}


def stable_id(*parts: Any) -> uuid.UUID:
    return uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts))


def _expand_versions(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Resolve ``themes_from`` + ``drop_numbers`` so an amendment is written as a difference."""
    by_label: dict[str, dict[str, Any]] = {}
    for version in spec["versions"]:
        if "themes_from" in version:
            dropped = set(version.get("drop_numbers", []))
            base = by_label[version["themes_from"]]["themes"]
            version = {**version, "themes": [t for t in base if t.get("number") not in dropped]}
        by_label[version["version_label"]] = version
    return list(by_label.values())


def ensure_catalogues(session: Session, directory: Path = CATALOGUE_DIR) -> int:
    """Insert the catalogues that are missing. Existing rows are left alone. Returns rows added."""
    added = 0
    for path in sorted(directory.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for version in _expand_versions(spec):
            cat_id = stable_id(spec["code"], version["version_label"])
            if session.get(Catalogue, cat_id) is not None:
                continue
            session.add(
                Catalogue(
                    id=cat_id,
                    code=spec["code"],
                    version_label=version["version_label"],
                    name=spec["name"],
                    language=spec["language"],
                    valid_from=date.fromisoformat(version["valid_from"]),
                    valid_to=date.fromisoformat(version["valid_to"])
                    if version.get("valid_to")
                    else None,
                )
            )
            added += 1
            for position, theme in enumerate(version["themes"], start=1):
                key = theme["number"] if theme.get("number") is not None else theme["name"]
                theme_id = stable_id(spec["code"], version["version_label"], "theme", key)
                session.add(
                    Theme(
                        id=theme_id,
                        catalogue_id=cat_id,
                        number=theme.get("number"),
                        name=theme["name"],
                        scored=theme.get("scored", True),
                        position=position,
                    )
                )
                for c_pos, text in enumerate(theme.get("criteria", []), start=1):
                    session.add(
                        Criterion(
                            id=stable_id(theme_id, "criterion", c_pos),
                            theme_id=theme_id,
                            number=c_pos,
                            text=text,
                            position=c_pos,
                        )
                    )
                added += 1
    session.flush()
    return added


def catalogue_for_plan(session: Session, plan_kind: str, on: date) -> Catalogue:
    """The catalogue version in force on ``on`` for a plan of ``plan_kind``."""
    code = CATALOGUE_FOR_PLAN_KIND[plan_kind]
    candidates = session.scalars(
        select(Catalogue)
        .where(Catalogue.code == code, Catalogue.deleted.is_(False), Catalogue.valid_from <= on)
        .order_by(Catalogue.valid_from.desc())
    ).all()
    for catalogue in candidates:
        if catalogue.valid_to is None or on <= catalogue.valid_to:
            return catalogue
    raise InvalidInput(
        _("No %(code)s catalogue is valid on %(value)s.", code=code, value=on.isoformat()),
        fields={"plan_date": [_("No quality catalogue is valid on this date.")]},
    )


def list_catalogues(session: Session) -> list[Catalogue]:
    return list(
        session.scalars(
            select(Catalogue)
            .where(Catalogue.deleted.is_(False))
            .order_by(Catalogue.code, Catalogue.valid_from)
        )
    )
