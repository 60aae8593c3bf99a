/*
 * What the OKL4-style kernel's operations cost in emulated CPU cycles. Every path counts
 * its operations and charges them to the TSC, so virtual time and IPC cost come from the
 * work done, not from a per-call constant.
 *
 * Calibration: OKL4's published one-way IPC is about 151 cycles (XScale) and 131
 * (StrongARM), see ../shared/reference/ipc-figures.md. A one-way Call of Genode's null RPC
 * (tag + local name + cap count + opcode = 4 MRs) is entry/exit + one thread-ID lookup +
 * one address-space switch + 4 MR copies: 80 + 8 + 55 + 4 * 2 = 151 cycles.
 */
import { OperationCounter } from '../../../base/src/util/operation_counter.js';

export const OKL4_OPS = [
  'syscall',      // kernel entry and exit
  'tidLookup',    // global thread ID -> TCB (table index plus version check)
  'asSwitch',     // address-space switch (OKL4 keeps it cheap with tagged TLBs / domains)
  'mrCopy',       // one message register copied from sender to receiver
  'schedule',     // run-queue operation (thread start, notify wake-up)
  'objectCreate', // creating a space or a thread (TCB, UTCB)
  'mapItem',      // one MapControl item (flexpage) decoded and checked
  'pte',          // one page-table entry written or cleared
  'interrupt',    // interrupt entry, mask and end of interrupt
  'notify',       // notify bits set on a thread
] as const;

export type Okl4Op = (typeof OKL4_OPS)[number];

export type Okl4CostModel = Record<Okl4Op, number>;

export const OKL4_COSTS: Okl4CostModel = {
  syscall: 80,
  tidLookup: 8,
  asSwitch: 55,
  mrCopy: 2,
  schedule: 50,
  objectCreate: 600,
  mapItem: 25,
  pte: 4,
  interrupt: 250,
  notify: 15,
};

/** Operation indices for `charge` (same order as OKL4_OPS; an index keeps the hot path cheap). */
export const enum Cost {
  SYSCALL = 0, TID_LOOKUP = 1, AS_SWITCH = 2, MR_COPY = 3, SCHEDULE = 4,
  OBJECT_CREATE = 5, MAP_ITEM = 6, PTE = 7, INTERRUPT = 8, NOTIFY = 9,
}

/** OKL4's operation counter (the shared mechanism with this kernel's operations). */
export class Okl4Accounting extends OperationCounter<Okl4Op> {
  constructor(costs: Okl4CostModel = OKL4_COSTS) {
    super(OKL4_OPS, costs);
  }
}
