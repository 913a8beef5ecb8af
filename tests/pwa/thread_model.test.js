import { describe, expect, it } from "vitest";
import {
  authorLabel,
  mayWrite,
  messageDate,
  sideOf,
  threadsOf,
} from "../../pwa/src/js/ui/thread_model.js";

describe("who may write in a plan’s dialogue", () => {
  it("lets staff, managers and inspectors of the unit write until the plan is archived", () => {
    for (const role of ["staff", "manager", "inspector"]) {
      expect(mayWrite(new Set([role]), "approved")).toBe(true);
      expect(mayWrite(new Set([role]), "archived")).toBe(false);
    }
  });

  it("does not let an admin or a stranger write", () => {
    expect(mayWrite(new Set(["admin"]), "draft")).toBe(false);
    expect(mayWrite(new Set(), "draft")).toBe(false);
  });

  it("speaks for the inspectorate when the author is an inspector of the unit", () => {
    expect(sideOf(new Set(["inspector", "staff"]))).toBe("inspectorate");
    expect(sideOf(new Set(["manager"]))).toBe("provider");
  });
});

describe("threadsOf", () => {
  it("splits a plan’s messages into its own thread and its rows’, oldest first, without deleted ones", () => {
    const { plan, byItem } = threadsOf([
      { id: "b", item_id: null, created_at: "2026-03-02T10:00:00Z" },
      { id: "a", item_id: null, created_at: "2026-03-01T10:00:00Z" },
      { id: "c", item_id: "i1", created_at: "2026-03-03T10:00:00Z" },
      { id: "d", item_id: "i1", created_at: "2026-03-01T09:00:00Z" },
      {
        id: "e",
        item_id: "i2",
        created_at: "2026-03-01T09:00:00Z",
        deleted: true,
      },
    ]);
    expect(plan.map((m) => m.id)).toEqual(["a", "b"]);
    expect(byItem.get("i1").map((m) => m.id)).toEqual(["d", "c"]);
    expect(byItem.has("i2")).toBe(false);
  });
});

describe("how a message is signed", () => {
  it("names the inspector with their title and the provider by name", () => {
    expect(
      authorLabel({ side: "inspectorate" }, "Karin Dahl", "Tilsynsførende"),
    ).toBe("Tilsynsførende Karin Dahl");
    expect(
      authorLabel({ side: "provider" }, "Mette Lund", "Tilsynsførende"),
    ).toBe("Mette Lund");
  });

  it("shows the year only when it is not this year", () => {
    const now = new Date("2026-12-03T08:00:00Z");
    expect(messageDate("2026-03-02T10:00:00Z", now, "da-DK")).not.toMatch(
      /2026/,
    );
    expect(messageDate("2025-03-02T10:00:00Z", now, "da-DK")).toMatch(/2025/);
  });
});
