/*
 * Core's allocator of badges (Genode's Cap_id_allocator): system-wide ids for the objects
 * core hands out. The low two bits stay clear, since the kernel puts the invoking
 * capability's rights there when it delivers a gate's label.
 */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';

const ID_COUNT = 1 << 20;

export class CapIdAlloc {
  private readonly ids = new IdAllocator(1, ID_COUNT - 1);

  alloc(): number {
    const id = this.ids.alloc();
    if (id === undefined) throw new Error('core: out of capability ids');
    return id * 4;
  }

  free(badge: number): void {
    this.ids.free(badge / 4);
  }
}
