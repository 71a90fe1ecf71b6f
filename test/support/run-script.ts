// Runs a TypeScript file in a child process (through tsx), for tests that kill or race processes.
import { spawn, type ChildProcess } from "node:child_process";

export interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves when the child's output contains the text (bounded by the timeout). */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
}

export function runScript(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ["--import", "tsx", file, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    process: child,
    output: () => out,
    exited,
    async waitForOutput(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null) throw new Error(`child exited (${child.exitCode}) before printing "${text}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`child did not print "${text}" within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

export async function killHard(child: Child): Promise<void> {
  child.process.kill("SIGKILL");
  await child.exited;
}
