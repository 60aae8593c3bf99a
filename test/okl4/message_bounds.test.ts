/*
 * OKL4 bounds what a message claims: the untyped count is six bits (within the 64
 * registers), a tag claiming typed words (which OKL4 2.1 does not transfer) is refused
 * in the send phase, MapControl refuses more items than the registers hold; the glue
 * refuses counts that do not describe the message before writing a register, and its
 * entrypoint answers an unreadable request with an error code.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { MessageOverflow } from '../../base/src/errors.js';
import {
  ANYTHREAD, IpcErr, IpcPhase, KError, MapCtrl, NILTHREAD, TagFlag, ipcErrorWord, ipcFailed, makeTag, mr,
} from '../../base-okl4/src/kernel/abi.js';
import { ThreadState } from '../../base-okl4/src/kernel/thread.js';
import { CapabilitySpace } from '../../base-okl4/src/lib/capability_space.js';
import { Okl4Capability } from '../../base-okl4/src/lib/capability.js';
import { Okl4Caller } from '../../base-okl4/src/lib/call.js';
import { Okl4IpcThread } from '../../base-okl4/src/lib/ipc_thread.js';
import { ExceptionCode, loadMessage, newMsgBuffer } from '../../base-okl4/src/lib/message.js';
import { RpcServerLoop } from '../../base-okl4/src/lib/rpc_server.js';
import { boot, ipc, newSpace, newThread, settle } from './helpers.js';

const CALL = TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK;
const WAIT = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

test('a tag claiming typed words fails in the send phase; the receiver keeps waiting', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const server = await newThread(sys, 1, 1);
  const client = await newThread(sys, 1, 2);
  const request = ipc(sys, server, NILTHREAD, ANYTHREAD, WAIT);
  server.utcb.fill(3, mr(1), mr(64));
  for (const typed of [1, 5, 0x3f]) {
    const r = await ipc(sys, client, server.id, server.id, (makeTag(1, 2, CALL) | (typed << 6)) >>> 0, [8, 9]);
    t.true(ipcFailed(r.tag));
    t.is(r.error, ipcErrorWord(IpcErr.MSG_OVERFLOW, IpcPhase.SEND));
  }
  await settle();
  t.is(server.state, ThreadState.RECV_BLOCKED);
  t.deepEqual([...server.utcb.subarray(mr(1), mr(64))], new Array(63).fill(3));
  /* a well-formed message still arrives */
  void ipc(sys, client, server.id, server.id, makeTag(1, 63, CALL), new Array(63).fill(4));
  const got = await request;
  t.is(got.words.length, 63);
});

test('MapControl refuses more items than the message registers hold', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  for (const n of [33, 64]) t.is(sys.k.mapControl(sys.root, 1, MapCtrl.MODIFY | (n - 1)), KError.INVALID_PARAM, `${n} items`);
});

test('counts that do not describe the message are refused before a register is written', (t) => {
  const utcb = new Uint32Array(80).fill(5);
  const msg = newMsgBuffer();
  for (const n of [-1, -2, -62, 62, 0x10000, 1.5, Number.NaN]) {
    msg.length = n;
    t.throws(() => loadMessage(utcb, 0, 1, msg, 0), { instanceOf: MessageOverflow }, `length ${n}`);
  }
  msg.length = 0;
  for (let i = 0; i < 5; i++) msg.caps.push(undefined);
  t.throws(() => loadMessage(utcb, 0, 1, msg, 0), { instanceOf: MessageOverflow });
  t.deepEqual([...utcb], new Array(80).fill(5));
});

test('the entrypoint answers a request with a lying capability count with an error code', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const server = await newThread(sys, 1, 1);
  const client = await newThread(sys, 1, 2);
  const view = (th: typeof server) => new Uint8Array(th.utcb.buffer, th.utcb.byteOffset, th.utcb.byteLength);
  const handled: number[] = [];
  new RpcServerLoop(new Okl4IpcThread(sys.k, server, view(server), new CapabilitySpace()), (key, msg, done) => {
    handled.push(key as number);
    msg.words[0] = 0;
    msg.length = 1;
    done!();
    return undefined;
  }).start();
  /* MR1 key 7, MR2 claims 9 capabilities in a 4-word message */
  const r = await ipc(sys, client, server.id, server.id, makeTag(0, 4, CALL), [7, 9, 1, 2]);
  t.false(ipcFailed(r.tag));
  t.is(r.words[0], ExceptionCode.INVALID_OBJECT);
  t.deepEqual(handled, []);
  /* through the caller: the error becomes an exception, nothing hangs */
  const caller = new Okl4Caller(new Okl4IpcThread(sys.k, client, view(client), new CapabilitySpace()));
  const dst = new Capability(new Okl4Capability(server.id, 7));
  t.is(await caller.call(dst, (m) => { m.words[0] = 1; m.length = 1; }, (m) => m.words[0]), 0);
  await t.throwsAsync(caller.call(dst, (m) => { m.length = -1; }, () => 0), { instanceOf: MessageOverflow });
  t.deepEqual(handled, [7]);
});
