// `npm run bench [name…]`: runs every benchmark in test/bench, each in a fresh Node process (one
// benchmark's heap and database must not slow the next), prints a summary and saves bench-results/<name>.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

function benchmarkFiles(only: string[]): string[] {
  return readdirSync(here)
    .filter((f) => f.endsWith(ext) && !f.endsWith(".d.ts") && f !== `run${ext}`)
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
}

async function loadBenchmark(file: string): Promise<Benchmark | undefined> {
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { benchmark?: Benchmark };
  return mod.benchmark;
}

interface Outcome {
  rows: string[][];
  crashed: number;
}

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
}

function verdict(m: Metric): string {
  return m.met === undefined ? "" : m.met ? "ok" : "MISSED";
}

/** Child mode: runs the benchmarks of one file here and writes the summary rows to `rowsFile`. */
async function runFile(file: string, rowsFile: string): Promise<void> {
  const root = repoRoot(here);
  const outDir = path.join(root, "bench-results");
  const outcome: Outcome = { rows: [], crashed: 0 };
  const bench = await loadBenchmark(file);
  if (bench) {
    console.log(`\n== ${bench.name}`);
    try {
      const result = await bench.run({ root });
      const machine = { node: process.version, platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryMb: Math.round(os.totalmem() / 2 ** 20) };
      mkdirSync(outDir, { recursive: true });
      writeFileSync(path.join(outDir, `${bench.name}.json`), JSON.stringify({ benchmark: bench.name, date: new Date().toISOString(), machine, ...result }, null, 2) + "\n");
      for (const m of result.metrics) outcome.rows.push([bench.name, m.name, m.value, m.target ?? "", verdict(m)]);
    } catch (error) {
      outcome.crashed += 1;
      console.error(`${bench.name} CRASHED:`, error);
      outcome.rows.push([bench.name, "(crashed)", "", "", "CRASHED"]);
    }
  }
  writeFileSync(rowsFile, JSON.stringify(outcome));
}

async function main(): Promise<void> {
  const root = repoRoot(here);
  const outDir = path.join(root, "bench-results");
  const files = benchmarkFiles(process.argv.slice(2));
  if (files.length === 0) throw new Error(`no benchmark found in ${here} matching ${process.argv.slice(2).join(" ")}`);
  const rows = [["benchmark", "metric", "value", "target", "result"]];
  let crashed = 0;
  mkdirSync(outDir, { recursive: true });
  for (const [i, file] of files.entries()) {
    // A quiet start: the previous benchmark's writes (200,000 rows for cases-list) are flushed
    // to disk first, or their write-back lands in the middle of the next one's latencies.
    if (i > 0) settle();
    const rowsFile = path.join(outDir, `.rows-${process.pid}-${file}.json`);
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--file", file, rowsFile], { stdio: "inherit" });
    try {
      const outcome = JSON.parse(readFileSync(rowsFile, "utf8")) as Outcome;
      rows.push(...outcome.rows);
      crashed += outcome.crashed;
    } catch {
      crashed += 1;
      console.error(`${file} CRASHED: its process ended with ${child.status ?? child.signal} before reporting`);
      rows.push([file, "(crashed)", "", "", "CRASHED"]);
    } finally {
      rmSync(rowsFile, { force: true });
    }
  }
  console.log("\n== Summary");
  printTable(rows);
  const missed = rows.filter((r) => r[4] === "MISSED").length;
  console.log(`\n${missed} target(s) MISSED, ${crashed} benchmark(s) crashed; JSON in ${path.relative(process.cwd(), outDir) || "."}/`);
  if (crashed > 0) process.exitCode = 1;
}

function settle(): void {
  spawnSync("sync", { stdio: "ignore" });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
}

if (process.argv[2] === "--file") await runFile(process.argv[3]!, process.argv[4]!);
else await main();
