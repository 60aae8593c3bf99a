/*
 * The PD session: a protection domain with its RAM and capability accounts, dataspace
 * allocation, RPC-object and signal-context capabilities, and its address space.
 */
import type { Capability } from '../../capability.js';
import { BadArgument, InvalidSession, OutOfCaps, OutOfRam, UndefinedRefAccount, InvalidCapability } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int, struct } from '../../rpc/types.js';
import type { Dataspace } from '../dataspace/session.js';
import type { RegionMap } from '../region_map/session.js';
import type { CpuThread } from '../cpu_thread/session.js';
import type { SignalContext, SignalSource } from '../signal/session.js';
import type { Parent } from '../parent/session.js';

export interface Quota {
  ramQuota: number;
  ramUsed: number;
  capQuota: number;
  capUsed: number;
}

export const quotaType = struct<Quota>({ ramQuota: int, ramUsed: int, capQuota: int, capUsed: int });

@rpcInterface('PD')
export abstract class PdSession {
  static readonly service = 'PD';
  static readonly RAM_QUOTA = 24 * 1024;
  static readonly CAP_QUOTA = 4;

  @rpc({ args: [cap] }) abstract assignParent: (parent: Capability<Parent>) => Promise<void>;

  /* RAM (a size that is not a whole number of at least 1 is refused with BadArgument) */
  @rpc({ args: [int], result: cap, throws: [OutOfRam, OutOfCaps, BadArgument] })
  abstract alloc: (size: number) => Promise<Capability<Dataspace>>;
  @rpc({ args: [cap] }) abstract free: (ds: Capability<Dataspace>) => Promise<void>;
  @rpc({ args: [cap], result: int }) abstract dataspaceSize: (ds: Capability<Dataspace>) => Promise<number>;

  /* Quota accounts (an amount that is negative or beyond 2^53 - 1 is refused with BadArgument) */
  @rpc({ args: [cap], throws: [InvalidSession] }) abstract refAccount: (pd: Capability<PdSession>) => Promise<void>;
  @rpc({ args: [cap, int], throws: [OutOfRam, InvalidSession, UndefinedRefAccount, BadArgument] })
  abstract transferQuota: (to: Capability<PdSession>, amount: number) => Promise<void>;
  @rpc({ args: [cap, int], throws: [OutOfCaps, InvalidSession, UndefinedRefAccount, BadArgument] })
  abstract transferCapQuota: (to: Capability<PdSession>, amount: number) => Promise<void>;
  @rpc({ result: quotaType }) abstract quota: () => Promise<Quota>;

  /* Capabilities of RPC objects served by an entrypoint thread of this PD */
  @rpc({ args: [cap], result: cap, throws: [OutOfCaps, OutOfRam, InvalidCapability] })
  abstract allocRpcCap: (ep: Capability<CpuThread>) => Promise<Capability<unknown>>;
  @rpc({ args: [cap] }) abstract freeRpcCap: (cap: Capability<unknown>) => Promise<void>;
  /**
   * Sets the id the kernel delivers to the entrypoint when the object's capability is
   * invoked (Genode's Nova_native_pd::imprint_rpc_cap): on NOVA core created the portal and
   * alone may pt_ctrl it. Kernels whose capabilities carry their key otherwise ignore it.
   */
  @rpc({ args: [cap, int], throws: [InvalidCapability] })
  abstract imprintRpcCap: (cap: Capability<unknown>, badge: number) => Promise<void>;

  /* Signals */
  @rpc({ result: cap, throws: [OutOfCaps] }) abstract allocSignalSource: () => Promise<Capability<SignalSource>>;
  @rpc({ args: [cap, int], result: cap, throws: [OutOfCaps, InvalidCapability] })
  abstract allocContext: (source: Capability<SignalSource>, imprint: number) => Promise<Capability<SignalContext>>;
  @rpc({ args: [cap] }) abstract freeContext: (ctx: Capability<SignalContext>) => Promise<void>;
  /** Submits a signal through core, for kernels where a component cannot do it directly. */
  @rpc({ args: [cap, int] }) abstract submit: (ctx: Capability<SignalContext>, count: number) => Promise<void>;

  @rpc({ result: cap }) abstract addressSpace: () => Promise<Capability<RegionMap>>;

  /**
   * The bus address a device sees for RAM dataspace `ds` (Genode's Pd_session::dma_addr):
   * its physical address, as a DMA buffer is one physically contiguous range. 0 for a
   * dataspace this PD did not allocate. The platform driver hands it to its clients with
   * their DMA buffers (os/src/session/platform).
   */
  @rpc({ args: [cap], result: int }) abstract dmaAddr: (ds: Capability<Dataspace>) => Promise<number>;
}
