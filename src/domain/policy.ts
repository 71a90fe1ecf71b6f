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

export const policy = {
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

  /** Listing and retrying undelivered notifications. */
  manageOutbox(actor: Actor): Decision {
    return actor.role === "admin" ? allow : deny("Only an admin can list or retry undelivered notifications.");
  },
};
