/* On the emulated kernels the same scenario prints byte-identical output every time. */
import test from 'ava';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';
import { runCli } from './cli.js';

const emulated = kernelBackends(createContainer()).filter((b) => b.emulated).map((b) => b.name);

for (const kernel of emulated) {
  for (const scenario of ['rpc', 'signal']) {
    test(`${scenario} on ${kernel} prints the same output twice`, async (t) => {
      const a = await runCli(['--kernel', kernel, scenario]);
      const b = await runCli(['--kernel', kernel, scenario]);
      t.is(a.code, 0);
      t.true(a.stdout.length > 0);
      t.is(a.stdout, b.stdout);
    });
  }
}
