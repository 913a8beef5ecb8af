"""Quality catalogues: loaded from ``server/catalogues/*.json`` into versioned rows.

Ids are derived from the catalogue code, version and theme number (UUIDv5), so every
installation, device and imported document names the same theme with the same id.

Each version carries its legal ``source`` and where its dates come from (``dates_source``,
None when nothing states them). The dates are data an organisation may correct
(``flask catalogues set``, ``set_catalogue``): loading the files again never overwrites a
stored date or source, it only fills a source never set.

Which version a plan is written under is chosen when the plan is made
(``plan_catalogue``): the one named, if it is a version of the plan kind's catalogue, else the
one in force on the inspection date the plan follows up, else on the plan date.
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
from server.services.errors import InvalidInput, field_error

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
            existing = session.get(Catalogue, cat_id)
            if existing is not None:
                # A row loaded before versions named their source (migration 0015_dk_catalogue).
                if existing.source is None and version.get("source"):
                    existing.source = version["source"]
                    if existing.dates_source is None:
                        existing.dates_source = version.get("dates_source")
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
                    source=version.get("source"),
                    dates_source=version.get("dates_source"),
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


def plan_catalogue(
    session: Session,
    plan_kind: str,
    catalogue_id: uuid.UUID | None,
    inspection_date: date | None,
    plan_date: date | None,
) -> Catalogue:
    """The catalogue version a new plan is written under: ``catalogue_id`` when given (it must
    be a version of the plan kind's catalogue), else the one in force on the inspection date
    the plan follows up, else on the plan date."""
    if catalogue_id is not None:
        return valid_catalogue_for_kind(session, plan_kind, catalogue_id)
    on = inspection_date or plan_date
    if on is None:
        raise field_error("plan_date", _("No quality catalogue is valid on this date."))
    field = "inspection_date" if inspection_date else "plan_date"
    try:
        return catalogue_for_plan(session, plan_kind, on)
    except InvalidInput as error:
        raise InvalidInput(error.message, fields={field: error.fields["plan_date"]}) from error


def valid_catalogue_for_kind(
    session: Session, plan_kind: str, catalogue_id: uuid.UUID
) -> Catalogue:
    """``catalogue_id`` if it names a (not withdrawn) version of the plan kind's catalogue."""
    code = CATALOGUE_FOR_PLAN_KIND[plan_kind]
    catalogue = session.get(Catalogue, catalogue_id)
    if catalogue is None or catalogue.deleted or catalogue.code != code:
        raise field_error(
            "catalogue_id",
            _("Not a version of the %(code)s quality catalogue.", code=code),
        )
    return catalogue


def find_catalogue(session: Session, code: str, version_label: str) -> Catalogue | None:
    return session.scalar(
        select(Catalogue).where(Catalogue.code == code, Catalogue.version_label == version_label)
    )


UNSET: Any = object()


def set_catalogue(
    catalogue: Catalogue,
    *,
    valid_from: date | None = None,
    valid_to: date | None = UNSET,
    source: str | None = UNSET,
    dates_source: str | None = UNSET,
) -> dict[str, tuple[Any, Any]]:
    """Correct a version's dates or sources (the admin command). Returns what changed, as
    ``{field: (old, new)}``. Plans keep the version they were written under: only which
    version a new plan defaults to moves with the dates."""
    wanted: dict[str, Any] = {}
    if valid_from is not None:
        wanted["valid_from"] = valid_from
    for name, value in (("valid_to", valid_to), ("source", source), ("dates_source", dates_source)):
        if value is not UNSET:
            wanted[name] = value
    start = wanted.get("valid_from", catalogue.valid_from)
    end = wanted.get("valid_to", catalogue.valid_to)
    if end is not None and end < start:
        raise field_error("valid_to", _("The end date comes before the start date."))
    changed = {}
    for name, value in wanted.items():
        if getattr(catalogue, name) != value:
            changed[name] = (getattr(catalogue, name), value)
            setattr(catalogue, name, value)
    return changed


def list_catalogues(session: Session) -> list[Catalogue]:
    return list(
        session.scalars(
            select(Catalogue)
            .where(Catalogue.deleted.is_(False))
            .order_by(Catalogue.code, Catalogue.valid_from)
        )
    )
