// The conversion form's defaults and refusals (src/domain/conversion.ts, Odoo's crm.lead2opportunity.partner).
import { describe, expect, it } from "vitest";
import {
  conversionRefusal,
  conversionSummary,
  customerToCreate,
  defaultConversionAction,
  defaultCustomerAction,
  defaultTeamId,
  pickMatchingPartner,
  placeInPipeline,
  salespersonProblem,
  type ConvertibleLead,
  type PartnerCandidate,
  type StageChoice,
} from "../../src/domain/conversion.js";

const aLead = (over: Partial<ConvertibleLead> = {}): ConvertibleLead => ({ number: 42, type: "lead", stage: { kind: "open" }, mergedInto: null, ...over });
const facts = (over: { contactName?: string | null; companyName?: string | null; emailNormalized?: string | null } = {}) => ({ contactName: null, companyName: null, emailNormalized: null, ...over });
const aPartner = (over: Partial<PartnerCandidate>): PartnerCandidate => ({ id: "p", name: "Someone", email: null, kind: "company", ...over });
const stage = (id: string, sequence: number, probability: number, kind: StageChoice["kind"] = "open"): StageChoice => ({ id, name: id, sequence, probability, kind, teamId: null });

describe("conversion refusals", () => {
  it("lets an open lead through", () => {
    expect(conversionRefusal(aLead())).toBeUndefined();
  });

  it("refuses won and lost leads, asking to restore them first", () => {
    for (const kind of ["won", "lost"] as const) expect(conversionRefusal(aLead({ stage: { kind } }))).toBe("Won or lost leads cannot be converted: restore it first.");
  });

  it("refuses an opportunity and a merged lead, naming them", () => {
    expect(conversionRefusal(aLead({ type: "opportunity" }))).toBe("OPP-0042 is already an opportunity.");
    expect(conversionRefusal(aLead({ mergedInto: { number: 7, type: "opportunity" } }))).toBe("LEAD-0042 was merged into OPP-0007; work on that one.");
  });
});

describe("conversion defaults", () => {
  it("preselects merging only when an open duplicate opportunity exists", () => {
    expect(defaultConversionAction([])).toBe("convert");
    expect(defaultConversionAction([{ type: "lead" }, { type: "lead" }])).toBe("convert");
    expect(defaultConversionAction([{ type: "lead" }, { type: "opportunity" }])).toBe("merge");
  });

  it("matches a partner by email first, then company name, then contact name, ignoring case", () => {
    const byContact = aPartner({ id: "contact", name: "Jane Roe", kind: "person" });
    const byCompany = aPartner({ id: "company", name: "GLOBEX" });
    const byEmail = aPartner({ id: "email", name: "Other", email: "Jane@Globex.com" });
    const lead = facts({ contactName: "jane roe", companyName: "Globex", emailNormalized: "jane@globex.com" });
    expect(pickMatchingPartner(lead, [byContact, byCompany, byEmail])?.id).toBe("email");
    expect(pickMatchingPartner(lead, [byContact, byCompany])?.id).toBe("company");
    expect(pickMatchingPartner(lead, [byContact])?.id).toBe("contact");
    expect(pickMatchingPartner(facts({ companyName: "Globex Ltd" }), [byCompany])).toBeUndefined();
    expect(pickMatchingPartner(facts(), [aPartner({ name: "" })])).toBeUndefined();
  });

  it("links a matched customer, else creates one from the names typed, else links none", () => {
    expect(defaultCustomerAction(facts({ contactName: "Jane" }), { id: "p" })).toBe("exist");
    expect(defaultCustomerAction(facts({ contactName: "Jane" }), undefined)).toBe("create");
    expect(defaultCustomerAction(facts({ companyName: "Globex" }), undefined)).toBe("create");
    expect(defaultCustomerAction(facts({ contactName: "  ", emailNormalized: "x@y.com" }), undefined)).toBe("nothing");
  });

  it("preselects the lead's team, else the salesperson's first sales team, else none", () => {
    expect(defaultTeamId("lead-team", ["t1", "t2"])).toBe("lead-team");
    expect(defaultTeamId(null, ["t1", "t2"])).toBe("t1");
    expect(defaultTeamId(null, [])).toBeUndefined();
  });
});

describe("the customer created on conversion", () => {
  const reach = { email: "jane@globex.com", phone: "+34 600 12 34 56" };

  it("creates a company and a contact under it; the contact carries the email and phone", () => {
    expect(customerToCreate({ contactName: "Jane Roe", companyName: "Globex", ...reach })).toEqual({
      company: { kind: "company", name: "Globex", email: null, phone: null },
      contact: { kind: "person", name: "Jane Roe", ...reach },
    });
  });

  it("gives the company the email and phone when there is no contact", () => {
    expect(customerToCreate({ contactName: null, companyName: " Globex ", ...reach })).toEqual({ company: { kind: "company", name: "Globex", ...reach } });
  });

  it("creates one person from a contact name alone, and nothing without names", () => {
    expect(customerToCreate({ contactName: "Jane Roe", companyName: "", email: null, phone: " " })).toEqual({ contact: { kind: "person", name: "Jane Roe", email: null, phone: null } });
    expect(customerToCreate({ contactName: " ", companyName: null, ...reach })).toBeUndefined();
  });
});

describe("salesperson and team", () => {
  const team = { id: "t", name: "Enterprise Sales", managerId: "mia", memberIds: ["bob"] };
  const ana = { id: "ana", name: "Ana Ruiz", isActive: true };

  it("accepts a member or the manager of the team, and anyone when no team is chosen", () => {
    expect(salespersonProblem({ ...ana, id: "bob" }, team)).toBeUndefined();
    expect(salespersonProblem({ ...ana, id: "mia" }, team)).toBeUndefined();
    expect(salespersonProblem(ana, undefined)).toBeUndefined();
  });

  it("asks for a member instead of silently changing the team", () => {
    expect(salespersonProblem(ana, team)).toBe("Ana Ruiz is not in Enterprise Sales; choose a member of the team or another team.");
  });

  it("refuses a deactivated salesperson", () => {
    expect(salespersonProblem({ ...ana, id: "bob", isActive: false }, team)).toBe("Ana Ruiz is deactivated; choose an active salesperson.");
  });
});

describe("place in the pipeline", () => {
  const pipeline = [stage("new", 1, 10), stage("qualified", 2, 30), stage("won", 70, 100, "won")];

  it("keeps a stage the team's pipeline has, with the stage's probability unless the lead's is higher", () => {
    expect(placeInPipeline({ stageId: "qualified", probability: 10 }, pipeline)).toEqual({ stage: pipeline[1], probability: 30 });
    expect(placeInPipeline({ stageId: "qualified", probability: 55 }, pipeline)).toEqual({ stage: pipeline[1], probability: 55 });
  });

  it("moves to the team's first open stage when the current stage is not in its pipeline", () => {
    expect(placeInPipeline({ stageId: "other-team-stage", probability: 0 }, pipeline)).toEqual({ stage: pipeline[0], probability: 10 });
    expect(placeInPipeline({ stageId: "x", probability: 0 }, [stage("won", 70, 100, "won")])).toBeUndefined();
  });
});

it("summarises the conversion for the timeline", () => {
  expect(conversionSummary("Ana", { action: "created", name: "Globex" })).toBe("Converted to an opportunity by Ana (customer: created Globex)");
  expect(conversionSummary("Ana", { action: "linked", name: "Acme" })).toBe("Converted to an opportunity by Ana (customer: linked Acme)");
  expect(conversionSummary("Ana", undefined)).toBe("Converted to an opportunity by Ana (customer: none)");
});
