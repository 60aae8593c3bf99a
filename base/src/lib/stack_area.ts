/*
 * The stack area: a fixed virtual region in every component, one slot per thread.
 * A thread's UTCB (or message buffer) lies at the base of its slot, its stack grows down
 * from the top. Core derives the UTCB address from the stack pointer a thread is started with.
 */
import { GenodeError } from '../errors.js';
export const STACK_AREA_BASE = 0x4000_0000;
export const STACK_SLOT_SIZE = 0x10_0000;
export const STACK_SLOTS = 256;

export function slotTop(slot: number): number {
  return STACK_AREA_BASE + (slot + 1) * STACK_SLOT_SIZE;
}

/** The slot base (UTCB address) that belongs to stack pointer `sp`. */
export function utcbOfStack(sp: number): number | undefined {
  const slot = Math.floor((sp - 1 - STACK_AREA_BASE) / STACK_SLOT_SIZE);
  if (slot < 0 || slot >= STACK_SLOTS) return undefined;
  return STACK_AREA_BASE + slot * STACK_SLOT_SIZE;
}

/**
 * The stack slots of a component's threads: slot 0 is the main thread's, the others are
 * handed out in order, and a slot a thread gave back is used again (lowest first).
 */
export class StackSlots {
  private next = 1;
  private readonly freed: number[] = [];

  constructor(private readonly limit = STACK_SLOTS) {}

  /** A free slot; throws when the stack area is full. */
  alloc(): number {
    if (this.freed.length > 0) return this.freed.pop()!;
    if (this.next >= this.limit) throw new GenodeError(`out of thread slots in the stack area (${this.limit})`);
    return this.next++;
  }

  free(slot: number): void {
    if (slot <= 0 || slot >= this.next || this.freed.includes(slot)) return;
    this.freed.push(slot);
    this.freed.sort((a, b) => b - a);
  }
}

/** Where region maps place attachments when the caller does not choose an address. */
export const ATTACH_AREA_BASE = 0x1000_0000;
export const ATTACH_AREA_SIZE = STACK_AREA_BASE - ATTACH_AREA_BASE;
