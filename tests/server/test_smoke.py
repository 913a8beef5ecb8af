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


def test_the_production_entry_point_freezes_what_starting_made(tmp_path):
    """server.wsgi:app (gunicorn) is the app, with its start-up objects out of the GC's scans."""
    import subprocess
    import sys

    probe = (
        "import gc, server.wsgi as w; "
        "print(type(w.app).__name__, gc.get_freeze_count() > 50_000, gc.get_count()[2])"
    )
    env = {"FOLG_DATABASE_URL": f"sqlite:///{tmp_path / 'wsgi.sqlite3'}", "PATH": "/usr/bin"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["Flask", "True", "0"]


def test_an_installed_server_is_told_where_the_built_pwa_is(tmp_path, monkeypatch):
    """FOLG_PWA_DIST: a plain pip install has no pwa/dist beside the package (docs/deploy.md)."""
    from server import create_app
    from server.extensions import db

    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>built elsewhere</title>")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOLG_PWA_DIST", "dist")  # relative to where the operator started it
    monkeypatch.setenv("FOLG_DATABASE_URL", f"sqlite:///{tmp_path / 'web.sqlite3'}")
    app = create_app({"TESTING": True})
    try:
        response = app.test_client().get("/")
        status, body = response.status_code, response.data
        response.close()  # the file it streams
    finally:
        with app.app_context():
            db.engine.dispose()
    assert status == 200
    assert b"built elsewhere" in body
