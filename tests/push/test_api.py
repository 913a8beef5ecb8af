"""The push API: the VAPID public key, subscribing and unsubscribing devices, preferences;
which endpoints are refused (the server POSTs to them), the cap per user, moving a device."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from server.extensions import db
from server.models import PushSubscription
from server.push.vapid import VapidKeyError, b64url, load_vapid_keys
from tests.helpers import assert_error, login
from tests.push.conftest import PUBLIC_ADDRESS
from tests.push.receiver import Subscriber

ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


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
    browser = Subscriber(path="/")

    client.post(
        "/api/push/subscriptions", json=_body(subscriber=browser), headers=login(client, anna)
    )
    response = client.post(
        "/api/push/subscriptions", json=_body(subscriber=browser), headers=login(client, bo)
    )

    assert response.status_code == 201, response.json
    db.session.expire_all()
    (stored,) = db.session.scalars(select(PushSubscription)).all()
    assert stored.user_id == bo.id


def test_another_users_endpoint_with_other_keys_is_not_moved(push_app, client, factory):
    unit = factory.unit()
    anna, mallory = factory.user(("staff", unit)), factory.user(("staff", unit))
    client.post(
        "/api/push/subscriptions",
        json=_body(subscriber=Subscriber(path="/")),
        headers=login(client, anna),
    )
    mallory_headers = login(client, mallory)

    # Other keys, or the right p256dh with another auth secret: answered as an unknown one.
    own_keys = Subscriber(path="/").keys()
    half = {
        "p256dh": db.session.scalars(select(PushSubscription)).one().p256dh,
        "auth": own_keys["auth"],
    }
    for keys in (own_keys, half):
        response = client.post(
            "/api/push/subscriptions",
            json={"endpoint": ENDPOINT, "keys": keys},
            headers=mallory_headers,
        )
        assert_error(response, 404, "not_found")

    db.session.expire_all()
    (stored,) = db.session.scalars(select(PushSubscription)).all()
    assert stored.user_id == anna.id
    assert client.get("/api/push/subscriptions", headers=mallory_headers).json == []


def test_a_user_may_renew_the_keys_of_their_own_endpoint(push_app, client, factory):
    user = factory.user(("staff", factory.unit()))
    headers = login(client, user)
    client.post("/api/push/subscriptions", json=_body(), headers=headers)
    renewed = Subscriber(path="/")

    response = client.post(
        "/api/push/subscriptions", json=_body(subscriber=renewed), headers=headers
    )

    assert response.status_code == 201, response.json
    db.session.expire_all()
    assert db.session.scalars(select(PushSubscription)).one().p256dh == renewed.keys()["p256dh"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
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


# Each would have the server POST into its own network (issue 22, finding 1).
HOSTILE_ENDPOINTS = [
    "https://127.0.0.1/x",
    "https://127.0.0.1:8443/x",
    "https://[::1]/x",
    "https://[::ffff:127.0.0.1]/x",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.5/x",
    "https://192.168.1.1/x",
    "https://0.0.0.0/x",
    "https://2130706433/x",
    "https://0x7f.1/x",
    "https://0177.0.0.1/x",
    "https://127.1/x",
    "https://user:pw@fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com@10.0.0.5/x",
    "http://fcm.googleapis.com/fcm/send/x",
    "https://fcm.googleapis.com:8443/fcm/send/x",
    "https://fcm.googleapis.com./fcm/send/x",
    "https://fcm.googleapis.com\\@10.0.0.5/x",
    "https://evil.example/fcm/send/x",
    "https://fcm.googleapis.com.evil.example/x",
    "https://evilpush.apple.com/x",
    "https://internal.push.apple.com/x",  # on the list, but resolves to a private address
    "https://metadata.push.apple.com/x",  # and one public, one link-local address
    "https://nowhere.push.apple.com/x",  # does not resolve
]


@pytest.mark.parametrize("endpoint", HOSTILE_ENDPOINTS)
def test_endpoints_into_the_servers_network_are_refused(app, client, factory, dns, endpoint):
    dns["internal.push.apple.com"] = ["10.1.2.3"]
    dns["metadata.push.apple.com"] = [PUBLIC_ADDRESS, "169.254.169.254"]
    user = factory.user(("staff", factory.unit()))

    response = client.post(
        "/api/push/subscriptions", json=_body(endpoint=endpoint), headers=login(client, user)
    )

    body = assert_error(response, 422, "invalid_input", "endpoint")
    assert endpoint not in json.dumps(body)
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_the_loopback_receiver_is_refused_unless_tests_allow_it(app, client, factory, monkeypatch):
    user = factory.user(("staff", factory.unit()))
    headers = login(client, user)
    body = _body(endpoint="http://127.0.0.1:8123/push/x")

    assert_error(
        client.post("/api/push/subscriptions", json=body, headers=headers),
        422,
        "invalid_input",
        "endpoint",
    )
    monkeypatch.setitem(app.config, "PUSH_ALLOW_LOOPBACK", True)
    assert client.post("/api/push/subscriptions", json=body, headers=headers).status_code == 201


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com:443/fcm/send/x",
        "https://FCM.googleapis.com/fcm/send/x",
        "https://web.push.apple.com/QGuPp3g",
    ],
)
def test_push_services_on_the_list_with_public_addresses_are_accepted(
    app, client, factory, endpoint
):
    user = factory.user(("staff", factory.unit()))

    response = client.post(
        "/api/push/subscriptions", json=_body(endpoint=endpoint), headers=login(client, user)
    )

    assert response.status_code == 201, response.json


def test_a_self_hosted_push_service_is_allowed_by_name(app, client, factory, dns, monkeypatch):
    dns["push.example.org"] = [PUBLIC_ADDRESS]
    user = factory.user(("staff", factory.unit()))
    headers = login(client, user)
    body = _body(endpoint="https://push.example.org/send/x")

    assert_error(
        client.post("/api/push/subscriptions", json=body, headers=headers),
        422,
        "invalid_input",
        "endpoint",
    )
    monkeypatch.setitem(
        app.config, "PUSH_ALLOWED_HOSTS", ["fcm.googleapis.com", "push.example.org"]
    )
    assert client.post("/api/push/subscriptions", json=body, headers=headers).status_code == 201


def test_past_the_cap_the_device_longest_without_a_delivery_makes_room(
    app, client, factory, monkeypatch
):
    monkeypatch.setitem(app.config, "PUSH_MAX_SUBSCRIPTIONS_PER_USER", 3)
    user, other = factory.user(("staff", factory.unit())), factory.user(("staff", factory.unit()))
    headers = login(client, user)
    client.post(
        "/api/push/subscriptions", json=_body(f"{ENDPOINT}/other"), headers=login(client, other)
    )
    ids = [
        client.post("/api/push/subscriptions", json=_body(f"{ENDPOINT}/{n}"), headers=headers).json[
            "id"
        ]
        for n in range(3)
    ]
    # The oldest device delivered yesterday; the second never since it was subscribed (older).
    rows = {str(row.id): row for row in db.session.scalars(select(PushSubscription))}
    now = datetime.now(UTC)
    rows[ids[0]].created_at, rows[ids[0]].last_success_at = (
        now - timedelta(days=9),
        now - timedelta(days=1),
    )
    rows[ids[1]].created_at = now - timedelta(days=5)
    rows[ids[2]].created_at, rows[ids[2]].last_success_at = now - timedelta(days=3), now
    db.session.commit()

    response = client.post(
        "/api/push/subscriptions", json=_body(f"{ENDPOINT}/new"), headers=headers
    )

    assert response.status_code == 201, response.json
    listed = {s["id"] for s in client.get("/api/push/subscriptions", headers=headers).json}
    assert listed == {ids[0], ids[2], response.json["id"]}
    db.session.expire_all()
    assert (
        db.session.scalars(select(PushSubscription)).all().__len__() == 4
    )  # the other user's stays


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
        client.delete("/api/push/subscriptions", json={"endpoint": other}, headers=bo_headers),
        404,
        "not_found",
    )
    assert (
        client.delete(f"/api/push/subscriptions/{mine['id']}", headers=anna_headers).status_code
        == 204
    )
    response = client.delete(
        "/api/push/subscriptions", json={"endpoint": other}, headers=anna_headers
    )
    assert response.status_code == 204
    assert db.session.scalars(select(PushSubscription)).all() == []


def test_unsubscribing_with_the_endpoint_in_the_query_string_is_refused(push_app, client, factory):
    # Access logs keep query strings; an endpoint reaches one person's device.
    user = factory.user(("staff", factory.unit()))
    headers = login(client, user)
    client.post("/api/push/subscriptions", json=_body(), headers=headers)

    response = client.delete(
        "/api/push/subscriptions", query_string={"endpoint": ENDPOINT}, headers=headers
    )

    assert_error(response, 422, "invalid_input", "endpoint")
    assert len(db.session.scalars(select(PushSubscription)).all()) == 1


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
