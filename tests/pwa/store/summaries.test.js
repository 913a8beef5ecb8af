// The per-plan summaries of plan items (pwa/src/js/store/summaries.js): after any sequence of
// pulled pages, local writes, push answers, drafts and resets they say exactly what a full count
// of the stored rows says, on any day.
import { Store } from "../../../pwa/src/js/store/index.js";
import { freshStore } from "./helpers.js";

const PLANS = ["pa", "pb", "pc"];
const END_DATES = [
  null,
  "2026-02-01",
  "2026-04-01",
  "2026-06-01",
  "2026-12-31",
];
const STATES = [undefined, "not_started", "in_progress", "done", "cancelled"];
// Days before, on and after the end dates: an end date is overdue from the day after it.
const DAYS = [
  "2026-01-01",
  "2026-02-01",
  "2026-02-02",
  "2026-06-01",
  "2026-06-02",
  "2027-01-01",
];

/** A small seeded generator (mulberry32), so a failing sequence can be run again. */
function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(next() * list.length)];
  return { next, pick, chance: (p) => next() < p };
}

/** The counts of every plan as the screens define them, from every stored row. */
async function fullCount(store, today) {
  const counts = new Map(
    PLANS.map((p) => [p, { items: 0, open: 0, overdue: 0 }]),
  );
  for (const row of await store.db.plan_items.toArray()) {
    // (A partial answer may refuse a created row's plan: such a row is in no plan.)
    if (row.deleted || row.plan_id == null) continue;
    const c = counts.get(row.plan_id);
    c.items += 1;
    const open = row.state !== "done" && row.state !== "cancelled";
    if (open) c.open += 1;
    // ui/units.js isOverdue, as the plan screen marks a row
    if (open && row.end_date && !row.ongoing && row.end_date < today)
      c.overdue += 1;
  }
  return counts;
}

async function expectSummariesRight(store, what) {
  const rows = await store.db.plan_items.toArray();
  for (const row of rows) {
    // A row deleted here is shown as deleted whatever else happened to it.
    expect({ what, id: row.id, deleted: Boolean(row.deleted) }).toEqual({
      what,
      id: row.id,
      deleted: row._status === "deleted",
    });
  }
  for (const day of DAYS) {
    const expected = await fullCount(store, day);
    const stats = await store.planStats(PLANS, day);
    for (const plan of PLANS) {
      expect({ what, day, plan, ...stats.get(plan) }).toEqual({
        what,
        day,
        plan,
        ...expected.get(plan),
      });
      const { items, overdue } = expected.get(plan);
      expect(await store.itemStats(plan, day)).toEqual({ items, overdue });
    }
  }
  // A plan without rows keeps no summary.
  const withRows = new Set(
    rows.filter((r) => !r.deleted && r.plan_id != null).map((r) => r.plan_id),
  );
  expect({
    what,
    kept: (await store.db.plan_summaries.toCollection().primaryKeys()).sort(),
  }).toEqual({
    what,
    kept: [...withRows].sort(),
  });
}

function randomFields(rng) {
  const fields = {};
  if (rng.chance(0.5)) fields.state = rng.pick(STATES.filter(Boolean));
  if (rng.chance(0.5)) fields.end_date = rng.pick(END_DATES);
  if (rng.chance(0.3)) fields.ongoing = rng.chance(0.5);
  if (rng.chance(0.15)) fields.plan_id = rng.pick(PLANS); // moved to another plan
  if (rng.chance(0.3)) fields.goal = `goal ${Math.floor(rng.next() * 100)}`;
  return fields;
}

function serverFields(rng) {
  const fields = {
    plan_id: rng.pick(PLANS),
    unit_id: "u",
    priority: 1,
    goal: "g",
  };
  const state = rng.pick(STATES);
  if (state) fields.state = state;
  const end = rng.pick(END_DATES);
  if (end) fields.end_date = end;
  if (rng.chance(0.3)) fields.ongoing = true;
  return fields;
}

/** One random step; resolves to its name, for the failure message. */
async function step(store, rng, world) {
  const stored = await store.db.plan_items.toArray();
  const live = stored.filter((r) => !r.deleted);
  const roll = rng.next();
  if (roll < 0.25) {
    // A pulled page: new and known rows, server deletes, sometimes a stale version (ignored).
    const changes = [];
    const n = 1 + Math.floor(rng.next() * 5);
    for (let i = 0; i < n; i += 1) {
      const id = rng.chance(0.3)
        ? `s${world.next++}`
        : rng.pick([...world.ids, "s0"]);
      world.ids.add(id);
      const version = rng.chance(0.1) ? 1 : (world.version += 1);
      changes.push({
        table: "plan_items",
        id,
        version,
        deleted: rng.chance(0.2),
        fields: serverFields(rng),
      });
    }
    await store.applyPage(changes, String(world.version), {
      fresh: rng.chance(0.2),
    });
    return `pull ${JSON.stringify(changes.map((c) => [c.id, c.version, c.deleted, c.fields]))}`;
  }
  if (roll < 0.37) {
    const id = `l${world.next++}`;
    world.ids.add(id);
    const fields = {
      id,
      plan_id: rng.pick(PLANS),
      priority: 1,
      ...randomFields(rng),
    };
    await store.create("plan_items", fields);
    return `create ${JSON.stringify(fields)}`;
  }
  if (roll < 0.52 && live.length) {
    const row = rng.pick(live);
    const changes = randomFields(rng);
    await store.update("plan_items", row.id, changes);
    return `update ${row.id} ${JSON.stringify(changes)}`;
  }
  if (roll < 0.6 && live.length) {
    const row = rng.pick(live);
    await store.remove("plan_items", row.id);
    return `remove ${row.id}`;
  }
  if (roll < 0.64 && stored.length) {
    const row = rng.pick(stored);
    const fields = { state: rng.pick(STATES.filter(Boolean)) };
    await store.patchLocal("plan_items", row.id, fields);
    return `patchLocal ${row.id} ${JSON.stringify(fields)}`;
  }
  if (roll < 0.86) {
    // The server answers a push batch, each mutation its own way.
    const batch = await store.takeBatch(1 + Math.floor(rng.next() * 3));
    const results = batch.map((e) => {
      const kind = rng.pick([
        "applied",
        "applied",
        "merged",
        "rejected",
        "partial",
        "conflict",
        "gone",
        "duplicate",
      ]);
      const version = (world.version += 1);
      if (kind === "merged") {
        return {
          mutation_id: e.mutation_id,
          status: "merged",
          row: { version, deleted: false, fields: serverFields(rng) },
        };
      }
      if (kind === "rejected") {
        return {
          mutation_id: e.mutation_id,
          status: "rejected",
          error: {
            error: "invalid_input",
            message: "no",
            fields: Object.fromEntries(
              Object.keys(e.fields).map((f) => [f, ["no"]]),
            ),
          },
        };
      }
      if (kind === "partial") {
        const refused = Object.keys(e.fields).slice(0, 1);
        return {
          mutation_id: e.mutation_id,
          status: "partial",
          version,
          error: {
            error: "invalid_input",
            message: "some",
            fields: Object.fromEntries(refused.map((f) => [f, ["no"]])),
          },
        };
      }
      if (kind === "conflict")
        return { mutation_id: e.mutation_id, status: "conflict", version };
      if (kind === "gone")
        return {
          mutation_id: e.mutation_id,
          status: "applied",
          row: { version, deleted: true, fields: {} },
        };
      if (kind === "duplicate")
        return {
          mutation_id: e.mutation_id,
          status: "duplicate",
          original_status: "applied",
          version,
        };
      return { mutation_id: e.mutation_id, status: "applied", version };
    });
    await store.ackBatch(batch, results);
    return `ack ${JSON.stringify(batch.map((e) => [e.id, e.op, e.fields]))} ${JSON.stringify(results)}`;
  }
  if (roll < 0.92) {
    const drafts = await store.listDrafts();
    if (!drafts.length) return "no draft";
    const draft = rng.pick(drafts);
    if (rng.chance(0.6)) await store.resendDraft(draft.table, draft.id);
    else await store.discardDraft(draft.table, draft.id);
    return `draft ${draft.id}`;
  }
  if (roll < 0.96) {
    const id = rng.pick([...world.ids, "s0"]);
    const fields = serverFields(rng);
    await store.putServerRow("plan_items", id, (world.version += 1), fields);
    return `putServerRow ${id} ${JSON.stringify(fields)}`;
  }
  await store.resetForFullPull();
  return "reset";
}

describe("plan summaries agree with a full count of the rows", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    test(`after a random sequence of pulls, writes and answers (seed ${seed})`, async () => {
      const store = await freshStore(`summaries-${seed}`);
      const rng = random(seed);
      const world = { ids: new Set(), next: 0, version: 1 };
      const done = [];
      for (let i = 0; i < 70; i += 1) {
        done.push(await step(store, rng, world));
        await expectSummariesRight(store, done.slice(-3).join(" | "));
      }
    });
  }
});

test("the overdue count follows the day without any write (midnight)", async () => {
  const store = await freshStore("summaries-day");
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "a",
        version: 1,
        deleted: false,
        fields: { plan_id: "pa", end_date: "2026-05-31" },
      },
      {
        table: "plan_items",
        id: "b",
        version: 1,
        deleted: false,
        fields: { plan_id: "pa", end_date: "2026-06-01", state: "in_progress" },
      },
      {
        table: "plan_items",
        id: "c",
        version: 1,
        deleted: false,
        fields: { plan_id: "pa", end_date: "2026-01-01", state: "done" },
      },
      {
        table: "plan_items",
        id: "d",
        version: 1,
        deleted: false,
        fields: { plan_id: "pa", end_date: "2026-01-01", ongoing: true },
      },
    ],
    "1",
  );
  const on = async (day) => (await store.planStats(["pa"], day)).get("pa");
  expect(await on("2026-05-31")).toEqual({ items: 4, open: 3, overdue: 0 });
  expect(await on("2026-06-01")).toEqual({ items: 4, open: 3, overdue: 1 });
  expect(await on("2026-06-02")).toEqual({ items: 4, open: 3, overdue: 2 });
  expect(await on("2025-01-01")).toEqual({ items: 4, open: 3, overdue: 0 });
  expect((await store.planStats(["none"], "2026-06-02")).get("none")).toEqual({
    items: 0,
    open: 0,
    overdue: 0,
  });
});

test("a page naming a row twice counts the row once, as it was last written", async () => {
  const store = await freshStore("summaries-twice");
  const row = (version, deleted, fields) => ({
    table: "plan_items",
    id: "a",
    version,
    deleted,
    fields,
  });
  await store.applyPage(
    [
      row(1, false, { plan_id: "pa" }),
      row(2, false, { plan_id: "pb", end_date: "2026-01-01" }),
    ],
    "1",
  );
  expect((await store.planStats(["pa", "pb"], "2026-06-01")).get("pb")).toEqual(
    { items: 1, open: 1, overdue: 1 },
  );
  expect((await store.planStats(["pa"], "2026-06-01")).get("pa")).toEqual({
    items: 0,
    open: 0,
    overdue: 0,
  });
  // The deletes of a page are written after its rows: the row is gone, whatever the order.
  await store.applyPage(
    [row(3, true, {}), row(4, false, { plan_id: "pb" })],
    "2",
    { fresh: true },
  );
  expect(await store.db.plan_items.get("a")).toBeUndefined();
  expect((await store.planStats(["pb"], "2026-06-01")).get("pb")).toEqual({
    items: 0,
    open: 0,
    overdue: 0,
  });
});

test("a pulled change to a row deleted here keeps it deleted and out of the counts", async () => {
  const store = await freshStore("summaries-deleted");
  const item = (version, fields) => ({
    table: "plan_items",
    id: "a",
    version,
    deleted: false,
    fields: { plan_id: "pa", ...fields },
  });
  await store.applyPage([item(1, { end_date: "2026-01-01" })], "1");
  await store.remove("plan_items", "a");
  await store.applyPage(
    [item(2, { end_date: "2026-01-01", goal: "theirs" })],
    "2",
  );
  expect(await store.get("plan_items", "a")).toMatchObject({
    deleted: true,
    goal: "theirs",
  });
  expect(await store.itemStats("pa", "2026-06-01")).toEqual({
    items: 0,
    overdue: 0,
  });
});

test("upgrading a version 10 store builds the summaries from the rows already stored", async () => {
  const { default: Dexie } = await import("dexie");
  const old = new Dexie("summaries-upgrade-v10");
  old.version(10).stores(V10);
  const item = (id, fields) => ({
    id,
    priority: 1,
    _status: "synced",
    _version: 1,
    ...fields,
  });
  await old.plan_items.bulkPut([
    item("a", {
      plan_id: "pa",
      end_date: "2026-01-01",
      state: "in_progress",
      _due: "2026-01-01",
    }),
    item("b", { plan_id: "pa", end_date: "2026-01-01", state: "done" }),
    item("c", { plan_id: "pa", end_date: "2026-01-01", ongoing: true }),
    item("d", { plan_id: "pa", end_date: "2027-01-01", _due: "2027-01-01" }),
    item("e", {
      plan_id: "pa",
      end_date: "2026-01-01",
      _due: "2026-01-01",
      _status: "updated",
      _server: {},
    }),
    item("f", {
      plan_id: "pa",
      end_date: "2026-01-01",
      deleted: true,
      _status: "deleted",
      _server: {},
    }),
    item("g", { plan_id: "pb", _status: "created", _version: null }),
  ]);
  old.close();
  const store = await new Store("summaries-upgrade-v10").open();
  expect(store.db.verno).toBe(12);
  const stats = await store.planStats(["pa", "pb", "pc"], "2026-06-01");
  expect(Object.fromEntries(stats)).toEqual({
    pa: { items: 5, open: 4, overdue: 2 },
    pb: { items: 1, open: 1, overdue: 0 },
    pc: { items: 0, open: 0, overdue: 0 },
  });
  expect(await store.get("plan_items", "a")).toMatchObject({
    end_date: "2026-01-01",
  });
});

test("logging out (wipe) takes the summaries with the rows", async () => {
  const store = await freshStore("summaries-wipe");
  await store.applyPage(
    [
      {
        table: "plan_items",
        id: "a",
        version: 1,
        deleted: false,
        fields: { plan_id: "pa" },
      },
    ],
    "1",
  );
  expect(await store.itemStats("pa", "2026-06-01")).toEqual({
    items: 1,
    overdue: 0,
  });
  await store.wipe();
  const again = await new Store(store.name).open();
  expect(await again.db.plan_summaries.count()).toBe(0);
  expect(await again.itemStats("pa", "2026-06-01")).toEqual({
    items: 0,
    overdue: 0,
  });
});

// The schema as version 10 left it (pwa/src/js/store/schema.js, every step up to v10).
const V10 = {
  units: "id, parent_id",
  catalogues: "id, code",
  themes: "id, catalogue_id",
  criteria: "id, theme_id",
  plans: "id, unit_id, _status",
  plan_items: "id, plan_id, unit_id, _status, [plan_id+_due], finding_id",
  progress_notes: "id, item_id, plan_id, _status",
  conflicts: "id, status, row_id, unit_id",
  outbox: "++seq, [table+id], mutation_id",
  meta: "key",
  visits: "id, unit_id, _status",
  findings: "id, visit_id, unit_id, _status",
  visit_photos: "id, visit_id, sha256, _status",
  deadline_extensions: "id, item_id, _status",
  item_comments: "id, item_id, _status",
  photo_blobs: "sha256, uploaded",
  quality_areas: "id, unit_id, _status",
  quality_measures: "id, unit_id, _status",
  measure_values: "id, measure_id, unit_id, _status",
  register_entries: "id, unit_id, _status",
  case_records: "id, unit_id, _status",
  survey_questions: "id, unit_id, _status",
  survey_responses: "id, unit_id, case_record_id, _status",
  annual_tasks: "id, unit_id, _status",
  quality_links: "id, plan_item_id, source_id, _status",
  plan_messages: "id, plan_id, item_id, _status",
  drafts: "key, table, at",
  assignment_follow_ups: "id, unit_id, _status",
  follow_up_deviations: "id, follow_up_id, unit_id, _status",
  thematic_follow_ups: "id, unit_id, _status",
  thematic_results: "id, follow_up_id, unit_id, _status",
  overall_assessments: "id, unit_id, _status",
  plan_history: "plan_id",
  risk_analyses: "id, unit_id, _status",
  checklists: "id, unit_id, _status",
  checklist_runs: "id, unit_id, checklist_id, _status",
  checklist_answers: "id, run_id, unit_id, _status",
  plan_attachments: "id, item_id, plan_id, note_id, sha256, _status",
};
