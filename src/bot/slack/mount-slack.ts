// Slack adapter entry (being written: see the Slack brief).
import type { MountedSurface, MountOptions } from "../surface.js";

export async function mountSlack(_opts: MountOptions): Promise<MountedSurface> {
  throw new Error("The Slack adapter is not built yet");
}
