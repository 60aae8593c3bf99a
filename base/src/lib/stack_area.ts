/*
 * The stack area: a fixed virtual region in every component, one slot per thread.
 * A thread's UTCB (or message buffer) lies at the base of its slot, its stack grows down
 * from the top. Core derives the UTCB address from the stack pointer a thread is started with.
 */
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

/** The slot whose stack top is `sp` (as slotTop returns it). */
export function slotOfTop(sp: number): number {
  return (sp - STACK_AREA_BASE) / STACK_SLOT_SIZE - 1;
}

/** Where region maps place attachments when the caller does not choose an address. */
export const ATTACH_AREA_BASE = 0x1000_0000;
export const ATTACH_AREA_SIZE = STACK_AREA_BASE - ATTACH_AREA_BASE;
