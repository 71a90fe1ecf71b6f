// Opening the meeting form: blank (`/crm meet`), or from an opportunity, case or call card ("Schedule meeting").
import { meetingForm, type MeetingFormInput, type MeetingFormPrefill } from "../../bot/views/meeting-forms.js";
import { notice, openForm, privateMessage, type Form, type Reply } from "../../bot/views/view.js";
import type { Deps } from "../deps.js";
import type { Who } from "../resolve-actor.js";
import { titleFor } from "./meeting-links.js";

export interface MeetingPrefill {
  partnerId?: string;
  leadId?: string;
  caseId?: string;
  callId?: string;
  title?: string;
  attendeeUserIds?: string[];
}

export async function newMeetingForm(deps: Deps, who: Who, prefill: MeetingPrefill = {}): Promise<Reply> {
  const context: Record<string, string> = {};
  if (prefill.leadId) context.leadId = prefill.leadId;
  else if (prefill.caseId) context.caseId = prefill.caseId;
  else if (prefill.callId) context.callId = prefill.callId;
  const partner = prefill.partnerId ? await deps.db.partner.findUnique({ where: { id: prefill.partnerId }, select: { id: true, name: true } }) : null;
  const people = prefill.attendeeUserIds?.length
    ? await deps.db.user.findMany({ where: { id: { in: prefill.attendeeUserIds }, isActive: true }, select: { email: true } })
    : [];
  return openForm(
    meetingForm(who.user.timeZone, deps.now(), {
      title: prefill.title,
      partner: partner ? { value: partner.id, label: partner.name } : undefined,
      people: people.map((p) => p.email).join(", ") || undefined,
      context,
    }),
  );
}

/** The "Schedule meeting" button: value "lead:<id>", "case:<id>" or "call:<id>". */
export async function meetingFormFor(deps: Deps, who: Who, value: string): Promise<Reply> {
  const [kind, id] = value.split(":");
  if ((kind !== "lead" && kind !== "case" && kind !== "call") || !id) return privateMessage(notice("That button is out of date. Open the card again."));
  const about = await titleFor(deps.db, kind, id);
  if (!about) return privateMessage(notice(`That ${kind === "lead" ? "opportunity" : kind} no longer exists.`));
  const partnerId = about.partner?.value;
  return newMeetingForm(deps, who, { title: about.title, partnerId, ...(kind === "lead" ? { leadId: id } : kind === "case" ? { caseId: id } : { callId: id }) });
}

/** Every field the form can show (scope, "schedule anyway"): submitted values are read against this one. */
export function allFieldsForm(who: Who, now: Date): Form<ReturnType<typeof meetingForm>["schema"]> {
  return meetingForm(who.user.timeZone, now, { clash: "-", askScope: true });
}

/** The same form again, with what was typed, a warning naming the clash and the "Schedule anyway" box. */
export async function clashForm(deps: Deps, who: Who, input: MeetingFormInput, values: Record<string, unknown>, context: Record<string, string>, clash: string, extra: MeetingFormPrefill = {}): Promise<Form> {
  const partner = input.partner && /^[0-9a-f-]{36}$/i.test(input.partner) ? await deps.db.partner.findUnique({ where: { id: input.partner }, select: { id: true, name: true } }) : null;
  const form = meetingForm(who.user.timeZone, deps.now(), { ...extra, context, clash });
  return refill(form, values, partner ? { value: partner.id, label: partner.name } : undefined);
}

export function refill(form: Form, values: Record<string, unknown>, partner?: { value: string; label: string }): Form {
  return {
    ...form,
    fields: form.fields.map((f) => {
      const v = values[f.id];
      if (f.id === "ignoreClashes" || v === undefined || v === null || v === "") return f;
      if (f.kind === "search") return partner ? { ...f, initial: partner.value, options: [partner] } : f;
      return { ...f, initial: String(v) };
    }),
  };
}
