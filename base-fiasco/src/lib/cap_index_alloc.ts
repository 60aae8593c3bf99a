/* Allocation of capability slots in the component's own table (Genode's cap_idx_alloc). */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { capIdx, capSlot } from '../kernel/consts.js';
import { OBJ_SPACE_SLOTS } from '../kernel/obj_space.js';

export class CapIndexAlloc {
  private readonly ids: IdAllocator;

  constructor(firstSlot: number, endSlot = OBJ_SPACE_SLOTS) {
    this.ids = new IdAllocator(firstSlot, endSlot - firstSlot);
  }

  /** 2^order consecutive, aligned slots; returns the capability index of the first. */
  alloc(order = 0): number {
    const kcap = this.tryAlloc(order);
    if (kcap === undefined) throw new Error('out of capability slots');
    return kcap;
  }

  /** Like `alloc`, but undefined when the table is full (where running out is the peer's doing). */
  tryAlloc(order = 0): number | undefined {
    const slot = this.ids.alloc(order);
    return slot === undefined ? undefined : capIdx(slot);
  }

  /** Slots in use (for leak checks). */
  get inUse(): number {
    return this.ids.inUse;
  }

  free(kcap: number, order = 0): void {
    this.ids.free(capSlot(kcap), order);
  }
}
