// `/crm whoami`: the person as Switchboard knows them.
import { whoamiView } from "../bot/views/help.js";
import type { MessageView } from "../bot/views/view.js";
import type { Deps } from "./deps.js";
import type { ActorUser } from "./resolve-actor.js";

export async function whoami(deps: Deps, user: ActorUser): Promise<MessageView> {
  const memberships = await deps.db.teamMember.findMany({ where: { userId: user.id }, include: { team: { select: { name: true, managerId: true } } } });
  return whoamiView(
    user,
    memberships.map((m) => ({ name: m.team.name, isManager: m.team.managerId === user.id })),
  );
}
