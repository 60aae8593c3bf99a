/*
 * ThreadCaller (base/src/rpc/thread_caller.ts), the client side of IPC the emulated kernels
 * share, on a fake kernel: a call marshals into the thread's buffer and settles from the
 * reply; calls of one thread go one at a time in order; a message the backend refuses, a
 * failed call, a malformed reply and a foreign capability each fail only their own call,
 * and the thread goes on.
 */
import test from 'ava';
import { Capability, NativeCapability } from '../../base/src/capability.js';
import { InvalidCapability, IpcError, MessageOverflow } from '../../base/src/errors.js';
import { rpcClient } from '../../base/src/rpc/client.js';
import { rpc, rpcInterface } from '../../base/src/rpc/interface.js';
import type { MsgBuffer } from '../../base/src/rpc/msgbuf.js';
import { ReplyCode } from '../../base/src/rpc/protocol.js';
import { ThreadCaller } from '../../base/src/rpc/thread_caller.js';
import { cap, int } from '../../base/src/rpc/types.js';

class FakeCap extends NativeCapability {
  constructor(readonly key: number) { super(); }
  toString() { return `fake ${this.key}`; }
}

class OtherCap extends NativeCapability {
  readonly key = 0;
  toString() { return 'other'; }
}

@rpcInterface('Caller_test')
abstract class CallerTest {
  @rpc({ args: [int], result: int }) abstract twice: (n: number) => Promise<number>;
  @rpc({ result: cap }) abstract get: () => Promise<Capability<unknown>>;
}

interface Sent { dst: number; words: number[] }

/** A kernel that records each request and lets the test answer it (now or later). */
class FakeCaller extends ThreadCaller<number> {
  protected readonly capabilityKind = 'a fake capability';
  readonly sent: Sent[] = [];
  readonly released: string[] = [];
  /** Answers the request in the buffer: words of the reply, or an error for the call. */
  answer: ((req: Sent) => number[] | Error | undefined) | undefined;
  refuse: string | undefined;

  constructor(readonly buf: MsgBuffer) {
    super(buf);
  }

  protected target(c: Capability<unknown>): number | undefined {
    return c.native instanceof FakeCap ? c.native.key : undefined;
  }

  protected send(dst: number): void {
    if (this.refuse) throw new MessageOverflow(this.refuse);
    const req = { dst, words: Array.from(this.buf.words.subarray(0, this.buf.length)) };
    this.sent.push(req);
    const a = this.answer?.(req);
    if (a !== undefined) this.reply(a);
  }

  /** The kernel returns from the call in flight with `a`. */
  reply(a: number[] | Error): void {
    if (a instanceof Error) return this.replied(a);
    this.buf.words.set(a);
    this.buf.length = a.length;
    this.replied();
  }

  release(c: Capability<unknown>): void {
    this.released.push(String(c));
  }
}

function setup() {
  const words = new Uint32Array(16);
  const buf: MsgBuffer = { words, bytes: new Uint8Array(words.buffer), length: 0, caps: [], maxCaps: 2 };
  const caller = new FakeCaller(buf);
  const client = rpcClient(CallerTest, new Capability<CallerTest>(new FakeCap(7)), caller);
  return { caller, client, buf };
}

/* twice(n): the request is [opcode 0, n low, n high]; the reply [OK, 2n low, 2n high] */
const doubling = (req: Sent) => [ReplyCode.OK, req.words[1]! * 2, 0];

test('a call marshals into the thread\'s buffer, goes to its destination and settles from the reply', async (t) => {
  const { caller, client } = setup();
  caller.answer = doubling;
  t.is(await client.twice(21), 42);
  t.deepEqual(caller.sent, [{ dst: 7, words: [0, 21, 0] }]);
});

test('calls of one thread go one at a time, in the order they were made', async (t) => {
  const { caller, client } = setup();
  const a = client.twice(1);
  const b = client.twice(2);
  const c = client.twice(3);
  await Promise.resolve();
  t.is(caller.sent.length, 1, 'the thread is blocked in the first call');
  for (let i = 0; i < 3; i++) {
    while (caller.sent.length === i) await new Promise((r) => setImmediate(r));
    caller.reply(doubling(caller.sent[i]!));
  }
  t.deepEqual(await Promise.all([a, b, c]), [2, 4, 6]);
  t.deepEqual(caller.sent.map((s) => s.words[1]), [1, 2, 3]);
});

test('a message the backend refuses fails its call before the kernel; the next call goes through', async (t) => {
  const { caller, client } = setup();
  caller.refuse = 'too long for the registers';
  await t.throwsAsync(client.twice(1), { instanceOf: MessageOverflow, message: /too long/ });
  caller.refuse = undefined;
  caller.answer = doubling;
  t.is(await client.twice(5), 10);
});

test('arguments that do not marshal fail the call; the thread is free again', async (t) => {
  const { caller, client } = setup();
  caller.answer = doubling;
  await t.throwsAsync((client.twice as (n: unknown) => Promise<number>)('x'), { message: /Caller_test.twice argument 1: expected an integer/ });
  await t.throwsAsync((client.twice as (...a: unknown[]) => Promise<number>)(1, 2), { message: /takes 1 argument\(s\), got 2/ });
  t.is(caller.sent.length, 0);
  t.is(await client.twice(4), 8);
});

test('a call the kernel fails, and a malformed reply, reject only that call', async (t) => {
  const { caller, client } = setup();
  caller.answer = () => new IpcError('the server is gone');
  await t.throwsAsync(client.twice(1), { instanceOf: IpcError, message: /server is gone/ });
  caller.answer = () => [77];
  await t.throwsAsync(client.twice(1), { instanceOf: IpcError, message: /malformed reply code 77/ });
  caller.answer = doubling;
  t.is(await client.twice(8), 16);
});

test('a capability that arrived with a failed reply is released', async (t) => {
  const { caller, client, buf } = setup();
  caller.answer = () => {
    buf.caps.push(new FakeCap(9));
    return [ReplyCode.ERROR, 0];
  };
  await t.throwsAsync(client.get(), { instanceOf: IpcError });
  t.deepEqual(caller.released, ['fake 9']);
});

test('a capability of another kind, or none, is refused without a call', async (t) => {
  const { caller } = setup();
  const other = rpcClient(CallerTest, new Capability<CallerTest>(new OtherCap()), caller);
  await t.throwsAsync(other.twice(1), { instanceOf: InvalidCapability, message: 'not a fake capability: other' });
  const none = rpcClient(CallerTest, Capability.invalid<CallerTest>(), caller);
  await t.throwsAsync(none.twice(1), { instanceOf: InvalidCapability });
  t.is(caller.sent.length, 0);
});

test('call() with fill and take shares the queue with RPC calls', async (t) => {
  const { caller, client } = setup();
  const a = client.twice(3);
  const b = caller.call(new Capability(new FakeCap(4)), (m) => {
    m.words[0] = 99;
    m.length = 1;
  }, (m) => m.words[0]! + 1);
  await Promise.resolve();
  caller.reply(doubling(caller.sent[0]!));
  while (caller.sent.length < 2) await new Promise((r) => setImmediate(r));
  t.deepEqual(caller.sent[1], { dst: 4, words: [99] });
  caller.reply([41]);
  t.deepEqual(await Promise.all([a, b]), [6, 42]);
});
