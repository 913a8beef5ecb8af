"""The dialogue between a tilbud and the socialtilsyn, on two devices in real Chromium: the
inspector writes on the plan offline, the manager answers on a row online, and after a sync
each sees the other's message, signed and told apart by side (the notices each side gets are
tested in tests/dialogue/test_notices.py)."""

from __future__ import annotations

import uuid

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER
from tests.e2e.pages import (
    eventually,
    log_in,
    open_plan,
    row,
    sync_now,
    wait_offline,
    wait_service_worker,
    wait_synced,
)

UNIT = "Bofællesskabet Lærkevej"
INSPECTOR = "tilsyn@demo.test"


def test_an_inspector_offline_and_a_manager_exchange_messages_and_each_sees_the_others(
    new_context, api
):
    plan = api.plan_of_unit(UNIT)
    item = api.get(f"/api/plans/{plan['id']}/items")[0]
    question = f"Hvordan følger I op på aftenerne? {uuid.uuid4().hex[:6]}"
    answer = f"Vi holder møde hver fredag. {uuid.uuid4().hex[:6]}"

    inspector_context, manager_context = new_context(), new_context()
    inspector, manager = inspector_context.new_page(), manager_context.new_page()
    log_in(inspector, INSPECTOR)
    wait_service_worker(inspector)
    open_plan(inspector, UNIT, plan["id"])
    log_in(manager, MANAGER)
    open_plan(manager, UNIT, plan["id"])

    # The inspector, offline, writes on the plan as a whole.
    inspector_context.set_offline(True)
    wait_offline(inspector)
    own = inspector.get_by_test_id("plan-thread")
    own.get_by_test_id("message-body").fill(question)
    own.get_by_test_id("send-message").click()
    expect(inspector.get_by_role("status")).to_contain_text("gemt i browseren")
    mine = (
        inspector.get_by_test_id("plan-thread").get_by_test_id("message").filter(has_text=question)
    )
    expect(mine).to_have_attribute("data-side", "inspectorate")
    expect(mine.get_by_test_id("message-author")).to_have_text("Tilsynsførende Karin Dahl")

    # The manager, online, writes in a row's thread.
    thread = row(manager, item["id"]).get_by_test_id("item-thread")
    thread.locator("summary").click()
    thread.get_by_test_id("message-body").fill(answer)
    thread.get_by_test_id("send-message").click()
    wait_synced(manager)
    expect(
        row(manager, item["id"]).get_by_test_id("item-thread").get_by_test_id("message")
    ).to_contain_text(answer)

    # The save may not have started its sync when the state first reads idle: wait until the
    # server has the answer, so the inspector's pull below can bring it.
    eventually(
        lambda: any(
            m["body"] == answer
            for m in api.get(f"/api/items/{item['id']}/messages", as_user=MANAGER)
        )
    )

    # Back online, the inspector's device sends its message and receives the manager's.
    inspector_context.set_offline(False)
    sync_now(inspector)
    theirs = row(inspector, item["id"]).get_by_test_id("item-thread")
    theirs.locator("summary").click()
    answered = theirs.get_by_test_id("message").filter(has_text=answer)
    expect(answered).to_have_attribute("data-side", "provider")
    expect(answered.get_by_test_id("message-author")).to_have_text("Mette Lund")

    sync_now(manager)
    received = (
        manager.get_by_test_id("plan-thread").get_by_test_id("message").filter(has_text=question)
    )
    expect(received).to_have_attribute("data-side", "inspectorate")
    expect(received.get_by_test_id("message-author")).to_have_text("Tilsynsførende Karin Dahl")

    def on_the_server():
        """both messages are stored, each under its author's side"""
        every = api.get(f"/api/plans/{plan['id']}/messages?thread=every", as_user=INSPECTOR)
        sides = {m["body"]: (m["side"], m["item_id"]) for m in every}
        return sides.get(question) == ("inspectorate", None) and sides.get(answer) == (
            "provider",
            item["id"],
        )

    eventually(on_the_server)

    # The manager takes the plan to Word with the dialogue as an appendix.
    manager.get_by_test_id("word-options").locator("summary").click()
    manager.get_by_test_id("word-threads").check()
    with manager.expect_download() as info:
        manager.get_by_role("button", name="Hent som Word").click()
    text = [p.text for p in Document(info.value.path()).paragraphs]
    appendix = text[text.index("Bilag: Dialog med tilsynet") :]
    assert question in appendix and answer in appendix
    inspector_context.close()
    manager_context.close()
