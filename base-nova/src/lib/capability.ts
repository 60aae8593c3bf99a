/* On NOVA a capability is a selector into the holding PD's object space. */
import { NativeCapability } from '../../../base/src/capability.js';

export class NovaCapability extends NativeCapability {
  constructor(readonly sel: number) {
    super();
  }

  get key(): number {
    return this.sel;
  }

  toString(): string {
    return `selector 0x${this.sel.toString(16)}`;
  }
}

export function selOf(cap: { native?: NativeCapability }): number | undefined {
  return cap.native instanceof NovaCapability ? cap.native.sel : undefined;
}
