"""Access control over every visit endpoint, in the two ways of ``test_access_matrix.py``:

1. A user with every role in unit A can neither read nor change unit B's visits.
2. Inside a unit, each role can do exactly what ``server/services/access.py`` says
   (read_plans reads; inspect writes visits, findings, photos, comments; manage_plans turns
   a finding into an item; an extension takes manage_plans or inspect).
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from server import clock
from server.extensions import db
from server.models import (
    AuditEvent,
    DeadlineExtension,
    Finding,
    ItemComment,
    PlanItem,
    Visit,
    VisitPhoto,
)
from tests.helpers import login
from tests.server.test_access_matrix import _call
from tests.server.visit_helpers import themes

READ, INSPECT, MANAGE, EXTEND = "read", "inspect", "manage", "extend"
ROLES_ALLOWED = {
    READ: {"staff", "manager", "inspector"},
    INSPECT: {"inspector"},
    MANAGE: {"manager"},
    EXTEND: {"manager", "inspector"},
}
PHOTO = {"sha256": "a" * 64, "content_type": "image/jpeg", "size_bytes": 10}

ENDPOINTS = [
    ("GET", "/api/visits/{visit}", None, READ),
    ("GET", "/api/visits/{visit}/findings", None, READ),
    ("GET", "/api/visits/{visit}/photos", None, READ),
    ("GET", "/api/visits/{visit}/summary", None, READ),
    ("GET", "/api/visits/{visit}/report.docx", None, READ),
    ("GET", "/api/findings/{finding}", None, READ),
    ("GET", "/api/items/{item}/comments", None, READ),
    ("GET", "/api/items/{item}/extensions", None, READ),
    (
        "POST",
        "/api/visits",
        {"unit_id": "{unit}", "visit_date": "2026-03-02", "purpose": "approval"},
        INSPECT,
    ),
    ("PATCH", "/api/visits/{visit}", {"notes": "Overtaget"}, INSPECT),
    (
        "POST",
        "/api/visits/{visit}/findings",
        {"theme_id": "{theme}", "kind": "observation", "text": "x"},
        INSPECT,
    ),
    ("PATCH", "/api/findings/{finding}", {"text": "Overtaget"}, INSPECT),
    ("POST", "/api/visits/{visit}/photos", PHOTO, INSPECT),
    ("DELETE", "/api/visit-photos/{photo}", None, INSPECT),
    ("POST", "/api/items/{item}/comments", {"text": "Bemærk"}, INSPECT),
    ("POST", "/api/findings/{finding}/to-item", {"plan_id": "{plan}"}, MANAGE),
    (
        "POST",
        "/api/items/{paabud_item}/extensions",
        {"new_deadline": "2026-12-01", "reason": "r", "granted_by": "g"},
        EXTEND,
    ),
    ("DELETE", "/api/findings/{finding}", None, INSPECT),
    ("DELETE", "/api/visits/{visit}", None, INSPECT),
]


def _unit_with_visit(factory, name: str) -> dict:
    unit = factory.unit(name=name)
    author = factory.user(("inspector", unit))
    theme = themes()[4]
    visit = Visit(
        unit_id=unit.id,
        catalogue_id=theme.catalogue_id,
        visit_date=date(2026, 3, 2),
        purpose="ongoing_supervision",
        inspectors=[],
        created_by=author.id,
    )
    db.session.add(visit)
    db.session.flush()
    finding = Finding(
        visit_id=visit.id,
        unit_id=unit.id,
        theme_id=theme.id,
        kind="paabud",
        deadline=date(2026, 6, 1),
        text="Påbud",
        author_id=author.id,
        created_at=clock.now(),
    )
    photo = VisitPhoto(
        visit_id=visit.id,
        unit_id=unit.id,
        sha256="b" * 64,
        content_type="image/jpeg",
        size_bytes=10,
        created_by=author.id,
        created_at=clock.now(),
    )
    db.session.add_all([finding, photo])
    db.session.commit()
    plan = factory.plan(unit)
    item = factory.item(plan)
    paabud_item = factory.item(plan, finding_id=finding.id, legal_deadline=date(2026, 6, 1))
    return {
        "unit": unit.id,
        "visit": visit.id,
        "finding": finding.id,
        "photo": photo.id,
        "plan": plan.id,
        "item": item.id,
        "paabud_item": paabud_item.id,
        "theme": theme.id,
        "_unit": unit,
    }


def _snapshot():
    def rows(model):
        return [(r.id, r.version, r.deleted) for r in db.session.query(model).order_by(model.id)]

    return (
        rows(Visit),
        rows(Finding),
        rows(VisitPhoto),
        rows(PlanItem),
        db.session.query(ItemComment).count(),
        db.session.query(DeadlineExtension).count(),
        db.session.query(AuditEvent).count(),
    )


@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS)
def test_other_units_visits_are_invisible_and_unchangeable(
    client, factory, method, path, body, permission
):
    unit_a = factory.unit(name="Enhed A")
    ids_b = _unit_with_visit(factory, "Enhed B")
    user = factory.user(*[(role, unit_a) for role in ("staff", "manager", "inspector", "admin")])
    headers = login(client, user)
    before = _snapshot()
    response = _call(client, headers, method, path, body, ids_b)
    # 404 rather than 403: an id of another unit must not even confirm that the row exists.
    assert response.status_code == 404, (response.status_code, response.json)
    assert response.json["error"] == "not_found"
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["staff", "manager", "inspector", "admin"])
@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS)
def test_each_role_can_do_what_its_role_allows_with_visits(
    client, factory, role, method, path, body, permission
):
    ids = _unit_with_visit(factory, "Enhed")
    user = factory.user((role, ids["_unit"]))
    response = _call(client, login(client, user), method, path, body, ids)
    if role in ROLES_ALLOWED[permission]:
        # Allowed: the call may still fail on a rule (a finding answered by an item cannot be
        # deleted), but never on permission.
        assert response.status_code not in (401, 403, 404), (response.status_code, response.json)
    elif role == "admin":
        assert response.status_code in (403, 404), (response.status_code, response.json)
    else:
        assert response.status_code == 403, (response.status_code, response.json)


def test_visit_lists_show_nothing_of_other_units(client, factory):
    unit_a = factory.unit(name="Enhed A")
    ids_b = _unit_with_visit(factory, "Enhed B")
    inspector = factory.user(("inspector", unit_a))
    headers = login(client, inspector)
    assert client.get("/api/visits", headers=headers).json == []
    assert client.get(f"/api/visits?unit_id={ids_b['unit']}", headers=headers).json == []
    assert uuid.UUID(str(ids_b["visit"]))
