// `npm run bench [name…]`: runs every benchmark in test/bench, prints a summary and saves bench-results/<name>.json.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** One line of the summary. `met` is absent for figures that have no target. */
export interface Metric {
  name: string;
  value: string;
  target?: string;
  met?: boolean;
}

export interface BenchmarkResult {
  metrics: Metric[];
  /** The raw figures, saved as JSON. */
  details: unknown;
}

/** What a module in test/bench exports as `benchmark` to be run by this file. */
export interface Benchmark {
  name: string;
  run(ctx: { root: string }): Promise<BenchmarkResult>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.extname(fileURLToPath(import.meta.url));

function repoRoot(dir: string): string {
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("no package.json above test/bench");
    dir = parent;
  }
  return dir;
}

async function loadBenchmarks(only: string[]): Promise<Benchmark[]> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts") && f !== `run${ext}`)
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const found: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { benchmark?: Benchmark };
    if (mod.benchmark) found.push(mod.benchmark);
  }
  return found;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

function verdict(m: Metric): string {
  return m.met === undefined ? "" : m.met ? "ok" : "MISSED";
}

async function main(): Promise<void> {
  const root = repoRoot(here);
  const outDir = path.join(root, "bench-results");
  const rows = [["benchmark", "metric", "value", "target", "result"]];
  let crashed = 0;
  const benchmarks = await loadBenchmarks(process.argv.slice(2));
  if (benchmarks.length === 0) throw new Error(`no benchmark found in ${here} (a module exporting \`benchmark\`)`);
  for (const bench of benchmarks) {
    console.log(`\n== ${bench.name}`);
    try {
      const result = await bench.run({ root });
      const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 2 ** 20) };
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path.join(outDir, `${bench.name}.json`), JSON.stringify({ benchmark: bench.name, date: new Date().toISOString(), machine, ...result }, null, 2) + "\n");
      for (const m of result.metrics) rows.push([bench.name, m.name, m.value, m.target ?? "", verdict(m)]);
    } catch (error) {
      crashed += 1;
      console.error(`${bench.name} CRASHED:`, error);
      rows.push([bench.name, "(crashed)", "", "", "CRASHED"]);
    }
  }
  console.log("\n== Summary");
  printTable(rows);
  const missed = rows.filter((r) => r[4] === "MISSED").length;
  console.log(`\n${missed} target(s) MISSED, ${crashed} benchmark(s) crashed; JSON in ${path.relative(process.cwd(), outDir) || "."}/`);
  if (crashed > 0) process.exitCode = 1;
}

await main();
