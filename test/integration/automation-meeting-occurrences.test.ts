// A time rule on a meeting's `next-start` fires before every occurrence of a series, not only the first: each firing
// plans the next occurrence's moment, skipping cancelled ones; the moment is re-checked as at the moment, so a job
// that runs a little late still finds its occurrence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Who } from "../../src/bot/dispatch.js";
import { checkRule } from "../../src/domain/automation/rule-check.js";
import { recordCreated } from "../../src/handlers/automation/events.js";
import { forgetRuleCache } from "../../src/handlers/automation/rule-cache.js";
import { fireRuleMoment } from "../../src/handlers/automation/rule-moments.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const MIN = 60_000;
const WEEK = 7 * 24 * 60 * MIN;

describe("time rules on every occurrence of a meeting series", () => {
  let h: HandlerHarness;
  let ana: Who;
  let clock: Date;

  beforeAll(async () => {
    clock = new Date();
    h = await handlerHarness({ now: () => clock });
    ana = await aPerson(h.db, { timeZone: "UTC" });
  });
  afterAll(async () => h?.close());

  const moments = async (ruleId: string, recordId: string) =>
    (await h.db.$queryRaw<{ moment: string }[]>`SELECT data->>'moment' AS moment FROM pgboss.job WHERE name = 'automation-moment' AND data->>'ruleId' = ${ruleId} AND data->>'recordId' = ${recordId}`)
      .map((r) => r.moment)
      .sort();

  it("plans the first occurrence's moment, fires, then plans the next one past a cancelled occurrence", async () => {
    const definition = {
      name: "Before every occurrence",
      record: "meeting",
      enabled: true,
      timeZone: "UTC",
      trigger: { kind: "time", field: "next-start", offset: { amount: -5, unit: "minutes" } },
      actions: [{ do: "dm", to: "attendees", text: "{{meeting.title}} at {{meeting.next-start}}" }],
    };
    expect(checkRule(definition).ok).toBe(true);
    const rule = await h.db.automationRule.create({ data: { name: definition.name, recordType: "meeting", triggerKind: "time", definition, enabled: true, version: 1, scheduledVersion: 1 } });
    forgetRuleCache();

    const first = new Date(Math.ceil((clock.getTime() + 2 * 24 * 60 * MIN) / MIN) * MIN);
    const meeting = await h.db.$transaction(async (tx) => {
      const m = await tx.meeting.create({
        data: { uid: `occ-${first.getTime()}@test`, title: "Weekly sync", startAt: first, endAt: new Date(first.getTime() + 30 * MIN), timeZone: "UTC", rrule: "FREQ=WEEKLY;COUNT=4", organizerId: ana.user.id, attendees: { create: [{ userId: ana.user.id, email: ana.user.email, response: "accepted" }] } },
      });
      await recordCreated(tx, h.deps, "meeting", m.id, ana.user.id);
      return m;
    });
    const at = (occurrence: number) => new Date(first.getTime() + occurrence * WEEK - 5 * MIN).toISOString();
    expect(await moments(rule.id, meeting.id)).toEqual([at(0)]);

    // The second occurrence is cancelled: after the first fires, the third is planned.
    await h.db.meetingException.create({ data: { meetingId: meeting.id, originalStart: new Date(first.getTime() + WEEK), isCancelled: true } });
    clock = new Date(new Date(at(0)).getTime() + 90_000); // the job runs 90 s late
    expect(await fireRuleMoment(h.deps, { ruleId: rule.id, model: "meeting", recordId: meeting.id, moment: at(0) })).toBe("fired");
    expect(await moments(rule.id, meeting.id)).toEqual([at(0), at(2)]);
    const dm = await h.db.outbox.findFirstOrThrow({ where: { target: ana.user.slackUserId!, dedupeKey: { startsWith: "rule:" } } });
    expect(JSON.stringify(dm.payload)).toContain(`Weekly sync at ${first.toISOString().slice(0, 10)} ${first.toISOString().slice(11, 16)} (UTC)`);

    clock = new Date(new Date(at(2)).getTime() + 1000);
    expect(await fireRuleMoment(h.deps, { ruleId: rule.id, model: "meeting", recordId: meeting.id, moment: at(2) })).toBe("fired");
    expect(await moments(rule.id, meeting.id)).toEqual([at(0), at(2), at(3)]);
    // The last occurrence: nothing after it.
    clock = new Date(new Date(at(3)).getTime() + 1000);
    expect(await fireRuleMoment(h.deps, { ruleId: rule.id, model: "meeting", recordId: meeting.id, moment: at(3) })).toBe("fired");
    expect(await moments(rule.id, meeting.id)).toEqual([at(0), at(2), at(3)]);
    expect(await h.db.ruleFiring.count({ where: { ruleId: rule.id } })).toBe(3);
  });

  it("refuses a moment after next-start when the rule is saved", () => {
    const result = checkRule({ name: "After", record: "meeting", enabled: true, timeZone: "UTC", trigger: { kind: "time", field: "next-start", offset: { amount: 5, unit: "minutes" } }, actions: [{ do: "dm", to: "attendees", text: "x" }] });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain("use a negative amount");
  });
});
