// Time entries on a case (OpenERP case activities): the "Log time" button opens the form; its submit stores a CaseActivity.
import { CASE_TIME_FORM_ID, caseTimeForm, type CaseTimeBounds } from "../../bot/views/case-time.js";
import { parseForm } from "../../bot/views/form-values.js";
import { notice, openForm, privateMessage, type Reply } from "../../bot/views/view.js";
import { caseReference } from "../../domain/cases.js";
import { policy } from "../../domain/policy.js";
import { formatDuration } from "../../domain/sla.js";
import { fromLocalInput, toLocalInput } from "../../domain/time.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { countBillableTime } from "../contracts/count-usage.js";
import { publishCaseCard } from "./case-notify.js";
import { cardViewWithLine } from "./escalate-case.js";
import { parseCaseButton } from "./load-case.js";
import { noteFirstResponse } from "./sla.js";

export { CASE_TIME_FORM_ID };

const caseFacts = { id: true, number: true, subject: true, version: true, teamId: true, assigneeId: true, isInternal: true, isOpen: true, isBillable: true, startAt: true, createdAt: true, plannedCloseAt: true } as const;

type CaseForTime = { id: string; number: number; subject: string; isBillable: boolean; startAt: Date | null; createdAt: Date; plannedCloseAt: Date | null };

/** Days are compared in the person's time zone: the case's first day, and today or the planned close day. */
export function timeBounds(c: Pick<CaseForTime, "startAt" | "createdAt" | "plannedCloseAt">, timeZone: string, now: Date): CaseTimeBounds {
  const day = (at: Date) => toLocalInput(at, timeZone).slice(0, 10);
  const today = day(now);
  const planned = c.plannedCloseAt ? day(c.plannedCloseAt) : undefined;
  const first = day(c.startAt && c.startAt < c.createdAt ? c.startAt : c.createdAt);
  return planned && planned < today ? { earliestDay: first, latestDay: planned, latestWhy: "planned-close" } : { earliestDay: first, latestDay: today, latestWhy: "today" };
}

function formFor(c: CaseForTime, timeZone: string, now: Date) {
  return caseTimeForm({
    caseId: c.id,
    reference: caseReference(c.number),
    subject: c.subject,
    timeZone,
    today: toLocalInput(now, timeZone).slice(0, 10),
    isBillable: c.isBillable,
    bounds: timeBounds(c, timeZone, now),
  });
}

/** The card's "Log time" button: value "<caseId>:<version>" (the version is not needed to add time). */
export async function logTimeForm(deps: Deps, who: Who, value: string): Promise<Reply> {
  const ref = parseCaseButton(value);
  if (!ref) return privateMessage(notice("That button is out of date. Open the case again with /crm case CASE-…"));
  const c = await deps.db.case.findUnique({ where: { id: ref.id }, select: caseFacts });
  if (!c) return privateMessage(notice("That case no longer exists."));
  const allowed = policy.logCaseTime(who.actor, c);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  return openForm(formFor(c, who.user.timeZone, deps.now()));
}

export async function submitCaseTime(deps: Deps, who: Who, values: Record<string, unknown>, context: Record<string, string>): Promise<Reply> {
  const c = context.caseId ? await deps.db.case.findUnique({ where: { id: context.caseId }, select: caseFacts }) : null;
  if (!c) return privateMessage(notice("That case no longer exists."));
  const allowed = policy.logCaseTime(who.actor, c);
  if (!allowed.ok) return privateMessage(notice(allowed.reason));
  const tz = who.user.timeZone;
  const parsed = parseForm(formFor(c, tz, deps.now()), values);
  if (!parsed.ok) return { kind: "errors", errors: parsed.errors };
  const input = parsed.value;
  const startAt = input.start ? fromLocalInput(`${input.date}T${input.start}`, tz) : undefined;
  const endAt = input.end ? fromLocalInput(`${input.date}T${input.end}`, tz) : startAt && new Date(startAt.getTime() + input.minutes * 60_000);
  const { total, usage } = await deps.db.$transaction(async (tx) => {
    await tx.caseActivity.create({
      data: {
        caseId: c.id,
        userId: who.user.id,
        date: input.date,
        startAt: startAt ?? null,
        endAt: endAt ?? null,
        minutes: input.minutes,
        description: input.description,
        isBillable: input.isBillable,
        category: input.category ?? null,
      },
    });
    // The card shows the total time: it changes, so the version moves on and the card is updated everywhere.
    await tx.case.update({ where: { id: c.id }, data: { version: { increment: 1 } } });
    await tx.timelineEntry.create({
      data: {
        recordType: "case",
        recordId: c.id,
        kind: "time",
        actorId: who.user.id,
        summary: `Logged ${formatDuration(input.minutes)} on ${input.date}${input.isBillable ? " (billable)" : ""}: ${input.description}`.slice(0, 500),
        data: { minutes: input.minutes, date: input.date, isBillable: input.isBillable, category: input.category ?? null },
      },
    });
    // Billable time counts against the case's contract, in this transaction (a prepaid contract may warn its salesperson).
    const usage = input.isBillable ? await countBillableTime(tx, deps, c.id, input.minutes, who.user.id) : undefined;
    await noteFirstResponse(tx, deps, c.id, who.user.id);
    await publishCaseCard(tx, deps, c.id);
    return { total: await tx.caseActivity.aggregate({ where: { caseId: c.id }, _sum: { minutes: true } }), usage };
  });
  const text = `Logged ${formatDuration(input.minutes)} on ${caseReference(c.number)} (total ${formatDuration(total._sum.minutes ?? 0)}).${usage ? ` ${usage}` : ""}`;
  return { kind: "done", view: await cardViewWithLine(deps, who, c.id, text) };
}
