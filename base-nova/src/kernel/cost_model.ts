/*
 * What each kernel operation costs in emulated CPU cycles. The kernel counts operations
 * on every path and charges these cycles to the TSC, so virtual time and IPC costs come
 * from counted work, not from a per-IPC constant. Calibration: doc/ipc-cost-model.md.
 */

export const KERNEL_OPS = [
  'syscall',        // kernel entry and exit
  'capLookup',      // selector -> object (one array access on NOVA)
  'asSwitch',       // address-space switch (CR3 write, tagged TLB)
  'wordCopy',       // one untyped UTCB word copied
  'itemTranslate',  // one typed item delegated or translated
  'schedule',       // run-queue operation / scheduler invocation
  'objectCreate',   // creating a kernel object
  'mapPage',        // one mapping-database node created or removed
  'interrupt',      // interrupt entry and acknowledge
] as const;

export type KernelOp = (typeof KERNEL_OPS)[number];

export type CostModel = Record<KernelOp, number>;

/** NOVA-style: tiny fast path, direct portal lookup, no scheduler on call/reply. */
export const NOVA_COSTS: CostModel = {
  syscall: 110,
  capLookup: 8,
  asSwitch: 140,
  wordCopy: 1,
  itemTranslate: 40,
  schedule: 60,
  objectCreate: 400,
  mapPage: 30,
  interrupt: 300,
};

const OP_INDEX = new Map<KernelOp, number>(KERNEL_OPS.map((k, i) => [k, i]));

export class KernelAccounting {
  /** Counts per operation, indexed like KERNEL_OPS (an array: this is on every path). */
  private readonly counts = new Float64Array(KERNEL_OPS.length);
  private readonly cycles: Float64Array;
  /** Cycles charged but not yet handed to the machine clock. */
  pending = 0;

  constructor(readonly costs: CostModel) {
    this.cycles = Float64Array.from(KERNEL_OPS, (k) => costs[k]);
  }

  static index(op: KernelOp): number {
    return OP_INDEX.get(op)!;
  }

  charge(op: number, n = 1): void {
    this.counts[op]! += n;
    this.pending += this.cycles[op]! * n;
  }

  snapshot(): Record<KernelOp, number> {
    return Object.fromEntries(KERNEL_OPS.map((k, i) => [k, this.counts[i]!])) as Record<KernelOp, number>;
  }
}

/** Operation indices for `charge` (same order as KERNEL_OPS). */
export const enum Op {
  SYSCALL = 0, CAP_LOOKUP = 1, AS_SWITCH = 2, WORD_COPY = 3, ITEM_TRANSLATE = 4,
  SCHEDULE = 5, OBJECT_CREATE = 6, MAP_PAGE = 7, INTERRUPT = 8,
}
