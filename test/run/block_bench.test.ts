/*
 * npm run bench's block part runs and yields a complete, sane table: every device, operation,
 * request size and queue depth on an emulated kernel and on linux, throughputs positive,
 * no RPC per request (the packet stream carries requests, signals wake the peer). No timing
 * thresholds: speed figures belong to the bench.
 */
import test from 'ava';
import { blockBench, blockBenchTable } from '../../tool/bench/block.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';

test('block bench: a row for every device, operation, size and depth, with memcpy floors and per-request counts', async (t) => {
  t.timeout(5 * 60_000);
  const backends = kernelBackends(createContainer()).filter((b) => b.name === 'nova' || !b.emulated);
  t.is(backends.length, 2);
  const r = await blockBench(backends, { requests4k: 32, requests64k: 16, warmup: 4 });
  for (const b of backends) {
    const rows = r.rows.filter((x) => x.kernel === b.name);
    const keys = rows.map((x) => `${x.device} ${x.op} ${x.size} ${x.depth}`).sort();
    const expected = [];
    for (const device of ['ahci', 'ram']) for (const op of ['read', 'write']) for (const size of [4096, 65536]) for (const depth of [1, 16]) expected.push(`${device} ${op} ${size} ${depth}`);
    t.deepEqual(keys, expected.sort(), b.name);
    t.deepEqual(r.floors.filter((f) => f.kernel === b.name).map((f) => f.size).sort((x, y) => x - y), [4096, 65536]);
    for (const x of rows) {
      const what = `${b.name} ${x.device} ${x.op} ${x.size} qd${x.depth}`;
      t.true(Number.isFinite(x.hostMiBs) && x.hostMiBs > 0, what);
      t.true(Number.isFinite(x.hostXMemcpy) && x.hostXMemcpy > 0, what);
      t.is(x.requests, x.size === 4096 ? 32 : 16, what);
      /* one packet per request, no RPC per request, at most one signal each way per request */
      t.is(x.packets, 1, what);
      t.is(x.rpcs, 0, what);
      t.true(x.signalsSent > 0 && x.signalsSent <= 1, what);
      t.true(x.signalsReceived > 0 && x.signalsReceived <= 1, what);
      if (b.emulated) {
        t.true(x.virtualMiBs! > 0 && x.virtualXMemcpy! > 0 && x.syscalls! > 0, what);
        /* several requests in flight share wake-ups: fewer signals than at depth 1 on the RAM device */
        if (x.device === 'ram' && x.depth === 16) t.true(x.signalsSent < 1, what);
      } else {
        t.is(x.virtualMiBs, undefined, what);
      }
    }
  }
  const table = blockBenchTable(r);
  t.regex(table, /^kernel\s+device\s+op\s+size\s+qd\s+host MiB\/s/);
  t.regex(table, /memcpy floors \(same run\): nova 4K \d+ MiB\/s host/);
});
