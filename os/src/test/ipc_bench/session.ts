/* The IPC benchmark's interface: calls of growing payload, a capability transfer, bulk data. */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bytes, cap, int, keptCap } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

/** The largest payload the benchmark tries; kernels with fewer message registers refuse it. */
export const MAX_PAYLOAD = 3000;

@rpcInterface('Ipc_bench')
export abstract class IpcBenchSession {
  static readonly service = 'Ipc_bench';
  static readonly RAM_QUOTA = 32 * 1024;
  static readonly CAP_QUOTA = 8;

  @rpc() abstract nullCall: () => Promise<void>;
  /** Carries `data` to the server and returns its length. */
  @rpc({ args: [bytes(MAX_PAYLOAD)], result: int }) abstract payload: (data: Uint8Array) => Promise<number>;
  /** Carries a capability to the server (translated by the kernel). */
  @rpc({ args: [cap] }) abstract passCap: (c: Capability<unknown>) => Promise<void>;
  /** Sets up the signal ping-pong: the server answers each submit to `ping` with one to the client's `pong`. */
  @rpc({ args: [keptCap], result: cap }) abstract signals: (pong: Capability<SignalContext>) => Promise<Capability<SignalContext>>;
  /** Shares a dataspace for bulk transfers. */
  @rpc({ args: [cap] }) abstract shareBuffer: (ds: Capability<Dataspace>) => Promise<void>;
  /** Reads `size` bytes of the shared buffer and returns their sum (mod 2^32). */
  @rpc({ args: [int], result: int }) abstract consume: (size: number) => Promise<number>;
}
