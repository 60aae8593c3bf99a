/* The emulated NOVA kernel on its own: objects, IPC with typed items, revoke, semaphores, time. */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import {
  CrdType, ItemFlags, PtRights, Sel, SmOp, Status, UTCB_WORDS, UtcbHeader, decodeCrd, encodeCrd, memCrd, objCrd,
} from '../../base-nova/src/kernel/abi.js';

const CORE_EC = 0x20;

/** Boots a hypervisor and hands the test core's first EC. */
function boot(): Promise<{ hv: Hypervisor; core: Ec }> {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  return new Promise((resolve) => hv.bootRoot(CORE_EC, 'core', 0x8000, (_a, core) => resolve({ hv, core })));
}

const call = (hv: Hypervisor, ec: Ec, sel: number) => new Promise<Status>((r) => hv.call(ec, sel, r));

/** A PD with a local EC serving one portal whose handler adds 1 to word 0 and echoes items. */
function server(hv: Hypervisor, core: Ec, base: number) {
  const [pd, ec, pt] = [base, base + 1, base + 2];
  t_ok(hv.createPd(core, pd, 'server'));
  t_ok(hv.createEc(core, ec, pd, 'server:ep', 0x4000_0000, false, 0x100, 0));
  t_ok(hv.installCode(core, pd, 0x100, (id, self) => {
    const u = self.utcb;
    u[4] = u[4]! + 1 + id;
    hv.reply(self);
  }));
  t_ok(hv.createPt(core, pt, pd, ec, 0, 0x100));
  t_ok(hv.ptCtrl(core, pt, 0));
  return { pd, ec, pt };
}

function t_ok(s: Status): void {
  if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
}

test('call and reply carry untyped words and the portal id', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core, 0x40);
  t.is(hv.ptCtrl(core, s.pt, 10), Status.SUCCESS);
  core.utcb[UtcbHeader.ITEMS] = 1;
  core.utcb[4] = 31;
  t.is(await call(hv, core, s.pt), Status.SUCCESS);
  t.is(core.utcb[4], 42);
  t.true(hv.accounting.snapshot().asSwitch >= 2);
});

test('calling a selector that names nothing, or not a portal, fails', async (t) => {
  const { hv, core } = await boot();
  t.is(await call(hv, core, 0x999), Status.INV_SELECTOR);
  t.is(hv.createSm(core, 0x50, Sel.PD_SELF, 0), Status.SUCCESS);
  t.is(await call(hv, core, 0x50), Status.INV_SELECTOR);
});

test('typed items delegate into the receive window and translate back', async (t) => {
  const { hv, core } = await boot();
  const [pd, ec, pt] = [0x60, 0x61, 0x62];
  let received = 0;
  t.is(hv.createPd(core, pd, 'rcv'), Status.SUCCESS);
  t.is(hv.createEc(core, ec, pd, 'rcv:ep', 0x4000_0000, false, 0x100, 0), Status.SUCCESS);
  hv.installCode(core, pd, 0x100, (_id, self) => {
    const items = self.utcb[UtcbHeader.ITEMS]! >>> 16;
    if (items === 1) received = decodeCrd(self.utcb[UTCB_WORDS - 2]!).base;
    /* send the capability back: the kernel translates it to the caller's own selector */
    self.utcb[UtcbHeader.ITEMS] = 1 << 16;
    self.utcb[UTCB_WORDS - 2] = encodeCrd(objCrd(received, 0, PtRights.CALL));
    self.utcb[UTCB_WORDS - 1] = ItemFlags.TRANSLATE;
    hv.reply(self);
  });
  t.is(hv.createPt(core, pt, pd, ec, 0, 0x100), Status.SUCCESS);
  /* the receiver's window: selectors 0x80..0x83 */
  const rcvEc = hv.rootPd.objects.lookup(ec)!.obj as Ec;
  rcvEc.utcb[UtcbHeader.CRD_RCV] = encodeCrd(objCrd(0x80, 2));
  t.is(hv.createSm(core, 0x70, Sel.PD_SELF, 0), Status.SUCCESS);
  /* the caller's translate window covers its selectors */
  core.utcb[UtcbHeader.CRD_XLT] = encodeCrd(objCrd(0, 20));
  core.utcb[UtcbHeader.ITEMS] = 1 << 16;
  core.utcb[UTCB_WORDS - 2] = encodeCrd(objCrd(0x70));
  core.utcb[UTCB_WORDS - 1] = ItemFlags.TRANSLATE;
  t.is(await call(hv, core, pt), Status.SUCCESS);
  t.is(received, 0x80);
  const back = decodeCrd(core.utcb[UTCB_WORDS - 2]!);
  t.is(back.type, CrdType.OBJ);
  t.is(back.base, 0x70, 'translated to the sender\'s own selector');
});

test('revoke removes derived capabilities everywhere; calls then fail', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core, 0x40);
  t.is(hv.createPd(core, 0x48, 'client'), Status.SUCCESS);
  t.is(hv.delegate(core, Sel.PD_SELF, 0x48, objCrd(s.pt, 0, PtRights.CALL), 0x30), Status.SUCCESS);
  t.is(hv.createEc(core, 0x49, 0x48, 'client:main', 0x4000_0000, true, 0x200, 0), Status.SUCCESS);
  const client = hv.rootPd.objects.lookup(0x49)!.obj as Ec;
  client.utcb[UtcbHeader.ITEMS] = 1;
  t.is(await call(hv, client, 0x30), Status.SUCCESS);
  t.is(hv.revoke(core, objCrd(s.pt), false), Status.SUCCESS);
  t.is(await call(hv, client, 0x30), Status.INV_SELECTOR);
  t.is(await call(hv, core, s.pt), Status.SUCCESS, 'the revoker keeps its own capability');
});

test('a client cannot control a portal it may only call', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core, 0x40);
  t.is(hv.createPd(core, 0x48, 'client'), Status.SUCCESS);
  t.is(hv.delegate(core, Sel.PD_SELF, 0x48, objCrd(s.pt, 0, PtRights.CALL), 0x30), Status.SUCCESS);
  t.is(hv.createEc(core, 0x49, 0x48, 'client:main', 0x4000_0000, true, 0x200, 0), Status.SUCCESS);
  const client = hv.rootPd.objects.lookup(0x49)!.obj as Ec;
  t.is(hv.ptCtrl(client, 0x30, 99), Status.INV_SELECTOR);
});

test('semaphores block, wake, and time out in virtual time', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.createSm(core, 0x50, Sel.PD_SELF, 0), Status.SUCCESS);
  const woken = hv.smCtrl(core, 0x50, SmOp.DOWN);
  t.true(woken instanceof Promise);
  t.is(hv.smCtrl(core, 0x50, SmOp.UP), Status.SUCCESS);
  t.is(await woken, Status.SUCCESS);
  const before = hv.tsc();
  const deadline = before + 2_000_000_000; // one virtual second at 2 GHz
  const start = performance.now();
  t.is(await hv.smCtrl(core, 0x50, SmOp.DOWN, deadline), Status.TIMEOUT);
  t.true(hv.tsc() >= deadline);
  t.true(performance.now() - start < 1000, 'virtual time jumps, no real waiting');
});

test('a semaphore timeout ends when its time has come, while the CPU stays busy', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.createSm(core, 0x50, Sel.PD_SELF, 0), Status.SUCCESS);
  const deadline = hv.tsc() + 2_000_000; // a virtual millisecond
  let status: Status | undefined;
  void (hv.smCtrl(core, 0x50, SmOp.DOWN, deadline) as Promise<Status>).then((s) => (status = s));
  /* user work without a pause: the idle loop never runs, the time passes all the same */
  for (let i = 0; i < 10_000 && hv.tsc() < deadline + 1_000_000; i++) hv.chargeUser(1000);
  t.true(hv.tsc() > deadline);
  await Promise.resolve();
  await Promise.resolve();
  t.is(status, Status.TIMEOUT);
});

test('signal semaphores coalesce submissions and deliver the imprint', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.createSm(core, 0x50, Sel.PD_SELF, 0), Status.SUCCESS);
  t.is(hv.createSi(core, 0x51, Sel.PD_SELF, 77, 0x50), Status.SUCCESS);
  for (let i = 0; i < 3; i++) hv.smCtrl(core, 0x51, SmOp.UP);
  const s = await hv.waitSignal(core, 0x50);
  t.deepEqual([s.status, s.imprint, s.count], [Status.SUCCESS, 77, 3]);
});

test('memory delegated to a PD is visible to it and gone after revoke', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.createPd(core, 0x48, 'client'), Status.SUCCESS);
  t.is(hv.createEc(core, 0x49, 0x48, 'client:main', 0x4000_0000, true, 0x200, 0), Status.SUCCESS);
  const client = hv.rootPd.objects.lookup(0x49)!.obj as Ec;
  const phys = hv.ramBase;
  hv.machine.memory.back(phys, 4096); // RAM is backed per allocation, as core allocates it
  hv.memoryView(core, phys, 4)!.set([9, 8, 7, 6]);
  t.is(hv.delegate(core, Sel.PD_SELF, 0x48, memCrd(phys >> 12, 0), 0x10000), Status.SUCCESS);
  t.deepEqual([...hv.memoryView(client, 0x10000 << 12, 4)!], [9, 8, 7, 6]);
  t.is(hv.memoryView(client, (0x10000 << 12) + 4096, 4), undefined, 'only what was delegated');
  t.is(hv.revoke(core, memCrd(phys >> 12, 0), false), Status.SUCCESS);
  t.is(hv.memoryView(client, 0x10000 << 12, 4), undefined);
});

test('a halted system is reported', async (t) => {
  const { hv, core } = await boot();
  t.is(hv.createSm(core, 0x50, Sel.PD_SELF, 0), Status.SUCCESS);
  const halted = new Promise<void>((r) => hv.onHalt(r));
  void hv.smCtrl(core, 0x50, SmOp.DOWN);
  await halted;
  t.true(hv.halted);
});

test('a second call through an EC that waits in a call is refused; the first completes', async (t) => {
  const { hv, core } = await boot();
  const [pd, ec, pt] = [0x70, 0x71, 0x72];
  t_ok(hv.createPd(core, pd, 'slow'));
  t_ok(hv.createEc(core, ec, pd, 'slow:ep', 0x4000_0000, false, 0x100, 0));
  let serving: Ec | undefined;
  t_ok(hv.installCode(core, pd, 0x100, (_id, self) => { serving = self; }));
  t_ok(hv.createPt(core, pt, pd, ec, 0, 0x100));
  core.utcb[UtcbHeader.ITEMS] = 1;
  core.utcb[4] = 5;
  const first = call(hv, core, pt);
  await new Promise((r) => setImmediate(r));
  t.truthy(serving, 'the server got the first call');
  t.is(await call(hv, core, pt), Status.INV_PARAMETER);
  serving!.utcb[4] = 6;
  t.is(hv.reply(serving!), Status.SUCCESS);
  t.is(await first, Status.SUCCESS);
  t.is(core.utcb[4], 6);
});

test('revoke and delegate of a range of order 31 cost what the space holds, not 2^31 steps', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core, 0x80);
  const client = 0x90;
  t_ok(hv.createPd(core, client, 'client'));
  t.is(hv.delegate(core, Sel.PD_SELF, client, objCrd(0, 31), 0), Status.SUCCESS);
  t.is(hv.revoke(core, objCrd(s.pt, 0), false), Status.SUCCESS);
  t.is(hv.revoke(core, objCrd(0, 31), false), Status.SUCCESS);
  t.is(hv.revokeRemote(core, client, objCrd(0, 31)), Status.SUCCESS);
  t.is(await call(hv, core, s.pt), Status.SUCCESS, 'core keeps its own capabilities');
});
