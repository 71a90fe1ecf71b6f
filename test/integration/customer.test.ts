import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, type Who } from "../../src/bot/dispatch.js";
import type { MessageView, Reply } from "../../src/bot/views/view.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";

const slack = { commandPrefix: "/crm " };

function viewOf(reply: Reply): MessageView {
  if (reply.kind === "message") return reply.view;
  throw new Error(`expected a message, got ${reply.kind}`);
}
const buttons = (view: MessageView) => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));
const allText = (view: MessageView) => JSON.stringify(view.blocks);

describe("/crm customer: a partner's history", () => {
  let h: HandlerHarness;
  let ana: Who;
  let buyer: Who;
  let acmeId: string;

  beforeAll(async () => {
    h = await handlerHarness();
    const support = await h.db.team.create({ data: { name: "Support", kind: "support" } });
    const purchasing = await h.db.team.create({ data: { name: "Purchasing", kind: "purchasing" } });
    ana = await aPerson(h.db, { teamIds: [support.id] });
    buyer = await aPerson(h.db, { teamIds: [purchasing.id] });
    const acme = await h.db.partner.create({ data: { kind: "company", name: "Acme Corp", email: "info@acme.test", isSupplier: true } });
    acmeId = acme.id;
    await h.db.partner.createMany({ data: [{ kind: "company", name: "Globex East" }, { kind: "company", name: "Globex West" }] });
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { name: "New" } });
    const closed = await h.db.caseStage.findFirstOrThrow({ where: { name: "Completed" } });
    await h.db.case.createMany({
      data: [
        { subject: "Printer jams", teamId: support.id, stageId: stage.id, partnerId: acmeId, isOpen: true },
        { subject: "VPN drops", teamId: support.id, stageId: stage.id, partnerId: acmeId, isOpen: true },
        { subject: "Old problem", teamId: support.id, stageId: closed.id, partnerId: acmeId, isOpen: false },
      ],
    });
    await h.db.claim.createMany({
      data: [
        { subject: "Broken units", partnerId: acmeId, teamId: support.id, responsibleId: ana.user.id },
        { kind: "supplier", subject: "Wrong parts delivered", partnerId: acmeId, teamId: purchasing.id, responsibleId: buyer.user.id },
        { subject: "Settled long ago", partnerId: acmeId, state: "settled" },
      ],
    });
    const now = Date.now();
    await h.db.phoneCall.createMany({
      data: [
        { subject: "Renewal talk", partnerId: acmeId, ownerId: ana.user.id, callAt: new Date(now - 3600_000) },
        { subject: "Intro", partnerId: acmeId, ownerId: ana.user.id, callAt: new Date(now - 200 * 24 * 3600_000) },
        { subject: "Buyer's call", partnerId: acmeId, ownerId: buyer.user.id, callAt: new Date(now - 7200_000) },
      ],
    });
  });
  afterAll(async () => h?.close());

  it("shows open cases, open claims and recent calls with counts and list buttons", async () => {
    const view = viewOf(await runCommand(h.deps, ana, "customer acme", slack));
    // Ana sees neither the supplier claim (purchasing only) nor the buyer's call (another team's owner).
    expect(view.text).toBe("Acme Corp: 2 open cases, 1 open claims, 1 recent calls");
    expect(buttons(view).map((b) => [b.id, b.label, b.value])).toEqual([
      ["customer.cases", "Cases (2)", acmeId],
      ["customer.claims", "Claims (1)", acmeId],
      ["customer.calls", "Calls (1)", acmeId],
    ]);
    expect(allText(view)).toMatch(/Last call: Renewal talk/);
  });

  it("shows supplier claims to purchasing", async () => {
    const view = viewOf(await runCommand(h.deps, buyer, "customer Acme Corp", slack));
    expect(view.text).toMatch(/2 open claims/);
    const claims = viewOf(await runAction(h.deps, buyer, "customer.claims", acmeId));
    expect(allText(claims)).toMatch(/Wrong parts delivered/);
    expect(allText(viewOf(await runAction(h.deps, ana, "customer.claims", acmeId)))).not.toMatch(/Wrong parts delivered/);
  });

  it("lists the open cases and the recent calls behind the buttons", async () => {
    const cases = viewOf(await runAction(h.deps, ana, "customer.cases", acmeId));
    expect(cases.text).toBe("Open cases of Acme Corp: 2");
    expect(allText(cases)).toMatch(/Printer jams/);
    expect(allText(cases)).not.toMatch(/Old problem/);
    const calls = viewOf(await runAction(h.deps, ana, "customer.calls", acmeId));
    expect(calls.text).toBe("Calls with Acme Corp (last 90 days): 1");
  });

  it("offers a choice when several partners match, and says so when none does", async () => {
    const pick = viewOf(await runCommand(h.deps, ana, "customer Globex", slack));
    expect(buttons(pick).map((b) => [b.id, b.label])).toEqual([
      ["customer.show", "Globex East"],
      ["customer.show", "Globex West"],
    ]);
    const chosen = viewOf(await runAction(h.deps, ana, "customer.show", buttons(pick)[1]!.value!));
    expect(chosen.text).toBe("Globex West: 0 open cases, 0 open claims, 0 recent calls");
    expect(viewOf(await runCommand(h.deps, ana, "customer Initech", slack)).text).toBe("No partner is called “Initech”.");
    expect(viewOf(await runCommand(h.deps, ana, "customer", slack)).text).toMatch(/Say which partner/);
    expect(viewOf(await runAction(h.deps, ana, "customer.cases", "not-an-id")).text).toBe("That partner no longer exists.");
  });

  it("counts and lists internal cases only for those who may see them (the team, its manager, the assignee, admins)", async () => {
    const support = await h.db.team.findFirstOrThrow({ where: { name: "Support" } });
    const it_ = await h.db.team.create({ data: { name: "IT", kind: "other" } });
    const sales = await h.db.team.create({ data: { name: "Sales", kind: "sales" } });
    const itMember = await aPerson(h.db, { teamIds: [it_.id] });
    const itManager = await aPerson(h.db, { role: "manager", managedTeamIds: [it_.id] });
    const outsider = await aPerson(h.db, { teamIds: [sales.id] });
    const admin = await aPerson(h.db, { role: "admin" });
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { name: "New" } });
    await h.db.case.createMany({
      data: [
        { subject: "Payroll mix-up", teamId: support.id, stageId: stage.id, partnerId: acmeId, isOpen: true, isInternal: true },
        { subject: "Server room keys", teamId: it_.id, stageId: stage.id, partnerId: acmeId, isOpen: true, isInternal: true, assigneeId: buyer.user.id },
      ],
    });
    const seen = async (who: Who) => {
      const card = viewOf(await runCommand(h.deps, who, "customer Acme", slack));
      const list = viewOf(await runAction(h.deps, who, "customer.cases", acmeId));
      return {
        count: buttons(card).find((b) => b.id === "customer.cases")!.label,
        listed: ["Printer jams", "VPN drops", "Payroll mix-up", "Server room keys"].filter((s) => allText(list).includes(s)),
        title: list.text,
      };
    };
    expect(await seen(outsider)).toEqual({ count: "Cases (2)", listed: ["Printer jams", "VPN drops"], title: "Open cases of Acme Corp: 2" });
    expect(await seen(ana)).toEqual({ count: "Cases (3)", listed: ["Printer jams", "VPN drops", "Payroll mix-up"], title: "Open cases of Acme Corp: 3" });
    expect(await seen(itMember)).toEqual({ count: "Cases (3)", listed: ["Printer jams", "VPN drops", "Server room keys"], title: "Open cases of Acme Corp: 3" });
    expect(await seen(itManager)).toEqual({ count: "Cases (3)", listed: ["Printer jams", "VPN drops", "Server room keys"], title: "Open cases of Acme Corp: 3" });
    // The assignee of another team's internal case sees that one.
    expect(await seen(buyer)).toEqual({ count: "Cases (3)", listed: ["Printer jams", "VPN drops", "Server room keys"], title: "Open cases of Acme Corp: 3" });
    expect(await seen(admin)).toEqual({ count: "Cases (4)", listed: ["Printer jams", "VPN drops", "Payroll mix-up", "Server room keys"], title: "Open cases of Acme Corp: 4" });
    expect(viewOf(await runCommand(h.deps, outsider, "customer Acme", slack)).text).toMatch(/^Acme Corp: 2 open cases/);
  });
});
