"""The quality model a plan is written under, and a row's criterion, in the real app (issue 17,
points 1 and 8): a manager makes a plan that follows up an old inspection and gets the seven
themes; a row names a criterion of its theme; the model changes while the plan is a draft,
refused while a row's theme is missing from the other version. Foster-family plans read
seed 001's STATUS table."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER
from tests.e2e.pages import eventually, log_in, sync_now, wait_synced
from tests.e2e.test_manager import create_plan

TILBUD_2014 = "Kvalitetsmodellen for socialtilsyn – sociale tilbud (2014)"
TILBUD_2025 = "Kvalitetsmodellen for socialtilsyn – sociale tilbud (2025)"
SELF_DETERMINATION = "Tilbuddet styrker borgernes sociale kompetencer og selvstændighed."
FORCE = "Tilbuddet forebygger og håndterer magtanvendelser."


def choose_version(page, label: str) -> None:
    """Open the folded picker (a pull's redraw keeps it as it was) and choose."""
    choice = page.get_by_test_id("plan-catalogue-choice")
    if not choice.is_visible():
        page.get_by_test_id("plan-catalogue-open").click()
    choice.select_option(label=label)


def catalogue_id(api, label: str) -> str:
    return next(
        c["id"]
        for c in api.get("/api/catalogues")
        if c["code"] == "dk_tilbud" and c["version_label"] == label
    )


def test_manager_chooses_the_model_by_the_inspection_date_and_a_criterion_per_row(new_context, api):
    page = new_context().new_page()
    log_in(page, MANAGER)
    title = f"Opfølgning efter tilsyn 22.3-2021 {uuid.uuid4().hex[:6]}"
    create = create_plan(page, "Bofællesskabet Lærkevej", title)
    # A tilbud plan has one last column: no choice offered.
    expect(page.get_by_test_id("result-label")).to_be_hidden()
    choice = page.get_by_label("Kvalitetsmodel")
    expect(choice.locator("option").first).to_contain_text(TILBUD_2025)
    page.get_by_label("Tilsynsdato").fill("2021-03-22")
    page.get_by_label("Tilsynsdato").dispatch_event("change")
    expect(choice.locator("option").first).to_contain_text(TILBUD_2014)
    create.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_test_id("plan-catalogue-name")).to_have_text(TILBUD_2014)
    plan_id = page.url.rsplit("/", 1)[-1]
    assert api.get(f"/api/plans/{plan_id}")["catalogue_id"] == catalogue_id(api, "2014")

    # Seed 000's first row: theme 2 with its criterion.
    page.get_by_test_id("add-item").click()
    page.get_by_label("Tema", exact=True).select_option(label="2. Selvstændighed og relationer")
    page.get_by_label("Kriterium").select_option(label=SELF_DETERMINATION)
    page.get_by_label("Emne").fill("Selvbestemmelse")
    page.get_by_test_id("save-item").click()
    row = page.locator("tbody tr", has_text="Selvbestemmelse")
    expect(row.get_by_test_id("row-criterion")).to_contain_text(SELF_DETERMINATION)
    wait_synced(page)
    [item] = api.get(f"/api/plans/{plan_id}/items")
    criteria = {
        c["text"]: c["id"]
        for cat in api.get("/api/catalogues")
        for t in cat["themes"]
        for c in t["criteria"]
        if cat["id"] == catalogue_id(api, "2014")
    }
    assert item["criterion_id"] == criteria[SELF_DETERMINATION]

    # The 2025 version has no theme 2: the server says which row stands in the way.
    choose_version(page, TILBUD_2025)
    page.get_by_test_id("plan-catalogue-change").click()
    expect(page.get_by_test_id("catalogue-error")).to_contain_text("Række 1")
    expect(page.get_by_test_id("plan-catalogue-name")).to_have_text(TILBUD_2014)

    # Another theme and criterion for the row, then the model moves, and the row with it.
    row.get_by_role("link", name="Redigér indsats").click()
    page.get_by_label("Tema", exact=True).select_option(label="4. Sundhed og trivsel")
    page.get_by_label("Kriterium").select_option(label=FORCE)
    page.get_by_test_id("save-item").click()
    expect(row.get_by_test_id("row-criterion")).to_contain_text(FORCE)
    wait_synced(page)
    choose_version(page, TILBUD_2025)
    page.get_by_test_id("plan-catalogue-change").click()
    expect(page.get_by_test_id("plan-catalogue-name")).to_have_text(TILBUD_2025)
    expect(row).to_contain_text("Sundhed og trivsel")
    expect(row.get_by_test_id("row-criterion")).to_contain_text(FORCE)
    wait_synced(page)

    def moved_on_server():
        plan = api.get(f"/api/plans/{plan_id}")
        [item] = api.get(f"/api/plans/{plan_id}/items")
        newer = next(c for c in api.get("/api/catalogues") if c["id"] == plan["catalogue_id"])
        themes = {t["id"]: t for t in newer["themes"]}
        return (
            newer["version_label"] == "2025"
            and themes[item["theme_id"]]["number"] == 4
            and item["criterion_id"] in {c["id"] for c in themes[item["theme_id"]]["criteria"]}
        )

    eventually(moved_on_server)

    # The picker opened and a version chosen, a colleague's new row comes in with a pull: the
    # plan is drawn anew around it, the picker stays open with her choice.
    page.get_by_test_id("plan-catalogue-open").click()
    page.get_by_test_id("plan-catalogue-choice").select_option(label=TILBUD_2014)
    colleague = api.new_item(plan_id, topic=f"Kollegaens række {uuid.uuid4().hex[:6]}")
    sync_now(page)
    expect(page.locator("tbody tr", has_text=colleague["topic"])).to_be_visible()
    expect(page.get_by_test_id("plan-catalogue-choice")).to_be_visible()
    expect(page.get_by_test_id("plan-catalogue-choice").locator("option:checked")).to_have_text(
        TILBUD_2014
    )


def test_a_foster_family_plan_reads_seed_001s_status_table(new_context, api):
    page = new_context().new_page()
    log_in(page, MANAGER)
    title = f"Plejefamilieplan {uuid.uuid4().hex[:6]}"
    create = create_plan(page, "Plejefamilien Skovbryn", title)
    # STATUS first, as the server defaults to: the table the foster-family guide describes.
    expect(page.get_by_label("Sidste kolonne")).to_have_value("status")
    create.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.get_by_test_id("add-item").click()
    expect(page.get_by_text("Hvem er ansvarlig for opfølgning?")).to_be_visible()
    page.get_by_label("Emne").fill("Samvær")
    page.get_by_test_id("save-item").click()
    head = page.locator("thead th")
    expect(head.nth(7)).to_contain_text("Hvem er ansvarlig for opfølgning?")
    expect(head.last.locator(".col-heading")).to_have_text("STATUS")
    expect(head.last.locator(".col-question")).to_have_text("")
    expect(page.get_by_text("Hvad er status på målopfyldelsen?")).to_have_count(0)
    wait_synced(page)
    plan_id = page.url.rsplit("/", 1)[-1]
    assert api.get(f"/api/plans/{plan_id}")["result_label"] == "status"
