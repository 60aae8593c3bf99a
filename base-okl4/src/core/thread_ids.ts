/*
 * Core's allocation of global thread IDs, in Genode's layout: thread number =
 * (space number << 5) | thread index, so a space has 32 threads and there are 256 spaces.
 * Genode always used version 1; here core gives a reused number the next version, so an
 * ID held by someone from the number's previous thread names nothing (the kernel refuses
 * to re-create a number with the version it had).
 */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { VERSION_MASK, globalId, threadNoOf } from '../kernel/abi.js';

export const THREAD_INDEX_BITS = 5;
export const THREADS_PER_SPACE = 1 << THREAD_INDEX_BITS;
export const MAX_SPACES = 256;

export function threadNumber(space: number, index: number): number {
  return (space << THREAD_INDEX_BITS) | index;
}

export class ThreadIds {
  private readonly slots = new Map<number, IdAllocator>();
  private readonly versions = new Map<number, number>();

  /** A fresh ID for a new thread in `space`, or undefined if the space has no free slot. */
  alloc(space: number): number | undefined {
    let slots = this.slots.get(space);
    if (!slots) {
      slots = new IdAllocator(0, THREADS_PER_SPACE);
      this.slots.set(space, slots);
    }
    const index = slots.alloc();
    if (index === undefined) return undefined;
    const no = threadNumber(space, index);
    const version = ((this.versions.get(no) ?? 0) % VERSION_MASK) + 1;
    this.versions.set(no, version);
    return globalId(no, version);
  }

  free(space: number, id: number): void {
    this.slots.get(space)?.free(threadNoOf(id) & (THREADS_PER_SPACE - 1));
  }

  /** Forgets a deleted space's slots (its thread numbers keep their versions). */
  dropSpace(space: number): void {
    this.slots.delete(space);
  }
}
