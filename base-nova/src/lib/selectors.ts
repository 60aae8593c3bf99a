/*
 * The component's own bookkeeping of its capability selectors (Genode's cap_map on NOVA):
 * which selectors are free, receive windows for incoming capabilities, and a reference
 * count per selector, since the kernel's translate hands out the same selector again when
 * the same object arrives twice.
 */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { Sel } from '../kernel/abi.js';

export const SELECTOR_SPACE = 0x10000;
/** Receive windows are 2^2 selectors: at most four capabilities per message, as in Genode. */
export const RCV_WINDOW_ORDER = 2;

export class Selectors {
  private readonly ids = new IdAllocator(Sel.WINDOW_END, SELECTOR_SPACE - Sel.WINDOW_END);
  private readonly refs = new Map<number, number>();

  alloc(order = 0): number {
    const sel = this.ids.alloc(order);
    if (sel === undefined) throw new Error('out of capability selectors');
    return sel;
  }

  /** Marks a selector that is in use already (e.g. one the kernel filled at boot). */
  claim(sel: number): void {
    this.ids.claim(sel);
  }

  /** Counts one more holder of a selector that arrived in a message. */
  retain(sel: number): void {
    this.refs.set(sel, (this.refs.get(sel) ?? 0) + 1);
  }

  /** Drops one holder; true if the selector is now unused and must be revoked. */
  drop(sel: number): boolean {
    const n = (this.refs.get(sel) ?? 1) - 1;
    if (n > 0) {
      this.refs.set(sel, n);
      return false;
    }
    this.refs.delete(sel);
    this.ids.free(sel);
    return true;
  }

  /** Returns selectors of a receive window that were never filled. */
  free(sel: number): void {
    this.ids.free(sel);
  }

  isUsed(sel: number): boolean {
    return this.ids.isUsed(sel);
  }
}
