/*
 * Fiasco.OC bounds what a message claims: the kernel cuts nothing and copies nothing of a
 * message whose words and items exceed the registers; the glue refuses counts that do not
 * describe the message before sending, and the entrypoint answers a forged badge, a
 * truncated request or a lying capability count with an error reply (the caller never
 * hangs); a full capability table makes an arriving capability invalid, never a throw.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { IpcError, MessageOverflow } from '../../base/src/errors.js';
import { ReplyCode } from '../../base/src/rpc/protocol.js';
import { MsgReader, str } from '../../base/src/rpc/types.js';
import { L4_BASE_FACTORY_CAP, L4_IPC_REMSGCUT, L4_IPC_SEMSGCUT } from '../../base-fiasco/src/kernel/consts.js';
import { l4_factory_create_gate, l4_factory_create_irq, l4_ipc_reply_and_wait } from '../../base-fiasco/src/kernel/l4sys.js';
import { l4_msgtag, l4_msgtag_words } from '../../base-fiasco/src/kernel/msgtag.js';
import { FocCaller } from '../../base-fiasco/src/lib/caller.js';
import { CapIndexAlloc } from '../../base-fiasco/src/lib/cap_index_alloc.js';
import { CapMap } from '../../base-fiasco/src/lib/cap_map.js';
import { FocCapability } from '../../base-fiasco/src/lib/capability.js';
import { FocIpcThread } from '../../base-fiasco/src/lib/ipc_thread.js';
import { USER_BASE_SLOT } from '../../base-fiasco/src/lib/layout.js';
import { FocServer } from '../../base-fiasco/src/lib/server.js';
import { boot, call, check, newTask, newThread, slot, wait, type TestSystem } from './helpers.js';

const LABEL = 0x400;

/** A FocServer behind a gate with label LABEL; the handler echoes word 1 + 1. */
async function served(sys: TestSystem) {
  const { k, root } = sys;
  const server = await newThread(sys, newTask(sys), 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, server.cap, LABEL), 'gate');
  const handled: Array<number | string> = [];
  const warnings: string[] = [];
  const caps = new CapMap(k, new CapIndexAlloc(USER_BASE_SLOT));
  new FocServer(k, new FocIpcThread(k, server.thread, caps, server.thread.utcb!), (key, msg, done) => {
    handled.push(key);
    const v = msg.words[1]!;
    msg.words[0] = ReplyCode.OK;
    msg.words[1] = v + 1;
    msg.length = 2;
    msg.caps.length = 0;
    done!();
    return undefined;
  }, (w) => warnings.push(w)).start();
  return { gate, handled, warnings, caps };
}

/** The error text of an error reply in `u` (Genode layout: protocol, cap count, code, text). */
function errorText(u: Uint32Array, words: number): string {
  const payload = u.slice(2, words);
  const r = new MsgReader({ words: payload, bytes: new Uint8Array(payload.buffer), length: payload.length, caps: [], maxCaps: 4 });
  if (r.word() !== ReplyCode.ERROR) return '';
  return str(160).read(r);
}

test('the kernel refuses words and items beyond the 63 registers on both sides, copying nothing', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const server = await newThread(sys, newTask(sys), 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, server.cap, LABEL), 'gate');
  const client = (await newThread(sys, undefined, 2)).thread;
  server.thread.utcb!.fill(7, 0, 63);
  client.utcb!.fill(9, 0, 63);
  const request = wait(sys, server.thread);
  const r = await call(sys, client, gate, l4_msgtag(0, 40, 12, 0));
  t.is(r.error, L4_IPC_SEMSGCUT);
  t.is((await request).error, L4_IPC_REMSGCUT);
  t.deepEqual([...server.thread.utcb!.subarray(0, 63)], new Array(63).fill(7), 'nothing was copied');
});

test('counts that do not describe the message are refused before anything is written', async (t) => {
  const sys = await boot();
  const ipc = new FocIpcThread(sys.k, sys.root, new CapMap(sys.k, new CapIndexAlloc(USER_BASE_SLOT)), sys.root.utcb!);
  sys.root.utcb!.fill(5, 0, 128);
  for (const n of [-1, -61, 62, 0x10000, 1.5, Number.NaN]) {
    ipc.msg.length = n;
    t.throws(() => ipc.prepareSend(0), { instanceOf: MessageOverflow }, `length ${n}`);
  }
  ipc.msg.length = 0;
  for (let i = 0; i < 5; i++) ipc.msg.caps.push(undefined);
  t.throws(() => ipc.prepareSend(0), { instanceOf: MessageOverflow });
  t.deepEqual([...sys.root.utcb!], new Array(128).fill(5), 'the registers are untouched');
});

test('a forged badge gets an error reply, not silence; the handler never sees it', async (t) => {
  const sys = await boot();
  const s = await served(sys);
  const caller = new FocCaller(sys.k, new FocIpcThread(sys.k, sys.root, new CapMap(sys.k, new CapIndexAlloc(USER_BASE_SLOT)), sys.root.utcb!));
  const fill = (msg: { words: Uint32Array; length: number }) => { msg.words[0] = 0; msg.words[1] = 41; msg.length = 2; };
  const take = (msg: { words: Uint32Array; length: number }) => [...msg.words.subarray(0, msg.length)];
  t.deepEqual(await caller.call(new Capability(new FocCapability(s.gate, LABEL)), fill, take), [ReplyCode.OK, 42]);
  for (const badge of [LABEL + 4, 0, 0xfffffffc]) {
    const reply = await caller.call(new Capability(new FocCapability(s.gate, badge)), fill, take);
    t.is(reply[0], ReplyCode.ERROR, `badge 0x${badge.toString(16)}`);
  }
  t.deepEqual(s.handled, [LABEL]);
  t.is(s.warnings.length, 1, 'only the first refusal is reported');
  t.regex(s.warnings[0]!, /badge/);
});

test('a truncated request or a lying capability count gets an error reply', async (t) => {
  const sys = await boot();
  const s = await served(sys);
  const client = (await newThread(sys, undefined, 2)).thread;
  const u = client.utcb!;
  const cases: Array<[string, number[], RegExp]> = [
    ['no words at all', [], /shorter than the 2-word header/],
    ['a protocol word only', [LABEL], /shorter than the 2-word header/],
    ['five capabilities claimed', [LABEL, 5, 1, 2, 3, 4, 5, 6], /5 capabilities claimed/],
    ['more capabilities than words', [LABEL, 3, 1], /3 capabilities claimed in a message of 3 words/],
  ];
  for (const [what, words, why] of cases) {
    u.set(words, 0);
    const r = await call(sys, client, s.gate, l4_msgtag(0, words.length, 0, 0));
    t.is(r.error, 0, what);
    t.regex(errorText(u, l4_msgtag_words(r.tag)), why, what);
  }
  t.deepEqual(s.handled, []);
});

test('a malformed reply makes the call fail instead of being read', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const server = await newThread(sys, newTask(sys), 1);
  const gate = slot(sys);
  check(l4_factory_create_gate(k, root, L4_BASE_FACTORY_CAP, gate, server.cap, LABEL), 'gate');
  const caller = new FocCaller(k, new FocIpcThread(k, root, new CapMap(k, new CapIndexAlloc(USER_BASE_SLOT)), root.utcb!));
  const request = wait(sys, server.thread);
  const reply = caller.call(new Capability(new FocCapability(gate, LABEL)), (m) => { m.words[0] = 0; m.length = 1; }, () => 'read');
  await request;
  /* a reply claiming four capabilities in two words */
  server.thread.utcb!.set([0, 4], 0);
  l4_ipc_reply_and_wait(k, server.thread, l4_msgtag(0, 2, 0, 0), 0, () => {});
  await t.throwsAsync(reply, { instanceOf: IpcError, message: /malformed/ });
});

test('a full capability table makes an arriving capability invalid, never throws', async (t) => {
  const sys = await boot();
  const { k, root } = sys;
  const irq = slot(sys);
  check(l4_factory_create_irq(k, root, L4_BASE_FACTORY_CAP, irq), 'irq');
  const alloc = new CapIndexAlloc(USER_BASE_SLOT, USER_BASE_SLOT + 1);
  const caps = new CapMap(k, alloc);
  t.truthy(alloc.tryAlloc());
  t.is(alloc.tryAlloc(), undefined);
  let got: unknown = 'not called';
  t.notThrows(() => { got = caps.insertMap(root, 0x800, irq); });
  t.is(got, undefined);
});
