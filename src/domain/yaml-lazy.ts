// The yaml library, loaded on first use: about 8 MB of resident code (measured) that an idle server, held to
// 250 MB on the embedded database, does not need until someone edits a rule or a category's criteria.
import { createRequire } from "node:module";
import type * as Yaml from "yaml";

const require = createRequire(import.meta.url);
let loaded: typeof Yaml | undefined;

export function yaml(): typeof Yaml {
  return (loaded ??= require("yaml") as typeof Yaml);
}
