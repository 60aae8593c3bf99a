/*
 * The parent side of the Parent interface: the bookkeeping of a child's session requests
 * (ids, states, responses, the response signal). What a request means (routing, quota
 * transfer, which server) is decided by the subclass: core for init, init for its children.
 * Requests are processed after the RPC returned, so a parent never blocks its entrypoint
 * on a server. The requests for the child in its role as a server wait in `served`.
 *
 * Every request the parent keeps (pending, answered but not yet collected, or an open
 * session) is paid by the child: a fixed RAM charge moves from the child's account to the
 * parent's while the record exists (as Genode's session meta data is paid), and a child may
 * have at most `requestsMax` of them. So a child that asks and never collects runs out of its
 * own quota or hits the limit, and the parent's memory stays bounded. The requests posted to
 * the child as a server stem from such paid requests of its clients (a CREATE from a
 * client's session request, an UPGRADE or CLOSE of an open, paid session), so they are
 * bounded by the same limits.
 */
import { Capability } from '../capability.js';
import { BadArgument, InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam, ServiceDenied } from '../errors.js';
import type { Parent, ServerRequest, SessionResponse } from '../session/parent/session.js';
import { SessionState } from '../session/parent/session.js';
import { parseArgs, resourcesOf } from '../session/args.js';
import { isAmount } from './quota_amount.js';
import type { SignalContext } from '../session/signal/session.js';
import { ServerRequests } from './server_requests.js';

export interface SessionRequest {
  readonly id: number;
  readonly service: string;
  args: string;
  state: SessionState;
  reason: string;
  cap: Capability<unknown>;
  /** Quota donated so far (initial + upgrades), returned on close. */
  ram: number;
  caps: number;
  /** Subclass data (the chosen server, the session object, ...). */
  route?: unknown;
  busy: boolean;
  /** The child paid SESSION_REQUEST_RAM for this record (not so for the environment sessions). */
  paid: boolean;
}

/**
 * What a child pays for each session request the parent keeps: one page, as a Genode parent
 * keeps each session's meta data (Session_state) in a page of its sliced heap.
 */
export const SESSION_REQUEST_RAM = 4096;

/** How many paid requests one child may have at a time (pending, uncollected or open). */
export const SESSION_REQUESTS_MAX = 1024;

/** Maps an exception from session creation to the state the child sees. */
export function stateOfError(e: unknown): SessionState {
  if (e instanceof InsufficientRamQuota) return SessionState.INSUFFICIENT_RAM_QUOTA;
  if (e instanceof InsufficientCapQuota) return SessionState.INSUFFICIENT_CAP_QUOTA;
  /* servers turn their own shortage into Insufficient*; what is left is the donor's (or a parent's) */
  if (e instanceof OutOfRam) return SessionState.OUT_OF_RAM;
  if (e instanceof OutOfCaps) return SessionState.OUT_OF_CAPS;
  return SessionState.DENIED;
}

export function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

export abstract class ParentServer implements Parent {
  protected readonly requests = new Map<number, SessionRequest>();
  private sigh: Capability<SignalContext> | undefined;
  private resourceSigh: Capability<SignalContext> | undefined;
  private heartbeatSighCap: Capability<SignalContext> | undefined;
  /** Heartbeat signals sent and not answered yet (Genode's _outstanding_heartbeats). */
  private outstandingHeartbeats = 0;
  /** Requests the child currently pays for. */
  private paidRequests = 0;
  /** The limit of paid requests; a parent whose child holds many sessions by design raises it. */
  protected requestsMax = SESSION_REQUESTS_MAX;

  /** The child's name, for messages. */
  abstract readonly name: string;

  protected abstract submit(ctx: Capability<SignalContext>): void | Promise<void>;
  protected abstract createSession(req: SessionRequest): Promise<void>;
  protected abstract upgradeSession(req: SessionRequest, ram: number, caps: number): Promise<void>;
  protected abstract closeSession(req: SessionRequest): Promise<void>;
  protected abstract childExited(code: number): void | Promise<void>;
  protected abstract serviceAnnounced(name: string): void | Promise<void>;
  protected resourceRequested(_args: string): void | Promise<void> {}
  /** Moves `ram` bytes from the child's account to the parent's; throws (OutOfRam) if the child cannot pay. */
  protected abstract chargeRequest(ram: number): void | Promise<void>;
  /** Gives back what chargeRequest took, once the request's record is gone. */
  protected abstract refundRequest(ram: number): void | Promise<void>;
  /** Drops a capability the child gave (a replaced signal handler, a gone child's): the parent's ep.release. */
  protected releaseCap(_cap: Capability<unknown>): void {}

  /** Releases the signal handlers the child registered (when the child goes away). */
  protected releaseSignalHandlers(): void {
    for (const c of [this.sigh, this.resourceSigh, this.heartbeatSighCap, this.served.setSigh(undefined)]) if (c) this.releaseCap(c);
    this.sigh = this.resourceSigh = this.heartbeatSighCap = undefined;
  }

  /** Registers a session the parent created for the child (its PD, CPU). */
  addEnvSession(id: number, service: string, cap: Capability<unknown>): void {
    this.requests.set(id, { id, service, args: '', state: SessionState.AVAILABLE, reason: '', cap, ram: 0, caps: 0, busy: false, paid: false });
  }

  /** How many requests the child pays for right now. */
  get outstandingRequests(): number {
    return this.paidRequests;
  }

  /** Drops a request's record and refunds what the child paid for it. */
  private async forget(req: SessionRequest): Promise<void> {
    if (this.requests.get(req.id) === req) this.requests.delete(req.id);
    if (!req.paid) return;
    req.paid = false;
    this.paidRequests--;
    try {
      await this.refundRequest(SESSION_REQUEST_RAM);
    } catch {
      /* the child's account is gone: what it had left, the charge included, is the parent's again */
    }
  }

  protected notify(): void {
    if (this.sigh) void Promise.resolve(this.submit(this.sigh)).catch(() => {});
  }

  /** The requests the parent posted for this child's announced services. */
  readonly served = new ServerRequests((sigh) => void Promise.resolve(this.submit(sigh)).catch(() => {}));

  notifyResourcesAvailable(): void {
    if (this.resourceSigh) void Promise.resolve(this.submit(this.resourceSigh)).catch(() => {});
  }

  /** Runs a request's processing after the RPC returned, then signals the child. */
  private process(req: SessionRequest, work: () => Promise<void>): void {
    req.busy = true;
    req.state = SessionState.PENDING;
    req.reason = '';
    queueMicrotask(() => {
      work()
        .catch((e) => {
          if (req.state === SessionState.PENDING) {
            req.state = stateOfError(e);
            req.reason = reasonOf(e);
          }
        })
        .finally(() => {
          req.busy = false;
          this.notify();
        });
    });
  }

  private existing(id: number, what: string): SessionRequest {
    const req = this.requests.get(id);
    if (!req) throw new BadArgument(`${this.name}: ${what} of unknown session id ${id}`);
    if (req.busy) throw new BadArgument(`${this.name}: ${what} of session id ${id} while a request on it is pending`);
    return req;
  }

  /* ------------------------------------------------------------ Parent RPC interface */

  exit = async (code: number): Promise<void> => {
    await this.childExited(code);
  };

  announce = async (name: string): Promise<void> => {
    if (!name) throw new BadArgument(`${this.name}: announce without a service name`);
    await this.serviceAnnounced(name);
  };

  sessionSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    if (this.sigh) this.releaseCap(this.sigh);
    this.sigh = sigh;
  };

  session = async (id: number, service: string, args: string): Promise<void> => {
    if (!isAmount(id)) throw new BadArgument(`${this.name}: session id ${id} is not a whole number`);
    if (this.requests.has(id)) throw new BadArgument(`${this.name}: session id ${id} is already in use`);
    if (this.paidRequests >= this.requestsMax) {
      throw new ServiceDenied(`${this.name}: "${service}" session request ${id} refused: ${this.paidRequests} requests outstanding, the limit is ${this.requestsMax} (collect answers or close sessions first)`);
    }
    const req: SessionRequest = {
      id, service, args, state: SessionState.PENDING, reason: '', cap: Capability.invalid(), ram: 0, caps: 0, busy: true, paid: true,
    };
    /* the id is taken and counted before the charge, so concurrent requests cannot pass the limit */
    this.requests.set(id, req);
    this.paidRequests++;
    try {
      await this.chargeRequest(SESSION_REQUEST_RAM);
    } catch (e) {
      req.paid = false;
      this.paidRequests--;
      this.requests.delete(id);
      throw new OutOfRam(`${this.name}: cannot pay ${SESSION_REQUEST_RAM} bytes for "${service}" session request ${id}: ${reasonOf(e)}`);
    }
    this.process(req, async () => {
      await this.createSession(req);
      if (req.state === SessionState.PENDING) req.state = SessionState.AVAILABLE;
    });
  };

  sessionCap = async (id: number): Promise<Capability<unknown>> => {
    const req = this.requests.get(id);
    if (!req) throw new BadArgument(`${this.name}: no session with id ${id}`);
    switch (req.state) {
      case SessionState.AVAILABLE: return req.cap;
      case SessionState.PENDING: return Capability.invalid();
    }
    await this.forget(req);
    switch (req.state) {
      case SessionState.INSUFFICIENT_RAM_QUOTA: throw new InsufficientRamQuota(req.reason);
      case SessionState.INSUFFICIENT_CAP_QUOTA: throw new InsufficientCapQuota(req.reason);
      case SessionState.OUT_OF_RAM: throw new OutOfRam(req.reason);
      case SessionState.OUT_OF_CAPS: throw new OutOfCaps(req.reason);
      default: throw new ServiceDenied(req.reason);
    }
  };

  sessionResponse = async (id: number): Promise<SessionResponse> => {
    const req = this.requests.get(id);
    if (!req) return { state: SessionState.CLOSED, reason: '' };
    const response = { state: req.state, reason: req.reason };
    /*
     * A failed request or a completed close frees the id (and refunds its charge). Its work
     * is over once the state is final, even if the bookkeeping after it (busy, the signal)
     * has yet to run: a child woken by an earlier signal may ask just then, and must not
     * leave the record behind.
     */
    if (req.state !== SessionState.AVAILABLE && req.state !== SessionState.PENDING) await this.forget(req);
    return response;
  };

  upgrade = async (id: number, args: string): Promise<void> => {
    const req = this.existing(id, 'upgrade');
    if (req.state !== SessionState.AVAILABLE) throw new BadArgument(`${this.name}: upgrade of session ${id} that is not open`);
    /* refused before anything moves: a negative or huge amount is the child's error */
    const { ramQuota: ram, capQuota: caps } = resourcesOf(parseArgs(args), `${this.name}: upgrade of session ${id}`);
    this.process(req, async () => {
      try {
        await this.upgradeSession(req, ram, caps);
      } catch (e) {
        /* the session stays usable; the reason tells the child that the upgrade failed */
        req.reason = reasonOf(e) || 'upgrade failed';
      }
      req.state = SessionState.AVAILABLE;
    });
  };

  close = async (id: number): Promise<void> => {
    const req = this.existing(id, 'close');
    if (req.state !== SessionState.AVAILABLE) throw new BadArgument(`${this.name}: close of session ${id} that is not open`);
    this.process(req, async () => {
      await this.closeSession(req);
      req.state = SessionState.CLOSED;
    });
  };

  /** Sends a heartbeat request, once the child registered a handler for it (Genode's Child::heartbeat). */
  heartbeat(): void {
    if (!this.heartbeatSighCap) return;
    this.outstandingHeartbeats++;
    void Promise.resolve(this.submit(this.heartbeatSighCap)).catch(() => {});
  }

  /**
   * Heartbeats the child missed: one outstanding is fine (the child needs a moment to
   * answer), each further one was skipped.
   */
  get skippedHeartbeats(): number {
    return this.outstandingHeartbeats > 1 ? this.outstandingHeartbeats - 1 : 0;
  }

  heartbeatSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    if (this.heartbeatSighCap) this.releaseCap(this.heartbeatSighCap);
    this.heartbeatSighCap = sigh;
  };

  heartbeatResponse = async (): Promise<void> => {
    this.outstandingHeartbeats = 0;
  };

  resourceAvailSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    if (this.resourceSigh) this.releaseCap(this.resourceSigh);
    this.resourceSigh = sigh;
  };

  resourceRequest = async (args: string): Promise<void> => {
    await this.resourceRequested(args);
  };

  /* ------------------------------------------------ the child in its role as a server */

  serverSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    const old = this.served.setSigh(sigh);
    if (old) this.releaseCap(old);
  };

  serverRequest = (): Promise<ServerRequest> => this.served.fetch();

  serverArgs = async (id: number): Promise<string> => this.served.argsOf(id);

  deliverSession = async (id: number, session: Capability<unknown>): Promise<void> => {
    this.served.deliver(id, session);
  };

  serverResponse = async (id: number, state: SessionState, reason: string): Promise<void> => {
    this.served.respond(id, state, reason);
  };

  /** Open sessions (for closing them when the child goes away). */
  openSessions(): SessionRequest[] {
    return [...this.requests.values()].filter((r) => r.state === SessionState.AVAILABLE && r.route !== undefined);
  }
}

