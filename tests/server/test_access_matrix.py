"""Access control over every REST endpoint.

1. A user with every role in unit A can neither read nor change unit B's data.
2. Inside a unit, each role can do exactly what ``server/services/access.py`` says.
"""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models import AuditEvent, Plan, PlanItem, ProgressNote
from tests.helpers import login

READ, WRITE_ITEMS, MANAGE, ADMINISTER = "read", "write_items", "manage", "administer"
# Managers read who was given a role in their units (an admin's grants are seen).
ACCESS_HISTORY = "access_history"
ROLES_ALLOWED = {
    READ: {"staff", "manager", "inspector"},
    WRITE_ITEMS: {"staff", "manager"},
    MANAGE: {"manager"},
    ADMINISTER: {"admin"},
    ACCESS_HISTORY: {"admin", "manager"},
}

# (method, path, body, permission). {plan}, {item} and {unit} are filled in per test.
ENDPOINTS = [
    ("GET", "/api/plans/{plan}", None, READ),
    ("GET", "/api/plans/{plan}/items", None, READ),
    ("GET", "/api/plans/{plan}/history", None, READ),
    ("GET", "/api/items/{item}", None, READ),
    ("GET", "/api/items/{item}/notes", None, READ),
    ("GET", "/api/items/{item}/attachments", None, READ),
    ("PATCH", "/api/plans/{plan}", {"title": "Overtaget"}, MANAGE),
    ("POST", "/api/plans/{plan}/submit", None, MANAGE),
    ("POST", "/api/plans/{plan}/send-back", {"reason": "Mangler en frist."}, MANAGE),
    ("POST", "/api/plans/{plan}/approve", None, MANAGE),
    ("POST", "/api/plans/{plan}/complete", None, MANAGE),
    ("POST", "/api/plans/{plan}/reopen", None, MANAGE),
    ("POST", "/api/plans/{plan}/archive", None, MANAGE),
    ("POST", "/api/plans/{plan}/reorder", {"item_ids": ["{item}"]}, MANAGE),
    ("DELETE", "/api/plans/{plan}", None, MANAGE),
    ("POST", "/api/plans", {"unit_id": "{unit}", "kind": "dk_tilbud", "title": "X"}, MANAGE),
    ("POST", "/api/plans/{plan}/items", {"topic": "Indtrængen"}, WRITE_ITEMS),
    ("PATCH", "/api/items/{item}", {"goal": "Overtaget"}, WRITE_ITEMS),
    ("DELETE", "/api/items/{item}", None, WRITE_ITEMS),
    ("POST", "/api/items/{item}/notes", {"text": "Indtrængen"}, WRITE_ITEMS),
    ("GET", "/api/admin/audit?unit_id={unit}", None, ACCESS_HISTORY),
]


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _call(client, headers, method, path, body, ids):
    return client.open(_fill(path, ids), method=method, headers=headers, json=_fill(body, ids))


@pytest.fixture
def two_units(factory):
    unit_a, unit_b = factory.unit(name="Enhed A"), factory.unit(name="Enhed B")
    plan_b = factory.plan(unit_b)
    item_b = factory.item(plan_b)
    author = factory.user(("staff", unit_b))
    factory.note(item_b, author)
    everything_in_a = factory.user(
        *[(role, unit_a) for role in ("staff", "manager", "inspector", "admin")]
    )
    return unit_a, unit_b, plan_b, item_b, everything_in_a


def _snapshot():
    return (
        [(p.id, p.version, p.state, p.deleted) for p in db.session.query(Plan).order_by(Plan.id)],
        [(i.id, i.version, i.deleted) for i in db.session.query(PlanItem).order_by(PlanItem.id)],
        db.session.query(ProgressNote).count(),
        db.session.query(AuditEvent).count(),
    )


@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS)
def test_other_units_data_is_invisible_and_unchangeable(
    client, two_units, method, path, body, permission
):
    _, unit_b, plan_b, item_b, user = two_units
    headers = login(client, user)
    before = _snapshot()
    response = _call(
        client,
        headers,
        method,
        path,
        body,
        {"plan": plan_b.id, "item": item_b.id, "unit": unit_b.id},
    )
    # 404 rather than 403: an id of another unit must not even confirm that the row exists.
    assert response.status_code == 404 or (
        # creating in an unknown unit names the field
        response.status_code == 422 and path == "/api/plans/{plan}/items"
    ), (response.status_code, response.json)
    assert response.json["error"] in {"not_found", "invalid_input"}
    db.session.expire_all()
    assert _snapshot() == before


def test_lists_show_nothing_of_other_units(client, two_units):
    _, unit_b, _, _, user = two_units
    headers = login(client, user)
    assert client.get(f"/api/plans?unit_id={unit_b.id}", headers=headers).json == []
    assert client.get("/api/plans", headers=headers).json == []
    assert [u["name"] for u in client.get("/api/units", headers=headers).json] == ["Enhed A"]


@pytest.fixture
def one_unit(factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    item = factory.item(plan)
    users = {
        role: factory.user((role, unit)) for role in ("staff", "manager", "inspector", "admin")
    }
    return unit, plan, item, users


@pytest.mark.parametrize("role", ["staff", "manager", "inspector", "admin"])
@pytest.mark.parametrize(("method", "path", "body", "permission"), ENDPOINTS)
def test_each_role_can_do_what_its_role_allows(
    client, one_unit, role, method, path, body, permission
):
    unit, plan, item, users = one_unit
    headers = login(client, users[role])
    response = _call(
        client, headers, method, path, body, {"plan": plan.id, "item": item.id, "unit": unit.id}
    )
    if role in ROLES_ALLOWED[permission]:
        # Allowed: the call may still fail on the plan's state, but never on permission.
        assert response.status_code not in (401, 403, 404), (response.status_code, response.json)
    elif role == "admin":
        # Admins manage units and users, not plan content: they do not see plans at all.
        assert response.status_code in (403, 404), (response.status_code, response.json)
    else:
        assert response.status_code == 403, (response.status_code, response.json)


def test_membership_of_a_parent_unit_covers_its_children(client, factory):
    verksamhet = factory.unit(kind="se_verksamhet")
    enhet = factory.unit(kind="se_enhet", parent=verksamhet)
    plan = factory.plan(enhet, kind="se_handlingsplan")
    chef = factory.user(("manager", verksamhet))
    headers = login(client, chef)
    assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200
    assert client.post(f"/api/plans/{plan.id}/submit", headers=headers).status_code == 200
