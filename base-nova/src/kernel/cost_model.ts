/*
 * What each kernel operation costs in emulated CPU cycles. The kernel counts operations
 * on every path and charges these cycles to the TSC, so virtual time and IPC costs come
 * from counted work, not from a per-IPC constant. Calibration: doc/ipc-cost-model.md.
 */
import { OperationCounter } from '../../../base/src/util/operation_counter.js';

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

/** NOVA's operation counter (the shared mechanism with NOVA's list of operations). */
export class KernelAccounting extends OperationCounter<KernelOp> {
  constructor(costs: CostModel) {
    super(KERNEL_OPS, costs);
  }
}

/** Operation indices for `charge` (same order as KERNEL_OPS). */
export const enum Op {
  SYSCALL = 0, CAP_LOOKUP = 1, AS_SWITCH = 2, WORD_COPY = 3, ITEM_TRANSLATE = 4,
  SCHEDULE = 5, OBJECT_CREATE = 6, MAP_PAGE = 7, INTERRUPT = 8,
}
