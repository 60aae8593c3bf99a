/*
 * The component's own bookkeeping of its capability selectors (Genode's cap_map on NOVA):
 * which selectors are free, receive windows for incoming capabilities, and a reference
 * count per selector, since the kernel's translate hands out the same selector again when
 * the same object arrives twice. Every arrival counts one reference and every release
 * drops one; the selector is freed (and revoked) with its last.
 */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { Sel } from '../kernel/abi.js';

/** A CRD's base field has 20 bits on 32-bit NOVA (bits 12-31), so a PD has 2^20 selectors. */
export const SELECTOR_SPACE = 1 << 20;
/** The translate window covers the whole selector space, as Genode's Obj_crd(0, ~0) does. */
export const XLT_WINDOW_ORDER = 20;
/** Receive windows are 2^2 selectors: at most four capabilities per message, as in Genode. */
export const RCV_WINDOW_ORDER = 2;

export class Selectors {
  private readonly ids = new IdAllocator(Sel.WINDOW_END, SELECTOR_SPACE - Sel.WINDOW_END);
  private readonly refs = new Map<number, number>();

  /** Allocates 2^order selectors; throws when the space is exhausted (see `tryAlloc`). */
  alloc(order = 0): number {
    const sel = this.ids.alloc(order);
    if (sel === undefined) throw new Error('out of capability selectors');
    return sel;
  }

  /** Allocates 2^order selectors, or undefined when the space is exhausted. */
  tryAlloc(order = 0): number | undefined {
    return this.ids.alloc(order);
  }

  /** Marks a selector that is in use already (e.g. one the kernel filled at boot). */
  claim(sel: number): void {
    this.ids.claim(sel);
  }

  /**
   * Counts one more holder of a selector that arrived in a message: `fresh` when the kernel
   * put it into the receive window, else it was translated to a selector held already (by
   * an earlier arrival, or by the code that allocated it, which counts as one holder).
   */
  retain(sel: number, fresh: boolean): void {
    if (sel < Sel.WINDOW_END) return; // the fixed selectors are never released
    this.refs.set(sel, (this.refs.get(sel) ?? (fresh ? 0 : 1)) + 1);
  }

  /**
   * Drops one holder; true if the selector is now unused and must be revoked. A selector
   * no arrival counted (fixed, or owned by the code that allocated it) is left alone.
   */
  drop(sel: number): boolean {
    const held = this.refs.get(sel);
    if (held === undefined) return false;
    if (held > 1) {
      this.refs.set(sel, held - 1);
      return false;
    }
    this.refs.delete(sel);
    this.ids.free(sel);
    return true;
  }

  /** Returns a selector (a receive window's unfilled one, an object its owner destroyed). */
  free(sel: number): void {
    this.refs.delete(sel);
    this.ids.free(sel);
  }

  isUsed(sel: number): boolean {
    return this.ids.isUsed(sel);
  }

  /** Selectors in use (for leak checks). */
  get inUse(): number {
    return this.ids.inUse;
  }
}
