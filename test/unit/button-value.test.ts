import { describe, expect, it } from "vitest";
import { readButtonValue, readFormVersion } from "../../src/handlers/button-value.js";
import { parseCaseButton } from "../../src/handlers/cases/load-case.js";
import { readClaimButton, readClaimForm } from "../../src/handlers/claims/load-claim.js";

const ID = "0b6f1c52-3a59-4c8e-9d55-5f1f3c2b7a10";

describe("card button values", () => {
  it("reads <id>:<version>[:<extra>]", () => {
    expect(readButtonValue(`${ID}:3`)).toEqual({ id: ID, version: 3, extra: undefined });
    expect(readClaimButton(`${ID}:0:repair-1`)).toEqual({ id: ID, version: 0, extra: "repair-1" });
  });

  it("refuses a value without an id or a numeric version", () => {
    for (const value of ["", ":3", ID, `${ID}:`, `${ID}:x`, `${ID}:-1`, `${ID}:1.5`]) expect(readButtonValue(value)).toBeUndefined();
  });

  it("case buttons: a UUID and a version only, surrounding spaces ignored", () => {
    expect(parseCaseButton(` ${ID}:7 `)).toEqual({ id: ID, version: 7 });
    expect(parseCaseButton(`${ID.toUpperCase()}:7`)).toEqual({ id: ID.toUpperCase(), version: 7 });
    for (const value of [`not-a-uuid:1`, `${ID}:1:extra`, `${ID}:1:`, `${ID}:`, `${ID}`, `${ID}:a`]) expect(parseCaseButton(value)).toBeUndefined();
  });

  it("form context: the record id and a numeric version", () => {
    expect(readClaimForm({ claimId: ID, version: "2" })).toEqual({ id: ID, version: 2 });
    expect(readFormVersion({ caseId: ID, version: "0" }, "caseId")).toEqual({ id: ID, version: 0 });
    for (const context of [{}, { claimId: ID }, { claimId: "", version: "1" }, { claimId: ID, version: "v1" }] as Record<string, string>[]) expect(readClaimForm(context)).toBeUndefined();
  });
});
