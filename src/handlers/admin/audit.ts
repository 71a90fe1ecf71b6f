// Who set up what: every admin change leaves a timeline entry on the person or team it changed.
import type { Prisma } from "../../db/client.js";
import type { Tx } from "../../db/outbox.js";
import type { Actor } from "../../domain/policy.js";

/** The command line (`npm run admin`) acts as this built-in admin; it is no User, so entries carry no actor id. */
export const COMMAND_LINE_ACTOR: Actor = { id: "command-line", role: "admin", teamIds: [], managedTeamIds: [] };

export async function recordAdminChange(
  tx: Tx,
  actor: Actor,
  record: { type: "user" | "team"; id: string },
  summary: string,
  data: Record<string, unknown>,
): Promise<void> {
  await tx.timelineEntry.create({
    data: {
      recordType: record.type,
      recordId: record.id,
      kind: "admin",
      actorId: actor.id === COMMAND_LINE_ACTOR.id ? null : actor.id,
      summary: actor.id === COMMAND_LINE_ACTOR.id ? `${summary} (from the command line)` : summary,
      data: JSON.parse(JSON.stringify(data)) as Prisma.InputJsonValue,
    },
  });
}
