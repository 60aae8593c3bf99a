/*
 * The cross-kernel conformance matrix: every run scenario of every repository on every
 * kernel backend, generated from the scenario list, so a new scenario is covered without
 * editing this file. On the emulated kernels each scenario runs twice and must print the
 * same LOG output both times (determinism); tables of host times are not LOG output.
 *
 * GENODE_MATRIX_SHARD=i/n runs only the i-th of n shares of the (scenario, kernel) pairs
 * (1 <= i <= n), so CI machines can split the matrix; ava prints a line per pair as it ends.
 */
import test from 'ava';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { listScenarios } from '../../tool/runner/repositories.js';
import { runCli } from './cli.js';
import { matrixShard } from './matrix_shard.js';

const backends = kernelBackends(createContainer());

const [shard, shards] = matrixShard();
let pair = 0;

/** The LOG lines of a run ("[label] text"), without the result tables. */
const logLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('[')).join('\n');

for (const s of listScenarios()) {
  for (const backend of backends) {
    if (pair++ % shards !== shard) continue;
    test(`${s.repo}/run/${s.name} on ${backend.name}`, async (t) => {
      /* interactive scenarios (the demo) would otherwise serve their display until stopped */
      const args = ['--kernel', backend.name, '--headless', s.name];
      const r = await runCli(args);
      t.is(r.code, 0, `${r.stderr}\n${r.stdout.split('\n').slice(-30).join('\n')}`);
      if (!backend.emulated) return;
      const again = await runCli(args);
      t.is(again.code, 0, again.stderr);
      t.true(logLines(r.stdout).length > 0);
      t.is(logLines(again.stdout), logLines(r.stdout), 'the same scenario printed different output on a second run');
    });
  }
}
