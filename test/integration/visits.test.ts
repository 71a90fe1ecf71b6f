import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { categoryMembershipChanged } from "../../src/handlers/visits/membership.js";
import { finishPlanInBackground, INLINE_PARTNERS } from "../../src/handlers/visits/plan-visits.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

const slack = { commandPrefix: "/crm " };
const DAY = 24 * 3600_000;

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  if (reply.kind === "done" && reply.view) return reply.view;
  throw new Error(`expected a message, got ${reply.kind}: ${JSON.stringify(reply).slice(0, 300)}`);
}
const buttons = (view: MessageView) => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
/** "YYYY-MM-DD 10:00" `days` from now (the planner's zone is UTC). */
const localDay = (days: number) => `${new Date(Date.now() + days * DAY).toISOString().slice(0, 10)} 10:00`;

describe("recurring visits for a category", () => {
  let h: HandlerHarness;
  let boss: Who;
  let sam: Who;
  let sue: Who;
  let agent: Who;
  let gold: { id: string };
  let partners: Record<string, { id: string }>;

  const plan = (who: Who, over: Record<string, string> = {}) =>
    submitForm(h.deps, who, "visit.plan", { categoryId: gold.id, title: "Monthly visit {{partner}}", repeat: "monthly", firstVisit: localDay(10), duration: "1h", ...over }, {});
  const changeMembership = (partnerId: string, joined: boolean) =>
    h.db.$transaction(async (tx) => {
      if (joined) await tx.partnerCategoryMember.create({ data: { partnerId, categoryId: gold.id, source: "manual", reason: "test" } });
      else await tx.partnerCategoryMember.delete({ where: { partnerId_categoryId: { partnerId, categoryId: gold.id } } });
      await categoryMembershipChanged(tx, h.deps, { partnerId, categoryId: gold.id, joined });
    });
  const seriesOf = (partnerId: string) => h.db.meeting.findMany({ where: { partnerId, visitPlanId: { not: null } }, include: { attendees: true } });

  beforeAll(async () => {
    h = await handlerHarness();
    boss = await aPerson(h.db, { role: "manager", timeZone: "UTC" });
    sam = await aPerson(h.db);
    sue = await aPerson(h.db);
    agent = await aPerson(h.db);
    gold = await h.db.partnerCategory.create({ data: { name: "GOLD" } });
    partners = {
      acme: await h.db.partner.create({ data: { kind: "company", name: "Acme", email: "ops@acme.com", salespersonId: sam.user.id } }),
      globex: await h.db.partner.create({ data: { kind: "company", name: "Globex", salespersonId: sue.user.id } }),
      initech: await h.db.partner.create({ data: { kind: "company", name: "Initech" } }),
    };
    for (const p of Object.values(partners)) await h.db.partnerCategoryMember.create({ data: { partnerId: p.id, categoryId: gold.id, source: "manual", reason: "test" } });
  });
  afterAll(async () => h?.close());

  it("refuses plans to agents, in the command and on submit", async () => {
    expect(viewOf(await runCommand(h.deps, agent, "visits new", slack)).text).toMatch(/Only managers and admins/);
    expect(viewOf(await plan(agent)).text).toMatch(/Only managers and admins/);
    expect(await h.db.visitPlan.count()).toBe(0);
  });

  it("explains form mistakes by field", async () => {
    expect(await plan(boss, { firstVisit: localDay(-3) })).toMatchObject({ kind: "errors", errors: { firstVisit: expect.stringMatching(/future/) } });
    expect(await plan(boss, { repeat: "rrule", rrule: "FREQ=HOURLY" })).toMatchObject({ kind: "errors", errors: { rrule: expect.any(String) } });
    expect(await plan(boss, { title: "Visit {{customer}}" })).toMatchObject({ kind: "errors", errors: { title: expect.stringMatching(/Unknown placeholder/) } });
  });

  it("creates one series per partner, organized by its salesperson (the planner when it has none); a double submit makes one plan", async () => {
    const [first, second] = await Promise.all([plan(boss), plan(boss)]);
    const texts = [viewOf(first).text, viewOf(second).text].sort();
    expect(texts[0]).toMatch(/^Planned VISIT-\d{4}: 3 visit series created, one per partner of GOLD\. Organized by you, as they have no salesperson: Initech\./);
    expect(texts[1]).toMatch(/already plans these visits/);
    expect(await h.db.visitPlan.count()).toBe(1);
    const meetings = await h.db.meeting.findMany({ where: { visitPlanId: { not: null } }, include: { partner: true, attendees: true } });
    expect(meetings.map((m) => [m.partner!.name, m.organizerId, m.title, m.rrule]).sort()).toEqual(
      [
        ["Acme", sam.user.id, "Monthly visit Acme", expect.stringMatching(/^FREQ=MONTHLY;BYDAY=-?\d[A-Z]{2}$/)],
        ["Globex", sue.user.id, "Monthly visit Globex", expect.any(String)],
        ["Initech", boss.user.id, "Monthly visit Initech", expect.any(String)],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const acme = meetings.find((m) => m.partner!.name === "Acme")!;
    expect(acme.attendees.map((a) => a.userId ?? a.email).sort()).toEqual([sam.user.id, "ops@acme.com"].sort());
    expect(await h.db.outbox.count({ where: { channel: "email", target: "ops@acme.com" } })).toBe(1);
    expect(await h.db.outbox.count({ where: { subjectKey: `meeting:${acme.id}:organizer`, target: sam.user.slackUserId! } })).toBe(1);
    expect(viewOf(await runCommand(h.deps, boss, "visits", slack)).text).toBe("1 visit plan(s)");
  });

  it("gives a joining partner its series, once, from the plan's next visit", async () => {
    const hooli = await h.db.partner.create({ data: { kind: "company", name: "Hooli", salespersonId: sue.user.id } });
    partners.hooli = hooli;
    await changeMembership(hooli.id, true);
    await h.db.$transaction((tx) => categoryMembershipChanged(tx, h.deps, { partnerId: hooli.id, categoryId: gold.id, joined: true }));
    const series = await seriesOf(hooli.id);
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ organizerId: sue.user.id, title: "Monthly visit Hooli", status: "confirmed" });
    const planRow = await h.db.visitPlan.findFirstOrThrow();
    expect(series[0]!.startAt).toEqual(planRow.firstStartAt);
  });

  it("asks the plan's creator when a partner leaves; Keep keeps, a rejoin adds no second series", async () => {
    await changeMembership(partners.globex!.id, false);
    const [series] = await seriesOf(partners.globex!.id);
    expect(series!.status).toBe("confirmed");
    const dm = await h.db.outbox.findFirstOrThrow({ where: { target: boss.user.slackUserId!, payload: { path: ["text"], string_contains: "Globex left GOLD" } } });
    const ask = dm.payload as unknown as MessageView;
    expect(ask.text).toBe(`Globex left GOLD: cancel its visits “Monthly visit Globex” (MTG-${String(series!.number).padStart(4, "0")})?`);
    expect(buttons(ask).map((b) => [b.id, b.value])).toEqual([["visit.cancel-series", series!.id], ["visit.keep-series", series!.id]]);
    expect(viewOf(await runAction(h.deps, agent, "visit.keep-series", series!.id)).text).toMatch(/Only the visits' organizer/);
    expect(viewOf(await runAction(h.deps, boss, "visit.keep-series", series!.id)).text).toMatch(/^Kept MTG-/);
    await changeMembership(partners.globex!.id, true);
    const after = await seriesOf(partners.globex!.id);
    expect(after.map((m) => m.status)).toEqual(["confirmed"]);
  });

  it("cancels a left partner's series through the meetings' cancel path when asked, attendees told", async () => {
    await changeMembership(partners.acme!.id, false);
    const [series] = await seriesOf(partners.acme!.id);
    expect(viewOf(await runAction(h.deps, agent, "visit.cancel-series", series!.id)).text).toMatch(/Only the visits' organizer/);
    expect((await h.db.meeting.findUniqueOrThrow({ where: { id: series!.id } })).status).toBe("confirmed");
    expect(viewOf(await runAction(h.deps, boss, "visit.cancel-series", series!.id)).text).toMatch(/^Cancelled MTG-\d{4} “Monthly visit Acme”/);
    expect(await h.db.meeting.findUniqueOrThrow({ where: { id: series!.id } })).toMatchObject({ status: "cancelled", sequence: 1 });
    const cancelMail = await h.db.outbox.findMany({ where: { channel: "email", target: "ops@acme.com" } });
    expect(cancelMail.some((m) => (m.payload as { ics?: { method: string } }).ics?.method === "CANCEL")).toBe(true);
    expect(viewOf(await runAction(h.deps, boss, "visit.cancel-series", series!.id)).text).toMatch(/already cancelled/);
    await changeMembership(partners.acme!.id, true);
    expect((await seriesOf(partners.acme!.id)).filter((m) => m.status === "confirmed")).toHaveLength(1);
  });

  it("does not cancel when the partner is back in the category before the answer", async () => {
    await changeMembership(partners.initech!.id, false);
    await changeMembership(partners.initech!.id, true);
    const [series] = await seriesOf(partners.initech!.id);
    expect(viewOf(await runAction(h.deps, boss, "visit.cancel-series", series!.id)).text).toMatch(/Initech is in GOLD again/);
    expect((await seriesOf(partners.initech!.id)).map((m) => m.status)).toEqual(["confirmed"]);
  });

  it("switches a plan off after one confirmation for all its series", async () => {
    const planRow = await h.db.visitPlan.findFirstOrThrow();
    expect(viewOf(await runAction(h.deps, agent, "visit.off", planRow.id)).text).toMatch(/Only managers and admins/);
    const live = await h.db.meeting.count({ where: { visitPlanId: planRow.id, status: "confirmed" } });
    expect(live).toBe(4);
    const ask = viewOf(await runAction(h.deps, boss, "visit.off", planRow.id));
    expect(ask.text).toMatch(/cancel its 4 visit series\?/);
    expect(await h.db.meeting.count({ where: { visitPlanId: planRow.id, status: "confirmed" } })).toBe(4);
    expect(viewOf(await runAction(h.deps, boss, "visit.off-confirm", planRow.id)).text).toMatch(/cancelled 4 visit series/);
    expect(await h.db.meeting.count({ where: { visitPlanId: planRow.id, status: "confirmed" } })).toBe(0);
    expect((await h.db.visitPlan.findUniqueOrThrow({ where: { id: planRow.id } })).isActive).toBe(false);
    expect(viewOf(await runAction(h.deps, boss, "visit.off-confirm", planRow.id)).text).toMatch(/already off/);
    const newcomer = await h.db.partner.create({ data: { kind: "company", name: "Umbrella", salespersonId: sam.user.id } });
    await changeMembership(newcomer.id, true);
    expect(await seriesOf(newcomer.id)).toHaveLength(0);
  });

  it("answers at once for a large category and creates its series in the background, then DMs the planner the summary once", async () => {
    const big = await h.db.partnerCategory.create({ data: { name: "BIG" } });
    const count = INLINE_PARTNERS + 2;
    for (let i = 0; i < count; i++) {
      const p = await h.db.partner.create({ data: { kind: "company", name: `Big ${String(i).padStart(2, "0")}`, salespersonId: sam.user.id } });
      await h.db.partnerCategoryMember.create({ data: { partnerId: p.id, categoryId: big.id, source: "manual", reason: "test" } });
    }
    const reply = await plan(boss, { categoryId: big.id, title: "Quarterly visit {{partner}}" });
    expect(viewOf(reply).text).toMatch(new RegExp(`^Planned VISIT-\\d{4}: creating ${count} visit series, one per partner of BIG\\. You will get a message when they are ready\\.$`));
    const planRow = await h.db.visitPlan.findFirstOrThrow({ where: { categoryId: big.id } });
    await waitFor(async () => (await h.db.outbox.count({ where: { dedupeKey: `visit-plan-started:${planRow.id}:slack` } })) === 1, 30_000, 200);
    expect(await h.db.meeting.count({ where: { visitPlanId: planRow.id } })).toBe(count);
    const dm = await h.db.outbox.findFirstOrThrow({ where: { dedupeKey: `visit-plan-started:${planRow.id}:slack` } });
    expect([dm.target, JSON.stringify(dm.payload)]).toEqual([boss.user.slackUserId, expect.stringContaining(`${count} visit series created, one per partner of BIG`)]);
  });

  it("a background start finds its plan switched off meanwhile: no series, no DM", async () => {
    const quiet = await h.db.partnerCategory.create({ data: { name: "QUIET" } });
    const p = await h.db.partner.create({ data: { kind: "company", name: "Quiet One", salespersonId: sam.user.id } });
    await h.db.partnerCategoryMember.create({ data: { partnerId: p.id, categoryId: quiet.id, source: "manual", reason: "test" } });
    const planRow = await h.db.visitPlan.create({
      data: { categoryId: quiet.id, title: "Visit {{partner}}", rrule: "FREQ=MONTHLY;BYDAY=1MO", firstStartAt: new Date(Date.now() + 10 * DAY), durationMinutes: 60, timeZone: "UTC", createdById: boss.user.id, isActive: false },
    });
    expect(await finishPlanInBackground(h.deps, { planId: planRow.id, plannerId: boss.user.id })).toBe("plan gone");
    expect(await h.db.meeting.count({ where: { visitPlanId: planRow.id } })).toBe(0);
    expect(await h.db.outbox.count({ where: { dedupeKey: { startsWith: `visit-plan-started:${planRow.id}` } } })).toBe(0);
  });
});
