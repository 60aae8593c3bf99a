/* The generic allocators and the FIFO mutex. */
import test from 'ava';
import { IdAllocator } from '../../base/src/util/id_allocator.js';
import { Mutex } from '../../base/src/util/mutex.js';
import { RangeAllocator } from '../../base/src/util/range_allocator.js';
import { QuotaGuard } from '../../base/src/lib/quota_guard.js';
import { OutOfRam } from '../../base/src/errors.js';

test('range allocator: first fit, alignment, fixed ranges, merge on free', (t) => {
  const r = new RangeAllocator(0x1000, 0x10000);
  const a = r.alloc(0x3000, 0x1000)!;
  const b = r.alloc(0x1000, 0x4000)!;
  t.is(a, 0x1000);
  t.is(b % 0x4000, 0);
  t.false(r.allocAt(a + 0x1000, 0x1000));
  t.is(r.freeAt(a), 0x3000);
  t.is(r.freeAt(b), 0x1000);
  t.is(r.avail(), 0x10000);
  t.true(r.allocAt(0x1000, 0x10000));
  t.is(r.alloc(1), undefined);
});

test('id allocator: lowest first, aligned blocks, claim and free', (t) => {
  const ids = new IdAllocator(32, 64);
  t.is(ids.alloc(), 32);
  t.is(ids.alloc(2), 36);
  t.true(ids.claim(33));
  t.false(ids.claim(33));
  ids.free(36, 2);
  t.is(ids.alloc(1), 34);
  t.true(ids.isUsed(35));
});

test('mutex serves waiters in arrival order', async (t) => {
  const m = new Mutex();
  const order: number[] = [];
  t.true(m.tryAcquire());
  const waits = [1, 2, 3].map((i) => m.acquire()!.then(() => { order.push(i); m.release(); }));
  m.release();
  await Promise.all(waits);
  t.deepEqual(order, [1, 2, 3]);
});

test('quota guard refuses to overdraw and says by how much', (t) => {
  const g = new QuotaGuard(8192, 'RAM', 'PD "x"');
  g.withdraw(4096);
  const e = t.throws(() => g.withdraw(8192), { instanceOf: OutOfRam });
  t.regex(e!.message, /PD "x": needs 8192 bytes, 4096 left of 8192/);
  t.false(g.downgrade(8192));
  t.true(g.downgrade(4096));
  t.is(g.avail, 0);
  g.replenish(4096);
  t.is(g.avail, 4096);
});
