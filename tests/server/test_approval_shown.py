"""Issue 17 point 4 through REST: who approved and when is on the plan for the header, the
Word export prints it, and the history the PWA keeps offline marks each change after approval."""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document

from tests.helpers import login


def approve(client, headers, plan):
    for action in ("submit", "approve"):
        response = client.post(f"/api/plans/{plan.id}/{action}", headers=headers)
        assert response.status_code == 200, response.json


def test_the_approver_and_time_are_on_the_plan_and_in_its_word_header(client, factory):
    unit = factory.unit(name="Bofællesskabet Lærkevej")
    manager = factory.user(("manager", unit), name="Mette Lund", language="da")
    plan = factory.plan(unit, title="Plan til godkendelse")
    factory.item(plan, responsible=[{"name": "Ole Dahl"}])
    headers = login(client, manager)

    approve(client, headers, plan)

    shown = client.get(f"/api/plans/{plan.id}", headers=headers).json
    assert shown["state"] == "approved" and shown["approved_by"] == str(manager.id)
    approved_at = datetime.fromisoformat(shown["approved_at"])
    document = Document(
        io.BytesIO(client.get(f"/api/plans/{plan.id}/export.docx", headers=headers).data)
    )
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    [line] = [row for row in rows if row[0] == "Godkendt af ledelsen:"]
    assert line[1].startswith("Mette Lund, ") and str(approved_at.year) in line[1]


def test_history_marks_changes_of_either_hvem_job_after_approval(client, factory):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    staff = factory.user(("staff", unit))
    plan = factory.plan(unit)
    item = factory.item(plan, responsible=[{"name": "Ole Dahl"}])
    headers = login(client, manager)
    before = client.patch(
        f"/api/items/{item.id}", headers=headers, json={"follow_up_responsible": [{"name": "A"}]}
    )
    assert before.status_code == 200, before.json
    approve(client, headers, plan)

    after = client.patch(
        f"/api/items/{item.id}",
        headers=login(client, staff),
        json={"follow_up_responsible": [{"user_id": str(manager.id)}]},
    )

    assert after.status_code == 200, after.json
    history = client.get(f"/api/plans/{plan.id}/history", headers=headers).json
    hvem = [
        e for e in history if "follow_up_responsible" in e["changes"] and e["action"] == "update"
    ]
    assert [e["after_approval"] for e in hvem] == [False, True]
    assert hvem[1]["changes"]["follow_up_responsible"] == [
        [{"name": "A"}],
        [{"user_id": str(manager.id)}],
    ]
    assert hvem[1]["user_id"] == str(staff.id)
