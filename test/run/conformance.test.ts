/*
 * The cross-kernel conformance matrix: every run scenario of every repository on every
 * kernel backend, generated from the scenario list, so a new scenario is covered without
 * editing this file.
 */
import test from 'ava';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { listScenarios } from '../../tool/runner/repositories.js';
import { runCli } from './cli.js';

const kernels = kernelBackends(createContainer()).map((b) => b.name);

for (const s of listScenarios()) {
  for (const kernel of kernels) {
    test(`${s.repo}/run/${s.name} on ${kernel}`, async (t) => {
      /* interactive scenarios (the demo) would otherwise serve their display until stopped */
      const r = await runCli(['--kernel', kernel, '--headless', s.name]);
      t.is(r.code, 0, `${r.stderr}\n${r.stdout.split('\n').slice(-30).join('\n')}`);
    });
  }
}
