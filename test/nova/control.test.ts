/* ec_ctrl (recall), sc_ctrl (time per SC) and pd_ctrl_debug, and their checks at the gate. */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import { coreGate } from '../../base-nova/src/core/core_gate.js';
import { BadArgument } from '../../base/src/loader/gate_args.js';
import { EcOp, EcRights, Sel, Status, UtcbHeader, memCrd, objCrd } from '../../base-nova/src/kernel/abi.js';

function boot(): Promise<{ hv: Hypervisor; core: Ec }> {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  return new Promise((resolve) => hv.bootRoot(0x20, 'core', 0x8000, (_a, core) => resolve({ hv, core })));
}

function ok(s: Status): void {
  if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
}

test('ec_ctrl recall marks the EC; it needs EC_RECALL on an EC; unknown operations are refused', async (t) => {
  const { hv, core } = await boot();
  ok(hv.createPd(core, 0x40, 'a'));
  ok(hv.createEc(core, 0x41, 0x40, 'a:main', 0x4000_0000, true, 0x100, 0));
  const a = hv.rootPd.objects.lookup(0x41)!.obj as Ec;
  t.is(hv.ecCtrl(core, EcOp.RECALL, 0x41), Status.SUCCESS);
  t.true(hv.ecRecalled(a));
  t.false(hv.ecRecalled(a), 'the recall is consumed once');
  t.is(hv.ecCtrl(core, EcOp.RECALL, 0x40), Status.INV_SELECTOR, 'a PD is not an EC');
  t.is(hv.ecCtrl(core, EcOp.RECALL, 0x999), Status.INV_SELECTOR);
  /* a holds its own EC without the recall right */
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, objCrd(0x41, 0, 0x1f & ~EcRights.RECALL), 0x30));
  t.is(hv.ecCtrl(a, EcOp.RECALL, 0x30), Status.INV_SELECTOR);
  t.is(hv.ecCtrl(a, EcOp.YIELD, 0), Status.SUCCESS);
  t.is(hv.ecCtrl(a, EcOp.MIGRATE, 0), Status.INV_FEATURE);
  t.is(hv.ecCtrl(a, 77, 0), Status.INV_PARAMETER);
  hv.haltPd(a.pd);
  t.is(hv.ecCtrl(core, EcOp.RECALL, 0x41), Status.IPC_ABORT, 'a halted EC is not recalled');
});

test('sc_ctrl returns the time an SC consumed, including what local ECs ran on it', async (t) => {
  const { hv, core } = await boot();
  ok(hv.createPd(core, 0x40, 'a'));
  ok(hv.createEc(core, 0x41, 0x40, 'a:main', 0x4000_0000, true, 0x100, 0));
  ok(hv.createEc(core, 0x42, 0x40, 'a:ep', 0x4000_1000, false, 0x200, 0));
  const main = hv.rootPd.objects.lookup(0x41)!.obj as Ec;
  const ep = hv.rootPd.objects.lookup(0x42)!.obj as Ec;
  let served = false;
  ok(hv.installCode(core, 0x40, 0x200, (_id, self) => {
    /* the server's work runs on the caller's SC */
    hv.afterUserWork(self, 1000, () => { served = true; hv.reply(self); });
  }));
  ok(hv.createPt(core, 0x43, 0x40, 0x42, 0, 0x200));
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, objCrd(0x43, 0, 0x2), 0x30));
  ok(hv.installCode(core, 0x40, 0x100, () => {}));
  ok(hv.createSc(core, 0x44, 0x40, 0x41, 10));
  t.deepEqual(hv.scCtrl(core, 0x44), { status: Status.SUCCESS, time: 0 });
  await new Promise<void>((r) => hv.afterUserWork(main, 2000, r));
  const afterOwn = hv.scCtrl(core, 0x44).time;
  t.true(afterOwn > 0);
  main.utcb[UtcbHeader.ITEMS] = 0;
  t.is(await new Promise<Status>((r) => hv.call(main, 0x30, r)), Status.SUCCESS);
  t.true(served);
  t.true(hv.scCtrl(core, 0x44).time > afterOwn, 'the local EC\'s work was charged to the caller\'s SC');
  t.is(ep.sc, undefined);
  t.is(hv.scCtrl(core, 0x41).status, Status.INV_SELECTOR, 'an EC is not an SC');
  t.is(hv.scCtrl(core, 0x44, 9).status, Status.INV_PARAMETER);
});

test('pd_ctrl_debug reports what a PD holds in the kernel', async (t) => {
  const { hv, core } = await boot();
  ok(hv.createPd(core, 0x40, 'a'));
  let d = hv.pdCtrlDebug(core, 0x40);
  t.deepEqual(d, { status: Status.SUCCESS, objects: 0, ecs: 0, kernelPages: 0, mappedPages: 0 });
  ok(hv.createEc(core, 0x41, 0x40, 'a:main', 0x4000_0000, true, 0x100, 0));
  ok(hv.createSm(core, 0x42, Sel.PD_SELF, 0));
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, objCrd(0x42), 0x30));
  const phys = hv.ramBase;
  hv.machine.memory.back(phys, 4 * 4096);
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, memCrd(phys >> 12, 2), 0x10000));
  d = hv.pdCtrlDebug(core, 0x40);
  t.deepEqual(d, { status: Status.SUCCESS, objects: 1, ecs: 1, kernelPages: 1, mappedPages: 1 + 4 });
  t.is(hv.pdCtrlDebug(core, 0x42).status, Status.INV_SELECTOR);
});

test('the gate checks the arguments of ec_ctrl, sc_ctrl and pd_ctrl_debug', async (t) => {
  const { hv, core } = await boot();
  const { gate, ref } = coreGate(hv);
  const me = ref(core);
  for (const bad of [-1, 1.5, 'x', 2 ** 40, undefined]) {
    t.throws(() => gate.ecCtrl(me, bad as never, 0), { instanceOf: BadArgument });
    t.throws(() => gate.ecCtrl(me, EcOp.RECALL, bad as never), { instanceOf: BadArgument });
    t.throws(() => gate.scCtrl(me, bad as never), { instanceOf: BadArgument });
    t.throws(() => gate.pdCtrlDebug(me, bad as never), { instanceOf: BadArgument });
  }
  t.throws(() => gate.scCtrl({} as never, 0));
  t.is(gate.ecCtrl(me, EcOp.RECALL, 0x20), Status.SUCCESS);
  t.true(Object.isFrozen(gate.scCtrl(me, 0x20)));
  t.is(gate.pdCtrlDebug(me, Sel.PD_SELF).status, Status.SUCCESS);
});

test('a recalled EC is held in its recall exception: its call and its reply wait until core answers', async (t) => {
  const { hv, core } = await boot();
  ok(hv.createPd(core, 0x40, 'a'));
  ok(hv.createEc(core, 0x41, 0x40, 'a:main', 0x4000_0000, true, 0x100, 0));
  ok(hv.createEc(core, 0x42, 0x40, 'a:ep', 0x4000_1000, false, 0x200, 0));
  const main = hv.rootPd.objects.lookup(0x41)!.obj as Ec;
  let served = 0;
  let serving: Ec | undefined;
  ok(hv.installCode(core, 0x40, 0x200, (_id, self) => {
    served++;
    serving = self;
  }));
  ok(hv.createPt(core, 0x43, 0x40, 0x42, 0, 0x200));
  ok(hv.delegate(core, Sel.PD_SELF, 0x40, objCrd(0x43, 0, 0x2), 0x30));
  ok(hv.installCode(core, 0x40, 0x100, () => {}));
  ok(hv.createSc(core, 0x44, 0x40, 0x41, 10));
  await new Promise((r) => setImmediate(r));
  main.utcb[UtcbHeader.ITEMS] = 0;

  /* recalled while blocked in a call: the reply is held */
  let replied = false;
  const first = new Promise<Status>((r) => hv.call(main, 0x30, r)).then((s) => { replied = true; return s; });
  t.is(served, 1);
  ok(hv.ecCtrl(core, EcOp.RECALL, 0x41));
  ok(hv.reply(serving!));
  await new Promise((r) => setImmediate(r));
  t.false(replied, 'the reply is held from a recalled EC');
  t.is(main.hold.holding, 1);
  ok(hv.recallReply(core, 0x41));
  t.is(await first, Status.SUCCESS);

  /* recalled before a call: the call does not reach the portal */
  ok(hv.ecCtrl(core, EcOp.RECALL, 0x41));
  const second = new Promise<Status>((r) => hv.call(main, 0x30, r));
  await new Promise((r) => setImmediate(r));
  t.is(served, 1, 'a recalled EC\'s call is not carried out');
  ok(hv.recallReply(core, 0x41));
  await new Promise((r) => setImmediate(r));
  t.is(served, 2);
  ok(hv.reply(serving!));
  t.is(await second, Status.SUCCESS);

  /* only core answers a recall, and only for an EC */
  t.is(hv.recallReply(main, 0x30), Status.INV_SELECTOR);
  t.is(hv.recallReply(core, 0x40), Status.INV_SELECTOR);
});
