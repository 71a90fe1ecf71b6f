// Contracts end to end on a real database: the form's errors, create (once on a double submit), show, renew, close,
// billable time counted against prepaid hours with one warning at 80% and one at 100%, the weekly digest per reader
// (only what they may see, once a week), and contracts in automation rules (the example checks, a time rule fires).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction, runCommand, submitForm, type Who } from "../../src/bot/dispatch.js";
import { CASE_TIME_FORM_ID } from "../../src/bot/views/case-time.js";
import { CASE_CONTRACT_FORM_ID, CONTRACT_FORM_ID, CONTRACT_RENEW_FORM_ID } from "../../src/bot/views/contract-forms.js";
import type { Form, MessageView, Reply } from "../../src/bot/views/view.js";
import { EXAMPLE_RULES } from "../../src/domain/automation/examples.js";
import { checkRule } from "../../src/domain/automation/rule-check.js";
import { contractReference } from "../../src/domain/contracts.js";
import { recordCreated } from "../../src/handlers/automation/events.js";
import { forgetRuleCache } from "../../src/handlers/automation/rule-cache.js";
import { canSeeRecord, findRecordByRef, loadSnapshot } from "../../src/handlers/automation/records.js";
import { sendContractDigests } from "../../src/handlers/contracts/digest.js";
import { aPerson, handlerHarness, type HandlerHarness } from "../support/handler-deps.js";
import { waitFor } from "../support/wait-for.js";

const NOW = new Date("2026-06-15T08:00:00.000Z");
let clock: Date | undefined = NOW;
const surface = { commandPrefix: "/crm " };

let h: HandlerHarness;
let sales: { id: string };
let east: { id: string };
let support: { id: string };
let sam: Who; // sales agent, the salesperson
let mia: Who; // manager of Sales
let otto: Who; // manager of Sales East
let ana: Who; // support agent
let acme: { id: string };

beforeAll(async () => {
  h = await handlerHarness({ now: () => clock ?? new Date() });
  mia = await aPerson(h.db, { role: "manager" });
  otto = await aPerson(h.db, { role: "manager" });
  sales = await h.db.team.create({ data: { name: "Sales", kind: "sales", managerId: mia.user.id } });
  east = await h.db.team.create({ data: { name: "Sales East", kind: "sales", managerId: otto.user.id } });
  support = await h.db.team.create({ data: { name: "Support", kind: "support" } });
  mia.actor.managedTeamIds = [sales.id];
  otto.actor.managedTeamIds = [east.id];
  sam = await aPerson(h.db, { teamIds: [sales.id] });
  ana = await aPerson(h.db, { teamIds: [support.id] });
  acme = await h.db.partner.create({ data: { kind: "company", name: "Acme Corp" } });
});
afterAll(async () => h?.close());

const errorsOf = (reply: Reply) => {
  if (reply.kind !== "errors") throw new Error(`expected field errors, got ${reply.kind}`);
  return reply.errors;
};
const formOf = (reply: Reply) => {
  if (reply.kind !== "form") throw new Error(`expected a form, got ${reply.kind}`);
  return reply.form as Form;
};
const viewOf = (reply: Reply): MessageView => {
  if (reply.kind === "message" || (reply.kind === "done" && reply.view)) return reply.view!;
  throw new Error(`expected a view, got ${reply.kind}`);
};
const buttonsOf = (view: MessageView) => view.blocks.flatMap((b) => (b.type === "actions" ? b.actions : []));

const valid = { name: "Support 2026", start: "2026-01-01", end: "2026-12-31", billing: "prepaid_hours", unitPrice: "90", prepaidHours: "20" };

async function createContract(values: Record<string, string>, who: Who = sam) {
  const form = formOf(await runCommand(h.deps, who, "contract", surface));
  return { form, reply: await submitForm(h.deps, who, CONTRACT_FORM_ID, { partner: acme.id, ...values }, form.context ?? {}) };
}

describe("creating a contract", () => {
  it("answers bad input with an error on each field", async () => {
    const { reply } = await createContract({ ...valid, end: "2025-12-31", unitPrice: "-5", billing: "fixed_price", prepaidHours: "10" });
    const errors = errorsOf(reply);
    expect(errors.end).toMatch(/cannot end before it starts/);
    expect(errors.unitPrice).toMatch(/cannot be negative/);
    expect(errors.prepaidHours).toMatch(/only with prepaid-hours billing/);
    expect(await h.db.contract.count()).toBe(0);
  });

  it("creates one contract from one form even when it is submitted twice, with sam as its salesperson", async () => {
    const { form, reply } = await createContract({ ...valid, team: sales.id });
    expect(reply.kind).toBe("done");
    const again = await submitForm(h.deps, sam, CONTRACT_FORM_ID, { partner: acme.id, ...valid, team: sales.id }, form.context ?? {});
    expect(viewOf(again).text).toMatch(/already created from this form/);
    const contracts = await h.db.contract.findMany();
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({ name: "Support 2026", partnerId: acme.id, salespersonId: sam.user.id, teamId: sales.id, billing: "prepaid_hours", prepaidUnits: 20, state: "open" });
    expect(contracts[0]!.endsAt?.toISOString()).toBe("2026-12-31T00:00:00.000Z");
  });

  it("refuses people outside sales (not managers, not admins)", async () => {
    const reply = await runCommand(h.deps, ana, "contract", surface);
    expect(viewOf(reply).text).toMatch(/Only members of a sales team, managers and admins/);
  });
});

describe("showing, renewing and closing", () => {
  it("lists the partner's contracts with usage and buttons for those who may change them, nothing for others", async () => {
    const view = viewOf(await runCommand(h.deps, sam, "contract Acme", surface));
    const text = JSON.stringify(view.blocks);
    expect(text).toMatch(/CTR-\d{4}/);
    expect(text).toMatch(/0 h \/ 20 h \(0%\)/);
    expect(buttonsOf(view).map((b) => b.label)).toEqual(["Renew", "Edit", "Close", "New contract"]);
    const outsider = viewOf(await runCommand(h.deps, ana, "contract Acme", surface));
    expect(JSON.stringify(outsider.blocks)).not.toMatch(/CTR-/);
    expect(JSON.stringify(outsider.blocks)).toMatch(/may not see/);
  });

  it("renews from the day after the old last day with the new price, and closes the old one, once", async () => {
    const old = await h.db.contract.findFirstOrThrow({ where: { name: "Support 2026" } });
    const form = formOf(await runAction(h.deps, sam, "contract.renew", `${old.id}:${old.version}`));
    expect(form.fields.find((f) => f.id === "end")?.initial).toBe("2027-12-31");
    // A price that is no number, or a negative one, is refused on its field and renews nothing.
    expect(await submitForm(h.deps, sam, CONTRACT_RENEW_FORM_ID, { end: "2027-12-31", unitPrice: "ninety" }, form.context ?? {})).toEqual({ kind: "errors", errors: { unitPrice: "Write the price as a number, e.g. 95 or 1200.50." } });
    expect(await submitForm(h.deps, sam, CONTRACT_RENEW_FORM_ID, { end: "2027-12-31", unitPrice: "-5" }, form.context ?? {})).toEqual({ kind: "errors", errors: { unitPrice: "The price cannot be negative." } });
    expect(await h.db.contract.count({ where: { renewedFromId: old.id } })).toBe(0);
    const reply = await submitForm(h.deps, sam, CONTRACT_RENEW_FORM_ID, { end: "2027-12-31", unitPrice: "95" }, form.context ?? {});
    expect(viewOf(reply).text).toMatch(/renewed as CTR-\d{4}/);
    const twice = await submitForm(h.deps, sam, CONTRACT_RENEW_FORM_ID, { end: "2027-12-31", unitPrice: "95" }, form.context ?? {});
    expect(viewOf(twice).text).toMatch(/changed since/);
    const renewal = await h.db.contract.findFirstOrThrow({ where: { renewedFromId: old.id } });
    expect(renewal).toMatchObject({ partnerId: acme.id, salespersonId: sam.user.id, teamId: sales.id, billing: "prepaid_hours", prepaidUnits: 20, unitsUsed: 0, state: "open" });
    expect(renewal.startsAt.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(Number(renewal.unitPrice)).toBe(95);
    expect((await h.db.contract.findUniqueOrThrow({ where: { id: old.id } })).state).toBe("closed");
    expect(await h.db.contract.count({ where: { renewedFromId: old.id } })).toBe(1);
  });

  it("closes a contract from its button; an old card does nothing more", async () => {
    const { reply } = await createContract({ ...valid, name: "Old deal", billing: "fixed_price", prepaidHours: "" });
    expect(reply.kind).toBe("done");
    const c = await h.db.contract.findFirstOrThrow({ where: { name: "Old deal" } });
    expect(viewOf(await runAction(h.deps, sam, "contract.close", `${c.id}:${c.version}`)).text).toMatch(/is closed/);
    expect(viewOf(await runAction(h.deps, sam, "contract.close", `${c.id}:${c.version}`)).text).toMatch(/changed since/);
    expect(viewOf(await runAction(h.deps, ana, "contract.close", `${c.id}:${c.version + 1}`)).text).toMatch(/no longer exists, or you may not see it/);
    expect((await h.db.contract.findUniqueOrThrow({ where: { id: c.id } })).state).toBe("closed");
  });
});

describe("billable time on a case with a prepaid contract", () => {
  it("adds the hours to the contract and tells the salesperson once at 80% and once at 100%", async () => {
    const contract = await h.db.contract.findFirstOrThrow({ where: { name: "Support 2026", state: "open" } });
    const stage = await h.db.caseStage.findFirstOrThrow({ where: { teamId: null, name: "In progress" } });
    const c = await h.db.case.create({ data: { subject: "Printer fleet", teamId: support.id, stageId: stage.id, partnerId: acme.id, isBillable: true, createdAt: new Date("2026-06-01T09:00:00Z") } });
    const form = formOf(await runAction(h.deps, ana, "case.link-contract", `${c.id}:${c.version}`));
    expect(form.fields[0]!.options?.map((o) => o.label)).toEqual(["No contract", `${contractReference(contract.number)} Support 2026 (to 2027-12-31)`]);
    expect((await submitForm(h.deps, ana, CASE_CONTRACT_FORM_ID, { contract: contract.id }, form.context ?? {})).kind).toBe("done");
    expect((await h.db.case.findUniqueOrThrow({ where: { id: c.id } })).contractId).toBe(contract.id);

    const log = (duration: string, billable = "yes") => submitForm(h.deps, ana, CASE_TIME_FORM_ID, { date: "2026-06-15", duration, description: "Work", billable }, { caseId: c.id });
    const warnings = () => h.db.outbox.findMany({ where: { target: sam.user.slackUserId!, dedupeKey: { startsWith: `contract-usage:${contract.id}` } }, orderBy: { createdAt: "asc" } });
    expect(viewOf(await log("10h")).text).toMatch(/10 h \/ 20 h used \(50%\)\./);
    await log("5h", "no");
    expect(await warnings()).toHaveLength(0);
    expect(viewOf(await log("6h")).text).toMatch(/80% of the prepaid hours are used/);
    await log("1h");
    expect(await warnings()).toHaveLength(1);
    expect(viewOf(await log("3h")).text).toMatch(/all prepaid hours are used/);
    await log("1h");
    const sent = await warnings();
    expect(sent.map((w) => w.dedupeKey)).toEqual([`contract-usage:${contract.id}:80:slack`, `contract-usage:${contract.id}:100:slack`]);
    const after = await h.db.contract.findUniqueOrThrow({ where: { id: contract.id } });
    expect(after.unitsUsed).toBe(21);
    expect(after.usageWarned).toEqual(["80", "100"]);
  });
});

describe("the weekly digest", () => {
  const digestsTo = (who: Who) => h.db.outbox.findMany({ where: { target: who.user.slackUserId!, dedupeKey: { startsWith: "contract-digest:" } } });

  it("sends the salesperson and the team manager one DM in three parts, only with contracts they may see, once a week", async () => {
    const make = (name: string, endsAt: string, teamId: string, salespersonId: string | null) =>
      h.db.contract.create({ data: { name, partnerId: acme.id, teamId, salespersonId, startsAt: new Date("2025-01-01T00:00:00Z"), endsAt: new Date(`${endsAt}T00:00:00Z`), state: "open" } });
    await make("Just ended", "2026-06-12", sales.id, sam.user.id);
    await make("Long over", "2026-05-01", sales.id, sam.user.id);
    await make("Ends soon", "2026-07-01", sales.id, null);
    await make("East deal", "2026-06-20", east.id, otto.user.id);

    const first = await sendContractDigests(h.deps);
    expect(first).toMatchObject({ readers: 3, sent: 3 });
    const [toSam] = await digestsTo(sam);
    const samText = JSON.stringify(toSam!.payload);
    expect(samText).toMatch(/Just expired.*Just ended.*Expired and still not handled.*Long over/);
    expect(samText).not.toMatch(/Ends soon|East deal/);
    const miaText = JSON.stringify((await digestsTo(mia))[0]!.payload);
    expect(miaText).toMatch(/Just ended.*Long over.*Expiring within 30 days.*Ends soon/);
    expect(miaText).not.toMatch(/East deal/);
    const ottoText = JSON.stringify((await digestsTo(otto))[0]!.payload);
    expect(ottoText).toMatch(/East deal/);
    expect(ottoText).not.toMatch(/Just ended|Long over|Ends soon/);
    expect(await digestsTo(ana)).toHaveLength(0);

    const second = await sendContractDigests(h.deps);
    expect(second).toMatchObject({ sent: 0, alreadySent: 3 });
    for (const who of [sam, mia, otto]) expect(await digestsTo(who)).toHaveLength(1);
  });

  it("waits for Monday 08:00 in the reader's own time zone, then sends within the hour, once that local week", async () => {
    const lou = await aPerson(h.db, { teamIds: [sales.id], timeZone: "America/Los_Angeles" });
    await h.db.contract.create({ data: { name: "West coast", partnerId: acme.id, teamId: sales.id, salespersonId: lou.user.id, startsAt: new Date("2025-01-01T00:00:00Z"), endsAt: new Date("2026-06-30T00:00:00Z"), state: "open" } });
    try {
      // NOW is Monday 08:00 UTC: 01:00 in Los Angeles.
      expect(await sendContractDigests(h.deps)).toMatchObject({ notYet: 1, sent: 0 });
      expect(await digestsTo(lou)).toHaveLength(0);
      clock = new Date("2026-06-15T15:10:00Z"); // 08:10 in Los Angeles
      expect(await sendContractDigests(h.deps)).toMatchObject({ sent: 1 });
      const [dm] = await digestsTo(lou);
      expect(dm!.dedupeKey).toBe(`contract-digest:2026-W25:${lou.user.id}:slack`);
      expect(JSON.stringify(dm!.payload)).toMatch(/Expiring within 30 days.*West coast/);
      clock = new Date("2026-06-19T18:00:00Z");
      expect(await sendContractDigests(h.deps)).toMatchObject({ sent: 0 });
      expect(await digestsTo(lou)).toHaveLength(1);
    } finally {
      clock = NOW;
    }
  });
});

describe("contracts in automation rules", () => {
  it("ships the spec's fifth example, and it passes the rule check", () => {
    const example = EXAMPLE_RULES.find((r) => r.record === "contract");
    expect(example?.name).toBe("Contract ends in 30 days: tell its salesperson");
    expect(checkRule(example).ok).toBe(true);
  });

  it("finds a contract by CTR reference and lets only who may see it see it", async () => {
    const c = await h.db.contract.findFirstOrThrow({ where: { name: "East deal" } });
    expect(await findRecordByRef(h.db, contractReference(c.number))).toEqual({ model: "contract", id: c.id });
    const snapshot = (await loadSnapshot(h.db, "contract", c.id))!;
    expect(snapshot.fields).toMatchObject({ ref: contractReference(c.number), title: "East deal", state: "open", partner: "Acme Corp", team: "Sales East" });
    expect(await canSeeRecord(h.db, otto.user.id, snapshot)).toBe(true);
    expect(await canSeeRecord(h.db, sam.user.id, snapshot)).toBe(false);
  });

  it("fires the example rule 30 days before a contract's end, DMing its salesperson", { timeout: 20_000 }, async () => {
    clock = undefined;
    const example = { ...EXAMPLE_RULES.find((r) => r.record === "contract")!, enabled: true };
    const rule = await h.db.automationRule.create({ data: { name: example.name, recordType: "contract", triggerKind: "time", definition: example as object, enabled: true, version: 1 } });
    forgetRuleCache();
    const endsAt = new Date(Date.now() + 30 * 86_400_000 + 1500);
    const c = await h.db.$transaction(async (tx) => {
      const created = await tx.contract.create({ data: { name: "Renew me", partnerId: acme.id, teamId: sales.id, salespersonId: sam.user.id, startsAt: new Date("2026-01-01T00:00:00Z"), endsAt, state: "open" } });
      await recordCreated(tx, h.deps, "contract", created.id, null);
      return created;
    });
    await waitFor(async () => (await h.db.ruleFiring.count({ where: { ruleId: rule.id, recordId: c.id } })) === 1, 10_000);
    const dm = await h.db.outbox.findFirst({ where: { target: sam.user.slackUserId!, dedupeKey: { startsWith: "rule:" } } });
    expect(JSON.stringify(dm?.payload)).toMatch(new RegExp(`${contractReference(c.number)} Renew me \\(Acme Corp\\) ends on`));
  });
});
