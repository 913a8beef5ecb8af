"""Default checklists of the egenkontroll (seed 003, Del 3: "exv loggkontroller, dokumentation,
brandskydd, basal hygien").

They come from ``server/catalogues/defaults/se_egenkontroll.json`` and are written through the
ordinary writer (``quality.TABLES["checklists"]``), so they are versioned, audited and synced
like a checklist a manager writes by hand. Only a checklist of an area the unit lacks is added:
running it twice adds nothing, and an edited checklist stays as it was left. An enhet runs its
verksamhet's checklists too, so of an enhet an area its verksamhet has is not added again (the
enhet would see two lists of the area).

Running a checklist, answering its points and turning a deviation into a register entry or a
handlingsplan item are ordinary writes of ``checklist_runs``, ``checklist_answers``,
``register_entries`` and ``quality_links``; the PWA does them offline.
"""

from __future__ import annotations

import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Checklist
from server.services.access import Principal
from server.services.quality import TABLES, live_unit, verksamhet_of

DEFAULTS_FILE = (
    Path(__file__).resolve().parent.parent / "catalogues" / "defaults" / "se_egenkontroll.json"
)


@cache
def defaults() -> dict[str, Any]:
    return json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def create_default_checklists(
    session: Session, principal: Principal, unit_id: uuid.UUID
) -> dict[str, int]:
    """The default checklists of the areas the unit (a verksamhet or an enhet) has none of; of
    an enhet, nor its verksamhet."""
    unit = live_unit(session, unit_id)
    principal.require("manage_plans", unit.id, "unit")
    owners = {unit.id}
    verksamhet = verksamhet_of(session, unit) if unit.kind == "se_enhet" else None
    if verksamhet is not None:
        owners.add(verksamhet.id)
    have = set(
        session.scalars(
            select(Checklist.area).where(
                Checklist.unit_id.in_(owners), Checklist.deleted.is_(False)
            )
        )
    )
    added = 0
    for spec in defaults()["checklists"]:
        if spec["area"] in have:
            continue
        points = [{"id": uuid.uuid4(), "text": text} for text in spec["points"]]
        TABLES["checklists"].create(
            session,
            principal,
            {"unit_id": unit.id, "area": spec["area"], "name": spec["name"], "points": points},
        )
        added += 1
    return {"checklists": added}
