/*
 * Runs tool/run (the built CLI) as a subprocess, a few at a time: GENODE_TEST_JOBS of them
 * per process (default: one less than the cores, at least one; ava runs two test files at
 * once besides), so a 2-core machine keeps up and a bigger one is used. The tests and the
 * bench's measurement of the conformance matrix use it.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Host time from start to end of the process (not counting the wait for a slot). */
  ms: number;
}

function jobs(): number {
  const env = process.env.GENODE_TEST_JOBS;
  if (env === undefined) return Math.max(1, availableParallelism() - 1);
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1) throw new Error(`GENODE_TEST_JOBS=${env}: give a whole number of processes, at least 1`);
  return n;
}

/** How many tool/run processes run at once. */
export const MAX_PARALLEL = jobs();
let running = 0;
const queue: Array<() => void> = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => queue.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

export function runCli(args: string[]): Promise<CliResult> {
  return slot(() => new Promise<CliResult>((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - start }));
  }));
}
