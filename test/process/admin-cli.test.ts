import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchboard, type Switchboard } from "../../src/app.js";
import { runScript } from "../support/run-script.js";
import { silentLogger, testConfig } from "../support/test-config.js";
import { createTestDatabase, isPostgres, type TestDatabase } from "../support/test-database.js";

const CLI = "src/cli/admin.ts";

async function admin(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; output: string }> {
  const child = runScript(CLI, args, { NODE_ENV: "test", LOG_LEVEL: "info", LOG_FORMAT: "json", ...env });
  const code = await child.exited;
  return { code, output: child.output() };
}

/** First set-up from the command line, the same on the embedded database and on a server. */
function firstSetUp(target: () => Record<string, string>) {
  it("adds a team and a manager in it, and lists both as JSON", async () => {
    const team = await admin(target(), "team", "add", "--name", "Support", "--kind", "support", "--alias", "support@example.com", "--slack-channel", "C123");
    // The whole output in the failure message: a first start that fails under load must say why.
    expect(team.output, team.output).toContain("Team added: Support");
    expect(team.code).toBe(0);
    const user = await admin(target(), "user", "add", "--email", "ana@example.com", "--name", "Ana Ruiz", "--role", "manager", "--team", "Support");
    expect(user.output).toContain("User added: Ana Ruiz");
    expect(user.output).toContain("To make Ana Ruiz the manager of Support: npm run admin -- team update Support --manager ana@example.com");
    expect(user.code).toBe(0);

    const teams = await admin(target(), "team", "list", "--json");
    expect(teams.code).toBe(0);
    expect(JSON.parse(teams.output)).toEqual([
      expect.objectContaining({ name: "Support", kind: "support", emailAlias: "support@example.com", slackChannelId: "C123", manager: null, members: [{ name: "Ana Ruiz", email: "ana@example.com" }] }),
    ]);
    const users = await admin(target(), "user", "list", "--json");
    expect(JSON.parse(users.output)).toEqual([expect.objectContaining({ email: "ana@example.com", name: "Ana Ruiz", role: "manager", teams: ["Support"], manages: [], chat: [] })]);
  }, 180_000);

  it("refuses a duplicate with one clear line and exit code 1", async () => {
    const again = await admin(target(), "team", "add", "--name", "Helpdesk", "--kind", "support", "--alias", "support@example.com");
    expect(again.code).toBe(1);
    expect(again.output.trim()).toBe("error: support@example.com is already the email alias of Support");
  }, 60_000);

  it("sets what the alias creates, who may write and the acknowledgement, and lists them as JSON", async () => {
    const updated = await admin(target(), "team", "update", "Support", "--alias-creates", "case", "--alias-contact", "watchers", "--alias-ack", "off");
    expect(updated.code, updated.output).toBe(0);
    expect(updated.output).toContain("watchers only");
    const teams = await admin(target(), "team", "list", "--json");
    expect(JSON.parse(teams.output)).toEqual([expect.objectContaining({ name: "Support", emailAlias: "support@example.com", emailCreates: "case", emailContact: "watchers", emailAck: false })]);
  }, 60_000);
}

describe("npm run admin", () => {
  it("prints help for the whole command, a noun and a subcommand without touching a database", async () => {
    const env = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" };
    const [all, team, userAdd, userList] = await Promise.all([admin(env, "--help"), admin(env, "team", "--help"), admin(env, "user", "add", "--help"), admin(env, "user", "list", "-h")]);
    expect([all.code, team.code, userAdd.code, userList.code]).toEqual([0, 0, 0, 0]);
    expect(all.output).toContain("npm run admin -- user add <email> [--flags]");
    expect(team.output).toContain("npm run admin -- team members <team> [--flags]");
    expect(userAdd.output).toContain('npm run admin -- user add ana@example.com --name "Ana Ruiz" --role manager --team Support');
    expect(userList.output).toContain("--json — Print the users as JSON");
  }, 60_000);

  it("answers bad input and configuration problems with one line naming the problem, and exit code 1", async () => {
    const unreachable = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" };
    const [bad, unknown, config] = await Promise.all([
      admin(unreachable, "user", "add", "ana@example.com", "--name", "Ana", "--role", "boss"),
      admin(unreachable, "tema", "list"),
      admin({ DATABASE_URL: "mysql://x@y/z" }, "team", "list"),
    ]);
    expect([bad.code, unknown.code, config.code]).toEqual([1, 1, 1]);
    expect(bad.output.trim()).toBe("error: --role must be admin, manager or agent (see: npm run admin -- user add --help)");
    expect(unknown.output.trim()).toBe('error: unknown admin command "tema" — did you mean team? (see: npm run admin -- --help)');
    expect(config.output.trim()).toBe("error: the configuration has 1 problem(s): DATABASE_URL: must start with postgres:// or postgresql://");
  }, 60_000);

  describe("on the embedded database in DATA_DIR", () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "switchboard-admin-cli-"));
    let server: Switchboard | undefined;
    afterAll(async () => {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    firstSetUp(() => ({ DATA_DIR: dataDir, DATABASE_URL: "" }));

    it("keeps the last admin an admin, from the command line too", async () => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: "" };
      expect((await admin(env, "user", "add", "root@example.com", "--name", "Root", "--role", "admin")).code).toBe(0);
      const demote = await admin(env, "user", "update", "root@example.com", "--role", "agent");
      expect(demote.code).toBe(1);
      expect(demote.output.trim()).toBe("error: Root is the last active admin: make someone else an admin first, or nobody could set up Switchboard from chat.");
    }, 60_000);

    it("refuses while the server holds the data directory, pointing to /crm admin, and changes nothing", async () => {
      server = await startSwitchboard(testConfig({ DATA_DIR: dataDir, DATABASE_URL: "" }), silentLogger);
      const result = await admin({ DATA_DIR: dataDir, DATABASE_URL: "" }, "team", "add", "--name", "Sales", "--kind", "sales");
      expect(result.code).toBe(1);
      expect(result.output.trim().split("\n")).toHaveLength(1);
      expect(result.output).toMatch(new RegExp(`error: the embedded database in ${dataDir} is in use by a running Switchboard \\(pid ${process.pid}\\)`));
      expect(result.output).toContain("use /crm admin … in Slack or Teams");
      expect(await server.db.team.count()).toBe(1);
    }, 180_000);
  });

  describe(`on a server through DATABASE_URL (${isPostgres ? "PostgreSQL" : "PGlite served over a socket"})`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => database?.close());

    firstSetUp(() => ({ DATABASE_URL: database.url }));
  });
});
