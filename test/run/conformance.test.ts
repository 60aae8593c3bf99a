/*
 * The cross-kernel conformance matrix (tool/runner/matrix.ts): every run scenario of every
 * repository on every kernel backend, generated from the scenario list, so a new scenario
 * is covered without editing this file. On the emulated kernels each scenario runs twice
 * and must print the same LOG output both times (determinism).
 *
 * GENODE_MATRIX_SHARD=i/n runs only the i-th of n shares of the (scenario, kernel) pairs
 * (1 <= i <= n), so CI machines can split the matrix; ava prints a line per pair as it ends.
 */
import test from 'ava';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { logLines, matrixPairs, runMatrixPair } from '../../tool/runner/matrix.js';

for (const p of matrixPairs(kernelBackends(createContainer()))) {
  test(p.title, async (t) => {
    const { runs: [first, again], failure } = await runMatrixPair(p);
    if (first && again && first.code === 0 && again.code === 0) {
      t.is(logLines(again.stdout), logLines(first.stdout), 'the same scenario printed different output on a second run');
    }
    t.is(failure, undefined, failure);
  });
}
