"""Default content of a verksamhetsuppdrag, and the årshjul's reminders.

Defaults come from ``server/catalogues/defaults/se_kvalitetsuppfoljning.json`` (seeds 003 and
004): the six quality areas with their processmål, processmått and follow-up methods, example
measures, the questions of the two surveys and the tasks of the annual cycle. Each is written
through the ordinary writers (so versioned, audited and synced) and only where missing: running
it twice adds nothing, and what people have edited since stays as they left it.

Reminders: an open årshjul task whose due date is near (or past) reminds its owner through the
push outbox (``server/push/``), reusing the ``due_soon`` and ``overdue`` kinds and their
windows; the key names the task, so each reminder is queued once. ``flask send-reminders``
runs it with the plan items' reminders.
"""

from __future__ import annotations

import calendar
import json
import uuid
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import (
    AnnualTask,
    Catalogue,
    QualityArea,
    QualityMeasure,
    SurveyQuestion,
    Theme,
)
from server.services.access import Principal
from server.services.quality import TABLES, live_unit

DEFAULTS_FILE = (
    Path(__file__).resolve().parent.parent
    / "catalogues"
    / "defaults"
    / "se_kvalitetsuppfoljning.json"
)


@cache
def defaults() -> dict[str, Any]:
    return json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def _live_rows(session: Session, model: Any, unit_id: uuid.UUID) -> list[Any]:
    return list(
        session.scalars(select(model).where(model.unit_id == unit_id, model.deleted.is_(False)))
    )


def create_default_content(
    session: Session, principal: Principal, verksamhet_id: uuid.UUID
) -> dict[str, int]:
    """The quality areas, example measures and survey questions a verksamhet lacks."""
    unit = live_unit(session, verksamhet_id)
    principal.require("manage_plans", unit.id, "unit")
    spec = defaults()
    added = {"quality_areas": 0, "quality_measures": 0, "survey_questions": 0}
    themes = _swedish_themes(session)

    areas = {a.name: a for a in _live_rows(session, QualityArea, unit.id)}
    for position, area in enumerate(spec["areas"], start=1):
        if area["name"] in areas:
            continue
        values = {k: area[k] for k in ("name", "process_goals", "process_measures")}
        values |= {"follow_up_methods": area["follow_up_methods"], "position": position}
        theme = themes.get(area["theme_number"])
        created = TABLES["quality_areas"].create(
            session,
            principal,
            {"unit_id": unit.id, "theme_id": theme.id if theme else None, **values},
        )
        areas[area["name"]] = created
        added["quality_areas"] += 1
    area_by_number = {a["theme_number"]: areas.get(a["name"]) for a in spec["areas"]}

    measures = {m.name for m in _live_rows(session, QualityMeasure, unit.id)}
    for measure in spec["measures"]:
        if measure["name"] in measures:
            continue
        values = {k: v for k, v in measure.items() if k != "area"}
        area = area_by_number.get(measure.get("area"))
        TABLES["quality_measures"].create(
            session,
            principal,
            {"unit_id": unit.id, "area_id": area.id if area else None, **values},
        )
        added["quality_measures"] += 1

    questions = {(q.survey, q.text) for q in _live_rows(session, SurveyQuestion, unit.id)}
    positions: dict[str, int] = {}
    for question in spec["survey_questions"]:
        positions[question["survey"]] = positions.get(question["survey"], 0) + 1
        if (question["survey"], question["text"]) in questions:
            continue
        TABLES["survey_questions"].create(
            session,
            principal,
            {"unit_id": unit.id, "position": positions[question["survey"]], **question},
        )
        added["survey_questions"] += 1
    return added


def _swedish_themes(session: Session) -> dict[int, Theme]:
    """The areas of the newest se_kvalitetsomraden catalogue version, by number."""
    catalogue = session.scalar(
        select(Catalogue)
        .where(Catalogue.code == "se_kvalitetsomraden", Catalogue.deleted.is_(False))
        .order_by(Catalogue.valid_from.desc())
        .limit(1)
    )
    if catalogue is None:
        return {}
    return {t.number: t for t in catalogue.themes if t.number is not None}


def default_due_date(task: dict[str, Any], year: int) -> date:
    """The day the seed gives, or else the last day of the month it names ("i februari")."""
    day = task.get("day") or calendar.monthrange(year, task["month"])[1]
    return date(year, task["month"], day)


def create_default_cycle(
    session: Session, principal: Principal, unit_id: uuid.UUID, year: int
) -> list[AnnualTask]:
    """The årshjul of seeds 004 and 003 for ``year``, owned by the manager who asks; tasks
    already there (same kind and due date) are kept as they are. Only the tasks the seeds date
    are made (``annual_tasks_rule`` in the defaults file)."""
    unit = live_unit(session, unit_id)
    principal.require("manage_plans", unit.id, "unit")
    existing = {
        (t.kind, t.due_date) for t in _live_rows(session, AnnualTask, unit.id) if t.year == year
    }
    created: list[AnnualTask] = []
    writer = TABLES["annual_tasks"]
    for task in defaults()["annual_tasks"]:
        due = default_due_date(task, year)
        if (task["kind"], due) in existing:
            continue
        created.append(
            writer.create(  # type: ignore[arg-type]
                session,
                principal,
                {
                    "unit_id": unit.id,
                    "year": year,
                    "kind": task["kind"],
                    "title": task["title"],
                    "due_date": due,
                    "owner_user_id": principal.user_id,
                },
            )
        )
    return created
