// botbuilder stays in src/bot/teams (DESIGN.md): moving to the Teams SDK later must touch one folder.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const TEAMS = path.join("src", "bot", "teams");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full === TEAMS || full.includes("generated") ? [] : sources(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

/** Static imports, re-exports, dynamic imports and require() of a module name. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

describe("the Teams boundary", () => {
  it("nothing under src/ outside src/bot/teams imports botbuilder or the Bot Framework", () => {
    const offenders = sources("src").flatMap((f) => importsOf(f).filter((i) => /^botbuilder|^botframework|^@microsoft\/teams/.test(i)).map((i) => `${f} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it("the only way in from outside is the dynamically imported mount-teams module", () => {
    const fromOutside = sources("src").flatMap((f) => importsOf(f).filter((i) => i.includes("/teams/")).map((i) => `${f} imports ${i}`));
    expect(fromOutside).toEqual(["src/app.ts imports ./bot/teams/mount-teams.js"]);
  });

  it("sees the imports it is looking for (the check is not vacuous)", () => {
    const inside = readdirSync(TEAMS).filter((f) => f.endsWith(".ts")).flatMap((f) => importsOf(path.join(TEAMS, f)));
    expect(inside).toContain("botbuilder");
  });
});
