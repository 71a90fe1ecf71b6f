// Layer boundaries (STYLE.md): the domain is plain functions; handlers know no chat platform; Prisma stays in db/ and handlers/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full.includes("generated") ? [] : sources(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2] ?? "");
}

function offenders(dir: string, forbidden: RegExp): string[] {
  return sources(dir).flatMap((f) => importsOf(f).filter((i) => forbidden.test(i)).map((i) => `${f} imports ${i}`));
}

describe("layer boundaries", () => {
  it("src/domain imports no Prisma, Slack, Teams, database or file system", () => {
    expect(offenders("src/domain", /@prisma|prisma|@slack|botbuilder|botframework|^pg$|pg-boss|^node:fs|^fs$|\.\.\/db\/|\.\.\/bot\/|\.\.\/handlers\//)).toEqual([]);
  });

  it("src/handlers imports no Slack or Teams library", () => {
    expect(offenders("src/handlers", /@slack|botbuilder|botframework|\/bot\/slack\/|\/bot\/teams\//)).toEqual([]);
  });

  it("Prisma is used only in src/db and src/handlers", () => {
    const outside = ["src/bot", "src/domain", "src/jobs", "src/http"].flatMap((d) => offenders(d, /@prisma|\/db\/generated|\/db\/client/));
    expect(outside).toEqual([]);
  });

  it("no queries on Prisma models outside src/db and src/handlers (even through deps.db)", () => {
    const query = /\b(?:db|tx)\.[a-z]\w*\.(?:find\w*|create\w*|update\w*|upsert|delete\w*|count|aggregate|groupBy)\(/;
    const outside = ["src/bot", "src/domain", "src/jobs", "src/http", "src/cli"]
      .flatMap(sources)
      .flatMap((f) => readFileSync(f, "utf8").split("\n").flatMap((line, i) => (query.test(line) ? [`${f}:${i + 1}`] : [])));
    expect(outside).toEqual([]);
  });

  it("Slack types stay in src/bot/slack", () => {
    const dirs = readdirSync("src").map((d) => path.join("src", d)).filter((d) => statSync(d).isDirectory() && d !== path.join("src", "bot"));
    const inBot = readdirSync("src/bot").map((d) => path.join("src/bot", d)).filter((d) => statSync(d).isDirectory() && !d.endsWith("slack"));
    expect([...dirs, ...inBot].flatMap((d) => offenders(d, /@slack\//))).toEqual([]);
  });
});
