/*
 * The helping scenario's figures on NOVA (virtual time, the same on every run). A call's
 * server work runs on the caller's SC, so an uncontended call of the low-priority client
 * costs its thread the server's work (W); the high-priority client's call that found the
 * server busy helped it finish the low client's call on its own SC: its time is about 2 W,
 * and the low client's helped call cost it almost nothing. On kernels whose servers run
 * on their own threads (Fiasco.OC, OKL4) a client's time is its own work only.
 */
import test from 'ava';
import { runCli } from './cli.js';

function figures(stdout: string): { high: number; low: number[] } {
  const high = /high: execution time of that call: (\d+) us/.exec(stdout);
  const low = /low: execution time of each call: ([\d, ]+) us/.exec(stdout);
  return { high: high ? Number(high[1]) : NaN, low: low ? low[1]!.split(', ').map(Number) : [] };
}

test('helping on nova: the high-priority caller ran the work it helped with on its own SC', async (t) => {
  const r = await runCli(['--kernel', 'nova', 'helping']);
  t.is(r.code, 0, r.stdout.split('\n').slice(-20).join('\n'));
  const { high, low } = figures(r.stdout);
  t.log(`nova: high ${high} us, low ${low.join(', ')} us`);
  const work = Math.max(...low);
  t.true(work >= 10_000, `an uncontended call costs the caller the server's work (${work} us)`);
  t.true(Math.abs(high - 2 * work) <= work * 0.05, `high's call ${high} us: its own work and the helped call's (2 x ${work} us)`);
  t.true(low.some((v) => v <= work * 0.05), 'the helped call cost the low client (almost) nothing');
});

for (const kernel of ['fiasco', 'okl4']) {
  test(`helping on ${kernel}: servers run on their own threads, clients pay their own work only`, async (t) => {
    const r = await runCli(['--kernel', kernel, 'helping']);
    t.is(r.code, 0, r.stdout.split('\n').slice(-20).join('\n'));
    const { high, low } = figures(r.stdout);
    t.true(high < 1000, `high: ${high} us`);
    t.true(low.length > 0 && low.every((v) => v < 1000), `low: ${low.join(', ')} us`);
  });
}
