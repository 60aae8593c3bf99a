/*
 * On Fiasco.OC a capability is a slot in the holding task's capability table. Genode pairs
 * it with a badge, a system-wide id core gave the object: it is the label of the object's
 * IPC gate, so a server finds its object by the label the kernel delivers, and a receiver
 * recognises a capability it already holds by its badge.
 */
import { NativeCapability } from '../../../base/src/capability.js';

/** The badge of an invalid capability in a message. */
export const INVALID_BADGE = 0xffffffff;

export class FocCapability extends NativeCapability {
  constructor(readonly kcap: number, readonly badge: number) {
    super();
  }

  get key(): number {
    return this.badge;
  }

  toString(): string {
    return `capability 0x${(this.kcap >>> 12).toString(16)} (badge ${this.badge})`;
  }
}

export function focCap(cap: { native?: NativeCapability }): FocCapability | undefined {
  return cap.native instanceof FocCapability ? cap.native : undefined;
}
