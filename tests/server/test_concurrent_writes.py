"""Two people edit different fields of one item at the same moment, over REST."""

from __future__ import annotations

import contextlib
import threading

from server.extensions import db
from server.models import PlanItem
from server.services import plans
from tests.helpers import login


def test_concurrent_edits_of_different_fields_both_keep_their_field_versions(
    app, factory, monkeypatch
):
    unit = factory.unit()
    item_id = factory.item(factory.plan(unit)).id
    staff = [factory.user(("staff", unit)) for _ in range(2)]
    client = app.test_client()
    headers = [login(client, user) for user in staff]

    # Each request, once it has read the item, waits (up to a second) for the other to have
    # read it too. Without the clock lock at the start of a write, both read version 1 and the
    # second commit overwrites the first one's field versions.
    have_read = threading.Barrier(2, timeout=1)
    real_get_item = plans.get_item

    def get_item_then_wait(*args, **kwargs):
        found = real_get_item(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            have_read.wait()
        return found

    monkeypatch.setattr(plans, "get_item", get_item_then_wait)
    statuses: list[int] = []

    def edit(header, field):
        response = app.test_client().patch(
            f"/api/items/{item_id}", headers=header, json={field: f"ny {field}"}
        )
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=edit, args=(headers[0], "goal")),
        threading.Thread(target=edit, args=(headers[1], "result")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [200, 200]
    db.session.expire_all()
    stored = db.session.get(PlanItem, item_id)
    assert (stored.goal, stored.result) == ("ny goal", "ny result")
    assert stored.version == 3
    assert sorted([stored.field_versions["goal"], stored.field_versions["result"]]) == [2, 3]
