/*
 * The RPC dispatch layer releases the capabilities a request brought unless the function
 * keeps them: `cap` arguments after the reply, `keptCap` ones only if the call failed,
 * capabilities no argument refers to always, all of them for a request that cannot be
 * decoded or that names no object. checkMessage refuses counts that do not describe a message.
 */
import test from 'ava';
import { Capability, NativeCapability } from '../../base/src/capability.js';
import { GenodeError, IpcError, MessageOverflow } from '../../base/src/errors.js';
import { Entrypoint } from '../../base/src/lib/entrypoint.js';
import { unmarshalReply } from '../../base/src/rpc/client.js';
import { dispatch } from '../../base/src/rpc/dispatch.js';
import { interfaceInfo, rpc, rpcInterface } from '../../base/src/rpc/interface.js';
import { checkMessage, type MsgBuffer } from '../../base/src/rpc/msgbuf.js';
import { ReplyCode } from '../../base/src/rpc/protocol.js';
import { MsgWriter, cap, int, keptCap } from '../../base/src/rpc/types.js';

class FakeCap extends NativeCapability {
  constructor(readonly key: number) { super(); }
  toString() { return `fake ${this.key}`; }
}

@rpcInterface('Release_test')
abstract class ReleaseTest {
  @rpc({ args: [cap, keptCap], result: int }) abstract both: (a: Capability<unknown>, b: Capability<unknown>) => Promise<number>;
  @rpc({ args: [keptCap], throws: [GenodeError] }) abstract refuse: (a: Capability<unknown>) => Promise<void>;
  @rpc({ result: int }) abstract none: () => Promise<number>;
}

const info = interfaceInfo(ReleaseTest);

@rpcInterface('Reply_test')
abstract class ReplyTest {
  @rpc({ result: cap }) abstract get: () => Promise<Capability<unknown>>;
  @rpc({ result: int }) abstract count: () => Promise<number>;
}

function buffer(): MsgBuffer {
  const w = new Uint32Array(64);
  return { words: w, bytes: new Uint8Array(w.buffer), length: 0, caps: [], maxCaps: 4 };
}

function request(op: string, args: unknown[], extra: number[] = []): MsgBuffer {
  const m = buffer();
  const fn = info.byName.get(op)!;
  const w = new MsgWriter(m);
  w.word(fn.opcode);
  fn.args.forEach((t, i) => t.write(w, args[i]));
  for (const k of extra) m.caps.push(new FakeCap(k));
  return m;
}

const server = {
  both: async () => 1,
  refuse: async () => { throw new GenodeError('no'); },
  none: () => 2,
};

async function serve(m: MsgBuffer): Promise<{ released: number[]; code: number }> {
  const released: number[] = [];
  let code = -1;
  await new Promise<void>((done) => dispatch(info, server as never, m, () => {}, () => { code = m.words[0]!; done(); }, undefined,
    (c) => released.push(c.native!.key as number)));
  return { released, code };
}

test('a lent capability is released after the reply, a kept one stays with the server', async (t) => {
  const r = await serve(request('both', [new Capability(new FakeCap(1)), new Capability(new FakeCap(2))]));
  t.is(r.code, ReplyCode.OK);
  t.deepEqual(r.released, [1]);
});

test('a failed call keeps nothing', async (t) => {
  const r = await serve(request('refuse', [new Capability(new FakeCap(3))]));
  t.is(r.code, ReplyCode.EXCEPTION);
  t.deepEqual(r.released, [3]);
});

test('capabilities no argument refers to are released', async (t) => {
  const r = await serve(request('none', [], [4, 5]));
  t.is(r.code, ReplyCode.OK);
  t.deepEqual(r.released, [4, 5]);
});

test('a request that cannot be decoded releases all it brought', async (t) => {
  const m = request('both', [new Capability(new FakeCap(6)), new Capability(new FakeCap(7))]);
  m.words[0] = 99; // no such opcode
  const r = await serve(m);
  t.is(r.code, ReplyCode.ERROR);
  t.deepEqual(r.released, [6, 7]);
});

test('a request for a dissolved object releases all it brought', async (t) => {
  const released: number[] = [];
  const ep = new Entrypoint({
    alloc: async () => ({ cap: new Capability(new FakeCap(100)), key: 100 }),
    free: async () => {},
    release: (c) => released.push(c.native!.key as number),
  }, () => {});
  const m = request('none', [], [8]);
  await new Promise<void>((done) => ep.handle(12345, m, done));
  t.is(m.words[0], ReplyCode.ERROR);
  t.deepEqual(released, [8]);
  ep.release(new Capability(new FakeCap(9)));
  ep.release(Capability.invalid());
  t.deepEqual(released, [8, 9]);
});

test('checkMessage refuses counts that do not describe the message', (t) => {
  const m = buffer();
  for (const n of [-1, 65, 1.5, Number.NaN, Infinity, '3' as unknown as number]) {
    m.length = n;
    t.throws(() => checkMessage(m), { instanceOf: MessageOverflow }, String(n));
  }
  m.length = 64;
  t.notThrows(() => checkMessage(m));
  m.caps.push(undefined, undefined, undefined, undefined, undefined);
  t.throws(() => checkMessage(m), { instanceOf: MessageOverflow });
  m.caps.length = 1;
  m.caps[0] = {} as NativeCapability;
  t.throws(() => checkMessage(m), { instanceOf: IpcError });
});

test("a reply's capabilities the result does not take are released on the client side", (t) => {
  const released: number[] = [];
  const release = (c: Capability<unknown>) => released.push(c.native!.key as number);
  const fns = interfaceInfo(ReplyTest);
  /* a cap result: the taken one stays, an extra one goes */
  const m = buffer();
  const w = new MsgWriter(m);
  w.word(ReplyCode.OK);
  w.cap(new Capability(new FakeCap(10)));
  m.caps.push(new FakeCap(11));
  const got = unmarshalReply(fns.byName.get('get')!, m, release) as Capability<unknown>;
  t.is(got.native!.key, 10);
  t.deepEqual(released, [11]);
  /* an error reply carrying capabilities: all go */
  const e = buffer();
  e.words[0] = ReplyCode.ERROR;
  e.words[1] = 0;
  e.length = 2;
  e.caps.push(new FakeCap(12), new FakeCap(13));
  t.throws(() => unmarshalReply(fns.byName.get('count')!, e, release));
  t.deepEqual(released, [11, 12, 13]);
});
