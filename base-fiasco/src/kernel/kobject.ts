/*
 * Kernel objects. On Fiasco.OC every object is reached by invoking a capability: IPC gates
 * and threads carry messages, the other objects (task, factory, IRQ, ICU, scheduler)
 * interpret the message as an operation in their protocol and reply at once. An object
 * lives as long as some capability names it, or until it is deleted explicitly.
 */
import type { CapEntry } from './obj_space.js';
import type { Thread } from './thread.js';
import type { Fiasco } from './kernel.js';

/** One invocation of a kernel object: who called, through which capability, with which tag. */
export interface Invocation {
  readonly kernel: Fiasco;
  readonly caller: Thread;
  /** The invoked capability (its rights matter). */
  readonly entry: CapEntry;
  readonly tag: number;
  /** The caller's UTCB: arguments in mr[], results go back there. */
  readonly utcb: Uint32Array;
}

export abstract class KObject {
  abstract readonly kind: string;
  /** Every capability naming this object, in any task. */
  readonly caps = new Set<CapEntry>();
  alive = true;

  /**
   * Handles an operation sent to the object (the kernel-object protocols). Returns the
   * reply tag; its label is 0 or a negative error number.
   */
  abstract invoke(inv: Invocation): number;

  /** The last capability is gone or the object was deleted: release what it holds. */
  destroy(_kernel: Fiasco): void {
    this.alive = false;
  }
}
