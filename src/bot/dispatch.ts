// Routes what a person did (typed a command, pressed a button, submitted a form) to the handler for it.
// Both the Slack and the Teams adapter call these functions; nothing here knows either platform.
import { emailMeetingIcs } from "../handlers/meetings/email-ics.js";
import { parseCallReference } from "../domain/calls.js";
import { parseCaseReference } from "../domain/cases.js";
import { callFormFromMessage, editCallForm, followUpCallForm, newCallForm } from "../handlers/call-forms.js";
import { cancelCall } from "../handlers/calls/cancel-call.js";
import { convertCallToOpportunity } from "../handlers/calls/call-to-opportunity.js";
import { markVoicemail, openHeldForm, submitHeldForm } from "../handlers/calls/mark-held.js";
import type { Deps } from "../handlers/deps.js";
import { runAdminCommand } from "../handlers/admin/index.js";
import { assignCaseToMe, openReassignForm, submitReassign } from "../handlers/cases/assign-case.js";
import { caseFormFromMessage, newCaseForm } from "../handlers/cases/case-forms.js";
import { openTypeForm, submitType } from "../handlers/cases/change-type.js";
import { openCloseForm, reopenCase, submitClose } from "../handlers/cases/close-case.js";
import { openEditForm, submitEdit } from "../handlers/cases/edit-case.js";
import { myOpenCasesView } from "../handlers/cases/list-cases.js";
import { openNoteForm, submitNote } from "../handlers/cases/note-case.js";
import { quickOpenCase, quickOpenCaseWithPartner, submitCaseForm } from "../handlers/cases/open-case.js";
import { showCase } from "../handlers/cases/show-case.js";
import { openStageForm, submitStage } from "../handlers/cases/stage-case.js";
import { openAddWatcherForm, submitAddWatcher, unwatchCase, watchCase } from "../handlers/cases/watchers.js";
import { searchUsers } from "../handlers/search-users.js";
import { openEmailForm, submitEmailForm } from "../handlers/mail/reply-by-email.js";
import { EMAIL_REPLY_FORM_ID } from "./views/email-forms.js";
import { escalateCaseAction } from "../handlers/cases/escalate-case.js";
import { CASE_TIME_FORM_ID, logTimeForm, submitCaseTime } from "../handlers/cases/log-time.js";
import { myCallsView } from "../handlers/list-calls.js";
import { quickLogCall, quickLogCallWithPartner, submitCallForm } from "../handlers/log-call.js";
import { retryUndelivered } from "../handlers/outbox-admin.js";
import type { ActorUser, Who } from "../handlers/resolve-actor.js";
import { searchPartners } from "../handlers/resolve-partner.js";
import { showCall } from "../handlers/show-call.js";
import { whoami } from "../handlers/whoami.js";
import type { FileSource } from "../handlers/claims/attachments.js";
import { assignClaimToMe, markRepairDone, reopenClaim, startClaim, submitClaimNote, submitCloseClaim, submitReassign as submitClaimReassign, submitRepair, submitRootCause } from "../handlers/claims/claim-actions.js";
import { claimButtonForm, claimFormFromMessage, newClaimForm } from "../handlers/claims/claim-forms.js";
import { myClaimsView } from "../handlers/claims/list-claims.js";
import { quickOpenClaim, quickOpenClaimWithPartner, submitClaimForm } from "../handlers/claims/open-claim.js";
import { showClaim } from "../handlers/claims/show-claim.js";
import { openConvertForm, submitConvert } from "../handlers/leads/convert-lead.js";
import { LEAD_CONVERT_FORM_ID } from "./views/lead-convert-form.js";
import { leadFormFromMessage, newLeadForm, quickCaptureLead, submitLeadForm } from "../handlers/leads/capture-lead.js";
import { myLeads, myOpenOpportunityCount, searchOpportunities, showLead } from "../handlers/leads/show-lead.js";
import { parseLeadReference } from "../domain/leads.js";
import { LEAD_FORM_ID } from "./views/lead-forms.js";
import { mergeFormFromCommand, openMergeForm, submitMergeRequest } from "../handlers/leads/request-merge.js";
import { approveMerge, openRejectForm, submitReject, withdrawMerge } from "../handlers/leads/decide-merge.js";
import { MERGE_REJECT_FORM_ID, MERGE_REQUEST_FORM_ID } from "./views/merge-views.js";
import { openLeadStageForm, submitLeadStage } from "../handlers/leads/move-stage.js";
import { winLead } from "../handlers/leads/win-lead.js";
import { openLostForm, submitLost } from "../handlers/leads/lose-lead.js";
import { restoreLead } from "../handlers/leads/restore-lead.js";
import { snoozeLead } from "../handlers/leads/snooze-lead.js";
import { scheduleLeadCall } from "../handlers/leads/schedule-call.js";
import { openLeadEditForm, submitLeadEdit } from "../handlers/leads/edit-lead.js";
import { showPipeline } from "../handlers/leads/show-pipeline.js";
import { LEAD_EDIT_FORM_ID, LEAD_LOST_FORM_ID, LEAD_STAGE_FORM_ID } from "./views/lead-pipeline-forms.js";
import { openClaimEditForm, submitClaimEdit } from "../handlers/claims/edit-claim.js";
import { openAddClaimWatcherForm, submitAddClaimWatcher, unwatchClaim, watchClaim } from "../handlers/claims/watchers.js";
import { listCustomerCalls, listCustomerCases, listCustomerClaims, showCustomer, showCustomerById } from "../handlers/show-customer.js";
import { parseClaimReference } from "../domain/claims.js";
import { CLAIM_CLOSE_FORM_ID, CLAIM_FORM_ID, CLAIM_NOTE_FORM_ID, CLAIM_REASSIGN_FORM_ID, CLAIM_REPAIR_FORM_ID, CLAIM_ROOT_CAUSE_FORM_ID, CLAIM_EDIT_FORM_ID, CLAIM_WATCHER_FORM_ID } from "./views/claim-forms.js";
import type { Actor } from "../domain/policy.js";
import { parseCommand } from "./commands.js";
import { CALL_FORM_ID, CALL_HELD_FORM_ID } from "./views/calls.js";
import { CASE_CLOSE_FORM_ID, CASE_EDIT_FORM_ID, CASE_FORM_ID, CASE_NOTE_FORM_ID, CASE_REASSIGN_FORM_ID, CASE_STAGE_FORM_ID, CASE_TYPE_FORM_ID, CASE_WATCHER_FORM_ID } from "./views/case-forms.js";
import { helpView } from "./views/help.js";
import { CALENDAR_NEW_LINK, CALENDAR_TURN_OFF, MEETING_IMPORT_FORM_ID, MEETING_IMPORT_FROM_MESSAGE } from "./views/calendar-feed.js";
import { renewCalendarFeed, showCalendarFeed, turnOffCalendarFeed } from "../handlers/meetings/calendar-feed.js";
import { importCalendarFromUrl, importFormFromMessage, submitImportForm } from "../handlers/meetings/import-calendar.js";
import { notice, privateMessage, type MessageView, type Reply } from "./views/view.js";
import { snoozeReminder } from "../handlers/meetings/snooze-reminder.js";
import { showAgenda, nextMeetingsSection } from "../handlers/meetings/agenda.js";
import { answerInvitation } from "../handlers/meetings/answer-invitation.js";
import { openCancelForm, submitCancel } from "../handlers/meetings/cancel-meeting.js";
import { quickMeeting, submitMeetingForm } from "../handlers/meetings/create-meeting.js";
import { openMeetingEditForm } from "../handlers/meetings/edit-meeting.js";
import { meetingFormFor, newMeetingForm } from "../handlers/meetings/meeting-forms.js";
import { showMeeting, showMeetingOccurrence } from "../handlers/meetings/show-meeting.js";
import { MEETING_CANCEL_FORM_ID, MEETING_FORM_ID } from "./views/meeting-forms.js";
import { addExampleRule, askDeleteRule, deleteRule, showRules, toggleRule } from "../handlers/automation/manage-rules.js";
import { openEditRuleForm, openNewRuleForm, submitRuleForm } from "../handlers/automation/rule-form.js";
import { openDryRunForm, submitDryRunForm } from "../handlers/automation/rule-dry-run.js";
import { RULE_DRY_RUN_FORM_ID, RULE_FORM_ID } from "./views/rule-forms.js";
import { RULE_BUTTONS } from "./views/rule-views.js";
import { parseContractReference } from "../domain/contracts.js";
import { newContractForm, openEditContract, submitContractForm, submitEditContract } from "../handlers/contracts/contract-form.js";
import { openLinkContract, submitLinkContract } from "../handlers/contracts/link-case.js";
import { closeContract, openRenewContract, submitRenewContract } from "../handlers/contracts/renew-contract.js";
import { showContract, showContracts, showPartnerContracts } from "../handlers/contracts/show-contracts.js";
import { CONTRACT_BUTTONS } from "./views/contract-card.js";
import { CASE_CONTRACT_FORM_ID, CASE_LINK_CONTRACT, CONTRACT_EDIT_FORM_ID, CONTRACT_FORM_ID, CONTRACT_RENEW_FORM_ID } from "./views/contract-forms.js";
import { CATEGORY_BUTTONS, reevaluateCategoryNow, runCategoryCommand, showCategoryById } from "../handlers/segments/category-command.js";
import { CATEGORY_FORM_ID, openCriteriaForm, submitCriteriaForm } from "../handlers/segments/category-form.js";
import { runVisitsCommand, openVisitPlanForm, showVisitPlans, submitVisitPlanForm } from "../handlers/visits/plan-visits.js";
import { askSwitchOff, cancelLeftSeries, confirmSwitchOff, keepLeftSeries, keepPlanOn } from "../handlers/visits/cancel-visits.js";
import { VISIT_PLAN_FORM_ID } from "./views/visit-forms.js";
import { VISIT_BUTTONS } from "./views/visit-views.js";
import { CAMPAIGN_BUTTONS, closeCampaignButton, reopenCampaignButton, showCampaignByName, showCampaigns } from "../handlers/channels/campaign-command.js";
import { CAMPAIGN_FORM_ID, openEditCampaignForm, openNewCampaignForm, submitCampaignForm } from "../handlers/channels/campaign-form.js";
import { CHANNEL_BUTTONS, runChannelsCommand, switchChannelButton } from "../handlers/channels/channel-command.js";

export type { Who };

/** How commands are written on this surface: "/crm " on Slack, "" on Teams. */
export interface Surface {
  commandPrefix: string;
}

export async function runCommand(deps: Deps, who: Who, text: string, surface: Surface): Promise<Reply> {
  const parsed = parseCommand(text);
  const isAdmin = who.actor.role === "admin";
  if (!parsed.ok) return privateMessage(helpView(surface.commandPrefix, { isAdmin, unknown: parsed.unknown, suggestion: parsed.suggestion }));
  switch (parsed.name) {
    case "help":
      return privateMessage(helpView(surface.commandPrefix, { isAdmin }));
    case "whoami":
      return privateMessage(await whoami(deps, who.user));
    case "call": {
      if (!parsed.args) return newCallForm(deps, who.user);
      const number = parseCallReference(parsed.args);
      if (number !== undefined) return showCallByNumber(deps, who, number);
      return quickLogCall(deps, who.actor, who.user, parsed.args);
    }
    case "calls":
      return privateMessage(await myCallsView(deps, who.user));
    case "case": {
      if (!parsed.args) return newCaseForm(deps, who.user);
      const number = parseCaseReference(parsed.args);
      if (number !== undefined) return showCase(deps, who.actor, who.user, number);
      return quickOpenCase(deps, who.actor, who.user, parsed.args);
    }
    case "cases":
      return privateMessage(await myOpenCasesView(deps, who.user));
    case "claim": {
      if (!parsed.args) return newClaimForm(deps, who);
      const number = parseClaimReference(parsed.args);
      if (number !== undefined) return showClaim(deps, who, { number });
      return quickOpenClaim(deps, who, parsed.args);
    }
    case "claims":
      return privateMessage(await myClaimsView(deps, who));
    case "customer":
      return showCustomer(deps, who, parsed.args);
    case "lead":
    case "opp": {
      const number = parseLeadReference(parsed.args);
      if (number !== undefined) return showLead(deps, who, number);
      if (!parsed.args) return parsed.name === "lead" ? newLeadForm(deps, who) : privateMessage(await myLeads(deps, who.user));
      return parsed.name === "lead" ? quickCaptureLead(deps, who, parsed.args) : searchOpportunities(deps, who, parsed.args);
    }
    case "leads":
      return privateMessage(await myLeads(deps, who.user));
    case "merge":
      return mergeFormFromCommand(deps, who, parsed.args);
    case "pipeline":
      return showPipeline(deps, who, parsed.args);
    case "calendar":
      return showCalendarFeed(deps, who);
    case "meet":
      if (/^import(\s|$)/i.test(parsed.args)) return importCalendarFromUrl(deps, who, parsed.args.slice("import".length));
      return parsed.args ? quickMeeting(deps, who, parsed.args) : newMeetingForm(deps, who);
    case "meeting":
      return parsed.args ? showMeeting(deps, who, parsed.args) : newMeetingForm(deps, who);
    case "agenda":
      return showAgenda(deps, who, parsed.args);
    case "contract": {
      if (!parsed.args) return newContractForm(deps, who);
      const number = parseContractReference(parsed.args);
      return number !== undefined ? showContract(deps, who, number) : showContracts(deps, who, parsed.args);
    }
    case "rules":
      return showRules(deps, who);
    case "category":
      return runCategoryCommand(deps, who, parsed.args, surface.commandPrefix);
    case "visits":
      return runVisitsCommand(deps, who, parsed.args);
    case "campaigns":
      return showCampaigns(deps, who, surface.commandPrefix);
    case "campaign":
      return showCampaignByName(deps, who, parsed.args, surface.commandPrefix);
    case "channels":
      return runChannelsCommand(deps, who, parsed.args, surface.commandPrefix);
    case "admin":
      return runAdminCommand(deps, who, parsed.args, { prefix: surface.commandPrefix });
    default:
      return privateMessage(helpView(surface.commandPrefix, { isAdmin }));
  }
}

/** What a button does; `value` is the button's opaque argument. */
type ButtonHandler = (deps: Deps, who: Who, value: string) => Promise<Reply>;

/** Card buttons (calls, cases, claims) and the partner card's lists. */
const BUTTONS = new Map<string, ButtonHandler>([
  ["call.edit", (deps, who, value) => editCallForm(deps, who.actor, who.user, value)],
  ["call.follow-up", (deps, who, value) => followUpCallForm(deps, who.actor, who.user, value)],
  ["call.held", openHeldForm],
  ["call.voicemail", markVoicemail],
  ["call.cancel", cancelCall],
  ["call.to-opportunity", convertCallToOpportunity],
  ["call.quick-with-partner", (deps, who, value) => quickLogCallWithPartner(deps, who.actor, who.user, value)],
  ["call.quick-create-partner", (deps, who, value) => quickLogCall(deps, who.actor, who.user, value, { createPartner: true })],
  ["case.escalate", escalateCaseAction],
  ["case.log-time", logTimeForm],
  ["case.open", (deps, who, value) => showCase(deps, who.actor, who.user, value)],
  ["case.assign-me", assignCaseToMe],
  ["case.reassign", openReassignForm],
  ["case.stage", openStageForm],
  ["case.change-type", openTypeForm],
  ["case.edit", openEditForm],
  ["case.note", openNoteForm],
  ["case.email", (deps, who, value) => openEmailForm(deps, who, "case", value)],
  ["case.close", openCloseForm],
  ["case.reopen", reopenCase],
  ["case.watch", watchCase],
  ["case.unwatch", unwatchCase],
  ["case.add-watcher", openAddWatcherForm],
  ["case.quick-with-partner", (deps, who, value) => quickOpenCaseWithPartner(deps, who.actor, who.user, value)],
  ["case.quick-create-partner", (deps, who, value) => quickOpenCase(deps, who.actor, who.user, value, { createPartner: true })],
  ["reminder.snooze", snoozeReminder],
  ["meeting.email-ics", emailMeetingIcs],
  ["meeting.new-for", meetingFormFor],
  ["meeting.answer", answerInvitation],
  ["meeting.edit", openMeetingEditForm],
  ["meeting.cancel", openCancelForm],
  ["meeting.show", showMeetingOccurrence],
  ["meeting.quick-anyway", (deps, who, value) => quickMeeting(deps, who, value, { force: true })],
  [CALENDAR_NEW_LINK, renewCalendarFeed],
  [CALENDAR_TURN_OFF, turnOffCalendarFeed],
  ["outbox.retry", (deps, who, value) => retryUndelivered(deps, who.actor, value)],
  ["claim.show", (deps, who, value) => showClaim(deps, who, { id: value })],
  ["claim.assign-me", assignClaimToMe],
  ["claim.start", startClaim],
  ["claim.reopen", reopenClaim],
  ["claim.repair-done", markRepairDone],
  ["claim.note", (deps, who, value) => claimButtonForm(deps, who, "note", value)],
  ["claim.email", (deps, who, value) => openEmailForm(deps, who, "claim", value)],
  ["claim.root-cause", (deps, who, value) => claimButtonForm(deps, who, "root-cause", value)],
  ["claim.repair", (deps, who, value) => claimButtonForm(deps, who, "repair", value)],
  ["claim.close", (deps, who, value) => claimButtonForm(deps, who, "close", value)],
  ["claim.reassign", (deps, who, value) => claimButtonForm(deps, who, "reassign", value)],
  ["claim.edit", openClaimEditForm],
  ["claim.watch", watchClaim],
  ["claim.unwatch", unwatchClaim],
  ["claim.add-watcher", openAddClaimWatcherForm],
  ["claim.quick-with-partner", quickOpenClaimWithPartner],
  ["claim.quick-create-partner", (deps, who, value) => quickOpenClaim(deps, who, value, { createPartner: true })],
  ["lead.convert", openConvertForm],
  ["lead.open", (deps, who, value) => showLead(deps, who, value)],
  ["lead.merge", openMergeForm],
  ["lead.stage", openLeadStageForm],
  ["lead.won", winLead],
  ["lead.lost", openLostForm],
  ["lead.restore", restoreLead],
  ["lead.snooze", snoozeLead],
  ["lead.call", scheduleLeadCall],
  ["lead.edit", openLeadEditForm],
  ["lead.email", (deps, who, value) => openEmailForm(deps, who, "lead", value)],
  ["merge.approve", approveMerge],
  ["merge.reject", openRejectForm],
  ["merge.cancel", withdrawMerge],
  ["customer.show", showCustomerById],
  ["customer.cases", listCustomerCases],
  ["customer.claims", listCustomerClaims],
  ["customer.calls", listCustomerCalls],
  [CONTRACT_BUTTONS.show, (deps, who, value) => showContract(deps, who, value)],
  [CONTRACT_BUTTONS.partner, showPartnerContracts],
  [CONTRACT_BUTTONS.newFor, (deps, who, value) => newContractForm(deps, who, value)],
  [CONTRACT_BUTTONS.renew, openRenewContract],
  [CONTRACT_BUTTONS.edit, openEditContract],
  [CONTRACT_BUTTONS.close, closeContract],
  [CASE_LINK_CONTRACT, openLinkContract],
  [RULE_BUTTONS.list, showRules],
  [RULE_BUTTONS.create, (deps, who) => openNewRuleForm(deps, who)],
  [RULE_BUTTONS.edit, openEditRuleForm],
  [RULE_BUTTONS.toggle, toggleRule],
  [RULE_BUTTONS.dryRun, openDryRunForm],
  [RULE_BUTTONS.delete, askDeleteRule],
  [RULE_BUTTONS.confirmDelete, deleteRule],
  [RULE_BUTTONS.addExample, addExampleRule],
  [CATEGORY_BUTTONS.show, showCategoryById],
  [CATEGORY_BUTTONS.edit, openCriteriaForm],
  [CATEGORY_BUTTONS.evaluate, reevaluateCategoryNow],
  [VISIT_BUTTONS.list, showVisitPlans],
  [VISIT_BUTTONS.create, (deps, who) => openVisitPlanForm(deps, who)],
  [VISIT_BUTTONS.switchOff, askSwitchOff],
  [VISIT_BUTTONS.confirmOff, confirmSwitchOff],
  [VISIT_BUTTONS.keepOn, keepPlanOn],
  [VISIT_BUTTONS.cancelSeries, cancelLeftSeries],
  [VISIT_BUTTONS.keepSeries, keepLeftSeries],
  [CAMPAIGN_BUTTONS.create, (deps, who) => openNewCampaignForm(deps, who)],
  [CAMPAIGN_BUTTONS.edit, openEditCampaignForm],
  [CAMPAIGN_BUTTONS.close, closeCampaignButton],
  [CAMPAIGN_BUTTONS.reopen, reopenCampaignButton],
  [CHANNEL_BUTTONS.switchOff, switchChannelButton(false)],
  [CHANNEL_BUTTONS.switchOn, switchChannelButton(true)],
]);

/** A button press: `actionId` names the intent, `value` is the button's opaque argument. */
export async function runAction(deps: Deps, who: Who, actionId: string, value: string): Promise<Reply> {
  const handler = BUTTONS.get(actionId);
  if (!handler) return privateMessage(notice("That button is no longer supported. Run the command again."));
  return handler(deps, who, value);
}

/** `files` turns a form's file references (claims opened from a message) into downloads; given by the platform adapter. */
export async function submitForm(deps: Deps, who: Who, formId: string, values: Record<string, unknown>, context: Record<string, string>, files?: FileSource): Promise<Reply> {
  switch (formId) {
    case CLAIM_FORM_ID:
      return submitClaimForm(deps, who, values, context, files);
    case CLAIM_NOTE_FORM_ID:
      return submitClaimNote(deps, who, values, context);
    case CLAIM_ROOT_CAUSE_FORM_ID:
      return submitRootCause(deps, who, values, context);
    case CLAIM_REPAIR_FORM_ID:
      return submitRepair(deps, who, values, context);
    case CLAIM_CLOSE_FORM_ID:
      return submitCloseClaim(deps, who, values, context);
    case CLAIM_REASSIGN_FORM_ID:
      return submitClaimReassign(deps, who, values, context);
    case CLAIM_EDIT_FORM_ID:
      return submitClaimEdit(deps, who, values, context);
    case CLAIM_WATCHER_FORM_ID:
      return submitAddClaimWatcher(deps, who, values, context);
    case CALL_FORM_ID:
      return submitCallForm(deps, who.actor, who.user, values, context);
    case CALL_HELD_FORM_ID:
      return submitHeldForm(deps, who, values, context);
    case CASE_TIME_FORM_ID:
      return submitCaseTime(deps, who, values, context);
    case LEAD_FORM_ID:
      return submitLeadForm(deps, who, values, context);
    case MERGE_REQUEST_FORM_ID:
      return submitMergeRequest(deps, who, values);
    case MERGE_REJECT_FORM_ID:
      return submitReject(deps, who, values, context);
    case CASE_FORM_ID:
      return submitCaseForm(deps, who.actor, who.user, values, context);
    case CASE_NOTE_FORM_ID:
      return submitNote(deps, who, values, context);
    case EMAIL_REPLY_FORM_ID:
      return submitEmailForm(deps, who, values, context);
    case CASE_CLOSE_FORM_ID:
      return submitClose(deps, who, values, context);
    case CASE_STAGE_FORM_ID:
      return submitStage(deps, who, values, context);
    case CASE_REASSIGN_FORM_ID:
      return submitReassign(deps, who, values, context);
    case CASE_TYPE_FORM_ID:
      return submitType(deps, who, values, context);
    case CASE_EDIT_FORM_ID:
      return submitEdit(deps, who, values, context);
    case CASE_WATCHER_FORM_ID:
      return submitAddWatcher(deps, who, values, context);
    case LEAD_CONVERT_FORM_ID:
      return submitConvert(deps, who, values, context);
    case LEAD_STAGE_FORM_ID:
      return submitLeadStage(deps, who, values, context);
    case LEAD_LOST_FORM_ID:
      return submitLost(deps, who, values, context);
    case LEAD_EDIT_FORM_ID:
      return submitLeadEdit(deps, who, values, context);
    case MEETING_FORM_ID:
      return submitMeetingForm(deps, who, values, context);
    case MEETING_CANCEL_FORM_ID:
      return submitCancel(deps, who, values, context);
    case MEETING_IMPORT_FORM_ID:
      return submitImportForm(deps, who, context, files);
    case CONTRACT_FORM_ID:
      return submitContractForm(deps, who, values, context);
    case CONTRACT_EDIT_FORM_ID:
      return submitEditContract(deps, who, values, context);
    case CONTRACT_RENEW_FORM_ID:
      return submitRenewContract(deps, who, values, context);
    case CASE_CONTRACT_FORM_ID:
      return submitLinkContract(deps, who, values, context);
    case RULE_FORM_ID:
      return submitRuleForm(deps, who, values, context);
    case RULE_DRY_RUN_FORM_ID:
      return submitDryRunForm(deps, who, values, context);
    case CATEGORY_FORM_ID:
      return submitCriteriaForm(deps, who, values, context);
    case VISIT_PLAN_FORM_ID:
      return submitVisitPlanForm(deps, who, values);
    case CAMPAIGN_FORM_ID:
      return submitCampaignForm(deps, who, values, context);
    default:
      return privateMessage(notice("That form is no longer supported. Open it again."));
  }
}

/** Message shortcut (Slack) / message action (Teams) on a chat message. */
export async function formFromMessage(deps: Deps, who: Who, shortcutId: string, message: { text: string; link?: string; channel?: string; ts?: string; files?: string }): Promise<Reply> {
  if (shortcutId === "call.from-message") return callFormFromMessage(deps, who.user, message);
  if (shortcutId === "case.from-message") return caseFormFromMessage(deps, who.user, message);
  if (shortcutId === "claim.from-message") return claimFormFromMessage(deps, who, message);
  if (shortcutId === "lead.from-message") return leadFormFromMessage(deps, who, message);
  if (shortcutId === MEETING_IMPORT_FROM_MESSAGE) return importFormFromMessage(deps, who, message);
  return privateMessage(notice("That shortcut is not supported."));
}

/** Type-ahead options for a form's search field. */
export async function searchOptions(deps: Deps, _who: Who, source: string, query: string): Promise<{ value: string; label: string }[]> {
  if (source === "partners") return searchPartners(deps, query);
  if (source === "users") return searchUsers(deps, query);
  return [];
}

/** App Home (Slack) / the personal "home" answer on Teams: the person's own open work. */
export async function homeView(deps: Deps, who: Who): Promise<MessageView> {
  const calls = await myCallsView(deps, who.user);
  const cases = await myOpenCasesView(deps, who.user);
  const claims = await myClaimsView(deps, who);
  const opportunities = await myOpenOpportunityCount(deps, who.user);
  const oppLine = `Your open opportunities: ${opportunities}`;
  const meetings = await nextMeetingsSection(deps, who);
  return {
    text: `Switchboard — ${meetings.text}; ${calls.text}; ${cases.text}; ${claims.text}; ${oppLine}`,
    blocks: [
      { type: "header", text: `Hello ${who.user.name}` },
      ...meetings.blocks,
      { type: "divider" },
      ...calls.blocks,
      { type: "divider" },
      ...cases.blocks,
      { type: "divider" },
      ...claims.blocks,
      { type: "divider" },
      { type: "text", text: `*${oppLine}* — list them with \`/crm leads\`.` },
    ],
  };
}

function showCallByNumber(deps: Deps, who: Who, number: number): Promise<Reply> {
  return showCall(deps, who.actor, who.user, number);
}
