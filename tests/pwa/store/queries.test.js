// Reads for the UI (pwa/src/js/store/queries.js).
import { Store } from "../../../pwa/src/js/store/index.js";
import { freshStore } from "./helpers.js";

test("item stats count items and overdue ones of a plan", async () => {
  const store = await new Store("stats").open();
  const item = (id, fields) => ({
    table: "plan_items",
    id,
    version: 1,
    deleted: false,
    fields: { plan_id: "p", priority: 1, ...fields },
  });
  await store.applyPage(
    [
      item("a", { end_date: "2026-01-01", state: "in_progress" }),
      item("b", { end_date: "2026-01-01", state: "done" }),
      item("c", { end_date: "2026-01-01", ongoing: true }),
      item("d", { end_date: "2027-01-01" }),
      item("e", {}),
    ],
    "x",
  );
  expect(await store.itemStats("p", "2026-06-01")).toEqual({
    items: 5,
    overdue: 1,
  });
});

test("lists come sorted as the screens show them, without deleted rows", async () => {
  const store = await freshStore("queries");
  const row = (table, id, fields) => ({
    table,
    id,
    version: 1,
    deleted: false,
    fields,
  });
  await store.applyPage(
    [
      row("visits", "v1", { unit_id: "u", visit_date: "2026-01-02" }),
      row("visits", "v2", { unit_id: "u", visit_date: "2026-03-04" }),
      row("visits", "v3", {
        unit_id: "u",
        visit_date: "2026-05-06",
        deleted: true,
      }),
      row("progress_notes", "n1", {
        item_id: "i",
        created_at: "2026-01-01T10:00:00Z",
      }),
      row("progress_notes", "n2", {
        item_id: "i",
        created_at: "2026-02-01T10:00:00Z",
      }),
      row("item_comments", "c1", {
        item_id: "i",
        created_at: "2026-02-01T10:00:00Z",
      }),
      row("item_comments", "c2", {
        item_id: "i",
        created_at: "2026-01-01T10:00:00Z",
      }),
      row("themes", "t1", { catalogue_id: "k", position: 2 }),
      row("themes", "t2", { catalogue_id: "k", position: 1 }),
      row("units", "u1", { name: "Östra" }),
      row("units", "u2", { name: "Arendal" }),
    ],
    "1",
  );
  expect((await store.listVisits("u")).map((v) => v.id)).toEqual(["v2", "v1"]); // newest first
  expect((await store.listNotes("i")).map((n) => n.id)).toEqual(["n2", "n1"]); // newest first
  expect((await store.listComments("i")).map((c) => c.id)).toEqual([
    "c2",
    "c1",
  ]); // oldest first
  expect((await store.listThemes("k")).map((t) => t.id)).toEqual(["t2", "t1"]);
  expect((await store.listUnits()).map((u) => u.name)).toEqual([
    "Arendal",
    "Östra",
  ]);
  expect(await store.get("visits", "v1")).not.toHaveProperty("_status");
});

test("waiting changes count outbox entries and photo bytes not uploaded, but not failed uploads", async () => {
  const store = await freshStore("queries");
  await store.create("plan_items", { id: "a", plan_id: "p", priority: 1 });
  await store.putPhotoBlob("c3".repeat(32), new Blob(["x"]), "image/jpeg");
  await store.putPhotoBlob("d4".repeat(32), new Blob(["y"]), "image/jpeg");
  expect(await store.pendingCount()).toBe(3);
  await store.markPhotoBlob("d4".repeat(32), { error: "too_large" });
  expect(await store.pendingCount()).toBe(2);
  expect((await store.pendingPhotoBlobs()).map((p) => p.sha256)).toEqual([
    "c3".repeat(32),
  ]);
});

test("the list of units counts each unit's plans without those deleted here, and the badge counts open conflicts", async () => {
  const store = await freshStore("queries");
  const row = (table, id, fields) => ({
    table,
    id,
    version: 1,
    deleted: false,
    fields,
  });
  await store.applyPage(
    [
      row("plans", "p1", { unit_id: "u1", title: "a" }),
      row("plans", "p2", { unit_id: "u1", title: "b" }),
      row("plans", "p3", { unit_id: "u2", title: "c" }),
      row("plans", "p4", { unit_id: "elsewhere", title: "d" }),
      row("conflicts", "c1", { status: "open", row_id: "x", unit_id: "u1" }),
      row("conflicts", "c2", {
        status: "resolved",
        row_id: "y",
        unit_id: "u1",
      }),
    ],
    "1",
  );
  await store.remove("plans", "p2");
  await store.create("plans", { id: "p5", unit_id: "u2", title: "new" });
  const counts = await store.planCounts(["u1", "u2", "u3"]);
  expect(Object.fromEntries(counts)).toEqual({ u1: 1, u2: 2, u3: 0 });
  expect((await store.planCounts([])).size).toBe(0);
  expect(await store.openConflictCount()).toBe(1);
});
