/*
 * Cycle costs of the emulated Fiasco.OC's operations. The kernel counts what it does on
 * every path and charges these cycles to the machine's TSC, so a null RPC's virtual cost
 * is the sum of counted work. Calibrated against L4Re's published figures for an Intel
 * N100 (../shared/reference/ipc-figures.md): a null system call about 52-64 TSC ticks,
 * one intra-task IPC 173, one inter-task IPC 392. Hence:
 *   null syscall   = entry/exit 52 + cap lookup 10                     =  62
 *   intra-task IPC = 62 + thread switch 105 + 3 words * 2              = 173
 *   inter-task IPC = intra + address-space switch 219                  = 392
 */
import { OperationCounter } from '../../../base/src/util/operation_counter.js';

export const FIASCO_OPS = [
  'syscall',        // kernel entry and exit
  'capLookup',      // capability index -> object in the task's capability table
  'threadSwitch',   // switching the CPU to another thread (direct IPC switch)
  'asSwitch',       // address-space switch (page-table base, no tagged TLB flush)
  'wordCopy',       // one message register copied
  'itemMap',        // one map item decoded and a receive buffer matched
  'objectOp',       // the body of a kernel-object operation (task, factory, irq, ...)
  'objectCreate',   // allocating and initialising a kernel object
  'mapNode',        // one mapping-database node created or removed (a page, a port, a capability)
  'schedule',       // run-queue insertion and scheduler decision
  'interrupt',      // hardware interrupt entry, PIC acknowledge and end-of-interrupt
] as const;

export type FiascoOp = (typeof FIASCO_OPS)[number];
export type FiascoCosts = Record<FiascoOp, number>;

export const FIASCO_N100_COSTS: FiascoCosts = {
  syscall: 52,
  capLookup: 10,
  threadSwitch: 105,
  asSwitch: 219,
  wordCopy: 2,
  itemMap: 48,
  objectOp: 20,
  objectCreate: 450,
  mapNode: 30,
  schedule: 60,
  interrupt: 320,
};

/** Indices into the counters, in FIASCO_OPS order (the hot paths use numbers, not names). */
export const enum Cost {
  SYSCALL = 0, CAP_LOOKUP = 1, THREAD_SWITCH = 2, AS_SWITCH = 3, WORD_COPY = 4, ITEM_MAP = 5,
  OBJECT_OP = 6, OBJECT_CREATE = 7, MAP_NODE = 8, SCHEDULE = 9, INTERRUPT = 10,
}

/** Fiasco.OC's operation counter (the shared mechanism with this kernel's operations). */
export class CostAccount extends OperationCounter<FiascoOp> {
  constructor(costs: FiascoCosts = FIASCO_N100_COSTS) {
    super(FIASCO_OPS, costs);
  }
}
