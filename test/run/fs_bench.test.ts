/*
 * npm run bench's file part runs and yields a sane table: a write and a read row per
 * kernel, file and Block throughputs positive, the ratio present (cycles on the emulated
 * kernels only). No timing thresholds: speed figures belong to the bench.
 */
import test from 'ava';
import { fsBench, fsBenchTable } from '../../tool/bench/fs.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';

test('fs bench: write and read rows with file and Block throughput and their ratio', async (t) => {
  t.timeout(5 * 60_000);
  const backends = kernelBackends(createContainer()).filter((b) => b.name === 'nova' || !b.emulated);
  const rows = await fsBench(backends);
  t.deepEqual(rows.map((r) => `${r.kernel} ${r.op}`), ['nova write', 'nova read', 'linux write', 'linux read']);
  for (const r of rows) {
    const what = `${r.kernel} ${r.op}`;
    t.true(r.fsHostMiBs > 0 && r.blockHostMiBs > 0 && Number.isFinite(r.hostXBlock), what);
    t.is(r.hostXBlock.toFixed(6), (r.blockHostMiBs / r.fsHostMiBs).toFixed(6), what);
    t.is(r.cyclesXBlock === undefined, r.kernel === 'linux', what);
  }
  t.regex(fsBenchTable(rows), /^kernel\s+op\s+file MiB\/s/);
});
