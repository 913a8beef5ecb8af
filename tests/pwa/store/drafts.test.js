// Refused drafts: what the server would not take stays on the device until the person resends
// or discards it (pwa/src/js/store/drafts.js, kept by feed.js ackBatch).
import { Store } from "../../../pwa/src/js/store/index.js";
import { freshStore, withSyncedItem } from "./helpers.js";

const REASON = "The end date comes before the start date.";

async function pushOne(store, answer) {
  const batch = await store.takeBatch(10);
  return store.ackBatch(batch, [
    { mutation_id: batch[0].mutation_id, ...answer },
  ]);
}

function partialAnswer(fields) {
  return {
    status: "partial",
    version: 4,
    row: { version: 4, deleted: false, fields },
    error: {
      error: "invalid_input",
      message: "Some fields were refused.",
      fields: { end_date: [REASON] },
    },
  };
}

test("a partial answer applies the valid fields and keeps only the refused ones as a draft", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store, { start_date: "2026-05-01" });
  await store.update("plan_items", "i1", {
    goal: "new goal",
    end_date: "2026-04-01",
  });
  const kept = await pushOne(
    store,
    partialAnswer({
      plan_id: "p1",
      unit_id: "u1",
      priority: 1,
      goal: "new goal",
      topic: "old topic",
      start_date: "2026-05-01",
    }),
  );
  expect(kept).toHaveLength(1);
  const raw = await store.db.plan_items.get("i1");
  expect(raw).toMatchObject({
    goal: "new goal",
    _status: "synced",
    _version: 4,
  });
  expect(raw.end_date).toBeUndefined();
  expect(await store.getDraft("plan_items", "i1")).toMatchObject({
    op: "upsert",
    status: "partial",
    create: false,
    fields: { end_date: "2026-04-01" },
    error: { code: "invalid_input", fields: { end_date: [REASON] } },
    context: { plan_id: "p1", unit_id: "u1" },
  });
  expect((await store.getDraft("plan_items", "i1")).fields).not.toHaveProperty(
    "goal",
  );
  expect(await store.pendingCount()).toBe(0);
  expect(await store.draftCount()).toBe(1);
});

test("a duplicate of a partial answer is treated as partial", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store, { start_date: "2026-05-01" });
  await store.update("plan_items", "i1", {
    goal: "new goal",
    end_date: "2026-04-01",
  });
  await pushOne(store, {
    ...partialAnswer({
      plan_id: "p1",
      goal: "new goal",
      start_date: "2026-05-01",
    }),
    status: "duplicate",
    original_status: "partial",
  });
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "new goal",
  });
  expect(await store.getDraft("plan_items", "i1")).toMatchObject({
    status: "partial",
    fields: { end_date: "2026-04-01" },
  });
});

test("a partial answer whose row comes flat (fields at the top) is read the same", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store, { start_date: "2026-05-01" });
  await store.update("plan_items", "i1", {
    goal: "new goal",
    end_date: "2026-04-01",
  });
  const answer = partialAnswer({});
  answer.row = {
    id: "i1",
    version: 4,
    deleted: false,
    plan_id: "p1",
    goal: "new goal",
    start_date: "2026-05-01",
  };
  await pushOne(store, answer);
  const raw = await store.db.plan_items.get("i1");
  expect(raw).toMatchObject({
    goal: "new goal",
    start_date: "2026-05-01",
    _version: 4,
    _status: "synced",
  });
  expect(raw.end_date).toBeUndefined();
  expect(raw).not.toHaveProperty("deleted");
});

test("a partial answer without the row applies only the fields it did not refuse", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store, { start_date: "2026-05-01" });
  await store.update("plan_items", "i1", {
    goal: "new goal",
    end_date: "2026-04-01",
  });
  const { row: _row, ...answer } = partialAnswer({});
  await pushOne(store, answer);
  const row = await store.get("plan_items", "i1");
  expect(row).toMatchObject({ goal: "new goal" });
  expect(row.end_date).toBeUndefined();
});

test("a rejected create keeps the whole new row as a draft after the row leaves the table", async () => {
  const store = await freshStore("drafts");
  await store.create("plan_items", {
    id: "n1",
    plan_id: "p1",
    unit_id: "u1",
    priority: 2,
    goal: "typed goal",
  });
  await pushOne(store, {
    status: "rejected",
    error: { error: "forbidden", message: "no" },
  });
  expect(await store.get("plan_items", "n1")).toBeUndefined();
  expect(await store.getDraft("plan_items", "n1")).toMatchObject({
    create: true,
    row: { id: "n1", plan_id: "p1", unit_id: "u1", goal: "typed goal" },
    fields: { goal: "typed goal" },
  });
});

test("a second refusal of the same row joins its draft", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "first" });
  await pushOne(store, {
    status: "rejected",
    error: {
      error: "invalid_input",
      message: "x",
      fields: { goal: ["too long"] },
    },
  });
  await store.update("plan_items", "i1", { topic: "second" });
  await pushOne(store, {
    status: "rejected",
    error: { error: "forbidden", message: "y" },
  });
  const drafts = await store.listDrafts();
  expect(drafts).toHaveLength(1);
  expect(drafts[0]).toMatchObject({
    fields: { goal: "first", topic: "second" },
    error: { code: "forbidden", fields: { goal: ["too long"] } },
  });
});

test("a draft survives closing and reopening the database, and later pulls", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "kept" });
  await pushOne(store, {
    status: "rejected",
    error: { error: "forbidden", message: "no" },
  });
  store.db.close();
  store.feedDb.close();
  const again = await new Store(store.name).open();
  await again.applyPage(
    [
      {
        table: "plan_items",
        id: "i1",
        version: 5,
        deleted: false,
        fields: { plan_id: "p1", goal: "theirs" },
      },
    ],
    "11",
  );
  await again.resetForFullPull();
  expect(await again.getDraft("plan_items", "i1")).toMatchObject({
    fields: { goal: "kept" },
  });
});

test("resending a draft makes its fixed values a pending change on the current server copy", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store, { start_date: "2026-05-01" });
  await store.update("plan_items", "i1", { end_date: "2026-04-01" });
  await pushOne(store, {
    status: "rejected",
    error: {
      error: "invalid_input",
      message: "x",
      fields: { end_date: [REASON] },
    },
  });
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "i1",
        version: 7,
        deleted: false,
        fields: { plan_id: "p1", goal: "moved on", start_date: "2026-05-01" },
      },
    ],
    "12",
  );
  expect(
    await store.resendDraft("plan_items", "i1", { end_date: "2026-06-01" }),
  ).toBe(true);
  expect(await store.getDraft("plan_items", "i1")).toBeUndefined();
  const [entry] = await store.takeBatch(10);
  expect(entry).toMatchObject({
    op: "upsert",
    fields: { end_date: "2026-06-01" },
    base: { end_date: null },
    base_version: 7,
  });
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "moved on",
    end_date: "2026-06-01",
  });
});

test("resending a refused create creates the row again with the same id", async () => {
  const store = await freshStore("drafts");
  await store.create("plan_items", {
    id: "n1",
    plan_id: "p1",
    unit_id: "u1",
    priority: 2,
    goal: "typed goal",
  });
  await pushOne(store, {
    status: "rejected",
    error: { error: "forbidden", message: "no" },
  });
  expect(
    await store.resendDraft("plan_items", "n1", { goal: "fixed goal" }),
  ).toBe(true);
  expect(await store.get("plan_items", "n1")).toMatchObject({
    plan_id: "p1",
    unit_id: "u1",
    goal: "fixed goal",
  });
  const [entry] = await store.takeBatch(10);
  expect(entry).toMatchObject({
    id: "n1",
    base_version: null,
    fields: { plan_id: "p1", goal: "fixed goal" },
  });
});

test("a draft of a row the server deleted meanwhile cannot be resent, only discarded", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "kept" });
  await pushOne(store, {
    status: "rejected",
    error: { error: "forbidden", message: "no" },
  });
  await store.applyPage(
    [{ table: "plan_items", id: "i1", version: 6, deleted: true, fields: {} }],
    "13",
  );
  expect(await store.resendDraft("plan_items", "i1")).toBe(false);
  expect(await store.getDraft("plan_items", "i1")).toBeDefined();
  await store.discardDraft("plan_items", "i1");
  expect(await store.draftCount()).toBe(0);
});

test("discarding a draft leaves the row as the server has it and tells the listeners", async () => {
  const store = await freshStore("drafts");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "bad" });
  await pushOne(store, {
    status: "rejected",
    error: { error: "forbidden", message: "no" },
  });
  const heard = [];
  store.onChange((w) => heard.push(w));
  await store.discardDraft("plan_items", "i1");
  expect(await store.getDraft("plan_items", "i1")).toBeUndefined();
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "old goal",
  });
  expect(heard.some((w) => w.drafts)).toBe(true);
});

test("upgrading a version 4 database (through v5) turns the refusals kept in meta into drafts", async () => {
  const { default: Dexie } = await import("dexie");
  const name = "drafts-upgrade-v4";
  const old = new Dexie(name);
  // The v4 schema, as shipped: a step of schema.js defineSchema without v5.
  const { defineSchema } = await import("../../../pwa/src/js/store/schema.js");
  const v4 = {
    version: (n) =>
      n <= 4 ? old.version(n) : { stores: () => ({ upgrade: () => {} }) },
  };
  defineSchema(v4);
  await old.open();
  await old.table("plan_items").put({
    id: "i1",
    plan_id: "p1",
    unit_id: "u1",
    goal: "server goal",
    _status: "synced",
    _version: 3,
  });
  await old.table("meta").put({
    key: "rejections",
    value: [
      {
        table: "plan_items",
        id: "i1",
        op: "upsert",
        fields: { goal: "lost goal" },
        error: {
          error: "invalid_input",
          message: "m",
          fields: { end_date: ["r"] },
        },
        at: "2026-01-01T10:00:00Z",
      },
      {
        table: "plan_items",
        id: "gone",
        op: "upsert",
        fields: { plan_id: "p1", goal: "new row" },
        error: { error: "forbidden", message: "no" },
        at: "2026-01-02T10:00:00Z",
        seen: true,
      },
    ],
  });
  old.close();
  const store = await new Store(name).open();
  expect(store.db.verno).toBe(12); // upgraded through every later step
  expect(await store.getMeta("rejections")).toBeNull();
  const drafts = await store.listDrafts();
  expect(drafts).toMatchObject([
    {
      key: "plan_items/i1",
      create: false,
      fields: { goal: "lost goal" },
      error: { code: "invalid_input", fields: { end_date: ["r"] } },
      context: { plan_id: "p1" },
    },
    {
      key: "plan_items/gone",
      create: true,
      row: { id: "gone", goal: "new row" },
      seen: true,
    },
  ]);
});
