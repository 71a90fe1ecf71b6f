// `/crm claims` and App Home: open claims I am responsible for, then my teams' other open claims.
import { claimListView, type ClaimLine } from "../../bot/views/claim-card.js";
import type { MessageView } from "../../bot/views/view.js";
import { OPEN_STATES } from "../../domain/claims.js";
import { policy, type Actor } from "../../domain/policy.js";
import type { Deps } from "../deps.js";
import type { ActorUser } from "../resolve-actor.js";
import { purchasingTeamIds } from "./load-claim.js";

const lineSelect = {
  id: true,
  number: true,
  kind: true,
  subject: true,
  state: true,
  priority: true,
  version: true,
  responsibleId: true,
  teamId: true,
  partner: { select: { name: true } },
  responsible: { select: { name: true } },
} as const;

export async function myOpenClaims(deps: Deps, user: ActorUser): Promise<ClaimLine[]> {
  return deps.db.claim.findMany({ where: { responsibleId: user.id, state: { in: OPEN_STATES } }, orderBy: [{ priority: "desc" }, { createdAt: "asc" }], take: 50, select: lineSelect });
}

export async function myClaimsView(deps: Deps, who: { actor: Actor; user: ActorUser }): Promise<MessageView> {
  const teamIds = [...new Set([...who.actor.teamIds, ...who.actor.managedTeamIds])];
  const [mine, teams, purchasing] = await Promise.all([
    myOpenClaims(deps, who.user),
    teamIds.length
      ? deps.db.claim.findMany({
          where: { teamId: { in: teamIds }, state: { in: OPEN_STATES }, NOT: { responsibleId: who.user.id } },
          orderBy: [{ priority: "desc" }, { createdAt: "asc" }],
          take: 50,
          select: lineSelect,
        })
      : Promise.resolve([]),
    purchasingTeamIds(deps.db),
  ]);
  const visible = teams.filter((c) => policy.viewClaim(who.actor, c, purchasing).ok);
  return claimListView(
    "Open claims",
    [
      { heading: "You are responsible", claims: mine },
      { heading: "Your teams' claims", claims: visible },
    ],
    "No open claims. Open one with `/crm claim`.",
  );
}
