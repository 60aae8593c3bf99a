/* Mutex.guard: callers run one at a time in arrival order, and a failing one releases the lock. */
import test from 'ava';
import { Mutex } from '../../base/src/util/mutex.js';

test('guarded sections do not interleave and run in arrival order', async (t) => {
  const m = new Mutex();
  const trace: string[] = [];
  const section = (name: string) => m.guard(async () => {
    trace.push(`${name} in`);
    await new Promise((r) => setImmediate(r));
    trace.push(`${name} out`);
    return name;
  });
  t.deepEqual(await Promise.all([section('a'), section('b'), section('c')]), ['a', 'b', 'c']);
  t.deepEqual(trace, ['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
});

test('an error inside releases the lock and reaches the caller', async (t) => {
  const m = new Mutex();
  await t.throwsAsync(m.guard(async () => { throw new RangeError('inside'); }), { instanceOf: RangeError });
  t.true(m.tryAcquire());
});
