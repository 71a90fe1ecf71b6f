import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveActor, type ChatIdentity } from "../../src/handlers/resolve-actor.js";
import { handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const identity = (platform: "slack" | "teams", email: string, userId: string): ChatIdentity => ({
  platform,
  workspaceId: platform === "slack" ? "T1" : "tenant-1",
  userId,
  lookup: async () => ({ email, name: "Ana Ruiz", timeZone: "Europe/Madrid" }),
});

describe("who a chat user is", () => {
  let h: HandlerHarness;
  beforeAll(async () => {
    h = await handlerHarness({ allowedEmailDomains: ["example.com"] });
  });
  afterAll(async () => h?.close());

  it("creates an agent on first contact from an allowed domain, with the profile's time zone", async () => {
    const r = await resolveActor(h.deps, identity("slack", "Ana@Example.com", "U1"));
    expect(r).toMatchObject({ ok: true, user: { email: "ana@example.com", role: "agent", timeZone: "Europe/Madrid", slackUserId: "U1" } });
  });

  it("links the same person's Teams identity to the same user", async () => {
    const r = await resolveActor(h.deps, identity("teams", "ana@example.com", "aad-1"));
    expect(r).toMatchObject({ ok: true, user: { email: "ana@example.com", slackUserId: "U1", teamsAadId: "aad-1" } });
    expect(await h.db.user.count({ where: { email: "ana@example.com" } })).toBe(1);
  });

  it("refuses other domains clearly and stores nothing", async () => {
    const r = await resolveActor(h.deps, identity("slack", "eve@elsewhere.org", "U9"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.view.text).toMatch(/not open to eve@elsewhere\.org/);
    expect(await h.db.user.count({ where: { email: "eve@elsewhere.org" } })).toBe(0);
  });

  it("survives two first contacts of one new person at the same moment", async () => {
    const results = await Promise.all([
      resolveActor(h.deps, identity("slack", "bo@example.com", "U2")),
      resolveActor(h.deps, identity("teams", "bo@example.com", "aad-2")),
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await h.db.user.count({ where: { email: "bo@example.com" } })).toBe(1);
  });
});
