// Pulled pages in, push batches out, their answers back (pwa/src/js/store/feed.js).
import { freshStore, withSyncedItem, withSyncedVisit } from "./helpers.js";

test("applying a pulled page stores rows as synced and saves the cursor with them", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "old goal",
    priority: 1,
  });
  expect(await store.getMeta("cursor")).toBe("10");
  const raw = await store.db.plan_items.get("i1");
  expect(raw._status).toBe("synced");
  expect(raw._version).toBe(3);
  expect(raw._server).toBeUndefined();
});

test("a pulled change keeps pending local edits on top", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "mine" });
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "i1",
        version: 4,
        deleted: false,
        fields: {
          plan_id: "p1",
          unit_id: "u1",
          priority: 1,
          goal: "old goal",
          topic: "theirs",
        },
      },
    ],
    "11",
  );
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "mine",
    topic: "theirs",
  });
  expect(await store.pendingCount()).toBe(1);
});

test("a server delete removes the row but keeps pending edits for the server to record", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "mine" });
  await store.applyPage(
    [{ table: "plan_items", id: "i1", version: 4, deleted: true, fields: {} }],
    "12",
  );
  expect(await store.get("plan_items", "i1")).toBeUndefined();
  expect(await store.pendingCount()).toBe(1);
});

test("an edit after the entry was taken into a push starts a new entry", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "a" });
  const batch = await store.takeBatch(10);
  expect(batch.map((e) => e.mutation_id)).toEqual([1]);
  await store.update("plan_items", "i1", { goal: "b" });
  expect(await store.pendingCount()).toBe(2);
  // One entry per row per batch: the second waits for the first's answer.
  expect((await store.takeBatch(10)).map((e) => e.mutation_id)).toEqual([1]);
});

test("mutation ids are consecutive and survive a retry", async () => {
  const store = await freshStore("feed");
  await store.create("plan_items", { id: "a", plan_id: "p1", priority: 1 });
  await store.create("plan_items", { id: "b", plan_id: "p1", priority: 2 });
  const first = await store.takeBatch(10);
  const again = await store.takeBatch(10);
  expect(first.map((e) => e.mutation_id)).toEqual([1, 2]);
  expect(again.map((e) => e.mutation_id)).toEqual([1, 2]);
});

test("acknowledged mutations leave the outbox and the row becomes synced", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "mine" });
  const batch = await store.takeBatch(10);
  await store.ackBatch(batch, [
    { mutation_id: 1, status: "applied", version: 4 },
  ]);
  const raw = await store.db.plan_items.get("i1");
  expect(raw).toMatchObject({ goal: "mine", _status: "synced", _version: 4 });
  // A synced row is its own server copy: no second copy is stored.
  expect(raw._server).toBeUndefined();
  expect(await store.pendingCount()).toBe(0);
});

test("a rejected change is rolled back and its values kept as the row's draft", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "bad" });
  const batch = await store.takeBatch(10);
  await store.ackBatch(batch, [
    {
      mutation_id: 1,
      status: "rejected",
      error: { error: "forbidden", message: "no" },
    },
  ]);
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "old goal",
  });
  const drafts = await store.listDrafts();
  expect(drafts).toHaveLength(1);
  expect(drafts[0]).toMatchObject({
    table: "plan_items",
    id: "i1",
    fields: { goal: "bad" },
    error: { code: "forbidden" },
  });
});

test("a delete the server refuses brings the row back, and its reason waits until read", async () => {
  const store = await freshStore("feed");
  await withSyncedVisit(store);
  await store.remove("findings", "f1");
  expect(await store.listFindings("v1")).toEqual([]);
  const batch = await store.takeBatch(10);
  const reason = "A plan item answers this finding; it cannot be deleted.";
  await store.ackBatch(batch, [
    {
      mutation_id: 1,
      status: "rejected",
      error: { error: "invalid_state", message: reason },
    },
  ]);
  expect(await store.listFindings("v1")).toMatchObject([
    { id: "f1", text: "old text", deleted: false },
  ]);
  expect((await store.db.findings.get("f1"))._status).toBe("synced");
  const [rejection] = await store.listDrafts();
  expect(rejection).toMatchObject({
    table: "findings",
    id: "f1",
    op: "delete",
    error: { message: reason },
  });
  await store.markDraftsSeen([rejection]);
  expect(await store.listDrafts()).toMatchObject([{ id: "f1", seen: true }]);
});

test("a reset keeps rows with pending edits and the outbox, and forgets the cursor", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.create("plan_items", { id: "mine", plan_id: "p1", priority: 2 });
  await store.resetForFullPull();
  expect(await store.get("plan_items", "i1")).toBeUndefined();
  expect(await store.get("plan_items", "mine")).toBeDefined();
  expect(await store.getMeta("cursor")).toBeNull();
  expect(await store.pendingCount()).toBe(1);
});

test("a row kept through a reset takes the lower version a restored server sends", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store, {
    goal: "acknowledged, then lost in the restore",
  });
  await store.update("plan_items", "i1", { topic: "not sent yet" });
  await store.resetForFullPull();
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "i1",
        version: 2,
        deleted: false,
        fields: {
          plan_id: "p1",
          unit_id: "u1",
          priority: 1,
          goal: "as backed up",
          topic: "old topic",
        },
      },
    ],
    "5",
  );
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "as backed up",
    topic: "not sent yet",
  });
  const raw = await store.db.plan_items.get("i1");
  expect(raw._version).toBe(2);
  expect(raw._reset).toBeUndefined();
  // Caught up: an older version is ignored again.
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "i1",
        version: 1,
        deleted: false,
        fields: { plan_id: "p1", goal: "older" },
      },
    ],
    "6",
  );
  expect(await store.get("plan_items", "i1")).toMatchObject({
    goal: "as backed up",
  });
});

test("a kept row the reset pull did not bring is ordinary again once the server answers for it", async () => {
  const store = await freshStore("feed");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { topic: "not sent yet" });
  await store.resetForFullPull();
  const batch = await store.takeBatch(10);
  await store.ackBatch(batch, [
    { mutation_id: batch[0].mutation_id, status: "applied", version: 4 },
  ]);
  expect((await store.db.plan_items.get("i1"))._reset).toBeUndefined();
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "i1",
        version: 2,
        deleted: false,
        fields: { plan_id: "p1", topic: "older" },
      },
    ],
    "7",
  );
  expect(await store.get("plan_items", "i1")).toMatchObject({
    topic: "not sent yet",
  });
});
