import test from 'ava';
import { ByteRing } from '../../os/src/server/terminal_crosslink/byte_ring.js';

test('a ring takes what fits, gives back in order, wraps around', (t) => {
  const r = new ByteRing(8);
  t.is(r.put(Uint8Array.of(1, 2, 3, 4, 5, 6)), 6);
  const out = new Uint8Array(8);
  t.is(r.take(out, 4), 4);
  t.deepEqual([...out.subarray(0, 4)], [1, 2, 3, 4]);
  t.is(r.put(Uint8Array.of(7, 8, 9, 10, 11, 12, 13)), 6, 'only the free room');
  t.is(r.free, 0);
  t.is(r.put(Uint8Array.of(99)), 0);
  t.is(r.take(out, 100), 8);
  t.deepEqual([...out], [5, 6, 7, 8, 9, 10, 11, 12]);
  t.is(r.take(out, 1), 0);
  t.is(r.take(new Uint8Array(0), 5), 0, 'never past the output');
  r.put(Uint8Array.of(1));
  r.clear();
  t.is(r.length, 0);
});
