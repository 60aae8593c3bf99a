/*
 * Capability transfer as NOVA does it: delegation never adds rights (core imprints portal
 * ids itself), and translate finds only an ancestor of the sent capability that lies in
 * the receiver's translate window; otherwise the item is delegated into the receive window.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import {
  CrdType, ItemFlags, PtRights, Sel, SmRights, Status, UTCB_WORDS, UtcbHeader, decodeCrd, encodeCrd, objCrd, type Crd,
} from '../../base-nova/src/kernel/abi.js';

function boot(): Promise<{ hv: Hypervisor; core: Ec }> {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  return new Promise((resolve) => hv.bootRoot(0x20, 'core', 0x8000, (_a, core) => resolve({ hv, core })));
}

function ok(s: Status): void {
  if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
}

const call = (hv: Hypervisor, ec: Ec, sel: number) => new Promise<Status>((r) => hv.call(ec, sel, r));

/**
 * A PD with a local EC behind portal `base + 2`; its handler records the id and the first
 * received item, and sends back whatever `reply` says (an item or nothing).
 */
function receiver(hv: Hypervisor, core: Ec, base: number, name: string) {
  const [pd, ec, pt] = [base, base + 1, base + 2];
  const seen = { id: -1, item: undefined as Crd | undefined, reply: undefined as Crd | undefined };
  ok(hv.createPd(core, pd, name));
  ok(hv.createEc(core, ec, pd, `${name}:ep`, 0x4000_0000, false, 0x100, 0));
  ok(hv.installCode(core, pd, 0x100, (id, self) => {
    const u = self.utcb;
    seen.id = id;
    seen.item = (u[UtcbHeader.ITEMS]! >>> 16) > 0 ? decodeCrd(u[UTCB_WORDS - 2]!) : undefined;
    u[UtcbHeader.ITEMS] = seen.reply ? 1 << 16 : 0;
    if (seen.reply) {
      u[UTCB_WORDS - 2] = encodeCrd(seen.reply);
      u[UTCB_WORDS - 1] = ItemFlags.TRANSLATE;
    }
    hv.reply(self);
  }));
  ok(hv.createPt(core, pt, pd, ec, 0, 0x100));
  const local = hv.rootPd.objects.lookup(ec)!.obj as Ec;
  local.utcb[UtcbHeader.CRD_RCV] = encodeCrd(objCrd(0x80, 2));
  local.utcb[UtcbHeader.CRD_XLT] = encodeCrd(objCrd(0, 20));
  return { pd, ec, pt, local, seen };
}

function sendItem(ec: Ec, crd: Crd, flags = ItemFlags.TRANSLATE): void {
  ec.utcb[UtcbHeader.ITEMS] = 1 << 16;
  ec.utcb[UTCB_WORDS - 2] = encodeCrd(crd);
  ec.utcb[UTCB_WORDS - 1] = flags;
}

test('a portal delegated to the PD whose EC serves it gains no PT_CTRL; core imprints its id', async (t) => {
  const { hv, core } = await boot();
  const r = receiver(hv, core, 0x40, 'server');
  /* a second portal of the server's EC, as core creates one per RPC object */
  const obj = 0x50;
  ok(hv.createPt(core, obj, r.pd, r.ec, 0, 0x100));
  sendItem(core, objCrd(obj, 0, PtRights.CALL));
  t.is(await call(hv, core, r.pt), Status.SUCCESS);
  t.is(r.seen.item?.type, CrdType.OBJ);
  const there = r.seen.item!.base;
  t.is(hv.lookupCrd(r.local, there).rights, PtRights.CALL, 'only what core offered');
  t.is(hv.ptCtrl(r.local, there, 7), Status.INV_SELECTOR, 'the serving PD cannot set the id');
  /* core created the portal and holds PT_CTRL: it imprints the id the server dispatches on */
  t.is(hv.ptCtrl(core, obj, there), Status.SUCCESS);
  core.utcb[UtcbHeader.ITEMS] = 0;
  t.is(await call(hv, core, obj), Status.SUCCESS);
  t.is(r.seen.id, there);
});

test('passing a capability on with every right offered gives at most what the sender holds', async (t) => {
  const { hv, core } = await boot();
  const a = receiver(hv, core, 0x40, 'a');
  const b = receiver(hv, core, 0x48, 'b');
  ok(hv.createSm(core, 0x60, Sel.PD_SELF, 0));
  ok(hv.delegate(core, Sel.PD_SELF, a.pd, objCrd(0x60, 0, SmRights.UP), 0x30));
  ok(hv.delegate(core, Sel.PD_SELF, a.pd, objCrd(b.pt, 0, PtRights.CALL), 0x31));
  sendItem(a.local, objCrd(0x30, 0, 0x1f), ItemFlags.DELEGATE);
  t.is(await call(hv, a.local, 0x31), Status.SUCCESS);
  t.is(b.seen.item?.base, 0x80);
  t.is(hv.lookupCrd(b.local, 0x80).rights, SmRights.UP);
});

test('translate walks the mapping database up to the receiver\'s entry within its translate window', async (t) => {
  const { hv, core } = await boot();
  const r = receiver(hv, core, 0x40, 'server');
  ok(hv.createSm(core, 0x60, Sel.PD_SELF, 0));
  ok(hv.delegate(core, Sel.PD_SELF, r.pd, objCrd(0x60, 0, SmRights.UP), 0x30));
  /* the server sends its derived capability back: core's own entry is its parent */
  r.seen.reply = objCrd(0x30, 0, SmRights.UP);
  core.utcb[UtcbHeader.CRD_XLT] = encodeCrd(objCrd(0x40, 5)); // 0x40..0x5f: not 0x60
  core.utcb[UtcbHeader.CRD_RCV] = encodeCrd(objCrd(0x90, 2));
  core.utcb[UtcbHeader.ITEMS] = 0;
  t.is(await call(hv, core, r.pt), Status.SUCCESS);
  let got = decodeCrd(core.utcb[UTCB_WORDS - 2]!);
  t.deepEqual([got.type, got.base], [CrdType.OBJ, 0x90], 'outside the window: delegated into the receive window');
  core.utcb[UtcbHeader.CRD_RCV] = 0;
  core.utcb[UtcbHeader.ITEMS] = 0;
  t.is(await call(hv, core, r.pt), Status.SUCCESS);
  got = decodeCrd(core.utcb[UTCB_WORDS - 2]!);
  t.is(got.type, CrdType.NULL, 'no window entry is an ancestor (0x90 is a descendant) and no receive window: null');
  core.utcb[UtcbHeader.CRD_XLT] = encodeCrd(objCrd(0, 20));
  core.utcb[UtcbHeader.ITEMS] = 0;
  t.is(await call(hv, core, r.pt), Status.SUCCESS);
  got = decodeCrd(core.utcb[UTCB_WORDS - 2]!);
  t.deepEqual([got.type, got.base, got.rights], [CrdType.OBJ, 0x60, 0x1f], 'core\'s own entry, with its rights');
  core.utcb[UtcbHeader.CRD_XLT] = 0;
  core.utcb[UtcbHeader.ITEMS] = 0;
  t.is(await call(hv, core, r.pt), Status.SUCCESS);
  t.is(decodeCrd(core.utcb[UTCB_WORDS - 2]!).type, CrdType.NULL, 'no translate window: nothing translates');
});

test('a capability the receiver holds through a sibling delegation is not translated', async (t) => {
  const { hv, core } = await boot();
  const a = receiver(hv, core, 0x40, 'a');
  const b = receiver(hv, core, 0x48, 'b');
  ok(hv.createSm(core, 0x60, Sel.PD_SELF, 0));
  ok(hv.delegate(core, Sel.PD_SELF, a.pd, objCrd(0x60, 0, SmRights.UP), 0x30));
  ok(hv.delegate(core, Sel.PD_SELF, b.pd, objCrd(0x60, 0, SmRights.UP), 0x30));
  ok(hv.delegate(core, Sel.PD_SELF, a.pd, objCrd(b.pt, 0, PtRights.CALL), 0x31));
  sendItem(a.local, objCrd(0x30, 0, SmRights.UP));
  t.is(await call(hv, a.local, 0x31), Status.SUCCESS);
  t.is(b.seen.item?.base, 0x80, 'b\'s 0x30 is a sibling, not an ancestor: delegated anew');
  /* b passes its new one back to a: a's 0x30 is its ancestor */
  ok(hv.delegate(core, Sel.PD_SELF, b.pd, objCrd(a.pt, 0, PtRights.CALL), 0x31));
  sendItem(b.local, objCrd(0x80, 0, SmRights.UP));
  t.is(await call(hv, b.local, 0x31), Status.SUCCESS);
  t.is(a.seen.item?.base, 0x30, 'translated to a\'s own selector');
});
