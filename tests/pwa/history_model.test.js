import { describe, expect, it } from "vitest";
import {
  changesAfterApproval,
  fromDevice,
  historyEntries,
  valueText,
} from "../../pwa/src/js/ui/history_model.js";

const EVENTS = [
  {
    at: "2026-03-01T10:00:00Z",
    user_name: "Mette Lund",
    table_name: "plan_items",
    action: "create",
    changes: { plan_id: [null, "p1"], unit_id: [null, "u1"], topic: [null, "Magt"] },
    via: "sync",
    after_approval: false,
  },
  {
    at: "2026-03-02T10:00:00Z",
    user_name: null,
    table_name: "plan_items",
    action: "update",
    changes: { topic: ["Magt", "Magtanvendelse"] },
    via: "rest",
    after_approval: true,
  },
];

describe("the plan's change history", () => {
  it("shows the newest first, each change after approval marked, bookkeeping fields left out", () => {
    const [late, early] = historyEntries(EVENTS);
    expect(late).toMatchObject({ action: "update", afterApproval: true, who: null });
    expect(late.changes).toEqual([{ field: "topic", before: "Magt", after: "Magtanvendelse" }]);
    expect(early.afterApproval).toBe(false);
    expect(early.changes.map((c) => c.field)).toEqual(["topic"]);
  });

  it("counts the changes made after approval", () => {
    expect(changesAfterApproval(EVENTS)).toBe(1);
    expect(changesAfterApproval([])).toBe(0);
    expect(changesAfterApproval(undefined)).toBe(0);
  });

  it("writes HVEM? lists as names, a user by the directory's name", () => {
    const names = (id) => (id === "u1" ? "Ole Dahl" : "?");
    expect(valueText([{ user_id: "u1" }, { name: "Vikar" }], names)).toBe("Ole Dahl, Vikar");
    expect(valueText(null, names)).toBe("");
    expect(valueText(true, names)).toBe("true");
  });

  it("shows the device's copy offline or when fetching failed", () => {
    expect(fromDevice(false, null)).toBe(true);
    expect(fromDevice(true, new Error("502"))).toBe(true);
    expect(fromDevice(true, null)).toBe(false);
  });
});
