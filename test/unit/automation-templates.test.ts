import { describe, expect, it } from "vitest";
import type { RecordSnapshot } from "../../src/domain/automation/fields.js";
import { renderTemplate, templateProblems } from "../../src/domain/automation/templates.js";

function aSnapshot(overrides: Partial<RecordSnapshot> = {}): RecordSnapshot {
  return {
    type: "case",
    id: "c1",
    ref: "CASE-0042",
    fields: {
      ref: "CASE-0042",
      title: "Printer on fire",
      priority: "high",
      "partner.name": "Acme",
      "partner.categories": ["GOLD", "Reseller"],
      "responsible.name": "Ana Silva",
      "resolution-due": "2026-12-05T13:00:00.000Z",
      internal: false,
      level: 2,
      closed: null,
    },
    teamId: null,
    responsibleId: null,
    partnerId: null,
    customerEmail: null,
    watcherUserIds: [],
    watcherEmails: [],
    attendeeUserIds: [],
    createdAt: "2026-12-01T09:00:00.000Z",
    updatedAt: "2026-12-01T09:00:00.000Z",
    ...overrides,
  };
}

const ctx = { ruleName: "Escalate", timeZone: "Europe/Berlin" };

describe("template placeholders, checked when the rule is saved", () => {
  it("accepts the record's own fields, related fields and the rule's name, with spaces inside the braces", () => {
    expect(templateProblems("{{case.ref}} {{ partner.name }} {{responsible.name}} {{rule.name}} {{record.ref}} {{record.title}} {{case.resolution-due}}", "case")).toEqual([]);
  });

  it("uses the rule's record type as prefix", () => {
    expect(templateProblems("{{claim.deadline}} {{claim.state}}", "claim")).toEqual([]);
    expect(templateProblems("{{merge-request.reason}} {{meeting.start}}", "merge-request")).toEqual([
      "{{meeting.start}} is not a field of a merge request; did you mean {{merge-request.state}}?",
    ]);
  });

  it("accepts both opportunity. and lead. on an opportunity, only lead. on a lead", () => {
    expect(templateProblems("{{opportunity.ref}} {{lead.expected-revenue}}", "opportunity")).toEqual([]);
    expect(templateProblems("{{opportunity.ref}}", "lead")).toEqual(["{{opportunity.ref}} is not a field of a lead; did you mean {{lead.ref}}?"]);
  });

  it("names an unknown placeholder with the closest known one", () => {
    expect(templateProblems("About {{case.subjet}}", "case")).toEqual(["{{case.subjet}} is not a field of a case; did you mean {{case.title}}?"]);
    expect(templateProblems("{{partnr.name}}", "case")).toEqual(["{{partnr.name}} is not a field of a case; did you mean {{partner.name}}?"]);
    expect(templateProblems("{{lead.ref}}", "case")).toEqual(["{{lead.ref}} is not a field of a case; did you mean {{case.ref}}?"]);
    expect(templateProblems("{{case.stage}}", "call")).toEqual(["{{case.stage}} is not a field of a call; did you mean {{call.state}}?"]);
  });

  it("says so when nothing is close", () => {
    expect(templateProblems("{{weather.today}}", "case")).toEqual(["{{weather.today}} is not a field of a case."]);
  });

  it("finds every problem, including an unclosed {{ and an empty placeholder", () => {
    const problems = templateProblems("{{case.ref}} {{case.nope}} {{}} and {{case.title", "case");
    expect(problems).toHaveLength(3);
    expect(problems[1]).toMatch(/empty/);
    expect(problems[2]).toBe('"{{" is not closed: "{{case.title"; end the placeholder with "}}".');
  });

  it("finds an unclosed {{ followed by a good placeholder", () => {
    expect(templateProblems("{{case.ref {{case.title}}", "case")).toEqual(['"{{" is not closed: "{{case.ref {{case.title}}"; end the placeholder with "}}".']);
  });
});

describe("rendering a template for a record", () => {
  it("fills text, numbers and related fields", () => {
    expect(renderTemplate("{{case.ref}} for {{partner.name}} (level {{case.level}}), {{responsible.name}}", "case", aSnapshot(), ctx)).toBe(
      "CASE-0042 for Acme (level 2), Ana Silva",
    );
  });

  it("writes dates in the rule's time zone, with the zone", () => {
    expect(renderTemplate("Due {{case.resolution-due}}", "case", aSnapshot(), ctx)).toBe("Due 2026-12-05 14:00 (Europe/Berlin)");
    expect(renderTemplate("{{case.resolution-due}}", "case", aSnapshot(), { ...ctx, timeZone: "America/New_York" })).toBe("2026-12-05 08:00 (America/New_York)");
  });

  it("joins tags, writes yes/no, and a dash for empty values", () => {
    expect(renderTemplate("{{partner.categories}} | {{case.internal}} | {{case.closed}} | {{team.name}}", "case", aSnapshot(), ctx)).toBe("GOLD, Reseller | no | — | —");
  });

  it("fills the rule's name and the record's ref and title for any type", () => {
    expect(renderTemplate("[{{rule.name}}] {{ record.ref }}: {{record.title}}", "case", aSnapshot(), ctx)).toBe("[Escalate] CASE-0042: Printer on fire");
  });

  it("fills lead. placeholders on an opportunity", () => {
    const opp = aSnapshot({ type: "lead", ref: "OPP-0007", fields: { ref: "OPP-0007", title: "40 seats", "expected-revenue": 9000 } });
    expect(renderTemplate("{{opportunity.ref}} {{lead.title}} {{lead.expected-revenue}}", "opportunity", opp, ctx)).toBe("OPP-0007 40 seats 9000");
  });

  it("leaves an unknown placeholder as written", () => {
    expect(renderTemplate("{{case.nope}}", "case", aSnapshot(), ctx)).toBe("{{case.nope}}");
  });
});
