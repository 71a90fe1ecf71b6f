// Teams adapter entry (being written: see the Teams brief).
import type { MountedSurface, MountOptions } from "../surface.js";

export async function mountTeams(_opts: MountOptions): Promise<MountedSurface> {
  throw new Error("The Teams adapter is not built yet");
}
