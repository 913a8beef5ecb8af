"""An idle device's poll asks the database nothing about changes.

Change numbers come from one counter for the whole deployment, so the newest numbers are
usually other units' (or other organisations') rows. A poll that found nothing for its user
moves its cursor to the watermark itself; the next poll then finds ``cursor.seq == high`` and
answers at once, without the feed's probe (docs/sync-protocol.md, section 8).
"""

from __future__ import annotations

from server.extensions import db
from sync.protocol import SCHEMA_VERSION
from tests.helpers import login
from tests.sync.test_push_statements import push_result, statements_run


def pull(client, headers, cursor):
    response = client.post(
        "/api/sync/pull", json={"cursor": cursor, "schema_version": SCHEMA_VERSION}, headers=headers
    )
    assert response.status_code == 200, response.json
    return response.json


def test_a_poll_after_other_units_writes_probes_once_then_not_again(app, client, factory):
    mine = factory.unit()
    factory.item(factory.plan(mine))
    factory.organisation()  # the units made from here on are another organisation's
    theirs = factory.unit()
    their_item = factory.item(factory.plan(theirs))
    me = factory.user(("staff", mine))
    them = factory.user(("staff", theirs))
    db.session.commit()
    my_headers, their_headers = login(client, me), login(client, them)
    page = pull(client, my_headers, None)
    while page["has_more"]:
        page = pull(client, my_headers, page["cursor"])
    push_result(client, their_headers, their_item.id, 1, "elsewhere", their_item.version)

    with statements_run() as first:
        page = pull(client, my_headers, page["cursor"])
    with statements_run() as second:
        again = pull(client, my_headers, page["cursor"])

    assert page["changes"] == [] and again["changes"] == []
    assert not page["has_more"] and not again["has_more"]
    # The first poll after the foreign write looks (and finds nothing of mine); the second
    # has nothing left to look at.
    assert len(second) < len(first), "\n".join(" ".join(s.split())[:100] for s in second)
    assert not any(".seq >" in s for s in second), second  # the probe, a feed query
