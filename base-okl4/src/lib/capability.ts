/*
 * On OKL4 a capability is Genode's Ipc_cap_data pair: the global ID of the entrypoint thread
 * that serves the object and the object's RPC key (its "local name"). The kernel knows
 * nothing of it; anyone who writes these two words into message registers can name the
 * object. See doc/kernels.md (okl4) for what that means.
 */
import { NativeCapability } from '../../../base/src/capability.js';
import { formatId } from '../kernel/abi.js';

export class Okl4Capability extends NativeCapability {
  constructor(
    /** Rpc_destination: the serving entrypoint thread. */
    readonly tid: number,
    /** Rpc_obj_key: the object's name at that entrypoint. */
    readonly rpcKey: number,
  ) {
    super();
  }

  get key(): number {
    return this.rpcKey;
  }

  toString(): string {
    return `capability {tid ${formatId(this.tid)}, key ${this.rpcKey}}`;
  }
}

export function okl4CapOf(cap: { native?: NativeCapability }): Okl4Capability | undefined {
  return cap.native instanceof Okl4Capability ? cap.native : undefined;
}
