/*
 * The Parent interface. Session requests are asynchronous, as in Genode: `session`,
 * `upgrade` and `close` only record the request; the parent answers later through the
 * signal registered with `sessionSigh`, and the child fetches the outcome with
 * `sessionResponse` / `sessionCap`. So a parent never blocks on a server while serving a child.
 *
 * The server side is asynchronous too (Genode's session_requests ROM and
 * deliver_session_cap): the parent never calls into a child that announced a service.
 * It signals the server (`serverSigh`), the server fetches the requests routed to it
 * (`serverRequest`, `serverArgs`) and answers each when it is done (`deliverSession`,
 * `serverResponse`). A server that never answers leaves its own requests pending and
 * stalls nothing else of the parent.
 */
import type { Capability } from '../../capability.js';
import { BadArgument, InsufficientCapQuota, InsufficientRamQuota, OutOfRam, ServiceDenied } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int, keptCap, str, struct } from '../../rpc/types.js';
import { SESSION_ARGS_MAX } from '../root/session.js';
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
  /** The requester's own account cannot pay the quota it offered (Genode's Out_of_ram). */
  OUT_OF_RAM = 6,
  /** The same for caps (Genode's Out_of_caps): donating more would not help, unlike INSUFFICIENT_*. */
  OUT_OF_CAPS = 7,
}

export interface SessionResponse {
  state: SessionState;
  /** What went wrong, for the child's error message. */
  reason: string;
}

export const REASON_MAX = 160;

export const sessionResponseType = struct<SessionResponse>({ state: int, reason: str(REASON_MAX) });

/** What a parent asks of a server; NONE when nothing is waiting. */
export const enum ServerOp {
  NONE = 0,
  CREATE = 1,
  UPGRADE = 2,
  CLOSE = 3,
}

/**
 * A request for a server, named by an id in the server's id space (the parent's); the
 * session arguments (label, donated quota) come with `serverArgs`, as they would not fit
 * into the smallest kernel's message registers together with the rest.
 */
export interface ServerRequest {
  op: ServerOp;
  id: number;
  service: string;
}

export const serverRequestType = struct<ServerRequest>({ op: int, id: int, service: str(SERVICE_NAME_MAX) });

@rpcInterface('Parent')
export abstract class Parent {
  @rpc({ args: [int] }) abstract exit: (code: number) => Promise<void>;

  @rpc({ args: [str(SERVICE_NAME_MAX)], throws: [BadArgument] })
  abstract announce: (service: string) => Promise<void>;

  @rpc({ args: [keptCap] }) abstract sessionSigh: (sigh: Capability<SignalContext>) => Promise<void>;

  /**
   * Each request the parent keeps costs the child a fixed charge of RAM until its answer is
   * collected or the session is closed; OutOfRam if the child cannot pay, ServiceDenied
   * beyond the parent's limit of outstanding requests.
   */
  @rpc({ args: [int, str(SERVICE_NAME_MAX), str(SESSION_ARGS_MAX)], throws: [BadArgument, OutOfRam, ServiceDenied] })
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
  @rpc({ args: [str(SESSION_ARGS_MAX)], throws: [BadArgument] }) abstract resourceRequest: (args: string) => Promise<void>;

  /**
   * Registers the signal the parent sends as a heartbeat request (Genode's
   * heartbeat_sigh): a live component answers each with `heartbeatResponse`.
   */
  @rpc({ args: [keptCap] }) abstract heartbeatSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** The answer to the last heartbeat signal. */
  @rpc() abstract heartbeatResponse: () => Promise<void>;

  /* ------------------------------------------------ the child in its role as a server */

  /** Registers the signal for new requests to the services this child announced. */
  @rpc({ args: [keptCap] }) abstract serverSigh: (sigh: Capability<SignalContext>) => Promise<void>;

  /** The next request not fetched yet (op NONE if there is none). */
  @rpc({ result: serverRequestType }) abstract serverRequest: () => Promise<ServerRequest>;

  /** The session arguments of a fetched CREATE or UPGRADE request. */
  @rpc({ args: [int], result: str(SESSION_ARGS_MAX), throws: [BadArgument] })
  abstract serverArgs: (id: number) => Promise<string>;

  /** Answers a CREATE request with the new session. */
  @rpc({ args: [int, keptCap], throws: [BadArgument] })
  abstract deliverSession: (id: number, session: Capability<unknown>) => Promise<void>;

  /**
   * Answers a request otherwise: a CREATE with DENIED or INSUFFICIENT_*_QUOTA, an UPGRADE
   * with AVAILABLE (done), a CLOSE with CLOSED.
   */
  @rpc({ args: [int, int, str(REASON_MAX)], throws: [BadArgument] })
  abstract serverResponse: (id: number, state: SessionState, reason: string) => Promise<void>;
}
