/*
 * The parent's side of a child in its role as a server (Genode's session requester): the
 * requests the parent routed to the child's announced services, waiting to be fetched and
 * answered. The parent never calls into the server: it posts a request and signals; the
 * server fetches and answers by calling the parent. So a server that never answers leaves
 * only its own requests pending, and each of them can be withdrawn or failed.
 */
import type { Capability } from '../capability.js';
import { BadArgument } from '../errors.js';
import { ServerOp, SessionState, type ServerRequest } from '../session/parent/session.js';
import type { SignalContext } from '../session/signal/session.js';

/** How a request ended: as the server answered it, or denied by the parent (server gone). */
export interface ServerAnswer {
  state: SessionState;
  reason: string;
  /** The new session, for a CREATE answered with deliverSession. */
  cap?: Capability<unknown>;
}

/** The states a server may answer each kind of request with. */
const ANSWERS: Record<ServerOp, SessionState[]> = {
  [ServerOp.NONE]: [],
  [ServerOp.CREATE]: [SessionState.DENIED, SessionState.INSUFFICIENT_RAM_QUOTA, SessionState.INSUFFICIENT_CAP_QUOTA],
  [ServerOp.UPGRADE]: [SessionState.AVAILABLE, SessionState.DENIED],
  [ServerOp.CLOSE]: [SessionState.CLOSED],
};

export class PostedRequest {
  /** Set once the server fetched the request (after `onFetch` ran). */
  fetched = false;
  readonly answer: Promise<ServerAnswer>;
  private settle!: (a: ServerAnswer) => void;

  constructor(
    readonly id: number,
    readonly op: ServerOp,
    readonly service: string,
    readonly args: string,
    /** Runs when the server fetches the request (e.g. hands it the donated quota). */
    readonly onFetch?: () => Promise<void>,
  ) {
    this.answer = new Promise((r) => (this.settle = r));
  }

  resolve(a: ServerAnswer): void {
    this.settle(a);
  }
}

export class ServerRequests {
  private nextId = 1;
  /** Posted, not fetched yet, in order. */
  private queue: PostedRequest[] = [];
  /** Fetched (or being fetched), not answered yet. */
  private readonly outstanding = new Map<number, PostedRequest>();
  private sigh: Capability<SignalContext> | undefined;
  /** Why the server can take no more requests (it is gone). */
  private goneReason: string | undefined;

  constructor(private readonly signal: (sigh: Capability<SignalContext>) => void) {}

  /** Requests posted and not answered yet. */
  get pending(): number {
    return this.queue.length + this.outstanding.size;
  }

  private notify(): void {
    if (this.sigh) this.signal(this.sigh);
  }

  /** Sets (or with undefined, drops) the server's signal; returns the one it replaces, for releasing. */
  setSigh(sigh: Capability<SignalContext> | undefined): Capability<SignalContext> | undefined {
    const old = this.sigh;
    this.sigh = sigh;
    if (this.queue.length > 0) this.notify();
    return old;
  }

  /**
   * Posts a request and signals the server; to a server that is gone, it is denied at once.
   * A CREATE gets a fresh id, which then names the session; an UPGRADE or CLOSE names the
   * session's id, and the poster sends one request per session at a time.
   */
  post(op: ServerOp, service: string, args: string, onFetch?: () => Promise<void>, id?: number): PostedRequest {
    const req = new PostedRequest(id ?? this.nextId++, op, service, args, onFetch);
    if (this.goneReason !== undefined) {
      req.resolve({ state: SessionState.DENIED, reason: this.goneReason });
      return req;
    }
    this.queue.push(req);
    this.notify();
    return req;
  }

  /** Takes back a request the server has not fetched; false if it already has one. */
  withdraw(req: PostedRequest): boolean {
    const i = this.queue.indexOf(req);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** The server went away: every request not answered yet is denied with `reason`. */
  fail(reason: string): void {
    this.goneReason = reason;
    const all = [...this.queue, ...this.outstanding.values()];
    this.queue = [];
    this.outstanding.clear();
    for (const r of all) r.resolve({ state: SessionState.DENIED, reason });
  }

  /* ------------------------------------------------------------ the server's calls */

  async fetch(): Promise<ServerRequest> {
    for (;;) {
      const req = this.queue.shift();
      if (!req) return { op: ServerOp.NONE, id: 0, service: '' };
      this.outstanding.set(req.id, req);
      try {
        await req.onFetch?.();
      } catch (e) {
        this.outstanding.delete(req.id);
        req.resolve({ state: SessionState.DENIED, reason: e instanceof Error ? e.message : String(e) });
        continue;
      }
      /* failed while its quota moved (the server went away meanwhile) */
      if (this.outstanding.get(req.id) !== req) continue;
      req.fetched = true;
      return { op: req.op, id: req.id, service: req.service };
    }
  }

  private fetched(id: number, what: string): PostedRequest {
    const req = this.outstanding.get(id);
    if (!req || !req.fetched) throw new BadArgument(`${what}: no fetched request with id ${id}`);
    return req;
  }

  argsOf(id: number): string {
    const req = this.fetched(id, 'serverArgs');
    if (req.op === ServerOp.CLOSE) throw new BadArgument(`serverArgs: request ${id} is a close`);
    return req.args;
  }

  deliver(id: number, cap: Capability<unknown>): void {
    const req = this.fetched(id, 'deliverSession');
    if (req.op !== ServerOp.CREATE) throw new BadArgument(`deliverSession: request ${id} does not create a session`);
    if (!cap.valid) throw new BadArgument(`deliverSession: invalid session capability for request ${id}`);
    this.outstanding.delete(id);
    req.resolve({ state: SessionState.AVAILABLE, reason: '', cap });
  }

  respond(id: number, state: SessionState, reason: string): void {
    const req = this.fetched(id, 'serverResponse');
    if (!ANSWERS[req.op].includes(state)) throw new BadArgument(`serverResponse: state ${state} does not answer request ${id}`);
    this.outstanding.delete(id);
    req.resolve({ state, reason });
  }
}
