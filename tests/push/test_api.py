"""The push API: the VAPID public key, subscribing and unsubscribing devices, preferences."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from server.extensions import db
from server.models import PushSubscription
from server.push.vapid import VapidKeyError, b64url, load_vapid_keys
from tests.helpers import assert_error, login
from tests.push.receiver import Subscriber

ENDPOINT = "https://push.example.net/send/abc123"


def _body(endpoint=ENDPOINT, subscriber=None, **extra):
    subscriber = subscriber or Subscriber(path="/")
    return {"endpoint": endpoint, "expirationTime": None, "keys": subscriber.keys(), **extra}


def test_the_vapid_key_pair_is_made_once_in_a_private_file(push_app, client):
    key_file = push_app.config["VAPID_KEY_FILE"]
    assert not os.path.exists(key_file)

    first = client.get("/api/push/vapid-public-key")
    second = client.get("/api/push/vapid-public-key")

    assert first.status_code == 200
    assert first.json == second.json
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    point = first.json["public_key"]
    assert "=" not in point
    ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), __import__("base64").urlsafe_b64decode(point + "==")
    )


def _raw_private_key():
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw), b64url(public)


def test_keys_from_the_environment_win_and_must_match(tmp_path):
    private, public = _raw_private_key()
    config = {"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public}

    assert load_vapid_keys(config, str(tmp_path)).public_key == public
    assert list(tmp_path.iterdir()) == []  # no file made

    _, other_public = _raw_private_key()
    with pytest.raises(VapidKeyError):
        load_vapid_keys({"VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": other_public}, "/x")


def test_subscribing_stores_the_device_for_the_user(push_app, client, factory):
    user = factory.user(("staff", factory.unit()))
    headers = login(client, user)

    response = client.post(
        "/api/push/subscriptions", json=_body(device_label="Telefon"), headers=headers
    )

    assert response.status_code == 201, response.json
    assert response.json["endpoint"] == ENDPOINT
    assert response.json["device_label"] == "Telefon"
    listed = client.get("/api/push/subscriptions", headers=headers).json
    assert [s["id"] for s in listed] == [response.json["id"]]
    stored = db.session.scalars(select(PushSubscription)).one()
    assert stored.user_id == user.id


def test_subscribing_the_same_browser_again_moves_it_to_the_new_user(push_app, client, factory):
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))

    client.post("/api/push/subscriptions", json=_body(), headers=login(client, anna))
    client.post("/api/push/subscriptions", json=_body(), headers=login(client, bo))

    db.session.expire_all()
    (stored,) = db.session.scalars(select(PushSubscription)).all()
    assert stored.user_id == bo.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(endpoint="http://127.0.0.1:9/x"), "endpoint"),
        (_body(endpoint="ftp://push.example.net/x"), "endpoint"),
        ({**_body(), "keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys"),
        ({**_body(), "keys": {**Subscriber(path="/").keys(), "auth": "c2hvcnQ"}}, "keys"),
        ({"endpoint": ENDPOINT}, "keys"),
    ],
)
def test_subscriptions_with_bad_endpoints_or_keys_are_refused(app, client, factory, body, field):
    user = factory.user(("staff", factory.unit()))

    response = client.post("/api/push/subscriptions", json=body, headers=login(client, user))

    assert_error(response, 422, "invalid_input", field)


def test_subscribing_needs_a_login(app, client):
    assert_error(client.post("/api/push/subscriptions", json=_body()), 401, "unauthenticated")


def test_unsubscribing_by_id_or_endpoint_touches_only_your_own(push_app, client, factory):
    unit = factory.unit()
    anna, bo = factory.user(("staff", unit)), factory.user(("staff", unit))
    anna_headers, bo_headers = login(client, anna), login(client, bo)
    mine = client.post("/api/push/subscriptions", json=_body(), headers=anna_headers).json
    other = f"{ENDPOINT}/other"
    client.post("/api/push/subscriptions", json=_body(endpoint=other), headers=anna_headers)

    assert_error(
        client.delete(f"/api/push/subscriptions/{mine['id']}", headers=bo_headers),
        404,
        "not_found",
    )
    assert_error(
        client.delete(
            "/api/push/subscriptions", query_string={"endpoint": other}, headers=bo_headers
        ),
        404,
        "not_found",
    )
    assert (
        client.delete(f"/api/push/subscriptions/{mine['id']}", headers=anna_headers).status_code
        == 204
    )
    response = client.delete(
        "/api/push/subscriptions", query_string={"endpoint": other}, headers=anna_headers
    )
    assert response.status_code == 204
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_preferences_default_to_everything_on_and_no_quiet_hours(app, client, factory):
    user = factory.user(("staff", factory.unit()))

    response = client.get("/api/push/preferences", headers=login(client, user))

    assert response.status_code == 200
    assert all(response.json["kinds"].values()) and "overdue" in response.json["kinds"]
    assert response.json["quiet_hours"] is None
    assert response.json["timezone"] == "Europe/Copenhagen"


def test_preferences_change_only_what_is_given(app, client, factory):
    user = factory.user(("staff", factory.unit()))
    headers = login(client, user)

    client.put(
        "/api/push/preferences",
        json={"kinds": {"note_added": False}, "quiet_hours": {"start": "22:00", "end": "07:00"}},
        headers=headers,
    )
    response = client.put(
        "/api/push/preferences",
        json={"kinds": {"overdue": False}, "timezone": "Europe/Stockholm"},
        headers=headers,
    )

    assert response.status_code == 200, response.json
    kinds = response.json["kinds"]
    assert [k for k, on in kinds.items() if not on] == ["note_added", "overdue"]
    assert response.json["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    assert response.json["timezone"] == "Europe/Stockholm"
    assert client.get("/api/push/preferences", headers=headers).json == response.json

    cleared = client.put("/api/push/preferences", json={"quiet_hours": None}, headers=headers)
    assert cleared.json["quiet_hours"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"kinds": {"gossip": True}}, "kinds"),
        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "quiet_hours"),
    ],
)
def test_invalid_preferences_are_refused(app, client, factory, body, field):
    user = factory.user(("staff", factory.unit()))

    response = client.put("/api/push/preferences", json=body, headers=login(client, user))

    assert_error(response, 422, "invalid_input", field)


def test_processes_starting_together_agree_on_one_generated_key(tmp_path):
    import threading

    from server.push import vapid

    key_file = tmp_path / "vapid_private.pem"
    start = threading.Barrier(4)
    found: list[str] = []

    def first_use() -> None:
        start.wait(timeout=10)
        # _load, not load_vapid_keys: the per-process cache would hide the race.
        found.append(vapid._load({}, str(key_file)).public_key)

    threads = [threading.Thread(target=first_use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(found) == 4 and len(set(found)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["vapid_private.pem"]  # no temporary left
