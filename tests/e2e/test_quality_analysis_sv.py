"""Seed 004's analysis and the kept kvalitetsberättelse in Chromium, in Swedish (issue 18, points
4, 5 and 8): the enhetschef reads the year's outcomes by tertial, by group of clients (a small
group withheld) and against the year before, sets a cost per plats against the measure, and
adopts the year's kvalitetsberättelse, which is then downloadable as it was adopted.

The year is 2024, so that the cases this test adds do not move the 2026 figures other tests read.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from tests.e2e.pages import eventually, log_in
from tests.e2e.test_quality_sv import CHEF_SV, HOME_SV, STAFF_SV, open_quality

YEAR = 2024


def seed_year(api) -> dict:
    """Cases of 2024 and 2023 in Björkvägen, and the places it had in each tertial of 2024."""
    units = {u["name"]: u for u in api.get("/api/units", as_user=CHEF_SV)}
    bjorkvagen = units["Gruppbostaden Björkvägen"]
    prefix = f"AN-{random.randint(1000, 9999)}"

    def case(code, **fields):
        api.post(
            "/api/quality/cases",
            {
                "unit_id": bjorkvagen["id"],
                "case_code": f"{prefix}-{code}",
                "intervention": "Boendestöd",
                **fields,
            },
            as_user=STAFF_SV,
        )

    for n in range(6):
        case(
            n,
            gender="female",
            age_band="21-29",
            started_on=f"{YEAR}-01-15",
            ended_on=f"{YEAR}-03-20",
            end_reason="planned" if n < 4 else "interrupted",
            needs_met="yes",
            situation_after="improved",
        )
    for n in range(6, 8):
        case(
            n,
            gender="male",
            age_band="21-29",
            started_on=f"{YEAR}-02-01",
            ended_on=f"{YEAR}-06-01",
            end_reason="interrupted",
        )
    # Five whose gender is not recorded: with the men hidden, the smallest group shown goes too
    # (the total less the women would give the men away), so these go, and the women stay.
    for n in range(10, 15):
        case(n, started_on=f"{YEAR}-09-01", ended_on=f"{YEAR}-10-01", end_reason="planned")
    case(9, started_on=f"{YEAR - 1}-02-01", ended_on=f"{YEAR - 1}-05-01", end_reason="planned")
    measures = api.get(f"/api/quality/measures?unit_id={bjorkvagen['parent_id']}", as_user=CHEF_SV)
    places = next(m for m in measures if m["name"] == "Antal platser")
    for tertial, n in (("T1", 12), ("T2", 12), ("T3", 15)):
        api.post(
            "/api/quality/measure-values",
            {
                "measure_id": places["id"],
                "unit_id": bjorkvagen["id"],
                "period": f"{YEAR}-{tertial}",
                "value": n,
            },
            as_user=CHEF_SV,
        )
    return {
        "verksamhet_id": bjorkvagen["parent_id"],
        "bjorkvagen_id": bjorkvagen["id"],
        "places": places,
    }


def pull_a_change(page, api, seeded, tertial: str) -> None:
    """A value (Björkvägen's places the year before) reaches the server, and a sync started
    without touching the page (focus stays where it is) brings it to the device; the live hub
    is drawn again for it, unless a draft holds that back."""
    api.post(
        "/api/quality/measure-values",
        {
            "measure_id": seeded["places"]["id"],
            "unit_id": seeded["bjorkvagen_id"],
            "period": f"{YEAR - 1}-{tertial}",
            "value": 11,
        },
        as_user=CHEF_SV,
    )
    state = page.get_by_test_id("sync-state")
    before = state.get_attribute("data-last") or ""
    page.get_by_role("button", name="Synkronisera nu").dispatch_event("click")
    page.wait_for_function(
        """before => {
            const el = document.querySelector('[data-testid="sync-state"]');
            return el && el.dataset.last !== before && el.dataset.phase === 'idle';
        }""",
        arg=before,
    )
    page.wait_for_timeout(500)  # a live re-render for the pull is drawn by now


def choose_report_year_while_pulls_land(page, api, seeded) -> None:
    """The hub is a live screen: a pull draws it again. The year of the kvalitetsberättelse
    being typed stays (the year field is a draft form, so the re-render waits), and so does the
    year chosen (kept on the app). Before, every such re-render put the current year back, so
    "Fastställ" could adopt another year than the one on the screen."""
    expect(page.get_by_test_id("adopt-form")).to_be_visible()
    year = page.get_by_label("År", exact=True)
    year.fill(str(YEAR))  # typed, not yet chosen: no change event, the field keeps focus
    pull_a_change(page, api, seeded, "T1")
    expect(year).to_have_value(str(YEAR))
    expect(year).to_be_focused()
    year.dispatch_event("change")
    pull_a_change(page, api, seeded, "T2")  # drawn again now, with the year chosen
    expect(page.get_by_label("År", exact=True)).to_have_value(str(YEAR))


def test_the_enhetschef_analyses_the_year_and_adopts_the_kvalitetsberattelse(new_context, api):
    seeded = seed_year(api)
    page = new_context(accept_downloads=True).new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Stöd och omsorg")

    # The cost per plats of 2024, set against the measure on its card.
    page.get_by_role("link", name="Mått", exact=True).click()
    # Drawn: the hub before it has a year field of its own, labelled the same.
    expect(page.get_by_role("heading", level=1, name="Mått")).to_be_visible()
    page.get_by_label("År", exact=True).fill(str(YEAR))
    page.get_by_label("År", exact=True).dispatch_event("change")
    expect(page.get_by_test_id("measure-list")).to_have_attribute("data-period", f"{YEAR}-T1")
    card = page.locator('section[data-measure="Antal platser"]')
    form = card.get_by_test_id("key-figure-form")
    expect(form).to_contain_text(f"Ekonomiskt nyckeltal {YEAR}")
    form.get_by_label("Kostnad per enhet 2024: Antal platser").fill("650000")
    form.get_by_label("Avser: Antal platser").fill("kr per plats och år")
    form.get_by_role("button", name="Spara").click()
    expect(page.locator("#toast")).to_contain_text("Sparat")

    def key_figure():
        """The cost per plats has reached the server."""
        measure = next(
            m
            for m in api.get(
                f"/api/quality/measures?unit_id={seeded['verksamhet_id']}", as_user=CHEF_SV
            )
            if m["id"] == seeded["places"]["id"]
        )
        return (measure["costs"], measure["cost_label"]) == (
            {"2024": 650000.0},
            "kr per plats och år",
        )

    eventually(key_figure)

    page.get_by_role("link", name="Analys", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Analys")).to_be_visible()
    page.get_by_label("År", exact=True).fill(str(YEAR))
    page.get_by_label("År", exact=True).dispatch_event("change")
    analysis = page.get_by_test_id("analysis")
    expect(analysis).to_have_attribute("data-year", str(YEAR))

    periods = analysis.get_by_test_id("analysis-periods")
    expect(periods.get_by_role("row", name=re.compile("^Tertial 1"))).to_contain_text("4 (67 %)")
    expect(periods.get_by_role("row", name=re.compile("^Helår"))).to_contain_text("13")
    gender = analysis.get_by_test_id("analysis-gender")
    expect(gender.get_by_role("row", name=re.compile("^Kvinna"))).to_contain_text("4 (67 %)")
    # Two men: a group of people one could point at; and with one hidden, the total would tell.
    expect(gender.get_by_role("row", name=re.compile("^Man"))).to_contain_text(
        "färre än 5, visas inte"
    )
    expect(gender.get_by_role("row", name=re.compile("^Okänt"))).to_contain_text("visas inte")
    years = analysis.get_by_test_id("analysis-years")
    expect(years.get_by_role("row", name=re.compile(f"^{YEAR - 1}"))).to_contain_text("1 (100 %)")
    chart = analysis.locator("figure", has_text="Andel avslutade enligt plan (%) – per år")
    expect(chart.locator("svg rect[fill='#2f6f8f']").first).to_be_visible()
    # The year of the places is the mean of the tertials (12, 12, 15), marked as built.
    measures = analysis.get_by_test_id("analysis-measures")
    expect(measures.get_by_role("row", name=re.compile("^Antal platser"))).to_contain_text(
        "13 platser *"
    )
    costs = analysis.get_by_test_id("analysis-costs")
    expect(costs).to_contain_text("650")
    expect(costs).to_contain_text(re.compile(r"8\s450\s000 kr"))
    assert "AN-" not in analysis.inner_text()  # groups, never case codes

    # Adopt the year's kvalitetsberättelse, with the chef's conclusions.
    page.get_by_role("link", name="← Kvalitetsuppföljning: Stöd och omsorg").click()
    choose_report_year_while_pulls_land(page, api, seeded)
    adopt = page.get_by_test_id("adopt-form")
    conclusions = "Avbrotten bland män följs upp.\n\nBoendestödet behåller sin inriktning."
    adopt.get_by_label("Slutsatser, prioriterade förbättringsområden och fortsatt arbete").fill(
        conclusions
    )
    adopt.get_by_label("Fastställd av (t.ex. ledningsgruppen)").fill("Ledningsgruppen")
    adopt.get_by_role("button", name="Fastställ").click()
    kept = page.get_by_test_id("adopted-reports").locator(f'li[data-year="{YEAR}"]').first
    expect(kept).to_contain_text(f"{YEAR}, version 1: fastställd")
    expect(kept).to_contain_text("av Eva Lindqvist (Ledningsgruppen)")
    # What was typed went into the version, so the form is empty again.
    expect(
        adopt.get_by_label("Slutsatser, prioriterade förbättringsområden och fortsatt arbete")
    ).to_have_value("")

    with page.expect_download() as download:
        kept.get_by_role("button", name=f"Word ({YEAR} v1)").click()
    name = download.value.suggested_filename
    assert re.fullmatch(rf"kvalitetsberättelse-{YEAR}-stöd-och-omsorg-version-1\.docx", name), name
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "av Eva Lindqvist (Ledningsgruppen). Version 1." in text
    assert "Avbrotten bland män följs upp." in text
    assert [(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections] == [
        (210, 297)
    ]
    listed = api.get(
        f"/api/quality/reports?unit_id={seeded['verksamhet_id']}&year={YEAR}", as_user=CHEF_SV
    )
    assert [(r["version"], r["adopted_by_name"]) for r in listed] == [(1, "Eva Lindqvist")]
