// `admin lostreason list|add|remove`: why opportunities are lost (Odoo's crm.lost.reason). A reason in use is
// deactivated rather than deleted, so lost opportunities keep saying why; adding it again reactivates it.
import { z } from "zod";
import type { Block, MessageView } from "../../bot/views/view.js";
import type { Tx } from "../../db/outbox.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import { COMMAND_LINE_ACTOR } from "./audit.js";
import { defineCommand, quoted, refuse, type AdminResult } from "./command.js";

const nameArg = z
  .string({ error: 'say which reason, e.g. lostreason add "Too expensive"' })
  .trim()
  .min(1, { error: "the reason cannot be empty" })
  .max(80, { error: "a lost reason has at most 80 characters" });
const nameSchema = z.object({ name: nameArg });

type Row = { id: string; name: string; isActive: boolean; _count: { leads: number } };

const withCount = { _count: { select: { leads: true } } } as const;

function findReason(db: Deps["db"] | Tx, name: string) {
  return db.lostReason.findFirst({ where: { name: { equals: name, mode: "insensitive" } }, include: withCount });
}

async function audit(tx: Tx, actor: Actor, id: string, summary: string): Promise<void> {
  const isCli = actor.id === COMMAND_LINE_ACTOR.id;
  await tx.timelineEntry.create({ data: { recordType: "lostreason", recordId: id, kind: "admin", actorId: isCli ? null : actor.id, summary: isCli ? `${summary} (from the command line)` : summary } });
}

async function listReasons(deps: Deps, actor: Actor): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const rows = await deps.db.lostReason.findMany({ orderBy: [{ isActive: "desc" }, { name: "asc" }], include: withCount });
  return { ok: true, view: reasonsView("Lost reasons", rows), data: rows.map((r) => ({ name: r.name, isActive: r.isActive, opportunities: r._count.leads })) };
}

async function addReason(deps: Deps, actor: Actor, input: z.output<typeof nameSchema>): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const outcome = await deps.db.$transaction(async (tx) => {
    const existing = await findReason(tx, input.name);
    if (existing?.isActive) return { ok: false as const, message: `there is already a lost reason named ${existing.name}` };
    if (existing) {
      const row = await tx.lostReason.update({ where: { id: existing.id }, data: { isActive: true }, include: withCount });
      await audit(tx, actor, row.id, `Lost reason ${row.name} reactivated`);
      return { ok: true as const, row, title: `Lost reason ${row.name} is active again` };
    }
    const row = await tx.lostReason.create({ data: { name: input.name }, include: withCount });
    await audit(tx, actor, row.id, `Lost reason ${row.name} added`);
    return { ok: true as const, row, title: `Added lost reason ${row.name}` };
  });
  if (!outcome.ok) return refuse(outcome.message);
  return { ok: true, view: reasonsView(outcome.title, [outcome.row]), data: { name: outcome.row.name, isActive: true } };
}

async function removeReason(deps: Deps, actor: Actor, input: z.output<typeof nameSchema>): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const outcome = await deps.db.$transaction(async (tx) => {
    const reason = await findReason(tx, input.name);
    if (!reason || !reason.isActive) {
      const names = (await tx.lostReason.findMany({ where: { isActive: true }, select: { name: true }, orderBy: { name: "asc" } })).map((r) => r.name);
      return { ok: false as const, message: `there is no active lost reason named ${quoted(input.name)} (they are: ${names.join(", ") || "none"})` };
    }
    if (reason._count.leads > 0) {
      await tx.lostReason.update({ where: { id: reason.id }, data: { isActive: false } });
      await audit(tx, actor, reason.id, `Lost reason ${reason.name} deactivated (${reason._count.leads} lost opportunities keep it)`);
      return { ok: true as const, text: `Lost reason ${reason.name} deactivated: ${reason._count.leads} lost ${reason._count.leads === 1 ? "opportunity keeps" : "opportunities keep"} it, but it is no longer offered.`, removed: false };
    }
    await tx.lostReason.delete({ where: { id: reason.id } });
    await audit(tx, actor, reason.id, `Lost reason ${reason.name} removed`);
    return { ok: true as const, text: `Lost reason ${reason.name} removed.`, removed: true };
  });
  if (!outcome.ok) return refuse(outcome.message);
  return { ok: true, view: { text: outcome.text, blocks: [{ type: "text", text: outcome.text }] }, data: { name: input.name, deleted: outcome.removed } };
}

function reasonsView(title: string, rows: Row[]): MessageView {
  const blocks: Block[] = [{ type: "header", text: title }];
  const lines = rows.map((r) => `*${r.name}*${r.isActive ? "" : " _(inactive)_"}${r._count.leads ? ` · ${r._count.leads} lost` : ""}`);
  blocks.push({ type: "text", text: lines.join("\n") || "No lost reasons yet." });
  return { text: `${title}: ${rows.map((r) => r.name).join(", ") || "none"}`, blocks };
}

export const lostReasonListCommand = defineCommand({
  path: "lostreason list",
  isNounDefault: true,
  summary: "List the reasons an opportunity can be lost for",
  flags: [{ name: "json", help: "Print the reasons as JSON", isCliOnly: true }],
  examples: ["lostreason list"],
  schema: z.object({}),
  run: (deps, actor) => listReasons(deps, actor),
});

export const lostReasonAddCommand = defineCommand({
  path: "lostreason add",
  summary: "Add a lost reason (or reactivate one)",
  positional: { name: "name", flag: "name", help: "the reason", isRequired: true },
  flags: [{ name: "json", help: "Print the reason as JSON", isCliOnly: true }],
  examples: ['lostreason add "Chose a competitor"'],
  schema: nameSchema,
  run: addReason,
});

export const lostReasonRemoveCommand = defineCommand({
  path: "lostreason remove",
  summary: "Remove a lost reason (deactivated instead while lost opportunities use it)",
  positional: { name: "name", flag: "name", help: "the reason", isRequired: true },
  flags: [{ name: "json", help: "Print the result as JSON", isCliOnly: true }],
  examples: ['lostreason remove "Too expensive"'],
  schema: nameSchema,
  run: removeReason,
});
