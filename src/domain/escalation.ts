// Escalation rules (OpenERP 6.1 `case_escalate`): up to the parent team, else to the team's manager, else refuse.

/** How much one escalation raises a case's level (its weight in "next cases to work"). */
export const ESCALATION_LEVEL_STEP = 10;

export interface EscalationTeam {
  id: string;
  name: string;
  managerId: string | null;
  parent: { id: string; name: string; managerId: string | null } | null;
}

export type EscalationTarget =
  /** Move to the parent team; the assignee becomes the parent's manager when it has one, else stays. */
  | { kind: "parent-team"; teamId: string; teamName: string; assigneeId: string | null }
  /** No parent team: the team's manager takes the case, the team stays. */
  | { kind: "manager"; teamId: string; teamName: string; assigneeId: string }
  | { kind: "top"; reason: string };

export const TOP_LEVEL_REASON = "This case is already at the top level: its team has no parent team and it is already with the team's manager (or the team has none).";

/** Where an escalation sends a case. */
export function escalationTarget(c: { assigneeId: string | null }, team: EscalationTeam): EscalationTarget {
  if (team.parent) {
    return { kind: "parent-team", teamId: team.parent.id, teamName: team.parent.name, assigneeId: team.parent.managerId ?? c.assigneeId };
  }
  if (team.managerId && team.managerId !== c.assigneeId) {
    return { kind: "manager", teamId: team.id, teamName: team.name, assigneeId: team.managerId };
  }
  return { kind: "top", reason: TOP_LEVEL_REASON };
}

export function escalatedLevel(level: number): number {
  return level + ESCALATION_LEVEL_STEP;
}

/** The timeline summary of an escalation ("escalated to Support L2"). */
export function escalationSummary(target: Exclude<EscalationTarget, { kind: "top" }>, reason: string): string {
  const where = target.kind === "parent-team" ? target.teamName : `the manager of ${target.teamName}`;
  return `Escalated to ${where}${reason ? `: ${reason}` : ""}`.slice(0, 500);
}
