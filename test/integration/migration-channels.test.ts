// The channels-and-campaigns migration on a database with data: leads keep their channel and campaign, cases their
// origin, now as Channel and Campaign records.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../../src/db/migrate.js";
import { createEmptyDatabase, type TestDatabase } from "../support/test-database.js";

const NAME = "20261206030000_channels_campaigns";

describe("migration " + NAME, () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    const all = readMigrations();
    await migrate(db.url, { migrations: all.filter((m) => m.name < NAME) });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.close();
  });

  it("moves each lead's channel and campaign, and each case's origin, onto the new records", async () => {
    const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
    const team = (await q(`INSERT INTO "Team" (id, name, kind, "updatedAt") VALUES (gen_random_uuid(), 'Support', 'support', now()) RETURNING id`)).rows[0].id;
    const caseStage = (await q(`INSERT INTO "CaseStage" (id, "teamId", name, sequence, kind) VALUES (gen_random_uuid(), $1, 'Open', 1, 'open') RETURNING id`, [team])).rows[0].id;
    const leadStage = (await q(`SELECT id FROM "LeadStage" WHERE "teamId" IS NULL ORDER BY sequence LIMIT 1`)).rows[0].id;
    const lead = async (title: string, channel: string, campaign: string | null) =>
      q(`INSERT INTO "Lead" (id, title, channel, campaign, "stageId", "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, now())`, [title, channel, campaign, leadStage]);
    await lead("a", "web", "Spring fair");
    await lead("b", "referral", " spring FAIR ");
    await lead("c", "campaign", "Newsletter");
    await lead("d", "direct", null);
    await lead("e", "email", "  ");
    const kase = async (subject: string, origin: string) =>
      q(`INSERT INTO "Case" (id, subject, "teamId", "stageId", origin, "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3, $4, now())`, [subject, team, caseStage, origin]);
    await kase("x", "email");
    await kase("y", "idea");
    await kase("z", "chat");

    const result = await migrate(db.url);
    expect(result.applied).toEqual(readMigrations().filter((m) => m.name >= NAME).map((m) => m.name));

    const leads = await q(`SELECT l.title, ch.code, cp.name AS campaign FROM "Lead" l LEFT JOIN "Channel" ch ON ch.id = l."channelId" LEFT JOIN "Campaign" cp ON cp.id = l."campaignId" ORDER BY l.title`);
    expect(leads.rows).toEqual([
      { title: "a", code: "web", campaign: "Spring fair" },
      { title: "b", code: "referral", campaign: "Spring fair" },
      { title: "c", code: "campaign", campaign: "Newsletter" },
      { title: "d", code: "direct", campaign: null },
      { title: "e", code: "email", campaign: null },
    ]);
    const cases = await q(`SELECT c.subject, ch.code, ch."isActive" FROM "Case" c JOIN "Channel" ch ON ch.id = c."channelId" ORDER BY c.subject`);
    expect(cases.rows).toEqual([
      { subject: "x", code: "email", isActive: true },
      { subject: "y", code: "idea", isActive: false },
      { subject: "z", code: "chat", isActive: true },
    ]);
    expect((await q(`SELECT count(*)::int AS n FROM "Campaign"`)).rows[0].n).toBe(2);
    const offered = await q(`SELECT code FROM "Channel" WHERE "isActive" ORDER BY code`);
    expect(offered.rows.map((r) => r.code)).toEqual(["chat", "direct", "email", "meeting", "phone", "referral", "social", "web"]);
  });
});
