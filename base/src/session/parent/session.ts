/*
 * The Parent interface. Session requests are asynchronous, as in Genode: `session`,
 * `upgrade` and `close` only record the request; the parent answers later through the
 * signal registered with `sessionSigh`, and the child fetches the outcome with
 * `sessionResponse` / `sessionCap`. So a parent never blocks on a server while serving a child.
 */
import type { Capability } from '../../capability.js';
import { BadArgument, InsufficientCapQuota, InsufficientRamQuota, ServiceDenied } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int, keptCap, str, struct } from '../../rpc/types.js';
import { SESSION_ARGS_MAX } from '../root/session.js';
import type { Root } from '../root/session.js';
import type { SignalContext } from '../signal/session.js';

export const SERVICE_NAME_MAX = 64;

/** Session ids the parent fills in for every child (Genode's Parent::Env). */
export const enum EnvSession {
  PD = 1,
  CPU = 2,
  /** First id a child may use for its own requests. */
  FIRST_FREE = 16,
}

export const enum SessionState {
  PENDING = 0,
  AVAILABLE = 1,
  DENIED = 2,
  INSUFFICIENT_RAM_QUOTA = 3,
  INSUFFICIENT_CAP_QUOTA = 4,
  CLOSED = 5,
}

export interface SessionResponse {
  state: SessionState;
  /** What went wrong, for the child's error message. */
  reason: string;
}

export const sessionResponseType = struct<SessionResponse>({ state: int, reason: str(160) });

@rpcInterface('Parent')
export abstract class Parent {
  @rpc({ args: [int] }) abstract exit: (code: number) => Promise<void>;

  @rpc({ args: [str(SERVICE_NAME_MAX), keptCap], throws: [BadArgument] })
  abstract announce: (service: string, root: Capability<Root>) => Promise<void>;

  @rpc({ args: [keptCap] }) abstract sessionSigh: (sigh: Capability<SignalContext>) => Promise<void>;

  @rpc({ args: [int, str(SERVICE_NAME_MAX), str(SESSION_ARGS_MAX)], throws: [BadArgument] })
  abstract session: (id: number, service: string, args: string) => Promise<void>;

  @rpc({ args: [int], result: cap, throws: [ServiceDenied, InsufficientRamQuota, InsufficientCapQuota, BadArgument] })
  abstract sessionCap: (id: number) => Promise<Capability<unknown>>;

  @rpc({ args: [int], result: sessionResponseType }) abstract sessionResponse: (id: number) => Promise<SessionResponse>;

  @rpc({ args: [int, str(SESSION_ARGS_MAX)], throws: [BadArgument] })
  abstract upgrade: (id: number, args: string) => Promise<void>;

  @rpc({ args: [int], throws: [BadArgument] }) abstract close: (id: number) => Promise<void>;

  /** Registers a signal for when the parent granted more resources. */
  @rpc({ args: [keptCap] }) abstract resourceAvailSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** Asks the parent for more RAM/caps ("ram_quota=..., cap_quota=..."). */
  @rpc({ args: [str(SESSION_ARGS_MAX)] }) abstract resourceRequest: (args: string) => Promise<void>;
}
