/* The Root interface: how a parent asks a server for, upgrades and closes sessions. */
import type { Capability } from '../../capability.js';
import { InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam, ServiceDenied } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, str } from '../../rpc/types.js';

export const SESSION_ARGS_MAX = 160;

@rpcInterface('Root')
export abstract class Root {
  @rpc({ args: [str(SESSION_ARGS_MAX)], result: cap, throws: [ServiceDenied, InsufficientRamQuota, InsufficientCapQuota, OutOfRam, OutOfCaps] })
  abstract session: (args: string) => Promise<Capability<unknown>>;

  @rpc({ args: [cap, str(SESSION_ARGS_MAX)], throws: [OutOfRam, OutOfCaps] })
  abstract upgrade: (session: Capability<unknown>, args: string) => Promise<void>;

  @rpc({ args: [cap] }) abstract close: (session: Capability<unknown>) => Promise<void>;
}
