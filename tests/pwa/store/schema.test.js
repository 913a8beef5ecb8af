// The tables, their fields and the Dexie versions (pwa/src/js/store/schema.js).
import {
  QUALITY_TABLES,
  ROW_WRITTEN_TABLES,
  SYNCED_TABLES,
  WRITABLE,
  sendable,
  visible,
  withDerived,
} from "../../../pwa/src/js/store/schema.js";
import { Store } from "../../../pwa/src/js/store/index.js";

test("upgrading a version 1 database derives the due index of existing items", async () => {
  const { default: Dexie } = await import("dexie");
  const old = new Dexie("upgrade-v1");
  old.version(1).stores({
    units: "id, parent_id",
    catalogues: "id, code",
    themes: "id, catalogue_id",
    criteria: "id, theme_id",
    plans: "id, unit_id, _status",
    plan_items: "id, plan_id, unit_id, _status",
    progress_notes: "id, item_id, plan_id, _status",
    conflicts: "id, status, row_id, unit_id",
    outbox: "++seq, [table+id], mutation_id",
    meta: "key",
  });
  await old.plan_items.put({
    id: "a",
    plan_id: "p",
    end_date: "2026-01-01",
    state: "in_progress",
    _status: "synced",
    _version: 1,
  });
  old.close();
  const store = await new Store("upgrade-v1").open();
  expect(store.db.verno).toBe(12); // upgraded through every later step
  expect(await store.itemStats("p", "2026-06-01")).toEqual({
    items: 1,
    overdue: 1,
  });
  expect(await store.get("plan_items", "a")).not.toHaveProperty("_due");
});

test("every synced table has a Dexie store, and the tables written here index their sync status", async () => {
  const store = await new Store("schema-tables").open();
  const stores = Object.fromEntries(store.db.tables.map((t) => [t.name, t]));
  for (const name of SYNCED_TABLES) expect(stores[name], name).toBeDefined();
  for (const name of ROW_WRITTEN_TABLES)
    expect(stores[name].schema.idxByName, name).toHaveProperty("_status");
  expect(Object.keys(stores).sort()).toEqual(
    [
      ...SYNCED_TABLES,
      "drafts",
      "meta",
      "outbox",
      "photo_blobs",
      "plan_history",
      "plan_summaries",
    ].sort(),
  );
});

test("a row is sent without its id, bookkeeping and server-set fields", () => {
  const row = {
    id: "p",
    unit_id: "u",
    title: "Plan",
    state: "approved",
    approved_by: "m",
    _status: "updated",
    _due: "x",
  };
  expect(sendable("plans", row)).toEqual({ unit_id: "u", title: "Plan" });
  expect(
    sendable("plan_items", {
      id: "i",
      unit_id: "u",
      goal: "g",
      legal_deadline: "d",
    }),
  ).toEqual({ goal: "g" });
  // A table without server-set fields sends every field it has.
  expect(
    sendable("quality_areas", { id: "a", unit_id: "u", name: "n" }),
  ).toEqual({ unit_id: "u", name: "n" });
});

test("a conflict sends only its resolution, whatever else the row holds", () => {
  const conflict = {
    id: "c",
    status: "resolved",
    resolution: "mine",
    resolved_value: "x",
    row_id: "r",
    unit_id: "u",
  };
  expect(sendable("conflicts", conflict)).toEqual({
    status: "resolved",
    resolution: "mine",
    resolved_value: "x",
  });
});

test("the tables a reset keeps pending rows of are the writable ones whose rows are written here", () => {
  expect(ROW_WRITTEN_TABLES).toContain("plans");
  for (const name of QUALITY_TABLES) expect(ROW_WRITTEN_TABLES).toContain(name);
  for (const name of ["units", "catalogues", "themes", "criteria", "conflicts"])
    expect(ROW_WRITTEN_TABLES).not.toContain(name);
  expect(SYNCED_TABLES.filter((t) => !WRITABLE.has(t))).toEqual([
    "units",
    "catalogues",
    "themes",
    "criteria",
  ]);
});

test("a plan item is due while open and not ongoing, and the visible row hides its bookkeeping", () => {
  expect(
    withDerived("plan_items", { end_date: "2026-01-01", state: "in_progress" })
      ._due,
  ).toBe("2026-01-01");
  expect(
    withDerived("plan_items", {
      end_date: "2026-01-01",
      state: "done",
      _due: "old",
    }),
  ).not.toHaveProperty("_due");
  expect(
    withDerived("plan_items", { end_date: "2026-01-01", ongoing: true }),
  ).not.toHaveProperty("_due");
  expect(withDerived("plans", { end_date: "2026-01-01" })).not.toHaveProperty(
    "_due",
  );
  expect(
    visible({
      id: "a",
      goal: "g",
      _status: "updated",
      _version: 2,
      _server: {},
      _due: "d",
      _reset: true,
    }),
  ).toEqual({ id: "a", goal: "g" });
});

describe("the tables are the server registry's (sync/tables.json)", () => {
  test("the same tables, in the same order", async () => {
    const { default: description } = await import("../../../sync/tables.json");
    expect(SYNCED_TABLES).toEqual(description.tables.map((t) => t.name));
  });

  test("a server-set field is never sent, whatever the table", async () => {
    const { default: description } = await import("../../../sync/tables.json");
    for (const table of description.tables.filter((t) => !t.read_only)) {
      const row = Object.fromEntries(table.fields.map((f) => [f, "x"]));
      expect(Object.keys(sendable(table.name, row)).sort()).toEqual(
        [...table.client_fields].sort(),
      );
    }
  });

  test("a plan's catalogue version is the client's to choose, its state the server's to set", () => {
    expect(
      sendable("plans", { title: "T", catalogue_id: "c", state: "draft" }),
    ).toEqual({ title: "T", catalogue_id: "c" });
  });
});
