/*
 * What the OKL4-style kernel's operations cost. Every path counts its operations and charges
 * them to the TSC, so virtual time and IPC cost come from the work done, not from a per-call
 * constant. The cycles come from hardware primitives (base/src/cost/) and the instructions of
 * each path, priced on the common profile; OKL4's published XScale figure is predicted from
 * them (tool/cost/), never fitted. Sources: doc/ipc-cost-model.md.
 */
import { OperationCounter } from '../../../base/src/util/operation_counter.js';
import { COMMON_PROFILE } from '../../../base/src/cost/hardware_profiles.js';
import { costsOn, IPC_USER_WORKING_SET_PAGES, type KernelRecipes } from '../../../base/src/cost/operation_recipe.js';

export const OKL4_OPS = [
  'syscall',      // kernel entry and exit
  'tidLookup',    // global thread ID -> TCB (table index plus version check)
  'asSwitch',     // address-space switch (page-table root, or domains + PID on ARMv5)
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

/*
 * OKL4's operations as primitives plus instructions, argued from the structure of an L4 IPC
 * fast path: register-based message transfer, thread IDs indexing a TCB table.
 */
export const OKL4_RECIPES: KernelRecipes<Okl4Op> = {
  kernel: 'okl4',
  usesTaggedTlb: { x86: false, arm: true, source: 'OKL4 2.x predates PCID, so on x86 every switch loses the user TLB entries; on ARMv5 it uses fast address-space switching (domains + FCSE PID, Wiggins et al., ACSAC 2003)' },
  operations: {
    syscall: { primitives: { trapEntryExit: 1 }, instructions: 30, source: 'the L4 IPC fast path: entry, send/receive phase decoding from registers, exit; about 30 instructions' },
    tidLookup: { primitives: {}, instructions: 6, source: 'thread number masked out of the global ID, TCB table indexed, version compared' },
    asSwitch: { primitives: { addressSpaceSwitch: 1 }, instructions: 8, untaggedTlbRefills: IPC_USER_WORKING_SET_PAGES, source: 'destination space differs: its page-table root (or domain and PID on ARMv5) is loaded' },
    mrCopy: { primitives: {}, instructions: 1, source: 'one message register moved' },
    schedule: { primitives: { cacheLineFill: 2 }, instructions: 40, source: 'run-queue insertion and selection' },
    objectCreate: { primitives: { cacheLineFill: 8 }, instructions: 250, source: 'a space (page directory) or a thread (TCB and UTCB) allocated and initialised' },
    mapItem: { primitives: {}, instructions: 25, source: 'one MapControl item decoded and its rights checked' },
    pte: { primitives: {}, instructions: 4, source: 'one page-table entry written or cleared' },
    interrupt: { primitives: { interruptEntryExit: 1, portIo: 2 }, instructions: 30, source: 'vector entry, mask and end of interrupt at the PIC, IPC to the handler thread prepared' },
    notify: { primitives: {}, instructions: 12, source: 'notify bits or-ed into the thread, wake-up check' },
  },
};

/** OKL4's charges on the common profile: what the emulated kernel's virtual time uses. */
export const OKL4_COSTS: Okl4CostModel = costsOn(OKL4_RECIPES, COMMON_PROFILE);

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
