/*
 * Core's allocation of global thread IDs: thread number = (space number << 5) | thread
 * index, as in Genode's layout, so a space has 32 threads. Genode gives the space number
 * 8 bits (PD_MAX, 256 spaces) and leaves the top 5 of the 18-bit thread number unused;
 * here the space number takes all 13 bits above the index, so there are 8192 spaces
 * (space 0 is core's) and every ID of a space below 256 is the one Genode's layout gives.
 * Genode always used version 1; here core gives a reused number the next version, so an
 * ID held by someone from the number's previous thread names nothing (the kernel refuses
 * to re-create a number with the version it had).
 */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { THREAD_NO_BITS, VERSION_MASK, globalId, threadNoOf } from '../kernel/abi.js';

export const THREAD_INDEX_BITS = 5;
export const THREADS_PER_SPACE = 1 << THREAD_INDEX_BITS;
/** The thread number's bits above the index. */
export const SPACE_BITS = THREAD_NO_BITS - THREAD_INDEX_BITS;
export const MAX_SPACES = 1 << SPACE_BITS;

export function threadNumber(space: number, index: number): number {
  return (space << THREAD_INDEX_BITS) | index;
}

export class ThreadIds {
  private readonly slots = new Map<number, IdAllocator>();
  private readonly versions = new Map<number, number>();

  /** A fresh ID for a new thread in `space`, or undefined if the space has no free slot. */
  alloc(space: number): number | undefined {
    if (!Number.isInteger(space) || space < 0 || space >= MAX_SPACES) return undefined;
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
