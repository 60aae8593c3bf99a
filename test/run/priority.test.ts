/*
 * The priority scenario's figures on the emulated kernels (virtual time, the same on
 * every run): the high-priority ticker keeps its deadlines within one quantum while the
 * low-priority spinner computes, while the equal-priority ticker shares the CPU with the
 * spinner (round robin) and is late by up to a quantum or two.
 */
import test from 'ava';
import { runCli } from './cli.js';

const QUANTUM_US = 10_000;

for (const kernel of ['nova', 'fiasco', 'okl4']) {
  test(`priority on ${kernel}: the high-priority ticker keeps its deadlines`, async (t) => {
    const r = await runCli(['--kernel', kernel, 'priority']);
    t.is(r.code, 0, r.stdout.split('\n').slice(-20).join('\n'));
    const worst = (name: string) => {
      const m = new RegExp(`${name}: 40 ticks of 10000 us, lateness worst (\\d+) us`).exec(r.stdout);
      return m ? Number(m[1]) : NaN;
    };
    const high = worst('high');
    const equal = worst('equal');
    t.log(`${kernel}: worst lateness ${high} us at high priority, ${equal} us at the spinner's priority`);
    t.true(high <= 2000, `high-priority lateness ${high} us: the spinner was not preempted`);
    t.true(equal >= QUANTUM_US / 2, `equal-priority lateness ${equal} us: no sign of sharing the CPU with the spinner`);
  });
}
