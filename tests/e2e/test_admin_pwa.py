"""Admins manage users and roles in the app (#/admin): online only, nothing kept on the device."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN, PHONE, STAFF
from tests.e2e.pages import log_in

TILBUD = "Bofællesskabet Lærkevej"
FOSTER = "Plejefamilien Skovbryn"
NEW_PASSWORD = "e2e-kodeord-1"
# Users made here need a password the policy accepts ("folg-demo" is the demo's, which skips it).
NEW_USER_PASSWORD = "lyse-nætter-ved-fjorden"


def login_status(base: str, email: str, password: str) -> int:
    r = requests.post(
        f"{base}/api/auth/login", json={"email": email, "password": password}, timeout=10
    )
    return r.status_code


def user_on_server(api, email: str) -> dict:
    return next(u for u in api.get("/api/users", as_user=ADMIN) if u["email"] == email)


def device_mentions(page, text: str) -> bool:
    """Whether any row of any IndexedDB database of the page holds ``text``."""
    return page.evaluate(
        """async (text) => {
            for (const { name } of await indexedDB.databases()) {
                const db = await new Promise((ok, fail) => {
                    const req = indexedDB.open(name);
                    req.onsuccess = () => ok(req.result);
                    req.onerror = () => fail(req.error);
                });
                for (const store of db.objectStoreNames) {
                    const rows = await new Promise((ok, fail) => {
                        const req = db.transaction(store).objectStore(store).getAll();
                        req.onsuccess = () => ok(req.result);
                        req.onerror = () => fail(req.error);
                    });
                    if (JSON.stringify(rows).includes(text)) { db.close(); return true; }
                }
                db.close();
            }
            return false;
        }""",
        text,
    )


def confirm(page, title: str) -> None:
    page.get_by_role("dialog", name=title).get_by_role("button", name=title).click()
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_admin_creates_grants_corrects_revokes_and_deactivates_a_user_on_a_phone(
    new_context, api, live_server
):
    email = f"e2e-{uuid.uuid4().hex[:10]}@demo.test"
    name = f"Lise Berg {uuid.uuid4().hex[:4]}"
    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, ADMIN)
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", level=1, name="Administration")).to_be_visible()
    expect(page.get_by_test_id("user-list")).to_contain_text("Jonas Krogh (dig)")

    # A taken email: the server's 422 is shown by the E-mail field, the form is kept.
    page.get_by_role("link", name="Ny bruger").click()
    form = page.get_by_test_id("new-user")
    form.get_by_label("Navn").fill(name)
    form.get_by_label("E-mail").fill(STAFF)
    form.get_by_label("Adgangskode").fill(NEW_USER_PASSWORD)
    form.get_by_label("Enhed", exact=True).select_option(label=TILBUD)
    form.get_by_label("Rolle", exact=True).select_option(label="Medarbejder")
    form.get_by_role("button", name="Opret bruger").click()
    expect(form.locator('[data-error-for="email"]')).to_have_text(
        "Der findes allerede en bruger med denne e-mailadresse."
    )
    expect(form.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")

    form.get_by_label("E-mail").fill(email)
    form.get_by_role("button", name="Opret bruger").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.locator("#toast")).to_have_text(f"{name} er oprettet.")
    expect(page.locator("main")).not_to_contain_text("null")

    # Typed, not saved yet: granting a role meanwhile must keep it.
    details = page.get_by_test_id("user-details")
    details.get_by_label("Navn").fill(f"{name} Holm")

    roles = page.get_by_test_id("user-roles")
    roles.get_by_label("Enhed", exact=True).select_option(label=FOSTER)
    roles.get_by_label("Rolle", exact=True).select_option(label="Medarbejder")
    roles.get_by_role("button", name="Giv rolle").click()
    expect(roles.get_by_text(f"Medarbejder i {FOSTER}")).to_be_visible()
    expect(page.locator("#toast")).to_contain_text(f"har fået rollen Medarbejder i {FOSTER}")
    assert login_status(live_server, email, NEW_USER_PASSWORD) == 200
    created = user_on_server(api, email)
    assert sorted(m["role"] for m in created["memberships"]) == ["staff", "staff"]

    expect(details.get_by_label("Navn")).to_have_value(f"{name} Holm")
    details.get_by_role("button", name="Gem ændringer").click()
    expect(page.get_by_role("heading", level=1, name=f"{name} Holm")).to_be_visible()
    assert user_on_server(api, email)["name"] == f"{name} Holm"

    roles.get_by_role("button", name=f"Fjern rolle: Medarbejder i {FOSTER}").click()
    confirm(page, "Fjern rolle")
    expect(roles.get_by_text(f"Medarbejder i {FOSTER}")).to_have_count(0)
    expect(roles.get_by_text(f"Medarbejder i {TILBUD}")).to_be_visible()
    assert [m["role"] for m in user_on_server(api, email)["memberships"]] == ["staff"]
    # An active user's last role stays (the server refuses too): the screen says why.
    roles.get_by_role("button", name=f"Fjern rolle: Medarbejder i {TILBUD}").click()
    expect(roles.get_by_test_id("role-error")).to_have_text(
        "Det er brugerens sidste rolle. Deaktivér brugeren først, eller giv en anden rolle."
    )
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.get_by_role("button", name="Deaktivér bruger").click()
    confirm(page, "Deaktivér bruger")
    expect(page.get_by_test_id("user-summary")).to_contain_text("Deaktiveret")
    expect(page.get_by_role("button", name="Genaktivér bruger")).to_be_visible()
    assert login_status(live_server, email, NEW_USER_PASSWORD) == 401
    assert user_on_server(api, email)["active"] is False

    # Nothing of the user list stayed on the device, and the phone needs no sideways scroll.
    page.get_by_role("link", name="← Administration").click()
    expect(page.get_by_test_id("user-list")).to_contain_text(email)
    assert not device_mentions(page, email)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # The API refuses self-deactivation; the screen shows its reason.
    page.get_by_role("link", name="Jonas Krogh (dig)").click()
    page.get_by_role("button", name="Deaktivér bruger").click()
    confirm(page, "Deaktivér bruger")
    expect(page.get_by_test_id("access-error")).to_have_text(
        "Du kan ikke deaktivere dig selv; spørg en anden administrator."
    )

    context.set_offline(True)
    page.get_by_role("link", name="← Administration").click()
    expect(page.get_by_test_id("admin-offline")).to_have_text(
        "Administration kræver netværk. Du er offline, så brugere kan hverken vises eller"
        " ændres lige nu."
    )
    expect(page.get_by_test_id("user-list")).to_have_count(0)


def test_staff_sees_no_administration_and_is_not_allowed_in(new_context):
    page = new_context().new_page()
    log_in(page, STAFF)
    expect(page.get_by_role("navigation").get_by_role("link")).not_to_have_count(0)
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    page.goto("/#/admin")
    expect(page.get_by_role("heading", level=1, name="Administration")).to_be_visible()
    expect(page.get_by_test_id("admin-not-allowed")).to_have_text(
        "Du har ikke adgang til administration. Den er kun for administratorer af en enhed."
    )
    expect(page.get_by_test_id("user-list")).to_have_count(0)


def test_a_role_granted_or_revoked_after_login_shows_without_logging_out(
    new_context, api, live_server
):
    """Logging out would wipe the device: the app asks for the user's roles again instead."""
    tilbud = next(u for u in api.get("/api/units", as_user=ADMIN) if u["name"] == TILBUD)
    email = f"e2e-{uuid.uuid4().hex[:10]}@demo.test"
    user = api.post(
        "/api/users",
        {
            "email": email,
            "name": "Rolle Skift",
            "language": "da",
            "password": NEW_USER_PASSWORD,
            "memberships": [{"unit_id": tilbud["id"], "role": "staff"}],
        },
        as_user=ADMIN,
    )
    page = new_context().new_page()
    log_in(page, email, password=NEW_USER_PASSWORD)
    expect(page.get_by_test_id("admin-link")).to_have_count(0)

    granted = api.post(
        "/api/memberships",
        {"user_id": user["id"], "unit_id": tilbud["id"], "role": "admin"},
        as_user=ADMIN,
    )
    page.reload()
    expect(page.get_by_test_id("admin-link")).to_be_visible()

    revoked = requests.delete(
        f"{live_server}/api/memberships/{granted['id']}",
        headers={"Authorization": f"Bearer {api.token(ADMIN)}"},
        timeout=10,
    )
    assert revoked.status_code == 204
    page.reload()
    expect(page.get_by_test_id("admin-link")).to_have_count(0)
    expect(page.get_by_role("heading", level=1, name="Mine enheder")).to_be_visible()
