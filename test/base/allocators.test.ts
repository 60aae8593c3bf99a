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

/* The plain lowest-first search the allocator must agree with. */
class ReferenceIds {
  readonly used = new Set<number>();
  constructor(readonly count: number) {}
  alloc(order: number): number | undefined {
    const n = 1 << order;
    for (let i = 0; i + n <= this.count; i += n) {
      let free = true;
      for (let j = 0; j < n && free; j++) free = !this.used.has(i + j);
      if (free) {
        for (let j = 0; j < n; j++) this.used.add(i + j);
        return i;
      }
    }
    return undefined;
  }
}

test('id allocator agrees with a plain lowest-first search over random allocations and frees', (t) => {
  let seed = 12345;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  for (const count of [7, 64, 100, 1000]) {
    const ids = new IdAllocator(10, count);
    const ref = new ReferenceIds(count);
    const held: Array<[number, number]> = [];
    for (let step = 0; step < 3000; step++) {
      if (held.length && rnd(3) === 0) {
        const [id, order] = held.splice(rnd(held.length), 1)[0]!;
        ids.free(id, order);
        for (let j = 0; j < 1 << order; j++) ref.used.delete(id - 10 + j);
      } else {
        const order = [0, 0, 0, 1, 2, 5, 6][rnd(7)]!;
        const got = ids.alloc(order);
        const want = ref.alloc(order);
        t.is(got, want === undefined ? undefined : want + 10, `count ${count}, step ${step}, order ${order}`);
        if (got !== undefined) held.push([got, order]);
      }
      if (ids.inUse !== ref.used.size) t.fail(`inUse ${ids.inUse} != ${ref.used.size}`);
    }
  }
});

test('id allocator: a space of 2^20 ids allocates 10^5 without a quadratic search', (t) => {
  const ids = new IdAllocator(0, 1 << 20);
  for (let i = 0; i < 100_000; i++) if (ids.alloc() !== i) t.fail(`id ${i}`);
  ids.free(500);
  t.is(ids.alloc(), 500);
  t.is(ids.alloc(), 100_000);
  t.is(ids.inUse, 100_001);
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
