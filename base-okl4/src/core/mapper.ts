/*
 * Core's side of MapControl: splits a range into flexpages (naturally aligned powers of
 * two that fit both the virtual and the physical address) and hands them to the kernel in
 * batches that fit the message registers, as Genode's core does with L4_MapFpage.
 */
import { KError, MR_COUNT, MapCtrl, PAGE_SHIFT, encodeFpage, encodePhysDesc, mr } from '../kernel/abi.js';
import type { Okl4Kernel } from '../kernel/kernel.js';
import type { Thread } from '../kernel/thread.js';

export interface Flexpage { vaddr: number; phys: number; log2: number }

/** Items per MapControl: two message registers each. */
const ITEMS_PER_CALL = MR_COUNT / 2;

export function* flexpages(vaddr: number, phys: number, size: number): Generator<Flexpage> {
  let v = vaddr;
  let p = phys;
  let left = Math.ceil(size / 4096) * 4096;
  while (left > 0) {
    let log2 = PAGE_SHIFT;
    while (log2 < 31 && v % 2 ** (log2 + 1) === 0 && p % 2 ** (log2 + 1) === 0 && 2 ** (log2 + 1) <= left) log2++;
    yield { vaddr: v, phys: p, log2 };
    v += 2 ** log2;
    p += 2 ** log2;
    left -= 2 ** log2;
  }
}

/**
 * Maps [vaddr, vaddr+size) of `space` to physical [phys, ...) with `rights`, or unmaps it
 * with rights 0, through `self`'s message registers. Returns the first error.
 */
export function mapRange(kernel: Okl4Kernel, self: Thread, space: number, vaddr: number, phys: number, size: number, rights: number): KError {
  const u = self.utcb;
  let n = 0;
  const flush = (): KError => {
    if (n === 0) return KError.OK;
    const err = kernel.mapControl(self, space, MapCtrl.MODIFY | (n - 1));
    n = 0;
    return err;
  };
  for (const f of flexpages(vaddr, phys, size)) {
    u[mr(2 * n)] = encodePhysDesc(f.phys);
    u[mr(2 * n + 1)] = encodeFpage(f.vaddr, f.log2, rights);
    if (++n === ITEMS_PER_CALL) {
      const err = flush();
      if (err !== KError.OK) return err;
    }
  }
  return flush();
}
