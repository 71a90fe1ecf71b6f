// `npm run admin -- …`: set up users, roles and teams from a terminal, before anyone is in chat (the same handlers and checks as /crm admin).
import type { Block, MessageView } from "../bot/views/view.js";
import { ConfigError, loadConfig, loadDotEnv, type Config } from "../config.js";
import { DataDirInUseError } from "../db/data-dir-lock.js";
import { COMMAND_LINE_ACTOR, performAdminCommand, planAdminCommand, type AdminContext, type AdminPlan } from "../handlers/admin/index.js";
import type { Deps } from "../handlers/deps.js";
import type { JobRunner } from "../jobs/job-runner.js";

const ctx: AdminContext = { surface: "cli", invocation: "npm run admin --" };

/** Buttons a chat view offers, as the command that does the same here. */
const ACTION_COMMANDS: Record<string, (value: string) => string> = { "outbox.retry": (id) => `outbox retry ${id}` };

/** Switches people type bare on the command line; admin flags take values, so they become `--dry-run=yes`. */
const BARE_SWITCHES = new Set(["--dry-run"]);

async function main(argv: string[]): Promise<number> {
  const plan = planAdminCommand(argv.map((arg) => (BARE_SWITCHES.has(arg) ? `${arg}=yes` : arg)), ctx);
  if (plan.kind === "help") return done(renderText(plan.view));
  if (plan.kind === "invalid") return fail(`${plan.message} (see: ${plan.help})`);
  loadDotEnv();
  const config = loadConfig();
  return run(config, plan);
}

/** The database modules (Prisma, PGlite) load only when a command needs them: help and bad input answer at once. */
async function run(config: Config, plan: Extract<AdminPlan, { kind: "run" }>): Promise<number> {
  const [{ createLogger }, { isPrepared }, { readMigrations }, { openDatabase }, { createPrismaClient }] = await Promise.all([
    import("../log.js"),
    import("../db/data-dir-marker.js"),
    import("../db/migrate.js"),
    import("../db/database.js"),
    import("../db/client.js"),
  ]);
  const logger = createLogger({ level: config.log.level === "info" ? "warn" : config.log.level, format: "json" }, process.stderr);
  if (!config.databaseUrl && !isPrepared(config.dataDir, readMigrations())) {
    process.stderr.write(`Preparing the embedded database in ${config.dataDir} (first use: a few seconds)…\n`);
  }
  const database = await openDatabase(config, logger);
  const db = createPrismaClient(database.url, { maxConnections: 2 });
  // Jobs are sent, not run, from here (a change may plan reminders or visits): a send-only runner, started on first use.
  let runner: Promise<JobRunner> | undefined;
  try {
    const deps: Deps = {
      db,
      now: () => new Date(),
      logger,
      settings: { allowedEmailDomains: config.allowedEmailDomains, publicUrl: config.publicUrl },
      jobs: {
        async send(job, payload, options) {
          runner ??= import("../jobs/app-jobs.js").then(async ({ appJobs }) =>
            (await import("../jobs/job-runner.js")).startJobRunner({ url: database.url, logger, jobs: appJobs(deps, {}), work: false, maxConnections: 1 }),
          );
          return (await runner).send(job, payload, options);
        },
      },
    };
    const result = await performAdminCommand(deps, COMMAND_LINE_ACTOR, plan, ctx);
    if (!result.ok) return fail(result.message);
    // Text data is a file's content (rule export): printed as it is, so it can be redirected into a file.
    if (typeof result.data === "string") return done(result.data.replace(/\n$/, ""));
    return done(plan.isJson && result.data !== undefined ? JSON.stringify(result.data, null, 2) : renderText(result.view));
  } finally {
    if (runner) await (await runner.catch(() => undefined))?.stop(5000);
    await db.$disconnect();
    await database.close();
  }
}

function done(text: string): number {
  process.stdout.write(`${text}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return 1;
}

/** A view as terminal text: our inline markup stripped, fields as "Label: value", buttons as the command to type. */
export function renderText(view: MessageView): string {
  return view.blocks.map(blockText).filter((t) => t !== "").join("\n");
}

function blockText(block: Block): string {
  switch (block.type) {
    case "header":
      return `\n${block.text}\n${"-".repeat(Math.min(block.text.length, 80))}`;
    case "text":
      return plain(block.text);
    case "context":
      return plain(block.text).replace(/^/gm, "  ");
    case "fields":
      return block.fields.map((f) => `  ${f.label}: ${plain(f.value)}`).join("\n");
    case "divider":
      return "";
    case "actions":
      return block.actions
        .filter((a) => a.value && ACTION_COMMANDS[a.id])
        .map((a) => `  ${a.label}: ${ctx.invocation} ${ACTION_COMMANDS[a.id]!(a.value!)}`)
        .join("\n");
  }
}

function plain(text: string): string {
  return text
    .replace(/<([^|<>]+)\|([^<>]+)>/g, "$2 ($1)")
    .replace(/\*([^*\n]+)\*/g, "$1")
    .replace(/`([^`\n]+)`/g, "$1");
}

/** Expected failures get one clear line and exit code 1; anything else is a bug and shows its stack. */
async function explain(error: unknown): Promise<string | undefined> {
  const { MigrationError } = await import("../db/migrate.js");
  if (error instanceof ConfigError) return `the configuration has ${error.problems.length} problem(s): ${error.problems.join("; ")}`;
  if (error instanceof DataDirInUseError) {
    return (
      `the embedded database in ${error.dataDir} is in use by a running Switchboard (pid ${error.pid}), and it serves one process only. ` +
      `While the server runs, use /crm admin … in Slack or Teams (e.g. /crm admin user list), or stop the server and run this again.`
    );
  }
  if (error instanceof MigrationError) return error.message.replace(/\s*\n\s*/g, " ");
  return undefined;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const message = await explain(error);
  if (message) fail(message);
  else console.error(error);
  process.exitCode = 1;
}
