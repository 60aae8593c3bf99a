/*
 * The conformance matrix's wall time (tool/runner/matrix.ts, the same runner the tests use):
 * all pairs of a share started at once and run GENODE_TEST_JOBS at a time; the sum of the
 * tool/run processes' own times over the wall time is the parallelism achieved.
 */
import type { KernelBackend } from '../runner/backend.js';
import { MAX_PARALLEL } from '../runner/cli_process.js';
import { matrixPairs, matrixShard, runMatrixPair } from '../runner/matrix.js';

export interface MatrixBenchResult {
  /** "i/n", or "1/1" for the whole matrix */
  shard: string;
  pairs: number;
  /** tool/run processes (two per pair on the emulated kernels) */
  runs: number;
  failed: string[];
  jobs: number;
  wallMs: number;
  sumRunMs: number;
  /** sumRunMs / wallMs */
  parallelism: number;
}

/** BENCH_MATRIX_SHARD=i/n measures a share (as GENODE_MATRIX_SHARD picks it for the tests). */
export async function matrixBench(backends: readonly KernelBackend[], spec = process.env.BENCH_MATRIX_SHARD): Promise<MatrixBenchResult> {
  const shard = matrixShard(spec, 'BENCH_MATRIX_SHARD');
  const pairs = matrixPairs(backends, shard);
  const start = performance.now();
  const results = await Promise.all(pairs.map(async (p) => ({ p, r: await runMatrixPair(p) })));
  const wallMs = performance.now() - start;
  const sumRunMs = results.reduce((s, { r }) => s + r.runs.reduce((a, run) => a + run.ms, 0), 0);
  return {
    shard: `${shard[0] + 1}/${shard[1]}`,
    pairs: pairs.length,
    runs: results.reduce((s, { r }) => s + r.runs.length, 0),
    failed: results.filter(({ r }) => r.failure !== undefined).map(({ p }) => p.title),
    jobs: MAX_PARALLEL,
    wallMs,
    sumRunMs,
    parallelism: wallMs > 0 ? sumRunMs / wallMs : 0,
  };
}

export function matrixTable(m: MatrixBenchResult): string {
  const lines = [
    `share ${m.shard} of the matrix: ${m.pairs} scenario-kernel pairs, ${m.runs} tool/run processes, ${m.jobs} at once (GENODE_TEST_JOBS)`,
    `wall ${(m.wallMs / 1000).toFixed(1)} s, sum of the runs ${(m.sumRunMs / 1000).toFixed(1)} s: parallelism ${m.parallelism.toFixed(2)} of ${m.jobs}`,
  ];
  lines.push(m.failed.length ? `failed (${m.failed.length}): ${m.failed.join(', ')}` : 'all passed');
  return lines.join('\n');
}
