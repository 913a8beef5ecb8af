// The Store itself: connections, meta, change listeners (pwa/src/js/store/store.js).
import { freshStore, withSyncedItem } from "./helpers.js";
import { Store } from "../../../pwa/src/js/store/index.js";

test("wipe deletes the database", async () => {
  const store = await freshStore("store");
  await withSyncedItem(store);
  await store.wipe();
  const names = (await indexedDB.databases()).map((d) => d.name);
  expect(names).not.toContain(store.name);
});

test("meta values are kept until deleted, and listeners hear every local write", async () => {
  const store = await freshStore("store");
  expect(await store.getMeta("client_id", "none")).toBe("none");
  await store.setMeta("client_id", "abc");
  expect(await store.getMeta("client_id")).toBe("abc");
  await store.deleteMeta("client_id");
  expect(await store.getMeta("client_id")).toBeNull();

  const heard = [];
  const stop = store.onChange((what) => heard.push(what));
  await store.create("plans", { id: "p", unit_id: "u", title: "x" });
  stop();
  await store.update("plans", "p", { title: "y" });
  expect(heard).toEqual([{ table: "plans", id: "p" }]);
});

test("a plan's change history is kept per plan with when it was fetched, and replaced by the next fetch", async () => {
  let now = new Date("2026-03-01T10:00:00Z");
  const store = await new Store("store-plan-history", {
    now: () => now,
  }).open();
  expect(await store.getPlanHistory("p1")).toBeUndefined();
  await store.putPlanHistory("p1", [
    { action: "create", after_approval: false },
  ]);
  now = new Date("2026-03-02T08:30:00Z");
  await store.putPlanHistory("p1", [
    { action: "create", after_approval: false },
    { action: "update", after_approval: true },
  ]);
  await store.putPlanHistory("p2", []);
  const kept = await store.getPlanHistory("p1");
  expect(kept.fetched_at).toBe("2026-03-02T08:30:00.000Z");
  expect(kept.events.map((e) => e.after_approval)).toEqual([false, true]);
  expect((await store.getPlanHistory("p2")).events).toEqual([]);
});
