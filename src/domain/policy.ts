// Who may do what: every action a person takes is checked here (and tested in test/unit/policy.test.ts).
export type Role = "admin" | "manager" | "agent";

export interface Actor {
  id: string;
  role: Role;
  /** Ids of the teams the person belongs to. */
  teamIds: string[];
  /** Ids of the teams the person manages. */
  managedTeamIds: string[];
}

export type Decision = { ok: true } | { ok: false; reason: string };

const allow: Decision = { ok: true };
const deny = (reason: string): Decision => ({ ok: false, reason });

export interface CallFacts {
  ownerId: string;
  /** Teams the owner belongs to: their managers may act on the call too. */
  ownerTeamIds: string[];
}

export interface CaseFacts {
  teamId: string;
  assigneeId: string | null;
  isInternal: boolean;
}

/** Members of the case's team, its manager and admins (the team's people), regardless of assignment. */
function isCaseTeamPerson(actor: Actor, c: CaseFacts): boolean {
  return actor.role === "admin" || actor.teamIds.includes(c.teamId) || actor.managedTeamIds.includes(c.teamId);
}

export interface ClaimFacts {
  kind: "customer" | "supplier";
  responsibleId: string | null;
  teamId: string | null;
}

export interface LeadFacts {
  salespersonId: string | null;
  teamId: string | null;
}

export interface MergeRequestFacts {
  teamId: string | null;
  /** The team's parent: its manager decides when the team's own manager asked (or the team has none). */
  parentTeamId?: string | null;
  requesterId: string;
}

export interface ContractFacts {
  salespersonId: string | null;
  teamId: string | null;
}

export interface MeetingFacts {
  organizerId: string;
  /** Colleagues invited (any answer). */
  attendeeUserIds: string[];
}

/** The record an email from chat is about, with the facts its own rules need. */
export type MailRecordFacts =
  | { kind: "case"; facts: CaseFacts }
  | { kind: "claim"; facts: ClaimFacts; purchasingTeamIds: string[] }
  | { kind: "lead"; facts: LeadFacts };

/** Not "forbidden" but "not found": a supplier claim's existence is not told to those who may not see it. */
export const CLAIM_NOT_FOUND = "There is no such claim, or it is a supplier claim only purchasing can see.";

export const policy = {
  /** Customer claims: anyone. Supplier claims: members of a purchasing team, managers and admins (issue 4). */
  openClaim(actor: Actor, kind: "customer" | "supplier", purchasingTeamIds: string[]): Decision {
    if (kind === "customer" || seesSupplierClaims(actor, purchasingTeamIds)) return allow;
    return deny("Only members of a purchasing team, managers and admins can open supplier claims.");
  },

  /** `purchasingTeamIds`: the ids of every team of kind purchasing. The responsible always sees their own claim. */
  viewClaim(actor: Actor, claim: ClaimFacts, purchasingTeamIds: string[]): Decision {
    if (claim.kind === "customer" || claim.responsibleId === actor.id || seesSupplierClaims(actor, purchasingTeamIds)) return allow;
    return deny(CLAIM_NOT_FOUND);
  },

  /** The responsible, members and the manager of the claim's team, and admins; anyone who may see an unrouted, unassigned claim. */
  changeClaim(actor: Actor, claim: ClaimFacts, purchasingTeamIds: string[]): Decision {
    const view = policy.viewClaim(actor, claim, purchasingTeamIds);
    if (!view.ok) return view;
    if (actor.role === "admin" || claim.responsibleId === actor.id) return allow;
    if (claim.teamId && (actor.teamIds.includes(claim.teamId) || actor.managedTeamIds.includes(claim.teamId))) return allow;
    if (!claim.teamId && !claim.responsibleId) return allow;
    return deny("Only the claim's responsible, its team and the team's manager (or an admin) can change this claim.");
  },

  logCall(_actor: Actor): Decision {
    return allow;
  },

  /** The owner, a manager of one of the owner's teams, or an admin may change a call. */
  editCall(actor: Actor, call: CallFacts): Decision {
    if (actor.role === "admin" || call.ownerId === actor.id) return allow;
    if (actor.role === "manager" && call.ownerTeamIds.some((t) => actor.managedTeamIds.includes(t))) return allow;
    return deny("Only the call's owner, their team's manager or an admin can change this call.");
  },

  viewCall(actor: Actor, call: CallFacts): Decision {
    return policy.editCall(actor, call).ok ? allow : deny("This call belongs to someone outside your teams.");
  },

  /** Setting up users, roles and teams. */
  administer(actor: Actor): Decision {
    return actor.role === "admin" ? allow : deny("Only an admin can set up users and teams. Ask an admin to run this, or to make you one.");
  },

  /**
   * Changing someone's role or deactivating them: an admin, but never on themselves, so nobody
   * locks themselves out by a slip in chat (another admin, or the command line, can do it).
   */
  changePerson(actor: Actor, person: { id: string }, change: { role?: Role; isActive?: boolean }): Decision {
    const administer = policy.administer(actor);
    if (!administer.ok || person.id !== actor.id) return administer;
    if (change.isActive === false) return deny("You cannot deactivate yourself. Ask another admin to do it.");
    if (change.role !== undefined && change.role !== "admin") return deny("You cannot take away your own admin role. Ask another admin to do it.");
    return allow;
  },

  openCase(_actor: Actor): Decision {
    return allow;
  },

  /** Anyone may see a case, except an internal one: only its team, the team's manager and admins. */
  viewCase(actor: Actor, c: CaseFacts): Decision {
    if (!c.isInternal || isCaseTeamPerson(actor, c) || c.assigneeId === actor.id) return allow;
    return deny("This is an internal case of another team; only that team's members, its manager and admins can see it.");
  },

  /** Editing, assigning to oneself, changing the stage, notes, closing and reopening. */
  editCase(actor: Actor, c: CaseFacts): Decision {
    if (isCaseTeamPerson(actor, c) || c.assigneeId === actor.id) return allow;
    return deny("Only members of the case's team, its assignee, the team's manager or an admin can change this case.");
  },

  /** Taking a case yourself ("Assign to me"). */
  assignCase(actor: Actor, c: CaseFacts): Decision {
    return policy.editCase(actor, c);
  },

  /** Giving the case to someone else: the team's people only (not a mere assignee), to an active user. */
  reassignCase(actor: Actor, c: CaseFacts, target: { id: string; isActive: boolean }): Decision {
    if (target.id === actor.id) return policy.assignCase(actor, c);
    if (!isCaseTeamPerson(actor, c)) return deny("Only members of the case's team, its manager or an admin can give this case to someone else.");
    if (!target.isActive) return deny("That person's account is deactivated; choose someone active.");
    return allow;
  },

  changeCaseStage(actor: Actor, c: CaseFacts): Decision {
    return policy.editCase(actor, c);
  },

  addCaseNote(actor: Actor, c: CaseFacts): Decision {
    return policy.editCase(actor, c);
  },

  closeCase(actor: Actor, c: CaseFacts): Decision {
    return policy.editCase(actor, c);
  },

  reopenCase(actor: Actor, c: CaseFacts): Decision {
    return policy.editCase(actor, c);
  },

  /** Escalate button: the case's team members, its assignee, the team's manager and admins. */
  escalateCase(actor: Actor, c: CaseFacts): Decision {
    if (isCaseTeamPerson(actor, c) || c.assigneeId === actor.id) return allow;
    return deny("Only members of the case's team, its assignee, the team's manager or an admin can escalate this case.");
  },

  /** Logging time on a case: the same people who may change it. */
  logCaseTime(actor: Actor, c: CaseFacts): Decision {
    return policy.editCase(actor, c);
  },

  /** Watching a case yourself: anyone who may see it. */
  watchCase(actor: Actor, c: CaseFacts): Decision {
    return policy.viewCase(actor, c);
  },

  /** Adding someone else (or an email address) as a watcher: those who may change the case. */
  addCaseWatcher(actor: Actor, c: CaseFacts): Decision {
    const edit = policy.editCase(actor, c);
    return edit.ok ? allow : deny("Only members of the case's team, its assignee, the team's manager or an admin can add watchers; you can watch it yourself.");
  },

  /** Watching a claim yourself: anyone who may see it. */
  watchClaim(actor: Actor, claim: ClaimFacts, purchasingTeamIds: string[]): Decision {
    return policy.viewClaim(actor, claim, purchasingTeamIds);
  },

  /** Adding someone else as a watcher: those who may change the claim; a user watcher must be allowed to see it. */
  addClaimWatcher(actor: Actor, claim: ClaimFacts, purchasingTeamIds: string[], watcher?: Actor): Decision {
    const change = policy.changeClaim(actor, claim, purchasingTeamIds);
    if (!change.ok) return change;
    if (watcher && !policy.viewClaim(watcher, claim, purchasingTeamIds).ok) return deny("That person may not see supplier claims (only purchasing, managers and admins can), so they cannot watch this one.");
    return allow;
  },

  /** Anyone may capture a lead; anyone may see leads and opportunities (Odoo's default "all documents" for sales users). */
  captureLead(_actor: Actor): Decision {
    return allow;
  },

  viewLead(_actor: Actor, _lead: LeadFacts): Decision {
    return allow;
  },

  /**
   * Editing, moving stages, winning, losing, snoozing, scheduling: the salesperson, members and the manager of the
   * lead's team, admins; anyone while the lead has neither a salesperson nor a team (nobody owns it yet).
   */
  editLead(actor: Actor, lead: LeadFacts): Decision {
    if (actor.role === "admin" || lead.salespersonId === actor.id) return allow;
    if (lead.teamId && (actor.teamIds.includes(lead.teamId) || actor.managedTeamIds.includes(lead.teamId))) return allow;
    if (!lead.teamId && !lead.salespersonId) return allow;
    return deny("Only the salesperson, the sales team's members, its manager or an admin can change this lead.");
  },

  /** The conversion wizard: those who may change the lead. */
  convertLead(actor: Actor, lead: LeadFacts): Decision {
    return policy.editLead(actor, lead);
  },

  /** Asking for a merge: the requester must be allowed to change every record in it. */
  requestMerge(actor: Actor, leads: LeadFacts[]): Decision {
    const refused = leads.map((l) => policy.editLead(actor, l)).find((d) => !d.ok);
    return refused ? deny("You can only ask to merge opportunities you may change (yours, or your team's).") : allow;
  },

  /**
   * Approving or rejecting a merge: a manager of the request's team, or an admin; never the person who asked,
   * so every merge is seen by two people (Odoo has no approval at all, notes §1.3).
   */
  decideMerge(actor: Actor, request: MergeRequestFacts): Decision {
    if (request.requesterId === actor.id) return deny("You asked for this merge, so someone else decides it: another manager of the team or an admin.");
    if (actor.role === "admin" || (request.teamId && actor.managedTeamIds.includes(request.teamId))) return allow;
    if (request.parentTeamId && actor.managedTeamIds.includes(request.parentTeamId)) return allow;
    return deny("Only a manager of the sales team (or an admin) can approve or reject this merge.");
  },

  /** The requester may withdraw a pending request; so may anyone who could decide it. */
  cancelMerge(actor: Actor, request: MergeRequestFacts): Decision {
    if (request.requesterId === actor.id) return allow;
    return policy.decideMerge(actor, request).ok ? allow : deny("Only the person who asked for the merge, a manager of the team or an admin can withdraw it.");
  },

  /**
   * Emailing the customer from a record's card ("Reply by email"): whoever may act on the record. A case: those who
   * may add a note to it; a claim: those who may change it (a supplier claim stays "not found" to the rest);
   * a lead: its salesperson, the team's members and manager, admins (anyone while nobody owns it).
   */
  emailCustomer(actor: Actor, record: MailRecordFacts): Decision {
    if (record.kind === "claim") return policy.changeClaim(actor, record.facts, record.purchasingTeamIds);
    if (record.kind === "case") {
      const view = policy.viewCase(actor, record.facts);
      if (!view.ok) return view;
      return policy.addCaseNote(actor, record.facts).ok ? allow : deny("Only members of the case's team, its assignee, the team's manager or an admin can email the customer about this case.");
    }
    return policy.editLead(actor, record.facts).ok ? allow : deny("Only the salesperson, the sales team's members, its manager or an admin can email the customer about this lead.");
  },

  /** Listing and retrying undelivered notifications. */
  manageOutbox(actor: Actor): Decision {
    return actor.role === "admin" ? allow : deny("Only an admin can list or retry undelivered notifications.");
  },

  /** Automation rules act on every record and reach every customer: seeing and changing them is admin work (issue 9). */
  manageRules(actor: Actor): Decision {
    return actor.role === "admin" ? allow : deny("Only an admin can see and change automation rules.");
  },

  /** Partner categories: anyone may see them and why a partner is in one (partners are visible to all; docs/segmentation.md). */
  viewCategory(_actor: Actor): Decision {
    return allow;
  },

  /** Creating categories, changing criteria, re-evaluating, adding and removing members by hand: managers and admins. */
  manageCategories(actor: Actor): Decision {
    return actor.role === "admin" || actor.role === "manager" ? allow : deny("Only managers and admins can change partner categories.");
  },

  /** Campaign and channel reports: anyone; they are counts, with no link to a record the person may not see (issue 9). */
  viewCampaigns(_actor: Actor): Decision {
    return allow;
  },

  /** Creating, editing and closing marketing campaigns: managers and admins. */
  manageCampaigns(actor: Actor): Decision {
    return actor.role === "admin" || actor.role === "manager" ? allow : deny("Only managers and admins can create, edit or close campaigns.");
  },

  /** Adding channels and switching them on or off changes what every lead and case form offers: admins only. */
  manageChannels(actor: Actor): Decision {
    return actor.role === "admin" ? allow : deny("Only an admin can add channels or switch them on or off.");
  },

  /** Visit plans create meetings for a whole category's salespeople: managers and admins (issue 9). */
  manageVisitPlans(actor: Actor): Decision {
    return actor.role === "admin" || actor.role === "manager" ? allow : deny("Only managers and admins can plan visits for a category.");
  },

  /** Cancelling a visit series after its partner left the category: its organizer, the plan's creator, or an admin. */
  cancelVisitSeries(actor: Actor, series: { organizerId: string; planCreatorId: string | null }): Decision {
    return actor.role === "admin" || actor.id === series.organizerId || actor.id === series.planCreatorId
      ? allow
      : deny("Only the visits' organizer, the plan's creator or an admin can cancel these visits.");
  },

  /** A calendar feed shows a person's meetings: only that person may make, renew or turn off its link (not even an admin). */
  manageCalendarFeed(actor: Actor, ownerId: string): Decision {
    return actor.id === ownerId ? allow : deny("Only the person a calendar feed belongs to can change it.");
  },

  /** A contract's prices are sales business: its salesperson, members and the manager of its team, and admins. */
  viewContract(actor: Actor, contract: ContractFacts): Decision {
    if (actor.role === "admin" || (contract.salespersonId !== null && contract.salespersonId === actor.id)) return allow;
    if (contract.teamId && (actor.teamIds.includes(contract.teamId) || actor.managedTeamIds.includes(contract.teamId))) return allow;
    return deny("Only the contract's salesperson, its team's members and manager, and admins can see this contract.");
  },

  /** Editing, renewing and closing: the same people who may see it. */
  editContract(actor: Actor, contract: ContractFacts): Decision {
    return policy.viewContract(actor, contract).ok ? allow : deny("Only the contract's salesperson, its team's members and manager, and admins can change this contract.");
  },

  /** Managers, admins and members of a sales team (`salesTeamIds`: the ids of every team of kind sales). */
  createContract(actor: Actor, salesTeamIds: string[]): Decision {
    if (actor.role === "admin" || actor.role === "manager" || actor.teamIds.some((t) => salesTeamIds.includes(t))) return allow;
    return deny("Only members of a sales team, managers and admins can create contracts.");
  },

  /** A meeting is seen by its organizer, its invited colleagues, and admins. */
  viewMeeting(actor: Actor, meeting: MeetingFacts): Decision {
    return actor.role === "admin" || actor.id === meeting.organizerId || meeting.attendeeUserIds.includes(actor.id)
      ? allow
      : deny("Only the organizer and the people invited can see this meeting.");
  },

  /** Editing and cancelling: the organizer or an admin (Odoo lets attendees edit; invitations here are the organizer's word). */
  editMeeting(actor: Actor, meeting: Pick<MeetingFacts, "organizerId">): Decision {
    return actor.role === "admin" || actor.id === meeting.organizerId ? allow : deny("Only the organizer (or an admin) can change or cancel this meeting.");
  },

  /** An invitation is answered by the person invited, nobody else (not the organizer, not an admin). */
  answerInvitation(actor: Actor, attendee: { userId: string | null }): Decision {
    return attendee.userId !== null && actor.id === attendee.userId ? allow : deny("Only the person invited can answer this invitation.");
  },

  /** A reminder is one person's: only the person reminded may snooze it (not the organizer, not an admin). */
  snoozeReminder(actor: Actor, remindedUserId: string | null): Decision {
    return actor.id === remindedUserId ? allow : deny("Only the person this reminder was sent to can snooze it.");
  },
};

function seesSupplierClaims(actor: Actor, purchasingTeamIds: string[]): boolean {
  return actor.role === "admin" || actor.role === "manager" || actor.teamIds.some((t) => purchasingTeamIds.includes(t));
}
