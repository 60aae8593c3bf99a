/* OKL4 kernel: the root server maps physical memory into spaces with MapControl, and unmaps it. */
import test from 'ava';
import {
  KError, MapCtrl, PAGE_SIZE, Rights, encodeFpage, encodePhysDesc, mr,
} from '../../base-okl4/src/kernel/abi.js';
import { ROOT_SPACE } from '../../base-okl4/src/kernel/kernel.js';
import type { Thread } from '../../base-okl4/src/kernel/thread.js';
import { boot, newSpace, newThread, type TestSystem } from './helpers.js';

function mapOne(sys: TestSystem, self: Thread, space: number, vaddr: number, phys: number, log2: number, rights: number): KError {
  self.utcb[mr(0)] = encodePhysDesc(phys);
  self.utcb[mr(1)] = encodeFpage(vaddr, log2, rights);
  return sys.k.mapControl(self, space, MapCtrl.MODIFY);
}

const PHYS = 0x20_0000; // above the test kernel's 1 MiB of kernel memory

/** RAM is backed per allocation: what core would have allocated before mapping it. */
function allocate(sys: TestSystem, phys: number, bytes: number): void {
  sys.k.machine.memory.back(phys, bytes);
}

test('a mapped flexpage shows the physical memory; unmapping takes it away', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  allocate(sys, PHYS, 1 << 14);
  t.is(mapOne(sys, sys.root, ROOT_SPACE, PHYS, PHYS, 14, Rights.RW), KError.OK);
  t.is(mapOne(sys, sys.root, 1, 0x1000_0000, PHYS, 14, Rights.RW), KError.OK);
  sys.k.memoryView(sys.root, PHYS + PAGE_SIZE, 4)!.set([1, 2, 3, 4]);
  t.deepEqual([...sys.k.memoryView(th, 0x1000_0000 + PAGE_SIZE, 4)!], [1, 2, 3, 4]);
  t.is(sys.k.spaceOf(1)!.mappedPages, 4 + 1); // the flexpage and the thread's UTCB

  /* unmap one page in the middle: the rest stays */
  t.is(mapOne(sys, sys.root, 1, 0x1000_0000 + PAGE_SIZE, 0, 12, 0), KError.OK);
  t.is(sys.k.memoryView(th, 0x1000_0000 + PAGE_SIZE, 4), undefined);
  t.truthy(sys.k.memoryView(th, 0x1000_0000, 4));
  t.truthy(sys.k.memoryView(th, 0x1000_0000 + 2 * PAGE_SIZE, 4));
});

test('rights are enforced by the MMU emulation', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  allocate(sys, PHYS, PAGE_SIZE);
  t.is(mapOne(sys, sys.root, 1, 0x1000_0000, PHYS, 12, Rights.R), KError.OK);
  t.truthy(sys.k.memoryView(th, 0x1000_0000, 16));
  t.is(sys.k.memoryView(th, 0x1000_0000, 16, true), undefined);
});

test('several items in one call, batched in the message registers', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  const u = sys.root.utcb;
  allocate(sys, PHYS, 3 * PAGE_SIZE);
  for (let i = 0; i < 3; i++) {
    u[mr(2 * i)] = encodePhysDesc(PHYS + i * PAGE_SIZE);
    u[mr(2 * i + 1)] = encodeFpage(0x2000_0000 + i * PAGE_SIZE, 12, Rights.RW);
  }
  t.is(sys.k.mapControl(sys.root, 1, MapCtrl.MODIFY | 2), KError.OK);
  t.truthy(sys.k.memoryView(th, 0x2000_0000, 3 * PAGE_SIZE));
  t.is(sys.k.accounting.count('mapItem'), 3);
});

test('MapControl is privileged, refuses kernel memory and misaligned flexpages', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  const th = await newThread(sys, 1, 1);
  t.is(mapOne(sys, th, 1, 0x1000_0000, PHYS, 12, Rights.RW), KError.NO_PRIVILEGE);
  /* the UTCBs live in kernel memory: not even core may map it */
  t.is(mapOne(sys, sys.root, 1, 0x1000_0000, th.utcbPhys, 12, Rights.RW), KError.INVALID_PARAM);
  t.is(mapOne(sys, sys.root, 1, 0x1000_1000, PHYS, 13, Rights.RW), KError.INVALID_PARAM);
  t.is(mapOne(sys, sys.root, 9, 0x1000_0000, PHYS, 12, Rights.RW), KError.INVALID_SPACE);
  t.is(sys.k.memoryView(th, 0x1000_0000, 4), undefined);
});
