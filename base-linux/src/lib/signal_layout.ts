/*
 * A signal source: one SharedArrayBuffer per PD that core writes and the PD's signal
 * thread reads. Each signal context owns a slot with its imprint and a count; submits add
 * to the count (so they coalesce), the receiver takes the count with an atomic exchange.
 */
export const enum Sig {
  /** Bumped on every submit; the receiver waits on it. */
  SEQ = 0,
  /** Non-zero once core destroyed the source. */
  CLOSED = 1,
  /** Slots in use lie below this index. */
  HIGH = 2,
  SLOTS = 4,
}

export const SIGNAL_SLOTS = 1024;
export const SIGNAL_SOURCE_BYTES = (Sig.SLOTS + 2 * SIGNAL_SLOTS) * 4;

/** Word index of a slot's imprint; its count follows. */
export function slotIndex(slot: number): number {
  return Sig.SLOTS + 2 * slot;
}
