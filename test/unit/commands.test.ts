import { describe, expect, it } from "vitest";
import { COMMANDS, parseArgs, parseCommand } from "../../src/bot/commands.js";
import { helpView } from "../../src/bot/views/help.js";

describe("the /crm command grammar", () => {
  it("splits the subcommand from its arguments, with or without the /crm prefix", () => {
    expect(parseCommand("call Acme: hi, 5m")).toEqual({ ok: true, name: "call", args: "Acme: hi, 5m" });
    expect(parseCommand("/crm CALL Acme: hi")).toEqual({ ok: true, name: "call", args: "Acme: hi" });
    expect(parseCommand("  ")).toEqual({ ok: true, name: "help", args: "" });
  });

  it("answers an unknown subcommand with the closest match", () => {
    expect(parseCommand("cal Acme: hi")).toEqual({ ok: false, unknown: "cal", suggestion: "call" });
    expect(parseCommand("whoamii")).toMatchObject({ ok: false, suggestion: "whoami" });
    expect(parseCommand("xyzzy")).toEqual({ ok: false, unknown: "xyzzy", suggestion: undefined });
  });

  it("reads --flags with quoted values", () => {
    expect(parseArgs(`user add ana@example.com --name "Ana Ruiz" --role=manager --active`)).toEqual({
      words: ["user", "add", "ana@example.com"],
      flags: { name: "Ana Ruiz", role: "manager", active: "true" },
    });
  });

  it("lists every command with examples in help, admin ones only for admins", () => {
    const forAgent = helpView("/crm ", { isAdmin: false });
    const forAdmin = helpView("/crm ", { isAdmin: true });
    for (const c of COMMANDS.filter((c) => !c.isAdmin)) expect(JSON.stringify(forAgent)).toContain(`/crm ${c.name}`);
    expect(JSON.stringify(forAgent)).not.toContain("/crm admin");
    expect(JSON.stringify(forAdmin)).toContain("/crm admin user add");
    expect(helpView("", { isAdmin: false, unknown: "cal", suggestion: "call" }).text).toBe("Unknown command “cal”. Did you mean call?");
  });
});
