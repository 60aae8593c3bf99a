/* The Root interface: how a parent asks a server for, upgrades and closes sessions. */
import type { Capability } from '../../capability.js';
import { BadArgument, InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam, ServiceDenied } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, str } from '../../rpc/types.js';

export const SESSION_ARGS_MAX = 160;

@rpcInterface('Root')
export abstract class Root {
  /* BadArgument: malformed arguments, or a quota that is not a whole number from 0 to 2^53 - 1 */
  @rpc({ args: [str(SESSION_ARGS_MAX)], result: cap, throws: [ServiceDenied, InsufficientRamQuota, InsufficientCapQuota, OutOfRam, OutOfCaps, BadArgument] })
  abstract session: (args: string) => Promise<Capability<unknown>>;

  @rpc({ args: [cap, str(SESSION_ARGS_MAX)], throws: [OutOfRam, OutOfCaps, BadArgument] })
  abstract upgrade: (session: Capability<unknown>, args: string) => Promise<void>;

  @rpc({ args: [cap] }) abstract close: (session: Capability<unknown>) => Promise<void>;
}
