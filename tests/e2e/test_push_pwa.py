"""Web push in the PWA (docs/push.md): subscribe from the settings screen, notifications shown
by the service worker in the user's language, a click opens the item (offline too), logout
lets go of the device.

Chromium cannot subscribe here: a real ``PushManager.subscribe`` registers with Google's push
service, which this machine cannot reach (and Playwright's contexts are off-the-record, where
Chromium refuses push outright). So the page gets a stand-in for the *browser's* push service
(``FAKE_PUSH_SERVICE``): ``subscribe`` answers a subscription with a real P-256 key and an
https endpoint, as Chromium would (on loopback, which the e2e server allows: nothing is
sent there). Everything of ours is real: the settings screen, js/push, the API and the
database, and the service worker, which receives its push through DevTools'
``ServiceWorker.deliverPushMessage`` with a payload made by the server's own ``render_payload``.
"""

from __future__ import annotations

import base64
import json
import os
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.sync_api import expect

from server import create_app
from server.push.messages import render_payload as render_in_app
from tests.e2e.conftest import MANAGER, STAFF
from tests.e2e.pages import eventually, log_in, open_plan, wait_offline, wait_service_worker
from tests.e2e.test_conflicts_and_logout import READ_OWN_TOKEN

UNIT = "Bofællesskabet Lærkevej"

FAKE_PUSH_SERVICE = """
(() => {
  // Kept in localStorage: a browser keeps its subscription across reloads.
  const { endpoint, p256dh, auth } = %s;
  const STATE = '__fake_push_service';
  const read = () => JSON.parse(
    localStorage.getItem(STATE) || JSON.stringify({ key: null, unsubscribed: 0, endpoint }),
  );
  const write = (state) => localStorage.setItem(STATE, JSON.stringify(state));
  const make = (key) => ({
    endpoint: read().endpoint, expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: new Uint8Array(key).buffer },
    toJSON: () => ({ endpoint: read().endpoint, expirationTime: null, keys: { p256dh, auth } }),
    unsubscribe: async () => {
      write({ ...read(), key: null, unsubscribed: read().unsubscribed + 1 });
      return true;
    },
  });
  Object.defineProperty(window, '__push', { get: () => read() });
  PushManager.prototype.subscribe = async function (options) {
    if (!options || !options.userVisibleOnly || !options.applicationServerKey) {
      throw new DOMException('bad options', 'NotAllowedError');
    }
    const key = Array.from(new Uint8Array(options.applicationServerKey));
    write({ ...read(), key });
    return make(key);
  };
  PushManager.prototype.getSubscription = async function () {
    const s = read();
    return s.key ? make(s.key) : null;
  };
})();
"""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def push_device() -> dict:
    """What a browser's push service hands out: an https endpoint and the keys of the device.
    The endpoint is on loopback (allowed by the e2e server's PUSH_ALLOW_LOOPBACK): no push is
    sent to it, and no DNS is asked."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {
        "endpoint": f"https://127.0.0.1/e2e/{uuid.uuid4().hex}",
        "p256dh": b64url(point),
        "auth": b64url(os.urandom(16)),
    }


def context_with_push(new_context, live_server, device: dict):
    context = new_context()
    context.grant_permissions(["notifications"], origin=live_server)
    context.add_init_script(FAKE_PUSH_SERVICE % json.dumps(device))
    return context


def endpoints_on_server(api, email: str) -> list[str]:
    return [s["endpoint"] for s in api.get("/api/push/subscriptions", as_user=email)]


def turn_on_notifications(page) -> None:
    page.get_by_role("link", name="Indstillinger").click()
    toggle = page.get_by_label("Notifikationer i denne browser")
    expect(toggle).not_to_be_checked()
    toggle.check()
    expect(page.get_by_test_id("push-status")).to_have_text("Slået til i denne browser.")
    expect(toggle).to_be_checked()
    expect(page.get_by_test_id("push-settings")).not_to_contain_text("null")


def deliver_push(page, live_server, payload: dict) -> None:
    """DevTools hands the worker a push event, as the push service would through the browser."""
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    # Events reach Python only while Playwright runs its loop, so wait inside the page.
    for _ in range(300):
        if any(not r["isDeleted"] for r in registrations):
            break
        page.wait_for_timeout(50)
    registration = next(r for r in registrations if not r["isDeleted"])
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )


SHOWN = """() => navigator.serviceWorker.ready
  .then((reg) => reg.getNotifications())
  .then((list) => list.map((n) => ({
    title: n.title, body: n.body, lang: n.lang, url: n.data && n.data.url,
  })))"""


def shown_notifications(page) -> list[dict]:
    return page.evaluate(SHOWN)


def click_notification(context) -> None:
    """Run the worker's notificationclick path on the shown notification (no DevTools command
    clicks a notification; the handler only adds ``close()`` around the same call)."""
    worker = context.service_workers[0]
    worker.evaluate(
        """() => self.registration.getNotifications()
             .then((list) => {
               list[0].close();
               return self.folgOpenRoute(list[0].data.url);
             })
             .then(() => true)"""
    )


def test_staff_subscribes_in_settings_and_the_server_stores_the_device_and_choices(
    new_context, live_server, api, artifacts
):
    device = push_device()
    page = context_with_push(new_context, live_server, device).new_page()
    log_in(page, STAFF)
    wait_service_worker(page)

    turn_on_notifications(page)
    assert device["endpoint"] in endpoints_on_server(api, STAFF)

    # Per-kind choices and quiet hours go to the server.
    page.get_by_label("Sluttidspunkter og frister, der nærmer sig").uncheck()
    page.get_by_label("Ingen notifikationer i et tidsrum").check()
    page.get_by_label("Fra", exact=True).fill("21:30")
    page.get_by_label("Til", exact=True).fill("06:45")
    page.screenshot(path=artifacts / "desktop-push-settings.png", full_page=True)
    page.get_by_role("button", name="Gem valg").click()

    def saved():
        prefs = api.get("/api/push/preferences", as_user=STAFF)
        return prefs["kinds"]["due_soon"] is False and prefs["quiet_hours"] == {
            "start": "21:30",
            "end": "06:45",
        }

    eventually(saved)
    assert api.get("/api/push/preferences", as_user=STAFF)["kinds"]["assigned"] is True

    # Shown again after a reload, read back from the server.
    page.reload()
    expect(page.get_by_label("Notifikationer i denne browser")).to_be_checked()
    expect(page.get_by_label("Sluttidspunkter og frister, der nærmer sig")).not_to_be_checked()
    expect(page.get_by_label("Fra", exact=True)).to_have_value("21:30")

    # Turning it off removes the device on the server and in the browser.
    page.get_by_label("Notifikationer i denne browser").uncheck()
    expect(page.get_by_test_id("push-status")).to_have_text("Slået fra i denne browser.")
    assert device["endpoint"] not in endpoints_on_server(api, STAFF)
    assert page.evaluate("window.__push.unsubscribed") == 1


def render_payload(*args):
    """The server's payload, rendered where its catalogues are (an app context)."""
    with create_app({"DATABASE_URL": "sqlite://"}).app_context():
        return render_in_app(*args)


def test_a_push_is_shown_in_the_payload_language_and_a_click_opens_the_item_offline_too(
    new_context, live_server, api
):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Mål for notifikationen")
    context = context_with_push(new_context, live_server, push_device())
    page = context.new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    turn_on_notifications(page)
    open_plan_first = page.get_by_role("link", name="Mine enheder")
    open_plan_first.click()

    # A Swedish reminder of a föreläggande's frist: the worker's own Swedish string for that
    # variant (about), the server's body.
    payload = render_payload(
        "due_soon",
        "sv",
        uuid.UUID(plan["id"]),
        uuid.UUID(item["id"]),
        {"days": 1, "about": "deadline"},
    )
    payload["title"] = "server title, not used for a known kind"
    deliver_push(page, live_server, payload)
    shown = eventually(lambda: shown_notifications(page))
    assert shown == [
        {
            "title": "Tidsfristen för ett föreläggande närmar sig",
            "body": "Tidsfristen går ut i morgon.",
            "lang": "sv",
            "url": f"/#/items/{item['id']}",
        }
    ]

    # The click focuses this window and moves it to the item.
    click_notification(context)
    expect(page).to_have_url(f"{live_server}/#/items/{item['id']}")
    expect(page.get_by_label("Mål")).to_have_value("Mål for notifikationen")
    assert shown_notifications(page) == []

    # Offline: a Danish one, clicked while the app shows another screen.
    page.get_by_role("link", name="Mine enheder").click()
    context.set_offline(True)
    wait_offline(page)
    deliver_push(page, live_server, render_payload("assigned", "da", None, uuid.UUID(item["id"])))
    eventually(
        lambda: [
            n
            for n in shown_notifications(page)
            if n["title"] == "Du er blevet ansvarlig for en indsats"
        ]
    )
    click_notification(context)
    expect(page).to_have_url(f"{live_server}/#/items/{item['id']}")
    expect(page.get_by_label("Mål")).to_have_value("Mål for notifikationen")
    # A fresh window on the link (what openWindow does when none is open) works offline too:
    # the shell is precached and the route renders from IndexedDB.
    fresh = context.new_page()
    fresh.goto(f"/#/items/{item['id']}")
    expect(fresh.get_by_label("Mål")).to_have_value("Mål for notifikationen")


def test_a_payload_link_to_another_site_opens_the_app_instead(new_context, live_server):
    context = context_with_push(new_context, live_server, push_device())
    page = context.new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    open_plan(page, UNIT, _first_plan_id(page))
    deliver_push(
        page,
        live_server,
        {"title": "x", "url": "https://evil.example/phish", "kind": "unknown_kind", "lang": "xx"},
    )
    shown = eventually(lambda: shown_notifications(page))
    assert shown[0]["title"] == "x" and shown[0]["url"] == "/#/units" and shown[0]["lang"] == "da"
    click_notification(context)
    expect(page).to_have_url(f"{live_server}/#/units")


def _first_plan_id(page) -> str:
    page.get_by_role("link", name=UNIT, exact=True).click()
    href = page.locator('a[href^="#/plans/"]').first.get_attribute("href")
    page.go_back()
    return href.rsplit("/", 1)[-1]


def test_logout_removes_the_subscription_on_the_server_and_in_the_browser(
    new_context, live_server, api
):
    device = push_device()
    page = context_with_push(new_context, live_server, device).new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    turn_on_notifications(page)
    assert device["endpoint"] in endpoints_on_server(api, STAFF)

    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    assert device["endpoint"] not in endpoints_on_server(api, STAFF)
    assert page.evaluate("window.__push.unsubscribed") == 1


def test_logout_offline_is_not_blocked_and_drops_the_browser_subscription(
    new_context, live_server, api
):
    device = push_device()
    context = context_with_push(new_context, live_server, device)
    page = context.new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    turn_on_notifications(page)

    context.set_offline(True)
    wait_offline(page)
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    assert page.evaluate("window.__push.unsubscribed") == 1
    # The server copy stays until its push service answers 410 and delivery prunes it.
    assert device["endpoint"] in endpoints_on_server(api, STAFF)


REPLACE_ENDPOINT = """(endpoint) => {
  const state = JSON.parse(localStorage.getItem('__fake_push_service'));
  localStorage.setItem('__fake_push_service', JSON.stringify({ ...state, endpoint }));
}"""


def test_a_subscription_the_browser_replaced_is_reported_when_the_app_starts(
    new_context, live_server, api
):
    device = push_device()
    page = context_with_push(new_context, live_server, device).new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    turn_on_notifications(page)

    # The push service rotated the subscription while the app was closed
    # (pushsubscriptionchange: the worker re-subscribed but has no token to tell the server).
    renewed = f"https://127.0.0.1/e2e/{uuid.uuid4().hex}"
    page.evaluate(REPLACE_ENDPOINT, renewed)
    page.reload()

    def moved():
        endpoints = endpoints_on_server(api, STAFF)
        return renewed in endpoints and device["endpoint"] not in endpoints

    eventually(moved)


def test_another_person_logging_in_on_the_device_drops_the_last_ones_subscription(
    new_context, live_server, api
):
    device = push_device()
    page = context_with_push(new_context, live_server, device).new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    turn_on_notifications(page)

    # The staff member's session ends without a logout; the manager logs in on the device.
    token = page.evaluate(READ_OWN_TOKEN)
    page.evaluate(
        """(token) => fetch('/api/auth/logout', {
          method: 'POST', headers: { Authorization: `Bearer ${token}` } })""",
        token,
    )
    page.reload()
    page.get_by_role("link", name="Indstillinger").click()
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    log_in(page, MANAGER)
    assert page.evaluate("window.__push.unsubscribed") == 1
    assert page.evaluate("window.__push.key") is None
    # The staff member's row stays on the server (their token was gone) until the push
    # service answers 410 for the dropped subscription; nothing was moved to the manager.
    assert device["endpoint"] not in endpoints_on_server(api, MANAGER)
