"""Issue 18, point 7, in Chromium: the enhetschef makes survey links in the PWA, a partner with
no account answers the yearly survey through one on a 360 px phone (under the app's CSP, with
axe finding nothing serious), the link then refuses a second answer in Swedish, and the answer
is in the survey responses and the summary on the enhetschef's device; the unanswered link is
sent again with a new address."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.pages import log_in, wait_synced
from tests.e2e.test_accessibility import check
from tests.e2e.test_quality_sv import CHEF_SV, HOME_SV, open_quality

ANNUAL = "Årlig enkät till medarbetare, beställare och samarbetspartners"
SCALE_QUESTION = "Hur väl fungerar samarbetet med verksamheten?"
TEXT_QUESTION = "Synpunkter och förslag på förbättringar"


def test_a_partner_answers_through_a_link_on_a_phone_and_it_reaches_the_summary(
    new_context, api, artifacts
):
    chef = new_context().new_page()
    log_in(chef, CHEF_SV, home=HOME_SV)
    open_quality(chef, "Gruppbostaden Björkvägen")
    chef.get_by_role("link", name="Enkäter", exact=True).click()
    section = chef.get_by_test_id("survey-links")
    form = section.get_by_test_id("survey-link-form")
    form.get_by_label("Enkät", exact=True).select_option(label=ANNUAL)
    form.get_by_label("Vem svarar").select_option(label="Samarbetspartner")
    form.get_by_label("Antal länkar").fill("2")
    label = f"Samarbetspartner BUP {uuid.uuid4().hex[:4]}"
    form.get_by_label("Anteckning").fill(label)
    form.get_by_role("button", name="Skapa länkar").click()
    addresses = section.get_by_test_id("link-url")
    expect(addresses).to_have_count(2)
    url, second_url = addresses.first.input_value(), addresses.last.input_value()
    assert "/s/" in url and url != second_url
    expect(section.get_by_test_id("resend-list")).to_contain_text(label)

    # The partner: a phone, no account, no app; the page under the app's own CSP.
    phone = new_context(viewport=PHONE).new_page()
    refused_by_csp: list[str] = []
    phone.on(
        "console",
        lambda m: refused_by_csp.append(m.text) if "Content Security Policy" in m.text else None,
    )
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1, name="Årlig enkät")).to_be_visible()
    assert phone.evaluate("document.documentElement.lang") == "sv"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scale = phone.get_by_role("group", name=SCALE_QUESTION)
    scale.get_by_label("4", exact=True).check()
    kept = "Bra samverkan kring barnen"
    phone.get_by_label(TEXT_QUESTION).fill(f"{kept}, ring mig på 850709-1234")
    phone.get_by_role("button", name="Skicka mina svar").click()
    problems = phone.get_by_role("alert")
    expect(problems).to_contain_text("Några svar behöver ses över")
    expect(problems).to_contain_text("personnummer")
    phone.screenshot(path=artifacts / "phone-survey-link-mistake.png", full_page=True)
    # Nothing typed is lost: the scale and the text are still there.
    expect(
        phone.get_by_role("group", name=SCALE_QUESTION).get_by_label("4", exact=True)
    ).to_be_checked()
    expect(phone.get_by_label(TEXT_QUESTION)).to_have_value(f"{kept}, ring mig på 850709-1234")
    phone.get_by_label(TEXT_QUESTION).fill(kept)
    phone.get_by_role("button", name="Skicka mina svar").click()
    expect(phone.get_by_role("heading", level=1, name="Tack!")).to_be_visible()
    phone.goto(url)
    expect(phone.get_by_role("alert")).to_contain_text("redan använts")
    assert refused_by_csp == []

    # axe on the form (a second link, so the first stays answered), in Danish this time.
    checker = new_context(viewport=PHONE, bypass_csp=True).new_page()
    checker.goto(second_url + "?lang=da")
    expect(checker.get_by_role("button", name="Send mine svar")).to_be_visible()
    check(checker, "survey page")

    # The answer is an ordinary survey response of the enhet ...
    unit = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Gruppbostaden Björkvägen"
    )
    responses = api.get(f"/api/quality/survey-responses?unit_id={unit['id']}", as_user=CHEF_SV)
    mine = [r for r in responses if kept in r["answers"].values()]
    assert (
        len(mine) == 1 and mine[0]["respondent"] == "partner" and 4 in mine[0]["answers"].values()
    )

    # ... that reaches the enhetschef's device by sync, into the summary, with the counts.
    chef.reload()
    wait_synced(chef)
    chef.get_by_role("link", name="Mått", exact=True).click()
    chef.get_by_role("link", name="Enkäter", exact=True).click()
    annual = chef.locator('section[data-survey="annual"]')
    expect(annual.get_by_role("row", name=SCALE_QUESTION)).to_contain_text("medel")
    counts = chef.get_by_test_id("link-counts").locator('tr[data-survey="annual"]')
    # Made, answered, unanswered, expired, withdrawn.
    expect(counts.locator("td")).to_have_text(["2", "1", "1", "0", "0"])
    resend = chef.get_by_test_id("resend-list")
    expect(resend.get_by_text(label)).to_have_count(1)  # one of the two is answered

    # A reminder: the unanswered link gets a new address; the old one stops working.
    resend.locator("li", has_text=label).get_by_role("button", name="Ny länk att skicka").click()
    fresh = chef.get_by_test_id("survey-links").get_by_test_id("link-url")
    expect(fresh).to_have_count(1)
    assert fresh.first.input_value() not in (url, second_url)
    checker.goto(second_url)
    # An unknown token has no link to take a language from: the browser's (da-DK) decides.
    expect(checker.get_by_role("alert")).to_contain_text("findes ikke")
    checker.goto(fresh.first.input_value())
    expect(checker.get_by_role("button", name="Skicka mina svar")).to_be_visible()
