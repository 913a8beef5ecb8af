def test_health_names_the_backend(client, backend):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] == backend


def test_every_synced_write_stamps_version_seq_and_audit(factory, app):
    from server.extensions import db
    from server.models import AuditEvent

    unit = factory.unit()
    plan = factory.plan(unit)
    first_seq = plan.seq
    plan.title = "Ny titel"
    db.session.commit()
    assert plan.version == 2
    assert plan.field_versions["title"] == 2
    assert plan.field_versions["kind"] == 1
    assert plan.seq > first_seq
    actions = [e.action for e in db.session.query(AuditEvent).filter_by(row_id=plan.id)]
    assert sorted(actions) == ["create", "update"]
