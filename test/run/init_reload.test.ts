/*
 * init_reload gives back every byte: after removing all children of a reloaded config,
 * the nested init has exactly the RAM it had before it started any.
 */
import test from 'ava';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { runCli } from './cli.js';

const kernels = kernelBackends(createContainer()).map((b) => b.name);

for (const kernel of kernels) {
  test(`init_reload returns the children's RAM on ${kernel}`, async (t) => {
    const r = await runCli(['--kernel', kernel, 'init_reload']);
    t.is(r.code, 0, r.stderr);
    const free = (version: string) => {
      const m = new RegExp(`config version "${version}": (\\d+) children, ram (\\d+) of (\\d+) free`).exec(r.stdout);
      t.truthy(m, `no quota line for version ${version}`);
      return { children: Number(m![1]), ram: Number(m![2]) };
    };
    const before = free('0');
    const after = free('3');
    t.is(before.children, 0);
    t.is(after.children, 0);
    t.is(after.ram, before.ram);
  });
}
