/*
 * A kernel operation as counted primitives plus the instructions of the kernel's own work.
 * Pricing a kernel's recipes on a hardware profile gives the cycles its counter charges, so
 * the same counted path can be priced on any CPU.
 */
import { PRIMITIVES, type HardwareProfile, type Primitive } from './hardware_profile.js';

export interface OperationRecipe {
  /** Hardware primitives the operation performs, by count. */
  primitives: Partial<Record<Primitive, number>>;
  /** Instructions of the kernel's own work on this path (estimated from the kernel's structure). */
  instructions: number;
  /**
   * TLB entries that must be refilled after the operation when the hardware or the kernel does
   * not tag address spaces (only an address-space switch has any).
   */
  untaggedTlbRefills?: number;
  /** Why these counts: the kernel code structure the numbers are argued from. */
  source: string;
}

export interface KernelRecipes<Op extends string> {
  kernel: string;
  /** Whether the kernel uses the hardware's address-space tags (PCID on x86, ASIDs or FASS on ARM) where they exist. */
  usesTaggedTlb: { x86: boolean; arm: boolean; source: string };
  operations: Record<Op, OperationRecipe>;
}

/** One operation's cycles on a profile (unrounded). */
export function operationCycles(recipe: OperationRecipe, profile: HardwareProfile, tagged: boolean): number {
  let c = recipe.instructions * profile.primitives.instruction.value;
  for (const p of PRIMITIVES) c += (recipe.primitives[p] ?? 0) * profile.primitives[p].value;
  if (!tagged) c += (recipe.untaggedTlbRefills ?? 0) * profile.primitives.tlbRefill.value;
  return c;
}

/** Whether a kernel keeps TLB entries across address-space switches on this profile. */
export function tagsOn<Op extends string>(kernel: KernelRecipes<Op>, profile: HardwareProfile): boolean {
  return kernel.usesTaggedTlb[profile.arch] && profile.taggedTlb.value === 1;
}

/** Cycles per operation on a profile, rounded to whole cycles (the TSC counts whole cycles). */
export function costsOn<Op extends string>(kernel: KernelRecipes<Op>, profile: HardwareProfile): Record<Op, number> {
  const tagged = tagsOn(kernel, profile);
  return Object.fromEntries(Object.entries<OperationRecipe>(kernel.operations)
    .map(([op, r]) => [op, Math.round(operationCycles(r, profile, tagged))])) as Record<Op, number>;
}

/** Cycles of a counted path (operation -> count) on a profile: sum of count x rounded cost. */
export function pathCycles<Op extends string>(kernel: KernelRecipes<Op>, profile: HardwareProfile, counts: Partial<Record<string, number>>): number {
  const costs = costsOn(kernel, profile) as Record<string, number>;
  let c = 0;
  for (const [op, n] of Object.entries(counts)) {
    if (!(op in costs)) throw new Error(`${kernel.kernel} has no operation "${op}"`);
    c += costs[op]! * (n ?? 0);
  }
  return c;
}

/** The TLB refills charged per untagged address-space switch: the IPC benchmark's user working set. */
export const IPC_USER_WORKING_SET_PAGES = 4; // estimate: one code, one stack, one UTCB/message and one data page per side
