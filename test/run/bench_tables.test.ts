/*
 * npm run bench's idle, scale and matrix parts run and yield sane tables: the idle demo's
 * CPU share per kernel against the 2 % target, the scale rows (boot time, host memory per
 * component, init's quota before and after the teardown, or the backend's refusal in the
 * row), and the matrix's wall time, jobs and parallelism through the matrix's own runner.
 * No timing thresholds: speed figures belong to the bench.
 */
import test from 'ava';
import { idleDemoCpuShare, idleTable, IDLE_TARGET_SHARE } from '../../tool/bench/idle_cpu.js';
import { parseAccount, quotaDifference, scale, scaleInFreshProcess, scaleSeries, scaleTable, type ScaleResult } from '../../tool/bench/scale.js';
import { matrixBench, matrixTable } from '../../tool/bench/matrix.js';
import { createContainer, kernelBackends } from '../../tool/runner/container.js';

const backend = (name: string, linux = {}) => kernelBackends(createContainer(linux)).find((b) => b.name === name)!;

test('scale series: BENCH_SCALE_CHILDREN and BENCH_SCALE_DEPTH, bad values named', (t) => {
  t.deepEqual(scaleSeries({}), [{ children: 10, depth: 0 }, { children: 100, depth: 0 }, { children: 1000, depth: 0 }, { children: 0, depth: 10 }]);
  t.deepEqual(scaleSeries({ BENCH_SCALE_CHILDREN: '5, 7', BENCH_SCALE_DEPTH: '0' }), [{ children: 5, depth: 0 }, { children: 7, depth: 0 }]);
  t.throws(() => scaleSeries({ BENCH_SCALE_CHILDREN: '10,-1' }), { message: /^BENCH_SCALE_CHILDREN=10,-1: "-1" is not a count/ });
  t.throws(() => scaleSeries({ BENCH_SCALE_DEPTH: 'x' }), { message: /^BENCH_SCALE_DEPTH=x: / });
});

test('init\'s quota report parsed, differences named', (t) => {
  const a = parseAccount('[init -> sub] config version "0": 0 children, ram 100 of 200 free, caps 5 of 9 free, capability space 20');
  t.deepEqual(a, { version: 0, account: { ramFree: 100, ramQuota: 200, capsFree: 5, capQuota: 9, capSpace: 20 } });
  t.is(parseAccount('[init -> sub] config version "1": 3 children, ram 1 of 2 free, caps 1 of 2 free'), undefined);
  t.is(quotaDifference(a!.account, { ...a!.account }), 'all returned');
  t.is(quotaDifference(a!.account, { ...a!.account, ramFree: 90, capQuota: 8 }), 'ram free -10, cap quota -1');
});

test('scale rows: figures and the teardown on an emulated kernel, the backend\'s refusal in the row', async (t) => {
  t.timeout(10 * 60_000);
  const rows: ScaleResult[] = [await scale(backend('nova'), { children: 3, depth: 0 }), await scale(backend('nova'), { children: 0, depth: 2 })];
  t.deepEqual(rows.map((r) => [r.shape, r.components]), [['3 children', 3], ['2 nested inits', 3]]);
  for (const r of rows) {
    t.is(r.refused, undefined, r.refused);
    t.true(r.bootMs! > 0 && Math.abs(r.msPerComponent! * r.components - r.bootMs!) < 1e-6);
    t.true(Number.isFinite(r.rssKiBPerComponent) && Number.isFinite(r.heapKiBPerComponent));
    t.is(r.allReturned, quotaDifference(r.before!, r.after!) === 'all returned');
  }
  /* linux with room for 5 components (core's count includes init, the driver and sub) */
  const refused = await scale(backend('linux', { maxComponents: 5 }), { children: 4, depth: 0 });
  t.regex(refused.refused ?? '', /^refused: \[init -> sub\] Error: .*beyond the limit of 5/);
  const table = scaleTable([...rows, refused]);
  t.regex(table, /^kernel\s+shape\s+components\s+boot ms\s+ms\/comp\.\s+RSS KiB\/c\.\s+heap KiB\/c\.\s+quota after teardown\n/);
  t.regex(table, /\nnova\s+3 children\s+3\s+\d+\s+[\d.]+\s+-?\d+\s+-?\d+\s+(all returned|.*-\d+)\n/);
  t.regex(table, /\nlinux\s+4 children\s+4\s+refused: \[init -> sub\] Error: /);
});

test('scale rows in a fresh process each: the row comes back whole, a bad kernel name as the row\'s failure', async (t) => {
  t.timeout(10 * 60_000);
  const row = await scaleInFreshProcess('okl4', { children: 2, depth: 0 });
  t.is(row.refused, undefined, row.refused);
  t.like(row, { kernel: 'okl4', shape: '2 children', components: 2, allReturned: true });
  t.true(row.bootMs! > 0 && Number.isFinite(row.rssKiBPerComponent) && Number.isFinite(row.heapKiBPerComponent));
  const bad = await scaleInFreshProcess('nope', { children: 2, depth: 0 });
  t.deepEqual(bad, { kernel: 'nope', shape: '2 children', components: 2, refused: 'failed: scale_child: no kernel "nope" (one of nova, fiasco, okl4, linux)' });
});

test('idle demo: a share of one core, measured against the target', async (t) => {
  t.timeout(5 * 60_000);
  const r = await idleDemoCpuShare(backend('nova'), { settleMs: 100, measureMs: 200, windows: 3 });
  t.is(r.kernel, 'nova');
  t.true(r.share >= 0 && Number.isFinite(r.share));
  t.true(r.min! <= r.share && r.share <= r.max!, 'the median window lies between the lowest and the highest');
  t.is(r.windows, 3);
  t.is(r.met, r.share < IDLE_TARGET_SHARE);
  t.regex(idleTable([r, { kernel: 'linux', share: 0.005, measureMs: 1, met: true }]), /^nova\s+\d+\.\d % of one core \(target < 2 %\): (met|NOT met) \(windows \d+\.\d %-\d+\.\d %\)\nlinux\s+0\.5 % of one core \(target < 2 %\): met$/);
});

test('matrix: a share run through the matrix\'s runner, wall time, jobs and parallelism', async (t) => {
  t.timeout(10 * 60_000);
  const backends = kernelBackends(createContainer());
  await t.throwsAsync(matrixBench(backends, '3/2'), { message: /^BENCH_MATRIX_SHARD=3\/2: give i\/n/ });
  const m = await matrixBench(backends, '1/400');
  t.is(m.shard, '1/400');
  t.true(m.pairs >= 1 && m.runs >= m.pairs && m.runs <= 2 * m.pairs);
  t.deepEqual(m.failed, []);
  t.true(m.jobs >= 1 && m.wallMs > 0 && m.sumRunMs > 0);
  t.is(m.parallelism, m.sumRunMs / m.wallMs);
  t.regex(matrixTable(m), new RegExp(`^share 1/400 of the matrix: ${m.pairs} scenario-kernel pairs, ${m.runs} tool/run processes, ${m.jobs} at once \\(GENODE_TEST_JOBS\\)\\nwall [\\d.]+ s, sum of the runs [\\d.]+ s: parallelism [\\d.]+ of ${m.jobs}\\nall passed$`));
});
