"""A one-mutation push takes a fixed, small number of SQL statements.

The count is pinned so that a lookup or a flush added to the push path cannot creep back
unnoticed (issue 15: a push should cost little more than its SQL). Counted with an
SQLAlchemy ``before_cursor_execute`` listener around the request, on both databases.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from server.extensions import db
from sync.protocol import SCHEMA_VERSION
from tests.helpers import login

# PostgreSQL takes the write locks and reads the device's row in one statement, writes the
# item, its number and its audit event in one, and the client's last id with the stored
# results in another; SQLite has no writing CTEs.
STATEMENTS_OF_A_ONE_MUTATION_PUSH = {"postgresql": 5, "sqlite": 9}


@contextmanager
def statements_run():
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def push_result(client, headers, item_id, mutation_id, value, base_version):
    body = {
        "client_id": "counted-device",
        "schema_version": SCHEMA_VERSION,
        "mutations": [
            {
                "mutation_id": mutation_id,
                "table": "plan_items",
                "id": str(item_id),
                "op": "upsert",
                "base_version": base_version,
                "fields": {"result": value},
            }
        ],
    }
    response = client.post("/api/sync/push", json=body, headers=headers)
    assert response.status_code == 200, response.json
    [result] = response.json["results"]
    assert result["status"] == "applied"
    return result["version"]


def test_a_one_mutation_push_takes_few_statements(app, client, factory, backend):
    unit = factory.unit()
    plan = factory.plan(unit)
    item = factory.item(plan)
    staff = factory.user(("staff", unit))
    db.session.commit()
    item_id, version = item.id, item.version
    headers = login(client, staff)
    version = push_result(client, headers, item_id, 1, "first", version)  # registers the client

    with statements_run() as seen:
        push_result(client, headers, item_id, 2, "second", version)

    # the token, its user and the access version (the roles are kept from the first push:
    # tests/server/test_kept_principal.py); the locks with the client; the item and its plan; the
    # sequence number, the item and its audit event; the stored results and the client's last id
    assert len(seen) == STATEMENTS_OF_A_ONE_MUTATION_PUSH[backend], "\n".join(
        " ".join(s.split())[:120] for s in seen
    )
