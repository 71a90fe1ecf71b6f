import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactUrl } from "../../src/log.js";

describe("logging", () => {
  it("hides database passwords in URLs shown to people", () => {
    expect(redactUrl("postgres://crm:s3cret@db:5432/crm")).toBe("postgres://crm:***@db:5432/crm");
    expect(redactUrl("nonsense")).toBe("[unparseable url]");
  });

  it("redacts tokens, passwords and authorization headers in log records", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger({ level: "info", format: "json" }, sink);
    logger.info({ token: "xoxb-123", install: { botToken: "xoxb-456" }, req: { headers: { authorization: "Bearer abc" } }, password: "pw1" }, "x");
    const out = lines.join("");
    expect(out).toContain("[redacted]");
    expect(out).not.toMatch(/xoxb-123|xoxb-456|Bearer abc|pw1/);
  });
});
