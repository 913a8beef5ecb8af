"""A long plan on a 360 px phone, offline (issue 21, point 3): it opens with its first rows
drawn, draws the next ones as the person scrolls, lands on an edited row far down, and prints
every row."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER, PHONE
from tests.e2e.pages import log_in, wait_offline, wait_service_worker

TILBUD = "Bofællesskabet Lærkevej"
ROWS = 95  # more than two steps of 40 (ui/plan.js PAGE_ROWS)


def long_plan(api) -> tuple[dict, list[dict]]:
    unit = next(u for u in api.get("/api/units") if u["name"] == TILBUD)
    plan = api.post(
        "/api/plans",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit["id"],
            "kind": "dk_tilbud",
            "title": f"Lang plan {uuid.uuid4().hex[:6]}",
            # Dated long ago (the first day of the 2014 model), so it sorts last: other tests take
            # the unit's first plan.
            "plan_date": "2014-01-01",
        },
    )
    items = [api.new_item(plan["id"], topic=f"Række {n:03d}", priority=n + 1) for n in range(ROWS)]
    return plan, items


def scroll_to_the_end(page, rows) -> None:
    """Scroll down until every row of the plan is drawn (a step at a time, as it reads)."""
    for _ in range(60):
        if rows.count() == ROWS:
            break
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(50)
    expect(rows).to_have_count(ROWS)


def test_a_long_plan_draws_its_rows_as_the_phone_scrolls_offline(new_context, api):
    plan, items = long_plan(api)
    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, MANAGER)
    wait_service_worker(page)
    context.set_offline(True)
    wait_offline(page)
    page.evaluate(f"location.hash = '#/plans/{plan['id']}'")
    rows = page.locator("tr[data-item-id]")
    expect(rows).to_have_count(40)
    more = page.get_by_test_id("more-rows")
    expect(more).to_have_text(f"Vis flere rækker (40 af {ROWS})")

    # Scrolling to the end draws the rest, a step at a time.
    scroll_to_the_end(page, rows)
    expect(more).to_be_hidden()
    expect(rows.last).to_contain_text(f"Række {ROWS - 1:03d}")


def test_back_from_a_row_far_down_lands_on_it_and_print_draws_every_row(new_context, api):
    plan, items = long_plan(api)
    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, MANAGER)
    target = items[70]
    page.evaluate(f"location.hash = '#/items/{target['id']}'")
    page.get_by_label("Mål").fill("Nået langt nede")
    page.get_by_test_id("save-item").click()
    # Back on the plan, drawn far enough to show the edited row, and focus is on it.
    landed = page.locator(f'tr[data-item-id="{target["id"]}"]')
    expect(landed).to_be_visible()
    expect(landed.locator("th")).to_be_focused()

    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Udskriv").click()
    page.wait_for_function("window.printed === true")
    expect(page.locator("tr[data-item-id]")).to_have_count(ROWS)


# Counts the plan rows IndexedDB hands the page (getAll results and cursor steps on plan_items
# and its indexes) from when `window.__planRowsRead` is set to 0.
COUNT_ROW_READS = """(() => {
  window.__planRowsRead = null;
  const of = (src) => (src.objectStore || src).name === 'plan_items';
  const add = (n) => { if (window.__planRowsRead !== null) window.__planRowsRead += n; };
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
    const getAll = proto.getAll;
    proto.getAll = function (...args) {
      const req = getAll.apply(this, args);
      if (of(this)) req.addEventListener('success', () => add(req.result.length));
      return req;
    };
    const openCursor = proto.openCursor;
    proto.openCursor = function (...args) {
      const req = openCursor.apply(this, args);
      if (of(this)) req.addEventListener('success', () => { if (req.result) add(1); });
      return req;
    };
  }
})();"""


def test_a_long_plan_reads_only_the_rows_it_draws_and_moves_a_row_past_them(new_context, api):
    plan, items = long_plan(api)
    context = new_context(viewport=PHONE)
    context.add_init_script(script=COUNT_ROW_READS)
    page = context.new_page()
    log_in(page, MANAGER)
    wait_service_worker(page)
    context.set_offline(True)
    wait_offline(page)
    page.evaluate("window.__planRowsRead = 0")
    page.evaluate(f"location.hash = '#/plans/{plan['id']}'")
    # Taken in the frame the first rows are seen: what was read to draw them.
    read = page.wait_for_function(
        "() => document.querySelectorAll('tr[data-item-id]').length > 0 && window.__planRowsRead"
    ).json_value()
    rows = page.locator("tr[data-item-id]")
    expect(rows).to_have_count(40)
    # The first page and the row that says there are more (a second page, had the phone
    # scrolled meanwhile), never the whole plan.
    assert read < ROWS, read

    # The last row drawn moves down past the rows read: its neighbour is read first.
    rows.nth(39).locator("[data-reorder='down']").click()
    expect(rows.nth(39)).to_contain_text("Række 040")
    # Read on to the end: every row once, in the plan's new order.
    scroll_to_the_end(page, rows)
    topics = rows.locator("td[data-field='topic']").all_text_contents()
    expected = [f"Række {n:03d}" for n in range(ROWS)]
    expected[39], expected[40] = expected[40], expected[39]
    assert [t.strip() for t in topics] == expected
