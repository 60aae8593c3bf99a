/* The Fiasco.OC glue: Genode's message layout, the real register capacity, badges and the cap map. */
import test from 'ava';
import { Capability, type NativeCapability } from '../../base/src/capability.js';
import { MessageOverflow } from '../../base/src/errors.js';
import { resetMsg } from '../../base/src/rpc/msgbuf.js';
import { MsgWriter, str } from '../../base/src/rpc/types.js';
import { L4_BASE_FACTORY_CAP } from '../../base-fiasco/src/kernel/consts.js';
import { l4_factory_create_gate, l4_factory_create_irq } from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_msgtag_items, l4_msgtag_words } from '../../base-fiasco/src/kernel/msgtag.js';
import { FocCaller } from '../../base-fiasco/src/lib/caller.js';
import { CapIndexAlloc } from '../../base-fiasco/src/lib/cap_index_alloc.js';
import { CapMap } from '../../base-fiasco/src/lib/cap_map.js';
import { FocCapability } from '../../base-fiasco/src/lib/capability.js';
import { FocIpcThread } from '../../base-fiasco/src/lib/ipc_thread.js';
import { MSG_PAYLOAD_WORDS, USER_BASE_SLOT } from '../../base-fiasco/src/lib/layout.js';
import { FocServer } from '../../base-fiasco/src/lib/server.js';
import { boot, check, newTask, newThread, slot } from './helpers.js';

test('the payload buffer is the 63 message registers minus two header words', async (t) => {
  const sys = await boot();
  const ipc = new FocIpcThread(sys.k, sys.root, new CapMap(sys.k, new CapIndexAlloc(USER_BASE_SLOT)), sys.root.utcb!);
  t.is(MSG_PAYLOAD_WORDS, 61);
  t.is(ipc.msg.words.length, 61);
  /* a LOG string of 232 bytes: opcode, length word, 58 data words */
  const w = new MsgWriter(ipc.msg);
  w.word(0);
  str(232).write(w, 'x'.repeat(232));
  const tag = ipc.prepareSend(4);
  t.is(l4_msgtag_words(tag), 62);
  t.is(sys.root.utcb![0], 4);
  t.is(sys.root.utcb![1], 0);
  resetMsg(ipc.msg);
  t.throws(() => str(232).write(new MsgWriter(ipc.msg), 'x'.repeat(233)), { instanceOf: MessageOverflow });
});

test('capabilities take a badge word and a two-word map item each: payload and items must fit together', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const caps = new CapMap(k, new CapIndexAlloc(USER_BASE_SLOT));
  const irq = slot(sys);
  check(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq), 'irq');
  const cap = caps.insert(0x800, irq);
  const ipc = new FocIpcThread(k, root, caps, root.utcb!);
  ipc.msg.length = 50;
  ipc.msg.caps.push(cap, undefined);
  const tag = ipc.prepareSend(0);
  t.is(l4_msgtag_words(tag), 2 + 2 + 50);
  t.is(l4_msgtag_items(tag), 1); // the invalid capability has a badge word but no item
  ipc.msg.length = 56;
  ipc.msg.caps.push(cap);
  t.throws(() => ipc.prepareSend(0), { instanceOf: MessageOverflow });
});

test('a call reaches the server under its gate label; capabilities arrive de-duplicated by badge', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const serverTask = newTask(sys);
  const server = await newThread(sys, serverTask, 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, server.cap, 0x400), 'gate');
  const irq = slot(sys);
  check(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq), 'irq');

  const seen: Array<{ key: number | string; caps: Array<NativeCapability | undefined> }> = [];
  const serverCaps = new CapMap(k, new CapIndexAlloc(USER_BASE_SLOT));
  new FocServer(k, new FocIpcThread(k, server.thread, serverCaps, server.thread.utcb!), (key, msg, done) => {
    seen.push({ key, caps: [...msg.caps] });
    resetMsg(msg);
    msg.words[0] = 0;
    msg.words[1] = 99;
    msg.length = 2;
    done!();
    return undefined;
  }, () => {}).start();

  const clientCaps = new CapMap(k, new CapIndexAlloc(USER_BASE_SLOT));
  const irqCap = clientCaps.insert(0x800, irq);
  const caller = new FocCaller(k, new FocIpcThread(k, root, clientCaps, root.utcb!));
  const dst = new Capability(new FocCapability(gate, 0x400));
  const fill = (msg: { words: Uint32Array; length: number; caps: Array<NativeCapability | undefined> }) => {
    msg.words[0] = 1;
    msg.length = 1;
    msg.caps.push(irqCap, irqCap);
  };
  t.is(await caller.call(dst, fill, (msg) => msg.words[1]), 99);
  t.is(await caller.call(dst, fill, (msg) => msg.words[1]), 99);
  t.is(seen.length, 2);
  t.is(seen[0]!.key, 0x400);
  const [a, b] = seen[0]!.caps as FocCapability[];
  t.is(a!.badge, 0x800);
  t.is(a, b);
  t.is(seen[1]!.caps[0], a);
  t.is(serverCaps.find(0x800), a);
});
