/*
 * NOVA's helping: a caller that finds a portal's local EC busy lends its SC to it. The
 * work the EC still has to do for its current client runs at the helper's priority and is
 * charged to the helper's SC (sc_ctrl TIME); when the EC replies to its client, the
 * helpers retry their calls, the one of highest priority first.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import { CYCLES_PER_TICK } from '../../base/src/loader/cpu_meter.js';
import { Sel, Status, UtcbHeader, objCrd } from '../../base-nova/src/kernel/abi.js';

/** Ticks of user work the server does per call (8 ms of virtual time at the PC's TSC). */
const WORK = 1_000_000;

function ok(s: Status): void {
  if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
}

interface World {
  hv: Hypervisor;
  core: Ec;
  ep: Ec;
  /** Global ECs by name, each with an SC at the given priority; selector of its SC. */
  ecs: Map<string, { ec: Ec; sc: number }>;
  /** The order in which the server started serving its callers. */
  served: string[];
  workUs: number;
}

async function world(prios: Record<string, number>): Promise<World> {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  const core = await new Promise<Ec>((resolve) => hv.bootRoot(0x20, 'core', 0x8000, (_a, c) => resolve(c)));
  ok(hv.createPd(core, 0x40, 'a'));
  ok(hv.createEc(core, 0x42, 0x40, 'a:ep', 0x4000_0000, false, 0x200, 0));
  const ep = hv.rootPd.objects.lookup(0x42)!.obj as Ec;
  const served: string[] = [];
  /* the server: WORK ticks of user work for every call, then the reply */
  ok(hv.installCode(core, 0x40, 0x200, (_id, self) => {
    served.push(self.caller!.ec.name);
    hv.afterUserWork(self, WORK, () => hv.reply(self));
  }));
  ok(hv.createPt(core, 0x43, 0x40, 0x42, 0, 0x200));
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, objCrd(0x43, 0, 0x2), 0x30));
  ok(hv.installCode(core, 0x40, 0x100, () => {}));
  const ecs = new Map<string, { ec: Ec; sc: number }>();
  let sel = 0x50;
  for (const [name, prio] of Object.entries(prios)) {
    const ecSel = sel++;
    const scSel = sel++;
    ok(hv.createEc(core, ecSel, 0x40, name, 0x4000_0000 + 0x1000 * (ecs.size + 1), true, 0x100, 0));
    const ec = hv.rootPd.objects.lookup(ecSel)!.obj as Ec;
    ok(hv.createSc(core, scSel, 0x40, ecSel, prio));
    ec.utcb[UtcbHeader.ITEMS] = 0;
    ecs.set(name, { ec, sc: scSel });
  }
  const workUs = (WORK * CYCLES_PER_TICK * 1e6) / hv.machine.clock.tscHz;
  return { hv, core, ep, ecs, served, workUs };
}

function call(w: World, name: string, done: string[]): Promise<Status> {
  return new Promise<Status>((resolve) => w.hv.call(w.ecs.get(name)!.ec, 0x30, (s) => {
    done.push(name);
    resolve(s);
  }));
}

const time = (w: World, name: string) => w.hv.scCtrl(w.core, w.ecs.get(name)!.sc).time;

test('a helper runs the busy server\'s work on its own SC, and retries its call when the server replies', async (t) => {
  const w = await world({ low: 10, high: 50 });
  const done: string[] = [];
  const low = call(w, 'low', done);
  t.is(w.ep.caller?.ec.name, 'low', 'the server serves low');
  const high = call(w, 'high', done);
  t.deepEqual(w.served, ['low'], 'high found the server busy: it helps instead of being served');
  t.is(w.ep.callQueue.length, 1);
  t.is(await low, Status.SUCCESS);
  t.deepEqual(done, ['low'], 'the server replied to its client first');
  t.true(time(w, 'low') < w.workUs * 0.01, `low's SC ran none of its call's work (${time(w, 'low')} us)`);
  t.true(time(w, 'high') >= w.workUs * 0.99, `high's SC ran the work it helped with (${time(w, 'high')} us of ${w.workUs})`);
  t.is(await high, Status.SUCCESS, 'the helper retried its call and was served');
  t.deepEqual(w.served, ['low', 'high']);
  t.true(time(w, 'high') >= 2 * w.workUs * 0.99, 'and its own call\'s work ran on its SC too');
  t.is(w.ep.callQueue.length, 0);
});

test('the helped work runs at the helper\'s priority: ahead of work of a priority between client and helper', async (t) => {
  const w = await world({ low: 10, mid: 30, high: 50 });
  const order: string[] = [];
  const low = call(w, 'low', order);
  /* mid computes as long as the server does, ready before the helper comes */
  const mid = new Promise<void>((r) => w.hv.afterUserWork(w.ecs.get('mid')!.ec, WORK, () => { order.push('mid'); r(); }));
  const high = call(w, 'high', order);
  await Promise.all([low, mid, high]);
  t.deepEqual(order, ['low', 'high', 'mid'], 'the server\'s work and the helper\'s call ran before mid\'s work');
  t.true(time(w, 'mid') >= w.workUs * 0.99);

  /* without a helper the same work waits behind mid (low's priority) */
  const v = await world({ low: 10, mid: 30 });
  const order2: string[] = [];
  const low2 = call(v, 'low', order2);
  const mid2 = new Promise<void>((r) => v.hv.afterUserWork(v.ecs.get('mid')!.ec, WORK, () => { order2.push('mid'); r(); }));
  await Promise.all([low2, mid2]);
  t.deepEqual(order2, ['mid', 'low']);
  t.true(time(v, 'low') >= v.workUs * 0.99, 'unhelped, the client\'s SC ran its call\'s work');
});

test('helpers retry in priority order, and a lower helper does not take the SC from a higher one', async (t) => {
  const w = await world({ low: 10, mid: 30, high: 50 });
  const done: string[] = [];
  const low = call(w, 'low', done);
  const mid = call(w, 'mid', done);
  const high = call(w, 'high', done);
  t.is(w.ep.callQueue.length, 2);
  await Promise.all([low, mid, high]);
  t.deepEqual(w.served, ['low', 'high', 'mid'], 'high retried first although mid came first');
  t.deepEqual(done, ['low', 'high', 'mid']);
  t.true(time(w, 'low') < w.workUs * 0.01);
  /* high ran low's call's work (helping, at the highest priority) and its own call's; mid, helping while high was served, ran mid's own only */
  t.true(Math.abs(time(w, 'high') - 2 * w.workUs) < w.workUs * 0.02, `high: ${time(w, 'high')} us`);
  t.true(Math.abs(time(w, 'mid') - w.workUs) < w.workUs * 0.02, `mid: ${time(w, 'mid')} us`);
});
