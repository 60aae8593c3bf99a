/*
 * What each kernel operation costs in emulated CPU cycles. The kernel counts operations
 * on every path and charges these cycles to the TSC, so virtual time and IPC costs come
 * from counted work, not from a per-IPC constant. Sources of every number: doc/ipc-cost-model.md.
 */
import { OperationCounter } from '../../../base/src/util/operation_counter.js';
import { COMMON_PROFILE } from '../../../base/src/cost/hardware_profiles.js';
import { costsOn, IPC_USER_WORKING_SET_PAGES, type KernelRecipes } from '../../../base/src/cost/operation_recipe.js';

export const KERNEL_OPS = [
  'syscall',        // kernel entry and exit
  'capLookup',      // selector -> object (one array access on NOVA)
  'asSwitch',       // address-space switch (CR3 write, PCID where the CPU has it)
  'wordCopy',       // one untyped UTCB word copied
  'itemTranslate',  // one typed item delegated or translated
  'schedule',       // run-queue operation / scheduler invocation
  'objectCreate',   // creating a kernel object
  'mapPage',        // one mapping-database node created or removed
  'interrupt',      // interrupt entry and acknowledge
] as const;

export type KernelOp = (typeof KERNEL_OPS)[number];

export type CostModel = Record<KernelOp, number>;

/*
 * NOVA's operations as primitives plus instructions. The instruction counts are read off the
 * structure of NOVA's paths (entry stub, portal traversal, reply through the caller recorded
 * in the EC), never from its published IPC figure.
 */
export const NOVA_RECIPES: KernelRecipes<KernelOp> = {
  kernel: 'nova',
  usesTaggedTlb: { x86: true, arm: false, source: 'assumption: NOVA gives each PD its own PCID where the CPU has one (not checked against NOVA\'s source); NOVA is x86 only' },
  operations: {
    syscall: { primitives: { trapEntryExit: 1 }, instructions: 40, source: 'entry stub saving the user frame, dispatch on the system-call number, exit stub restoring it: about 40 instructions' },
    capLookup: { primitives: {}, instructions: 6, source: 'a selector indexes the PD\'s capability array: shift, bounds check, load, type and rights check' },
    asSwitch: { primitives: { addressSpaceSwitch: 1 }, instructions: 10, untaggedTlbRefills: IPC_USER_WORKING_SET_PAGES, source: 'compare the target PD with the current one, load its page-table root and write CR3' },
    wordCopy: { primitives: {}, instructions: 1, source: 'one UTCB word moved (a string move copies a word per instruction)' },
    itemTranslate: { primitives: { cacheLineFill: 2 }, instructions: 60, source: 'typed item decoded, mapping-database lookup and insertion of a node (two cold lines)' },
    schedule: { primitives: { cacheLineFill: 2 }, instructions: 50, source: 'priority run-queue insertion and selection of the next SC' },
    objectCreate: { primitives: { cacheLineFill: 8 }, instructions: 200, source: 'slab allocation, initialisation of a kernel object of about 512 bytes (8 lines), selector insertion' },
    mapPage: { primitives: { cacheLineFill: 1 }, instructions: 30, source: 'one mapping-database node linked or unlinked, its page-table entry written' },
    interrupt: { primitives: { interruptEntryExit: 1, portIo: 2 }, instructions: 40, source: 'vector entry, PIC acknowledge and end of interrupt, semaphore up of the bound SM' },
  },
};

/** NOVA's charges on the common profile: what the emulated kernel's virtual time uses. */
export const NOVA_COSTS: CostModel = costsOn(NOVA_RECIPES, COMMON_PROFILE);

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
