// Local writes and the outbox (pwa/src/js/store/writes.js).
import {
  freshStore,
  withSyncedItem,
  withSyncedVisit,
  SHA_A,
  SHA_B,
} from "./helpers.js";

test("an edit writes the row and its outbox entry before it resolves", async () => {
  const store = await freshStore("writes");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", {
    goal: "new goal",
    topic: "old topic",
  });
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({
    table: "plan_items",
    id: "i1",
    op: "upsert",
    base_version: 3,
    fields: { goal: "new goal" },
    base: { goal: "old goal" },
    mutation_id: null,
  });
  const raw = await store.db.plan_items.get("i1");
  expect(raw._status).toBe("updated");
  expect(raw._server.goal).toBe("old goal"); // the server copy is kept while edits wait
  expect(await store.pendingCount()).toBe(1);
});

test("two edits before a push coalesce into one mutation keeping the first base", async () => {
  const store = await freshStore("writes");
  await withSyncedItem(store);
  await store.update("plan_items", "i1", { goal: "second" });
  await store.update("plan_items", "i1", { goal: "third", topic: "new topic" });
  const entries = await store.db.outbox.toArray();
  expect(entries).toHaveLength(1);
  expect(entries[0].fields).toEqual({ goal: "third", topic: "new topic" });
  expect(entries[0].base).toEqual({ goal: "old goal", topic: "old topic" });
});

test("deleting a row that never reached the server forgets it", async () => {
  const store = await freshStore("writes");
  await store.create("progress_notes", { id: "n1", item_id: "i1", text: "x" });
  await store.remove("progress_notes", "n1");
  expect(await store.get("progress_notes", "n1")).toBeUndefined();
  expect(await store.pendingCount()).toBe(0);
});

test("read-only tables refuse local writes", async () => {
  const store = await freshStore("writes");
  await expect(store.create("units", { name: "x" })).rejects.toThrow(
    /read-only/,
  );
});

test("inspection rows go through the outbox without their server fields, and a photo waits until uploaded", async () => {
  const store = await freshStore("writes");
  const visit = await store.create("visits", {
    unit_id: "u1",
    visit_date: "2026-03-02",
    purpose: "approval",
    created_by: "me",
    catalogue_id: "c",
  });
  await store.create("findings", {
    visit_id: visit.id,
    unit_id: "u1",
    theme_id: "t",
    kind: "paabud",
    deadline: "2026-05-01",
    text: "x",
    author_id: "me",
  });
  const entries = await store.db.outbox.toArray();
  expect(entries.map((e) => e.table)).toEqual(["visits", "findings"]);
  expect(entries[0].fields).not.toHaveProperty("created_by");
  expect(entries[0].fields).not.toHaveProperty("catalogue_id");
  expect(entries[1].fields).not.toHaveProperty("author_id");
  expect(entries[1].fields).not.toHaveProperty("unit_id");
  expect((await store.listFindings(visit.id)).map((f) => f.kind)).toEqual([
    "paabud",
  ]);

  await store.putPhotoBlob("ab".repeat(32), new Blob(["jpeg"]), "image/jpeg");
  await store.putPhotoBlob("ab".repeat(32), new Blob(["jpeg"]), "image/jpeg"); // same bytes: one row
  expect(await store.pendingCount()).toBe(3);
  await store.markPhotoBlob("ab".repeat(32), { uploaded: 1 });
  expect(await store.pendingCount()).toBe(2);
  expect(await store.pendingPhotoBlobs()).toEqual([]);
});

test("editing a synced finding sends only the changed fields, their base and the version seen", async () => {
  const store = await freshStore("writes");
  await withSyncedVisit(store);
  await store.update("findings", "f1", {
    kind: "paabud",
    deadline: "2026-05-01",
    text: "old text",
    theme_id: "t",
  });
  await store.update("findings", "f1", { text: "new text" });
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({
    table: "findings",
    id: "f1",
    op: "upsert",
    base_version: 3,
    fields: { kind: "paabud", deadline: "2026-05-01", text: "new text" },
    base: { kind: "observation", deadline: null, text: "old text" },
  });
  expect(await store.listFindings("v1")).toMatchObject([
    { text: "new text", kind: "paabud" },
  ]);
});

test("deleting a visit deletes its findings and photos before it; rows made here are forgotten", async () => {
  const store = await freshStore("writes");
  await withSyncedVisit(store);
  await store.create("findings", {
    id: "f2",
    visit_id: "v1",
    unit_id: "u1",
    theme_id: "t",
    kind: "observation",
    text: "offline",
  });
  await store.putPhotoBlob(SHA_B, new Blob(["jpeg b"]), "image/jpeg");
  await store.create("visit_photos", {
    id: "p2",
    visit_id: "v1",
    unit_id: "u1",
    sha256: SHA_B,
    content_type: "image/jpeg",
    size_bytes: 6,
  });
  await store.removeVisit("v1");
  const entries = await store.db.outbox.orderBy("seq").toArray();
  expect(entries.map((e) => [e.op, e.table, e.id])).toEqual([
    ["delete", "findings", "f1"],
    ["delete", "visit_photos", "p1"],
    ["delete", "visits", "v1"],
  ]);
  expect(entries.map((e) => e.base_version)).toEqual([3, 4, 2]);
  expect(await store.get("findings", "f2")).toBeUndefined();
  expect(await store.get("visit_photos", "p2")).toBeUndefined();
  expect(await store.listVisits("u1")).toEqual([]);
  // No bytes of a deleted photo wait for upload (nor stay on the device).
  expect(await store.db.photo_blobs.count()).toBe(0);
  expect(await store.pendingCount()).toBe(3);
});

test("deleting a photo drops its bytes unless another record shows the same ones", async () => {
  const store = await freshStore("writes");
  await withSyncedVisit(store);
  await store.create("visit_photos", {
    id: "p2",
    visit_id: "v1",
    unit_id: "u1",
    sha256: SHA_A,
    content_type: "image/jpeg",
    size_bytes: 6,
  });
  await store.removePhoto("p2");
  expect(await store.getPhotoBlob(SHA_A)).toBeDefined();
  expect(await store.pendingCount()).toBe(0); // p2 never left the device
  await store.removePhoto("p1");
  expect(await store.getPhotoBlob(SHA_A)).toBeUndefined();
  expect(await store.listVisitPhotos("v1")).toEqual([]);
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({
    table: "visit_photos",
    id: "p1",
    op: "delete",
    base_version: 4,
  });
});

test("a save counts as under way from its call until its outbox entry has committed", async () => {
  const store = await freshStore("writes");
  await withSyncedItem(store);
  const heard = [];
  store.onWriting((n) => heard.push(n));
  const saving = store.update("plan_items", "i1", { goal: "counted" });
  // In the caller's own task, before anything was awaited.
  expect(store.writesInFlight).toBe(1);
  expect(heard).toEqual([1]);
  await saving;
  expect(store.writesInFlight).toBe(0);
  expect(store.writesSettled).toBe(1);
  expect(heard).toEqual([1, 0]);
  expect(await store.pendingCount()).toBe(1);
  // A save that fails is no longer under way either.
  await expect(store.update("plan_items", "missing", { goal: "x" })).rejects.toThrow(/not found/);
  expect(store.writesInFlight).toBe(0);
  expect(heard).toEqual([1, 0, 1, 0]);
});
