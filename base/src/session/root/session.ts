/*
 * The Root interface: how a server creates, upgrades and closes the sessions of a service.
 * A local interface, not an RPC one: the parent never calls into a server; its requests
 * arrive through the Parent interface's server side (see base/src/lib/root_proxy.ts),
 * which calls the announced root of the service.
 */
import type { Capability } from '../../capability.js';

/** Session argument strings are bounded so that a request fits the smallest kernel's message registers. */
export const SESSION_ARGS_MAX = 160;

export interface Root {
  /**
   * Throws ServiceDenied, InsufficientRamQuota, InsufficientCapQuota, OutOfRam or OutOfCaps;
   * BadArgument for malformed arguments or a quota that is not a whole number from 0 to 2^53 - 1.
   */
  session(args: string): Promise<Capability<unknown>>;
  /** Throws OutOfRam, OutOfCaps or BadArgument (a quota that is not a whole number). */
  upgrade(session: Capability<unknown>, args: string): Promise<void>;
  close(session: Capability<unknown>): Promise<void>;
}
