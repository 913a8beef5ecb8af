// The dialogue's messages in the store: written offline with an outbox entry that sends only
// what the server takes (it sets the author, the side and the unit itself).
import { freshStore } from "./helpers.js";

test("a message written offline waits in the outbox without the fields the server sets", async () => {
  const store = await freshStore("messages");
  await store.create("plan_messages", {
    id: "m1",
    plan_id: "p1",
    item_id: null,
    unit_id: "u1",
    body: "Hvordan går det?",
    author_id: "me",
    side: "inspectorate",
    created_at: "2026-03-02T09:00:00Z",
  });
  const [entry] = await store.db.outbox.toArray();
  expect(entry).toMatchObject({
    table: "plan_messages",
    id: "m1",
    op: "upsert",
    base_version: null,
  });
  expect(entry.fields).toEqual({
    plan_id: "p1",
    item_id: null,
    body: "Hvordan går det?",
    created_at: "2026-03-02T09:00:00Z",
  });
  // Shown at once, found by its plan (the thread screen's query).
  const found = await store.where("plan_messages", "plan_id", "p1");
  expect(found.map((m) => [m.id, m.side])).toEqual([["m1", "inspectorate"]]);
});

test("a pulled message lands in its plan’s threads", async () => {
  const store = await freshStore("messages");
  await store.applyPage(
    [
      {
        table: "plan_messages",
        id: "m2",
        version: 1,
        deleted: false,
        fields: {
          plan_id: "p1",
          item_id: "i1",
          unit_id: "u1",
          body: "Svar",
          author_id: "u",
          side: "provider",
          created_at: "2026-03-02T10:00:00Z",
        },
      },
    ],
    "5",
  );
  expect(
    (await store.where("plan_messages", "item_id", "i1")).map((m) => m.body),
  ).toEqual(["Svar"]);
});
