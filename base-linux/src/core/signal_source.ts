/*
 * Core's side of a PD's signal source: slots for the PD's signal contexts in a buffer the
 * PD's signal thread reads. A submit adds to the context's count and wakes the receiver;
 * counts coalesce until the receiver takes them.
 */
import { IdAllocator } from '../../../base/src/util/id_allocator.js';
import { SIGNAL_SLOTS, SIGNAL_SOURCE_BYTES, Sig, slotIndex } from '../lib/signal_layout.js';

export class SignalSourceBox {
  readonly sab = new SharedArrayBuffer(SIGNAL_SOURCE_BYTES);
  private readonly w = new Int32Array(this.sab);
  private readonly slots = new IdAllocator(0, SIGNAL_SLOTS);
  submitted = 0;

  allocSlot(imprint: number): number | undefined {
    const slot = this.slots.alloc();
    if (slot === undefined) return undefined;
    const at = slotIndex(slot);
    Atomics.store(this.w, at, imprint);
    Atomics.store(this.w, at + 1, 0);
    if (slot >= Atomics.load(this.w, Sig.HIGH)) Atomics.store(this.w, Sig.HIGH, slot + 1);
    return slot;
  }

  freeSlot(slot: number): void {
    const at = slotIndex(slot);
    Atomics.store(this.w, at + 1, 0);
    Atomics.store(this.w, at, 0);
    this.slots.free(slot);
  }

  submit(slot: number, count: number): void {
    this.submitted += count;
    Atomics.add(this.w, slotIndex(slot) + 1, count);
    this.wake();
  }

  close(): void {
    Atomics.store(this.w, Sig.CLOSED, 1);
    this.wake();
  }

  private wake(): void {
    Atomics.add(this.w, Sig.SEQ, 1);
    Atomics.notify(this.w, Sig.SEQ);
  }
}
