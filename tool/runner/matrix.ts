/*
 * The cross-kernel conformance matrix: every run scenario of every repository on every
 * kernel backend, each pair a tool/run process (GENODE_TEST_JOBS at once, cli_process.ts).
 * On the emulated kernels each scenario runs twice and must print the same LOG output both
 * times (determinism); tables of host times are not LOG output. test/run/conformance.test.ts
 * runs it as tests, npm run bench measures its wall time and parallelism.
 *
 * GENODE_MATRIX_SHARD=i/n picks the i-th of n shares of the (scenario, kernel) pairs.
 */
import type { KernelBackend } from './backend.js';
import { runCli, type CliResult } from './cli_process.js';
import { listScenarios } from './repositories.js';

/** Which share of the pairs to run: [index, count], 0-based index; `variable` names the setting in errors. */
export function matrixShard(spec = process.env.GENODE_MATRIX_SHARD, variable = 'GENODE_MATRIX_SHARD'): [number, number] {
  if (spec === undefined || spec === '') return [0, 1];
  const m = /^(\d+)\/(\d+)$/.exec(spec);
  const i = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && i >= 1 && i <= n)) throw new Error(`${variable}=${spec}: give i/n with 1 <= i <= n (e.g. 2/4)`);
  return [i - 1, n];
}

export interface MatrixPair {
  repo: string;
  scenario: string;
  kernel: string;
  emulated: boolean;
  title: string;
}

/** The pairs of share `shard` (from matrixShard), in the matrix's order. */
export function matrixPairs(backends: readonly KernelBackend[], [shard, shards]: [number, number] = matrixShard()): MatrixPair[] {
  const pairs: MatrixPair[] = [];
  let pair = 0;
  for (const s of listScenarios()) {
    for (const backend of backends) {
      if (pair++ % shards !== shard) continue;
      pairs.push({ repo: s.repo, scenario: s.name, kernel: backend.name, emulated: backend.emulated, title: `${s.repo}/run/${s.name} on ${backend.name}` });
    }
  }
  return pairs;
}

/** The LOG lines of a run ("[label] text"), without the result tables. */
export const logLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('[')).join('\n');

export interface PairResult {
  /** the runs: one, or two on an emulated kernel whose first run passed */
  runs: CliResult[];
  /** what went wrong, if anything */
  failure?: string;
}

/** Runs one pair: tool/run --headless (interactive scenarios end once booted), twice on an emulated kernel. */
export async function runMatrixPair(p: MatrixPair): Promise<PairResult> {
  const args = ['--kernel', p.kernel, '--headless', p.scenario];
  const r = await runCli(args);
  if (r.code !== 0) return { runs: [r], failure: `${r.stderr}\n${r.stdout.split('\n').slice(-30).join('\n')}` };
  if (!p.emulated) return { runs: [r] };
  const again = await runCli(args);
  if (again.code !== 0) return { runs: [r, again], failure: `the second run failed: ${again.stderr}` };
  if (logLines(r.stdout).length === 0) return { runs: [r, again], failure: 'the run printed no LOG lines' };
  if (logLines(again.stdout) !== logLines(r.stdout)) return { runs: [r, again], failure: 'the same scenario printed different output on a second run' };
  return { runs: [r, again] };
}
