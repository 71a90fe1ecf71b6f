// Follow-ups of kind meeting and to-do: what the rule schema and checker accept and refuse, and when a meeting starts.
import { describe, expect, it } from "vitest";
import { describeAction } from "../../src/bot/views/rule-views.js";
import type { RuleDefinitionInput, RuleProblem } from "../../src/domain/automation/definition.js";
import { followUpDue, meetingSlot } from "../../src/domain/automation/follow-ups.js";
import { checkRule } from "../../src/domain/automation/rule-check.js";

function aRule(action: Record<string, unknown>, record = "case"): RuleDefinitionInput {
  return { name: "Follow up", record, trigger: { kind: "created" }, actions: [action] } as RuleDefinitionInput;
}

const meeting = (over: Record<string, unknown> = {}) => ({ do: "follow-up", kind: "meeting", title: "Review {{case.ref}}", in: { amount: 1, unit: "days" }, ...over });
const todo = (over: Record<string, unknown> = {}) => ({ do: "follow-up", kind: "todo", title: "Send the quote", in: { amount: 3, unit: "days" }, ...over });

function problemsOf(input: unknown): RuleProblem[] {
  const result = checkRule(input);
  if (result.ok) throw new Error("expected problems, the rule passed");
  return result.problems;
}

describe("follow-up rules accept", () => {
  it("a meeting with minutes and the customer invited, and one with neither", () => {
    expect(checkRule(aRule(meeting({ minutes: 45, "invite-customer": true })))).toMatchObject({ ok: true, rule: { actions: [{ kind: "meeting", minutes: 45, "invite-customer": true }] } });
    expect(checkRule(aRule(meeting()))).toMatchObject({ ok: true });
    expect(checkRule(aRule(meeting({ minutes: 5 })))).toMatchObject({ ok: true });
    expect(checkRule(aRule(meeting({ minutes: 480 })))).toMatchObject({ ok: true });
  });

  it("a to-do on a lead, an opportunity, a claim and a call, due now or later", () => {
    expect(checkRule(aRule(todo({ title: "Call {{lead.title}}" }), "lead"))).toMatchObject({ ok: true });
    expect(checkRule(aRule(todo({ title: "Call {{opportunity.title}}" }), "opportunity"))).toMatchObject({ ok: true });
    expect(checkRule(aRule(todo(), "claim"))).toMatchObject({ ok: true });
    expect(checkRule(aRule(todo({ in: { amount: 0, unit: "minutes" } }), "call"))).toMatchObject({ ok: true });
  });

  it("a meeting follow-up on a meeting rule, without inviting", () => {
    expect(checkRule(aRule(meeting({ title: "Debrief {{meeting.title}}" }), "meeting"))).toMatchObject({ ok: true });
  });
});

describe("follow-up rules refuse", () => {
  it("an unknown kind, naming the three", () => {
    const [problem] = problemsOf(aRule(meeting({ kind: "task" })));
    expect(problem).toMatchObject({ path: ["actions", 0, "kind"] });
    expect(problem!.message).toMatch(/call, meeting, todo/);
  });

  it("a meeting shorter than 5 or longer than 480 minutes, or in fractions", () => {
    expect(problemsOf(aRule(meeting({ minutes: 4 })))).toEqual([{ path: ["actions", 0, "minutes"], message: "A meeting lasts at least 5 minutes." }]);
    expect(problemsOf(aRule(meeting({ minutes: 481 })))).toEqual([{ path: ["actions", 0, "minutes"], message: "A meeting lasts at most 480 minutes (8 hours)." }]);
    expect(problemsOf(aRule(meeting({ minutes: 30.5 })))[0]).toMatchObject({ path: ["actions", 0, "minutes"] });
    expect(problemsOf(aRule(meeting({ minutes: "30" })))[0]).toMatchObject({ path: ["actions", 0, "minutes"] });
  });

  it("minutes and invite-customer on a call or a to-do", () => {
    const problems = problemsOf(aRule(todo({ minutes: 30, "invite-customer": true })));
    expect(problems.map((p) => p.path)).toEqual([
      ["actions", 0, "minutes"],
      ["actions", 0, "invite-customer"],
    ]);
    expect(problems[0]!.message).toMatch(/Only a meeting lasts some minutes/);
    expect(problemsOf(aRule({ ...meeting({ kind: "call" }), "invite-customer": false }))[0]!.message).toMatch(/Only a meeting has guests/);
  });

  it("inviting the customer from a record without a customer address", () => {
    expect(problemsOf(aRule(meeting({ title: "x", "invite-customer": true }), "call"))).toEqual([
      { path: ["actions", 0, "invite-customer"], message: "A call has no customer address to invite; invite customers from case, claim, lead, opportunity or partner rules." },
    ]);
  });

  it("a follow-up in the past, a record without a responsible person, a bad placeholder, and a non-boolean invite", () => {
    expect(problemsOf(aRule(todo({ in: { amount: -1, unit: "days" } })))[0]).toMatchObject({ path: ["actions", 0, "in", "amount"] });
    expect(problemsOf(aRule(meeting({ title: "x" }), "merge-request"))[0]).toMatchObject({ path: ["actions", 0, "do"] });
    expect(problemsOf(aRule(meeting({ title: "{{case.subjet}}" })))[0]).toMatchObject({ path: ["actions", 0, "title"] });
    expect(problemsOf(aRule(meeting({ "invite-customer": "yes" })))[0]).toMatchObject({ path: ["actions", 0, "invite-customer"] });
  });
});

describe("when a follow-up is due", () => {
  it("rounds a meeting's start up to the next quarter hour and keeps one already on it", () => {
    const slot = meetingSlot(new Date("2026-12-01T09:07:30Z"), { amount: 1, unit: "days" }, "Europe/Berlin", 45);
    expect(slot.startAt.toISOString()).toBe("2026-12-02T09:15:00.000Z");
    expect(slot.endAt.toISOString()).toBe("2026-12-02T10:00:00.000Z");
    expect(meetingSlot(new Date("2026-12-01T09:15:00Z"), { amount: 2, unit: "hours" }, "UTC").startAt.toISOString()).toBe("2026-12-01T11:15:00.000Z");
    expect(meetingSlot(new Date("2026-12-01T09:15:00Z"), { amount: 2, unit: "hours" }, "UTC").endAt.toISOString()).toBe("2026-12-01T11:45:00.000Z");
  });

  it("counts days on the person's wall clock across a DST change, and rounds on quarter-hour zones (Kathmandu +05:45)", () => {
    // 09:00 in Berlin on 28 March (CET) plus one day is 09:00 on 29 March (CEST): 23 hours later.
    expect(followUpDue(new Date("2026-03-28T08:00:00Z"), { amount: 1, unit: "days" }, "Europe/Berlin").toISOString()).toBe("2026-03-29T07:00:00.000Z");
    // 10:07 in Kathmandu is 04:22Z; the next quarter hour is 04:30Z, 10:15 there.
    expect(meetingSlot(new Date("2026-12-01T04:22:00Z"), { amount: 0, unit: "minutes" }, "Asia/Kathmandu").startAt.toISOString()).toBe("2026-12-01T04:30:00.000Z");
  });
});

describe("the rule list describes", () => {
  it("a meeting and a to-do follow-up", () => {
    expect(describeAction(meeting({ title: "Review" }) as never)).toBe("plan a meeting “Review” 1 day later");
    expect(describeAction(todo() as never)).toBe("add a to-do “Send the quote” 3 days later");
  });
});
