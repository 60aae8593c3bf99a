/*
 * npm run bench's network part runs and yields a sane table: a row per kernel with the
 * packet-stream, card (nic_drv + e1000) and TCP figures and their ratios to the packet
 * streams (virtual-time columns on the emulated kernels only), and host <-> component TCP
 * over --nic tap in a namespace of the bench's own, or the reason it was skipped. No timing
 * thresholds: speed figures belong to the bench.
 */
import test from 'ava';
import { netBench, netBenchTable } from '../../tool/bench/net.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';

const ratio = (x: number | undefined, a: number | undefined, b: number) => (x ?? NaN).toFixed(6) === ((a ?? NaN) / b).toFixed(6);

test('net bench: packet streams, card frames/s, TCP and host TCP with ratios to the packet streams', async (t) => {
  t.timeout(15 * 60_000);
  const backends = kernelBackends(createContainer()).filter((b) => b.name === 'nova' || !b.emulated);
  const rows = await netBench(backends, { frames: 200, cardFrames: 100, bytes: 256 * 1024, hostBytes: 256 * 1024 });
  t.deepEqual(rows.map((r) => r.kernel), ['nova', 'linux']);
  for (const r of rows) {
    const k = r.kernel;
    t.true(r.nicHostMiBs > 0 && r.nicFramesPerS > 0 && r.cardFramesPerS > 0 && r.tcpHostMiBs > 0, k);
    t.true(ratio(r.cardXNic, r.cardFramesPerS, r.nicFramesPerS), `${k} card x NIC`);
    t.true(ratio(r.tcpXNic, r.tcpHostMiBs, r.nicHostMiBs), `${k} TCP x NIC`);
    const emulated = k !== 'linux';
    for (const v of [r.nicVirtualMiBs, r.cardVirtualFramesPerS, r.cardXNicVirtual, r.tcpVirtualMiBs, r.tcpXNicVirtual]) t.is(v !== undefined, emulated, k);
    if (r.hostSkipped !== undefined) {
      t.log(`host rows on ${k} skipped: ${r.hostSkipped}`);
      t.is(r.hostSendMiBs, undefined);
      t.regex(netBenchTable(rows), new RegExp(`host rows on ${k} skipped: \\S`));
    } else {
      t.true((r.hostSendMiBs ?? 0) > 0 && (r.hostReceiveMiBs ?? 0) > 0, `${k} host TCP`);
      t.true(ratio(r.hostSendXNic, r.hostSendMiBs, r.nicHostMiBs), `${k} host->c x NIC`);
      t.true(ratio(r.hostReceiveXNic, r.hostReceiveMiBs, r.nicHostMiBs), `${k} c->host x NIC`);
    }
  }
  const table = netBenchTable(rows);
  t.regex(table, /^host time:\nkernel\s+NIC MiB\/s\s+NIC fr\/s\s+card fr\/s\s+x NIC\s+TCP MiB\/s\s+x NIC\s+host->c\s+x NIC\s+c->host\s+x NIC\n/);
  t.regex(table, /\nvirtual time:\nkernel\s+NIC MiB\/s\s+card fr\/s\s+x NIC\s+TCP MiB\/s\s+x NIC\nnova /);
});
