/*
 * A hardware profile: what the CPU primitives an IPC path is made of cost on one CPU, each
 * number with where it comes from. Kernels' operations are priced from these primitives
 * (operation_recipe.ts), never from a published IPC total, so a published IPC figure can be
 * predicted and the prediction can be wrong.
 */

/** The CPU primitives a kernel operation is made of. */
export const PRIMITIVES = [
  'trapEntryExit',      // user -> kernel -> user: sysenter/sysexit, syscall/sysret or SWI/exception return
  'addressSpaceSwitch', // writing the page-table root (CR3 / TTBR / ARM domain + PID), no TLB refill included
  'tlbRefill',          // one TLB entry refilled by a page walk that hits the caches
  'cacheLineFill',      // one L1 miss served by the next cache level
  'interruptEntryExit', // hardware interrupt delivery through the IDT/vector and its return
  'portIo',             // one programmed I/O access to a legacy device (PIC acknowledge / EOI)
  'instruction',        // one instruction of a kernel path's own work (1 / sustained IPC)
] as const;

export type Primitive = (typeof PRIMITIVES)[number];

/** How a number was obtained: measured and published, read from a vendor manual, or estimated. */
export type Evidence = 'measured' | 'manual' | 'estimate';

/** A number together with its unit and its citation. */
export interface Sourced {
  value: number;
  unit: 'core cycles' | 'entries' | 'pages';
  evidence: Evidence;
  /** The citation (or, for an estimate, what it is estimated from). */
  source: string;
}

export interface HardwareProfile {
  id: string;
  cpu: string;
  arch: 'x86' | 'arm';
  /** Whether the MMU tags TLB entries by address space (PCID, ASID, FASS domains), so a switch keeps them. */
  taggedTlb: Sourced & { value: 0 | 1 };
  primitives: Record<Primitive, Sourced>;
}
