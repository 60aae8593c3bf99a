/*
 * The NOVA glue: message counts are checked before they become the UTCB's items word, a
 * malformed reply becomes an error reply, and selectors are counted per arrival so that
 * releasing what arrived frees exactly what nobody else holds.
 */
import test from 'ava';
import { MessageOverflow } from '../../base/src/errors.js';
import { MsgReader, str } from '../../base/src/rpc/types.js';
import { ReplyCode } from '../../base/src/rpc/protocol.js';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor } from '../../base-nova/src/kernel/hypervisor.js';
import { coreGate } from '../../base-nova/src/core/core_gate.js';
import type { NovaSyscalls, EcRef } from '../../base-nova/src/kernel/syscall_gate.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import { CrdType, Sel, UTCB_HEADER_WORDS, UtcbHeader, decodeCrd } from '../../base-nova/src/kernel/abi.js';
import { NovaIpcThread, MAX_UNTYPED } from '../../base-nova/src/lib/ipc_thread.js';
import { NovaCapability } from '../../base-nova/src/lib/capability.js';
import { SELECTOR_SPACE, Selectors } from '../../base-nova/src/lib/selectors.js';

/** The glue reaches the kernel through core's system-call gate, as core's own code does. */
function boot(): Promise<{ hv: NovaSyscalls; core: Ec; ec: EcRef }> {
  const kernel = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  return new Promise((resolve) => kernel.bootRoot(0x20, 'core', 0x8000, (_a, core) => {
    const { gate, ref } = coreGate(kernel);
    resolve({ hv: gate, core, ec: ref(core) });
  }));
}

test('counts that do not describe the message never reach the items word', async (t) => {
  const { hv, core, ec } = await boot();
  const ipc = new NovaIpcThread(hv, ec, new Selectors(), core.utcb);
  core.utcb[UtcbHeader.ITEMS] = 3;
  for (const n of [-1, -(2 ** 31), MAX_UNTYPED + 1, 0x10000, 0x10001, 1.5, Number.NaN, Infinity]) {
    ipc.msg.length = n;
    t.throws(() => ipc.prepareSend(), { instanceOf: MessageOverflow }, `length ${n}`);
    t.is(core.utcb[UtcbHeader.ITEMS], 3);
  }
  ipc.msg.length = 0;
  for (let i = 0; i < 5; i++) ipc.msg.caps.push(new NovaCapability(0x40));
  t.throws(() => ipc.prepareSend(), { instanceOf: MessageOverflow });
  t.is(core.utcb[UtcbHeader.ITEMS], 3);
});

test('a malformed reply goes out as an error reply', async (t) => {
  const { hv, core, ec } = await boot();
  const ipc = new NovaIpcThread(hv, ec, new Selectors(), core.utcb);
  ipc.msg.length = -1;
  ipc.prepareReply();
  const items = core.utcb[UtcbHeader.ITEMS]!;
  t.is(items >>> 16, 0);
  t.true((items & 0xffff) >= 2);
  t.is(core.utcb[UTCB_HEADER_WORDS], ReplyCode.ERROR);
  const r = new MsgReader(ipc.msg);
  r.word();
  t.regex(str(160).read(r), /reply is malformed/);
});

test('selectors: an arrival counts one holder, a release drops one, the last frees it', (t) => {
  const s = new Selectors();
  const owned = s.alloc();
  /* arriving twice at a selector its allocator holds: two releases leave the allocator's */
  s.retain(owned, false);
  s.retain(owned, false);
  t.false(s.drop(owned));
  t.false(s.drop(owned));
  t.true(s.isUsed(owned));
  /* a fresh arrival in the receive window, then the same object translated to it again */
  const window = s.alloc(2);
  s.retain(window, true);
  s.retain(window, false);
  t.false(s.drop(window));
  t.true(s.drop(window), 'the last holder frees the selector');
  t.false(s.isUsed(window));
  /* the same capability twice in one message lands once in the window: two holders */
  s.claim(window);
  s.retain(window, true);
  s.retain(window, true);
  t.false(s.drop(window));
  t.true(s.drop(window));
  /* a selector no arrival counted is not freed by a release */
  t.false(s.drop(owned + 100));
  const before = s.inUse;
  s.free(owned);
  t.is(s.inUse, before - 1);
});

test('with the selector space exhausted a receive window is simply not offered', async (t) => {
  const { hv, core, ec } = await boot();
  const s = new Selectors();
  for (let sel = Sel.WINDOW_END; sel < SELECTOR_SPACE; sel++) s.claim(sel);
  t.is(s.tryAlloc(), undefined);
  const ipc = new NovaIpcThread(hv, ec, s, core.utcb);
  t.is(core.utcb[UtcbHeader.CRD_RCV], 0, 'a null receive window');
  core.utcb[UtcbHeader.ITEMS] = 0;
  t.notThrows(() => ipc.afterReceive());
});

test('an IPC thread opens a translate window over its whole selector space', async (t) => {
  const { hv, core, ec } = await boot();
  core.utcb[UtcbHeader.CRD_XLT] = 0;
  new NovaIpcThread(hv, ec, new Selectors(), core.utcb);
  const xlt = decodeCrd(core.utcb[UtcbHeader.CRD_XLT]!);
  t.is(xlt.type, CrdType.OBJ);
  t.is(xlt.base, 0);
  t.is(2 ** xlt.order, SELECTOR_SPACE);
});
