"""The flask commands, on SQLite and PostgreSQL (through the ``app`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.demo import DEMO_LOGINS, DEMO_PASSWORD
from server.extensions import db
from server.models import (
    AuditEvent,
    Membership,
    Organisation,
    Plan,
    PlanItem,
    ProgressNote,
    Theme,
    Unit,
    User,
)
from server.services.auth import login
from server.services.login_throttle import ThrottleSettings

COUNTED = (Organisation, Unit, User, Membership, Plan, PlanItem, ProgressNote, AuditEvent)


def _counts() -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
        for model in COUNTED
    }


def _seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def test_seed_demo_twice_creates_nothing_the_second_time(runner):
    first = _seed(runner)
    after_first = _counts()
    second = _seed(runner)

    assert _counts() == after_first
    assert "Demo data added" in first.output
    assert "nothing added" in second.output
    assert after_first["plans"] == 3
    assert after_first["users"] == len(DEMO_LOGINS)
    for login_ in DEMO_LOGINS:
        assert login_.email in second.output


def test_seed_demo_writes_the_two_rows_of_seed_000_with_all_nine_columns(runner):
    _seed(runner)
    plan = db.session.scalar(select(Plan).where(Plan.kind == "dk_tilbud"))
    items = plan.items

    assert plan.origin == "inspection" and plan.inspection_date.isoformat() == "2021-03-22"
    assert plan.state == "approved" and plan.approved_by is not None
    assert [i.priority for i in items] == [1, 2]
    themes = [db.session.get(Theme, i.theme_id).name for i in items]
    assert themes == ["Selvstændighed og relationer", "Sundhed og trivsel"]
    for item in items:
        for column in ("topic", "goal", "activities", "resources", "documentation", "result"):
            assert getattr(item, column), column
        assert item.start_date is not None and item.responsible
    assert items[0].ongoing is True and items[0].end_date is None
    assert items[1].end_date.isoformat() == "2021-09-30"


def test_seed_demo_covers_foster_family_and_swedish_plans(runner):
    _seed(runner)
    foster = db.session.scalar(select(Plan).where(Plan.kind == "dk_plejefamilie"))
    swedish = db.session.scalar(select(Plan).where(Plan.kind == "se_handlingsplan"))

    assert foster.foster_parents and foster.result_label == "status"
    # Seed 001: the foster parents fill it in and keep it; it is in force without approval.
    foster_parent = db.session.scalar(select(User).where(User.email == "plejefamilie@demo.test"))
    assert foster.filled_in_by == foster_parent.name
    assert foster.state == "approved" and foster.approved_by is None
    notes = db.session.scalars(select(ProgressNote).where(ProgressNote.plan_id == foster.id))
    assert {n.author_id for n in notes} == {foster_parent.id}
    roles = {(m.unit_id, m.role) for m in foster_parent.memberships}
    assert roles == {(foster.unit_id, "foster_parent")}
    assert len(swedish.items) == 2
    enhet = db.session.get(Unit, swedish.unit_id)
    assert enhet.kind == "se_enhet"
    assert db.session.get(Unit, enhet.parent_id).kind == "se_verksamhet"


def test_seed_demo_users_log_in_with_the_demo_password(runner):
    _seed(runner)
    token, user, _ = login(
        db.session,
        "leder@demo.test",
        DEMO_PASSWORD,
        client_address="127.0.0.1",
        ttl_hours=1,
        throttle=ThrottleSettings(),
    )
    assert token and user.name == "Mette Lund"


def test_seed_demo_writes_are_audited_as_cli(runner):
    _seed(runner)
    vias = set(db.session.scalars(select(AuditEvent.via)))
    assert vias == {"cli"}


DK = ["--kind", "dk_tilbud"]


def test_a_fresh_database_gets_its_first_unit_and_admin_from_the_cli(runner, client, monkeypatch):
    """docs/deploy.md step 3: an organisation's top unit, then its admin, who logs in and adds
    the rest (a unit below it) through the API."""
    made = runner.invoke(
        args=["create-unit", "--organisation", "Test Kommune", "--country", "DK"]
        + ["--name", "Socialområdet", "--kind", "dk_tilbud"]
    )
    assert made.exit_code == 0, made.output
    top = db.session.scalar(select(Unit).where(Unit.name == "Socialområdet"))
    assert top.parent_id is None and top.version == 1  # a synced, versioned row
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", "en lang adgangskode")
    admin = runner.invoke(
        args=["create-user", "--email", "it@kommune.test", "--name", "IT"]
        + ["--role", "admin:Socialområdet"]
    )
    assert admin.exit_code == 0, admin.output

    token = client.post(
        "/api/auth/login", json={"email": "it@kommune.test", "password": "en lang adgangskode"}
    ).json["token"]
    below = client.post(
        "/api/units",
        headers={"Authorization": f"Bearer {token}"},
        json={"name": "Bofællesskabet Ny", "kind": "dk_tilbud", "parent_id": str(top.id)},
    )
    assert below.status_code == 201, below.json

    # Below an existing unit, in its organisation; a new organisation needs a country.
    under = runner.invoke(
        args=[
            "create-unit",
            "--parent",
            "Socialområdet",
            "--name",
            "Afd. A",
            "--kind",
            "dk_afdeling",
        ]
    )
    assert under.exit_code == 0, under.output
    afdeling = db.session.scalar(select(Unit).where(Unit.name == "Afd. A"))
    assert (afdeling.parent_id, afdeling.organisation_id) == (top.id, top.organisation_id)
    orphan = runner.invoke(
        args=["create-unit", "--organisation", "Ny Kommune", "--name", "X", "--kind", "dk_tilbud"]
    )
    assert orphan.exit_code != 0 and "--country" in orphan.output
    both = runner.invoke(
        args=["create-unit", "--organisation", "Test Kommune", "--parent", "Socialområdet"]
        + ["--name", "Y", "--kind", "dk_tilbud"]
    )
    assert both.exit_code != 0 and "either" in both.output
    for bad, reason in [
        (["--organisation", "test kommune", "--name", "  ", "--kind", "dk_tilbud"], "1 to 200"),
        (["--organisation", "Test Kommune", "--name", "Å" * 201, "--kind", "dk_tilbud"], "200"),
        (["--organisation", "Test Kommune", "--name", "Z", "--kind", "se_enhet"], "not a kind"),
        (["--organisation", "TEST KOMMUNE", "--country", "SE", "--name", "Z"] + DK, "in DK"),
    ]:
        refused = runner.invoke(args=["create-unit", *bad])
        assert refused.exit_code != 0 and reason in refused.output, refused.output
    # The organisation is found in any case; nothing else was made.
    again = runner.invoke(
        args=["create-unit", "--organisation", "test kommune", "--name", "B"] + DK
    )
    assert again.exit_code == 0, again.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_create_user_with_roles_by_unit_name_and_id(runner, factory, monkeypatch):
    tilbud = factory.unit(name="Bofællesskabet Solsikken")
    afdeling = factory.unit("dk_afdeling", parent=tilbud, name="Solsikken Øst")
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", "en lang adgangskode")

    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "ny.leder@example.test",
            "--name",
            "Ny Leder",
            "--role",
            "manager:Bofællesskabet Solsikken",
            "--role",
            f"staff:{afdeling.id}",
        ]
    )

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ny.leder@example.test"))
    roles = {(m.role, m.unit_id) for m in user.memberships}
    assert roles == {("manager", tilbud.id), ("staff", afdeling.id)}
    assert user.password_hash.startswith("$argon2")


def test_create_user_reads_the_password_from_a_hidden_prompt(runner, monkeypatch):
    monkeypatch.delenv("FOLG_NEW_USER_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-user", "--email", "p@example.test", "--name", "P"],
        input="stille-ord-i-regnen\nstille-ord-i-regnen\n",
    )
    assert result.exit_code == 0, result.output
    assert "stille-ord-i-regnen" not in result.output
    assert db.session.scalar(select(User.id).where(User.email == "p@example.test"))


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("boss:Bofællesskabet Solsikken", "unknown role 'boss'"),
        ("manager:Findes Ikke", "no unit named or with id 'Findes Ikke'"),
        ("manager", "is not ROLE:UNIT"),
        ("manager:Dobbelt", "2 units are named 'Dobbelt'"),
    ],
)
def test_create_user_with_a_bad_role_fails_clearly_and_creates_nothing(
    runner, factory, monkeypatch, role, message
):
    factory.unit(name="Bofællesskabet Solsikken")
    factory.unit(name="Dobbelt")
    factory.unit(name="Dobbelt")
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", "en lang adgangskode")

    result = runner.invoke(
        args=["create-user", "--email", "x@example.test", "--name", "X", "--role", role]
    )

    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_a_taken_email_and_a_short_password(runner, factory, monkeypatch):
    factory.user(email="taken@example.test")
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", "kort")

    taken = runner.invoke(args=["create-user", "--email", "TAKEN@example.test", "--name", "T"])
    short = runner.invoke(args=["create-user", "--email", "new@example.test", "--name", "N"])

    assert taken.exit_code != 0 and "exists" in taken.output
    assert short.exit_code != 0 and "too short" in short.output


def test_load_catalogues_adds_nothing_when_present(runner):
    result = runner.invoke(args=["load-catalogues"])
    assert result.exit_code == 0, result.output
    assert "0 catalogue and theme rows added" in result.output


NINE_COLUMNS = (
    "theme_id",
    "topic",
    "goal",
    "activities",
    "resources",
    "start_date",
    "documentation",
    "responsible",
    "result",
)


@pytest.mark.parametrize(
    ("email", "sees"),
    [
        ("leder@demo.test", {"dk_tilbud", "dk_plejefamilie"}),
        ("medarbejder@demo.test", {"dk_tilbud"}),
        ("tilsyn@demo.test", {"dk_tilbud", "dk_plejefamilie"}),
        ("plejefamilie@demo.test", {"dk_plejefamilie"}),
        ("familiepleje@demo.test", {"dk_plejefamilie"}),
        ("chef@demo.test", {"se_handlingsplan"}),
    ],
)
def test_demo_users_log_in_and_see_their_plans(runner, client, email, sees):
    """The issue's acceptance path: seed, log in, read the plans and all nine columns."""
    _seed(runner)
    response = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.json
    headers = {"Authorization": f"Bearer {response.json['token']}"}

    listed = client.get("/api/plans", headers=headers)
    assert listed.status_code == 200, listed.json
    assert {p["kind"] for p in listed.json} == sees

    for plan in listed.json:
        items = client.get(f"/api/plans/{plan['id']}/items", headers=headers)
        assert items.status_code == 200, items.json
        assert len(items.json) == 2
        if plan["kind"] == "dk_tilbud":  # the filled-in plan of seed 000
            for item in items.json:
                assert all(item.get(column) for column in NINE_COLUMNS), item
