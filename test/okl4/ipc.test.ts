/* OKL4 kernel: L4_Ipc with send and receive phases, the tag in MR0, errors, from-specifiers. */
import test from 'ava';
import {
  ANYTHREAD, IpcErr, IpcPhase, NILTHREAD, TagFlag, globalId, ipcErrorWord, ipcFailed, makeTag, tagLabel, tagUntyped,
} from '../../base-okl4/src/kernel/abi.js';
import { ThreadState } from '../../base-okl4/src/kernel/thread.js';
import { boot, ipc, newSpace, newThread, settle } from './helpers.js';

const CALL = TagFlag.SEND_BLOCK | TagFlag.RECEIVE_BLOCK;
const WAIT = makeTag(0, 0, TagFlag.RECEIVE_BLOCK);

test('call and reply-wait carry a label and untyped words between spaces', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  newSpace(sys, 2);
  const server = await newThread(sys, 1, 1);
  const client = await newThread(sys, 2, 1);

  const request = ipc(sys, server, NILTHREAD, ANYTHREAD, WAIT);
  const reply = ipc(sys, client, server.id, server.id, makeTag(0x42, 3, CALL), [1, 2, 3]);
  const got = await request;
  t.is(got.from, client.id);
  t.is(tagLabel(got.tag), 0x42);
  t.is(tagUntyped(got.tag), 3);
  t.deepEqual(got.words, [1, 2, 3]);
  t.is(client.state, ThreadState.RECV_BLOCKED);

  /* ReplyWait: the reply goes back, the server waits for the next request */
  const next = ipc(sys, server, client.id, ANYTHREAD, makeTag(0, 2, TagFlag.RECEIVE_BLOCK), [6, 0xffffffff]);
  const r = await reply;
  t.false(ipcFailed(r.tag));
  t.is(r.from, server.id);
  t.deepEqual(r.words, [6, 0xffffffff]);
  await settle();
  t.is(server.state, ThreadState.RECV_BLOCKED);
  t.true(sys.k.accounting.count('asSwitch') >= 2);
  t.is(sys.k.accounting.count('mrCopy'), 4 + 3);
  void next;
});

test('a call to a waiting-less thread blocks in the send phase until the receiver waits', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const a = await newThread(sys, 1, 1);
  const b = await newThread(sys, 1, 2);
  const call = ipc(sys, a, b.id, b.id, makeTag(7, 1, CALL), [99]);
  t.is(a.state, ThreadState.SEND_BLOCKED);
  const got = await ipc(sys, b, NILTHREAD, ANYTHREAD, WAIT);
  t.deepEqual(got.words, [99]);
  t.is(a.state, ThreadState.RECV_BLOCKED);
  await ipc(sys, b, a.id, NILTHREAD, makeTag(0, 0));
  t.false(ipcFailed((await call).tag));
});

test('IPC errors are reported in the tag and the ErrorCode TCR', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const a = await newThread(sys, 1, 1);
  const b = await newThread(sys, 1, 2);
  /* a thread number nobody created */
  const gone = await ipc(sys, a, globalId(0x3ff, 1), NILTHREAD, makeTag(0, 0, TagFlag.SEND_BLOCK));
  t.true(ipcFailed(gone.tag));
  t.is(gone.error, ipcErrorWord(IpcErr.NON_EXIST, IpcPhase.SEND));
  /* L4_Reply to a thread that does not wait: would block */
  const reply = await ipc(sys, a, b.id, NILTHREAD, makeTag(0, 0));
  t.is(reply.error, ipcErrorWord(IpcErr.TIMEOUT, IpcPhase.SEND));
  /* a non-blocking receive with nothing queued */
  const poll = await ipc(sys, a, NILTHREAD, ANYTHREAD, makeTag(0, 0));
  t.is(poll.error, ipcErrorWord(IpcErr.TIMEOUT, IpcPhase.RECEIVE));
});

test('a receive from a specific thread leaves other senders queued; anythread takes them in order', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const r = await newThread(sys, 1, 1);
  const s1 = await newThread(sys, 1, 2);
  const s2 = await newThread(sys, 1, 3);
  const s3 = await newThread(sys, 1, 4);
  void ipc(sys, s1, r.id, NILTHREAD, makeTag(1, 0, TagFlag.SEND_BLOCK));
  void ipc(sys, s2, r.id, NILTHREAD, makeTag(2, 0, TagFlag.SEND_BLOCK));
  const fromS3 = ipc(sys, r, NILTHREAD, s3.id, WAIT);
  /* s1 and s2 are queued, but r only accepts s3 */
  await settle();
  t.is(r.state, ThreadState.RECV_BLOCKED);
  void ipc(sys, s3, r.id, NILTHREAD, makeTag(3, 0, TagFlag.SEND_BLOCK));
  const got = await fromS3;
  t.is(got.from, s3.id);
  t.is(tagLabel(got.tag), 3);
  const first = await ipc(sys, r, NILTHREAD, ANYTHREAD, WAIT);
  const second = await ipc(sys, r, NILTHREAD, ANYTHREAD, WAIT);
  t.deepEqual([first.from, second.from], [s1.id, s2.id]);
  t.is(s1.state, ThreadState.RUNNING);
});

test('a sender to a thread that receives from someone else only blocks', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const r = await newThread(sys, 1, 1);
  const s = await newThread(sys, 1, 2);
  const other = await newThread(sys, 1, 3);
  void ipc(sys, r, NILTHREAD, other.id, WAIT);
  const sent = ipc(sys, s, r.id, NILTHREAD, makeTag(0, 0, TagFlag.SEND_BLOCK));
  t.is(s.state, ThreadState.SEND_BLOCKED);
  /* a non-blocking send to it fails instead */
  const nb = await ipc(sys, other, r.id, NILTHREAD, makeTag(0, 1), [5]);
  t.false(ipcFailed(nb.tag)); // `other` is the one r accepts
  t.is(s.state, ThreadState.SEND_BLOCKED);
  await ipc(sys, r, NILTHREAD, ANYTHREAD, WAIT);
  t.false(ipcFailed((await sent).tag));
});

test('deleting a server aborts its queued and waiting callers', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const server = await newThread(sys, 1, 1);
  const waiting = await newThread(sys, 1, 2);
  const queued = await newThread(sys, 1, 3);
  void ipc(sys, server, NILTHREAD, ANYTHREAD, WAIT);
  const c1 = ipc(sys, waiting, server.id, server.id, makeTag(0, 0, CALL)); // delivered, now waits for the reply
  await settle();
  const held = ipc(sys, server, NILTHREAD, NILTHREAD, makeTag(0, 0)); // server runs, does not receive
  await held;
  const c2 = ipc(sys, queued, server.id, server.id, makeTag(0, 0, CALL));
  t.is(queued.state, ThreadState.SEND_BLOCKED);
  sys.k.threadControl(sys.root, server.id, 0xffffffff, NILTHREAD, NILTHREAD, 0);
  t.is((await c1).error, ipcErrorWord(IpcErr.ABORTED, IpcPhase.RECEIVE));
  t.is((await c2).error, ipcErrorWord(IpcErr.ABORTED, IpcPhase.SEND));
});
