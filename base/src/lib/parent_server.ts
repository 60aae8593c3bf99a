/*
 * The parent side of the Parent interface: the bookkeeping of a child's session requests
 * (ids, states, responses, the response signal). What a request means (routing, quota
 * transfer, which server) is decided by the subclass: core for init, init for its children.
 * Requests are processed after the RPC returned, so a parent never blocks its entrypoint
 * on a server.
 */
import { Capability } from '../capability.js';
import { BadArgument, InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam, ServiceDenied } from '../errors.js';
import type { Parent, SessionResponse } from '../session/parent/session.js';
import { SessionState } from '../session/parent/session.js';
import type { Root } from '../session/root/session.js';
import { numberArg, parseArgs } from '../session/args.js';
import type { SignalContext } from '../session/signal/session.js';

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
}

/** Maps an exception from session creation to the state the child sees. */
export function stateOfError(e: unknown): SessionState {
  if (e instanceof InsufficientRamQuota || e instanceof OutOfRam) return SessionState.INSUFFICIENT_RAM_QUOTA;
  if (e instanceof InsufficientCapQuota || e instanceof OutOfCaps) return SessionState.INSUFFICIENT_CAP_QUOTA;
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

  /** The child's name, for messages. */
  abstract readonly name: string;

  protected abstract submit(ctx: Capability<SignalContext>): void | Promise<void>;
  protected abstract createSession(req: SessionRequest): Promise<void>;
  protected abstract upgradeSession(req: SessionRequest, ram: number, caps: number): Promise<void>;
  protected abstract closeSession(req: SessionRequest): Promise<void>;
  protected abstract childExited(code: number): void | Promise<void>;
  protected abstract serviceAnnounced(name: string, root: Capability<Root>): void | Promise<void>;
  protected resourceRequested(_args: string): void | Promise<void> {}
  /** Drops a capability the child gave (a replaced signal handler, a gone child's): the parent's ep.release. */
  protected releaseCap(_cap: Capability<unknown>): void {}

  /** Releases the signal handlers the child registered (when the child goes away). */
  protected releaseSignalHandlers(): void {
    for (const c of [this.sigh, this.resourceSigh]) if (c) this.releaseCap(c);
    this.sigh = this.resourceSigh = undefined;
  }

  /** Registers a session the parent created for the child (its PD, CPU). */
  addEnvSession(id: number, service: string, cap: Capability<unknown>): void {
    this.requests.set(id, { id, service, args: '', state: SessionState.AVAILABLE, reason: '', cap, ram: 0, caps: 0, busy: false });
  }

  protected notify(): void {
    if (this.sigh) void Promise.resolve(this.submit(this.sigh)).catch(() => {});
  }

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

  announce = async (name: string, root: Capability<Root>): Promise<void> => {
    if (!name) throw new BadArgument(`${this.name}: announce without a service name`);
    if (!root.valid) throw new BadArgument(`${this.name}: announce of "${name}" with an invalid root capability`);
    await this.serviceAnnounced(name, root);
  };

  sessionSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    if (this.sigh) this.releaseCap(this.sigh);
    this.sigh = sigh;
  };

  session = async (id: number, service: string, args: string): Promise<void> => {
    if (this.requests.has(id)) throw new BadArgument(`${this.name}: session id ${id} is already in use`);
    const req: SessionRequest = {
      id, service, args, state: SessionState.PENDING, reason: '', cap: Capability.invalid(), ram: 0, caps: 0, busy: true,
    };
    this.requests.set(id, req);
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
      case SessionState.INSUFFICIENT_RAM_QUOTA: this.requests.delete(id); throw new InsufficientRamQuota(req.reason);
      case SessionState.INSUFFICIENT_CAP_QUOTA: this.requests.delete(id); throw new InsufficientCapQuota(req.reason);
      default: this.requests.delete(id); throw new ServiceDenied(req.reason);
    }
  };

  sessionResponse = async (id: number): Promise<SessionResponse> => {
    const req = this.requests.get(id);
    if (!req) return { state: SessionState.CLOSED, reason: '' };
    const response = { state: req.state, reason: req.reason };
    /* a failed request or a completed close frees the id */
    if (!req.busy && req.state !== SessionState.AVAILABLE && req.state !== SessionState.PENDING) this.requests.delete(id);
    return response;
  };

  upgrade = async (id: number, args: string): Promise<void> => {
    const req = this.existing(id, 'upgrade');
    if (req.state !== SessionState.AVAILABLE) throw new BadArgument(`${this.name}: upgrade of session ${id} that is not open`);
    const parsed = parseArgs(args);
    const ram = numberArg(parsed, 'ram_quota');
    const caps = numberArg(parsed, 'cap_quota');
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

  resourceAvailSigh = async (sigh: Capability<SignalContext>): Promise<void> => {
    if (this.resourceSigh) this.releaseCap(this.resourceSigh);
    this.resourceSigh = sigh;
  };

  resourceRequest = async (args: string): Promise<void> => {
    await this.resourceRequested(args);
  };

  /** Open sessions (for closing them when the child goes away). */
  openSessions(): SessionRequest[] {
    return [...this.requests.values()].filter((r) => r.state === SessionState.AVAILABLE && r.route !== undefined);
  }
}

