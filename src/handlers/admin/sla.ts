// `admin sla set|list`: service levels per team and priority (first response and resolution times).
import { z } from "zod";
import type { MessageView } from "../../bot/views/view.js";
import { CLEAR_WORD } from "../../domain/admin-rules.js";
import { CASE_PRIORITIES, priorityLabel, type CasePriority } from "../../domain/cases.js";
import { policy, type Actor } from "../../domain/policy.js";
import { formatDuration, parseDuration } from "../../domain/sla.js";
import type { Deps } from "../deps.js";
import { recordAdminChange } from "./audit.js";
import { defineCommand, quoted, refuse, type AdminContext, type AdminResult } from "./command.js";
import { findTeam } from "./lookup.js";

/** "30m", "4h", "2d", "1h30m" → minutes; "none" → null (no target). */
function durationArg(flag: string) {
  return z.string().transform((v, ctx): number | null => {
    if (v.trim().toLowerCase() === CLEAR_WORD) return null;
    const minutes = parseDuration(v);
    if (minutes === undefined) {
      ctx.addIssue({ code: "custom", message: `${flag} must be a duration like 30m, 4h, 2d or 1h30m (at most 365d), or none` });
      return z.NEVER;
    }
    return minutes;
  });
}

const setSchema = z
  .object({
    team: z.string({ error: "the team is required, e.g. sla set Support --priority high --first-response 1h" }).trim().min(1),
    priority: z.enum(CASE_PRIORITIES as [CasePriority, ...CasePriority[]], { error: `--priority is required and must be one of ${CASE_PRIORITIES.join(", ")}` }),
    "first-response": durationArg("--first-response").optional(),
    resolution: durationArg("--resolution").optional(),
  })
  .refine((v) => v["first-response"] !== undefined || v.resolution !== undefined, { error: "give --first-response and/or --resolution (a duration like 4h, or none)" });

async function setSla(deps: Deps, actor: Actor, input: z.output<typeof setSchema>, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  const team = await findTeam(deps.db, input.team);
  if (!team.ok) return refuse(team.message);
  const change = {
    ...(input["first-response"] !== undefined ? { firstResponseMinutes: input["first-response"] } : {}),
    ...(input.resolution !== undefined ? { resolutionMinutes: input.resolution } : {}),
  };
  const saved = await deps.db.$transaction(async (tx) => {
    const row = await tx.slaPolicy.upsert({
      where: { teamId_priority: { teamId: team.value.id, priority: input.priority } },
      create: { teamId: team.value.id, priority: input.priority, firstResponseMinutes: null, resolutionMinutes: null, ...change },
      update: change,
    });
    await recordAdminChange(tx, actor, { type: "team", id: team.value.id }, `SLA for ${priorityLabel(input.priority)} cases of ${team.value.name}: ${describe(row)}`, {
      priority: input.priority,
      firstResponseMinutes: row.firstResponseMinutes,
      resolutionMinutes: row.resolutionMinutes,
    });
    return row;
  });
  const text = `SLA for ${priorityLabel(input.priority).toLowerCase()} priority cases of ${team.value.name}: ${describe(saved)}.`;
  const view: MessageView = {
    text,
    blocks: [
      { type: "text", text },
      { type: "context", text: `Applies to new cases, and to open cases when their team, priority or stage next changes. List: ${ctx.invocation} sla list` },
    ],
  };
  return { ok: true, view, data: { team: team.value.name, priority: saved.priority, firstResponseMinutes: saved.firstResponseMinutes, resolutionMinutes: saved.resolutionMinutes } };
}

function describe(p: { firstResponseMinutes: number | null; resolutionMinutes: number | null }): string {
  return `first response ${formatDuration(p.firstResponseMinutes)}, resolution ${formatDuration(p.resolutionMinutes)}`;
}

const listSchema = z.object({ team: z.string().trim().min(1).optional() });

async function listSla(deps: Deps, actor: Actor, input: z.output<typeof listSchema>, ctx: AdminContext): Promise<AdminResult> {
  const allowed = policy.administer(actor);
  if (!allowed.ok) return refuse(allowed.reason);
  let teamId: string | undefined;
  if (input.team) {
    const team = await findTeam(deps.db, input.team);
    if (!team.ok) return refuse(team.message);
    teamId = team.value.id;
  }
  const rows = await deps.db.slaPolicy.findMany({ where: teamId ? { teamId } : {}, include: { team: { select: { name: true } } } });
  rows.sort((a, b) => a.team.name.localeCompare(b.team.name) || CASE_PRIORITIES.indexOf(b.priority) - CASE_PRIORITIES.indexOf(a.priority));
  const data = rows.map((r) => ({ team: r.team.name, priority: r.priority, firstResponseMinutes: r.firstResponseMinutes, resolutionMinutes: r.resolutionMinutes }));
  if (!rows.length) {
    const example = `${ctx.invocation} sla set ${quoted("Support")} --priority high --first-response 1h --resolution 8h`;
    return { ok: true, view: { text: "No SLA policies yet.", blocks: [{ type: "text", text: `No SLA policies yet: add one with \`${example}\`.` }] }, data };
  }
  return {
    ok: true,
    view: {
      text: `${rows.length} SLA policies`,
      blocks: [
        { type: "header", text: "SLA policies" },
        { type: "fields", fields: rows.map((r) => ({ label: `${r.team.name} · ${priorityLabel(r.priority)}`, value: describe(r) })) },
      ],
    },
    data,
  };
}

export const setSlaCommand = defineCommand({
  path: "sla set",
  summary: "Set the first-response and resolution times for a team's cases of one priority",
  positional: { name: "team", flag: "team", help: "the team's name (or --team)" },
  flags: [
    { name: "team", value: "team", help: "The team, e.g. Support" },
    { name: "priority", value: "priority", help: `The case priority: ${CASE_PRIORITIES.join(", ")}`, isRequired: true },
    { name: "first-response", value: "duration", help: "Time to the first response, e.g. 30m, 4h, 2d; none for no target" },
    { name: "resolution", value: "duration", help: "Time to resolution, e.g. 8h, 3d; none for no target" },
    { name: "json", help: "Print the policy as JSON", isCliOnly: true },
  ],
  examples: ["sla set Support --priority high --first-response 1h --resolution 8h", "sla set Support --priority low --resolution none"],
  schema: setSchema,
  run: setSla,
});

export const listSlaCommand = defineCommand({
  path: "sla list",
  isNounDefault: true,
  summary: "List the SLA policies per team and priority",
  flags: [
    { name: "team", value: "team", help: "Only this team" },
    { name: "json", help: "Print the policies as JSON", isCliOnly: true },
  ],
  examples: ["sla list", "sla list --team Support"],
  schema: listSchema,
  run: listSla,
});
