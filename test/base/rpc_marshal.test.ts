/* RPC marshalling: every type round-trips, limits are enforced, malformed messages are refused. */
import test from 'ava';
import { Capability, NativeCapability } from '../../base/src/capability.js';
import { BadArgument, IpcError, MessageOverflow } from '../../base/src/errors.js';
import type { MsgBuffer } from '../../base/src/rpc/msgbuf.js';
import { MsgReader, MsgWriter, bool, bytes, cap, int, list, str, struct, type RpcType } from '../../base/src/rpc/types.js';

class FakeCap extends NativeCapability {
  constructor(readonly key: number) { super(); }
  toString() { return `fake ${this.key}`; }
}

function buffer(words = 64, maxCaps = 4): MsgBuffer {
  const w = new Uint32Array(words);
  return { words: w, bytes: new Uint8Array(w.buffer), length: 0, caps: [], maxCaps };
}

function roundTrip<T>(t: RpcType<T>, v: T, words = 64): T {
  const m = buffer(words);
  const w = new MsgWriter(m);
  w.what = 'test';
  t.write(w, v);
  return t.read(new MsgReader(m));
}

test('integers keep their value up to 2^53, negative ones too', (t) => {
  for (const v of [0, 1, -1, 2 ** 32, -(2 ** 40) + 3, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    t.is(roundTrip(int, v), v);
  }
});

test('an integer argument must be a safe integer', (t) => {
  t.throws(() => roundTrip(int, 1.5), { instanceOf: BadArgument });
  t.throws(() => roundTrip(int, Number.NaN), { instanceOf: BadArgument });
  t.throws(() => roundTrip(int, '3' as unknown as number), { instanceOf: BadArgument });
});

test('booleans, strings, bytes, lists and records round-trip', (t) => {
  t.is(roundTrip(bool, true), true);
  t.is(roundTrip(bool, false), false);
  t.is(roundTrip(str(64), 'gr\u00fc\u00dfe \u{1f600}'), 'gr\u00fc\u00dfe \u{1f600}');
  t.deepEqual([...roundTrip(bytes(16), new Uint8Array([1, 2, 3, 255]))], [1, 2, 3, 255]);
  t.deepEqual(roundTrip(list(int, 8), [5, -6, 7]), [5, -6, 7]);
  const rec = struct<{ a: number; b: string }>({ a: int, b: str(8) });
  t.deepEqual(roundTrip(rec, { a: 9, b: 'x' }), { a: 9, b: 'x' });
});

test('a string over its declared maximum is refused, not truncated', (t) => {
  const e = t.throws(() => roundTrip(str(4), 'abcde'), { instanceOf: MessageOverflow });
  t.regex(e!.message, /5 bytes exceeds its declared maximum of 4/);
});

test('a message larger than the buffer is refused', (t) => {
  const e = t.throws(() => roundTrip(bytes(1000), new Uint8Array(100), 8), { instanceOf: MessageOverflow });
  t.regex(e!.message, /does not fit into the 8-word message buffer/);
});

test('capabilities travel as indices into the message capability list', (t) => {
  const m = buffer();
  const w = new MsgWriter(m);
  cap.write(w, new Capability(new FakeCap(7)));
  cap.write(w, Capability.invalid());
  t.is(m.caps.length, 1);
  const r = new MsgReader(m);
  t.is(cap.read(r).native?.key, 7);
  t.false(cap.read(r).valid);
});

test('more capabilities than the kernel carries are refused', (t) => {
  const m = buffer(64, 1);
  const w = new MsgWriter(m);
  cap.write(w, new Capability(new FakeCap(1)));
  t.throws(() => cap.write(w, new Capability(new FakeCap(2))), { instanceOf: MessageOverflow });
});

test('malformed messages are refused by the reader', (t) => {
  const m = buffer(8);
  m.words[0] = 1000; // a string length beyond the message
  m.length = 2;
  t.throws(() => str(2000).read(new MsgReader(m)), { instanceOf: IpcError, message: /exceeds the message/ });
  m.words[0] = 10;
  t.throws(() => str(4).read(new MsgReader(m)), { instanceOf: IpcError, message: /declared maximum/ });
  m.words[0] = 3;
  m.length = 1;
  t.throws(() => cap.read(new MsgReader(m)), { instanceOf: IpcError });
  m.words[0] = 2;
  t.throws(() => bool.read(new MsgReader(m)), { instanceOf: IpcError });
  const bad = buffer(8);
  bad.words[0] = 2;
  bad.bytes.set([0xff, 0xfe], 4);
  bad.length = 2;
  t.throws(() => str(8).read(new MsgReader(bad)), { instanceOf: IpcError, message: /UTF-8/ });
});
