/*
 * What the emulated Fiasco.OC's operations cost. The kernel counts what it does on every
 * path and charges the cycles to the machine's TSC, so a null RPC's virtual cost is the sum
 * of counted work. The cycles come from hardware primitives (base/src/cost/) and the
 * instructions of each path, priced on the common profile; L4Re's published N100 figures are
 * predicted from them (tool/cost/), never fitted. Sources: doc/ipc-cost-model.md.
 */
import { OperationCounter } from '../../../base/src/util/operation_counter.js';
import { COMMON_PROFILE } from '../../../base/src/cost/hardware_profiles.js';
import { costsOn, IPC_USER_WORKING_SET_PAGES, type KernelRecipes } from '../../../base/src/cost/operation_recipe.js';

export const FIASCO_OPS = [
  'syscall',        // kernel entry and exit
  'capLookup',      // capability index -> object in the task's capability table
  'threadSwitch',   // switching the CPU to another thread (direct IPC switch)
  'asSwitch',       // address-space switch (page-table base written)
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

/*
 * Fiasco.OC's operations as primitives plus instructions, argued from the structure of its
 * paths: every system call is an invocation of a kernel object through its capability, and
 * IPC switches threads explicitly before it switches address spaces.
 */
export const FIASCO_RECIPES: KernelRecipes<FiascoOp> = {
  kernel: 'fiasco',
  usesTaggedTlb: { x86: false, arm: true, source: 'assumption: the Fiasco.OC version Genode uses writes the page-table base without PCID on x86 (not checked against Fiasco\'s source); on ARM it uses ASIDs' },
  operations: {
    syscall: { primitives: { trapEntryExit: 1 }, instructions: 60, source: 'entry saving the full frame, decoding the invocation (capability, operation, tag) and calling the object\'s invoke through a virtual function, exit: about 60 instructions' },
    capLookup: { primitives: {}, instructions: 8, source: 'capability index into the task\'s object space, rights masked, object pointer loaded' },
    threadSwitch: { primitives: { cacheLineFill: 2 }, instructions: 80, source: 'the direct switch: partner state checks, ready-queue bookkeeping, kernel stack and context switch, two lines of the partner\'s TCB' },
    asSwitch: { primitives: { addressSpaceSwitch: 1 }, instructions: 10, untaggedTlbRefills: IPC_USER_WORKING_SET_PAGES, source: 'the receiver\'s task differs: its page-table root is written' },
    wordCopy: { primitives: {}, instructions: 1, source: 'one message register moved between UTCBs' },
    itemMap: { primitives: { cacheLineFill: 1 }, instructions: 50, source: 'a map item decoded and matched against the receiver\'s buffer register' },
    objectOp: { primitives: {}, instructions: 25, source: 'the body of a kernel-object operation after dispatch' },
    objectCreate: { primitives: { cacheLineFill: 8 }, instructions: 220, source: 'quota check, slab allocation, construction of an object of about 512 bytes (8 lines), capability insertion' },
    mapNode: { primitives: { cacheLineFill: 1 }, instructions: 30, source: 'one mapping-database node inserted or removed' },
    schedule: { primitives: { cacheLineFill: 2 }, instructions: 50, source: 'ready-queue insertion and scheduler decision' },
    interrupt: { primitives: { interruptEntryExit: 1, portIo: 2 }, instructions: 50, source: 'vector entry, PIC acknowledge and end of interrupt, IRQ object triggers its bound thread' },
  },
};

/** Fiasco.OC's charges on the common profile: what the emulated kernel's virtual time uses. */
export const FIASCO_COSTS: FiascoCosts = costsOn(FIASCO_RECIPES, COMMON_PROFILE);

/** Indices into the counters, in FIASCO_OPS order (the hot paths use numbers, not names). */
export const enum Cost {
  SYSCALL = 0, CAP_LOOKUP = 1, THREAD_SWITCH = 2, AS_SWITCH = 3, WORD_COPY = 4, ITEM_MAP = 5,
  OBJECT_OP = 6, OBJECT_CREATE = 7, MAP_NODE = 8, SCHEDULE = 9, INTERRUPT = 10,
}

/** Fiasco.OC's operation counter (the shared mechanism with this kernel's operations). */
export class CostAccount extends OperationCounter<FiascoOp> {
  constructor(costs: FiascoCosts = FIASCO_COSTS) {
    super(FIASCO_OPS, costs);
  }
}
