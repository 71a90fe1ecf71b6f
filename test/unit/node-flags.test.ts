import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "../../src/node-flags.js";

describe("the server's node flags", () => {
  it("are the ones `npm start` passes, so the benchmark measures what people run", () => {
    const start = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
    expect(start).toContain(`node ${SERVER_NODE_FLAGS.join(" ")} dist/src/main.js`);
  });
});
