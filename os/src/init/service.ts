/*
 * Where init sends a child's session request: to its own parent, or to a child that
 * announced the service. Either way the donated quota moves along the reference accounts
 * (client -> init -> server) and comes back the same way when the session is closed.
 * init never waits for a server on its own behalf: a request to a child stays pending
 * until the server answers it, the client goes away or the server does.
 */
import type { Capability } from '../../../base/src/capability.js';
import { InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam, ServiceDenied } from '../../../base/src/errors.js';
import type { Client, Env } from '../../../base/src/lib/env.js';
import { checkAmount } from '../../../base/src/lib/quota_amount.js';
import type { PostedRequest, ServerAnswer, ServerRequests } from '../../../base/src/lib/server_requests.js';
import { parseArgs, resourcesOf, withArg } from '../../../base/src/session/args.js';
import { ServerOp, SessionState } from '../../../base/src/session/parent/session.js';
import type { PdSession } from '../../../base/src/session/pd/session.js';
import { SESSION_ARGS_MAX } from '../../../base/src/session/root/session.js';
import { clip } from '../../../base/src/util/clip.js';
import type { SessionInfo } from './state_report.js';

/** Who pays: the child whose PD the donation comes from. */
export interface Donor {
  readonly name: string;
  readonly pd: Client<PdSession>;
  /** False once the child is being destroyed. */
  readonly alive: boolean;
  /** Calls `fn` when the child goes away (what it still waits for is withdrawn); returns how to take it back. */
  onGone(fn: () => void): () => void;
}

/** A child that announced services: requests reach it through its parent interface. */
export interface ServerChild extends Donor {
  readonly served: ServerRequests;
  /** The sessions it serves (for init's state report). */
  readonly provided?: Set<SessionInfo>;
}

export interface RoutedSession {
  readonly cap: Capability<unknown>;
  upgrade(ram: number, caps: number): Promise<void>;
  /**
   * Resolves once the server closed the session and the donation went back. A client
   * that goes away does not wait for it (destroy hands the promise to its policy).
   */
  close(): Promise<void>;
}

export interface Service {
  readonly name: string;
  /** "parent" or the serving child's name, for messages. */
  readonly provider: string;
  create(donor: Donor, args: string, label: string): Promise<RoutedSession>;
}

/** The quota a child's request donates, refused (BadArgument) unless each is a whole number. */
function resources(donor: Donor, args: string, label: string): { ram: number; caps: number } {
  const { ramQuota, capQuota } = resourcesOf(parseArgs(args), `session request of "${donor.name}" (label "${label}")`);
  return { ram: ramQuota, caps: capQuota };
}

/** Checks an upgrade's amounts (init's own parent-server side did already; this guards other callers). */
function upgradeAmounts(donor: Donor, ram: number, caps: number): void {
  checkAmount(ram, 'ram_quota', `upgrade by "${donor.name}"`);
  checkAmount(caps, 'cap_quota', `upgrade by "${donor.name}"`);
}

/**
 * Moves RAM and caps from one account to another, both or neither, so a refused part
 * (OutOfCaps after the RAM moved) leaves nothing behind. Zero amounts cost no call.
 */
async function move(from: Client<PdSession>, to: Client<PdSession>, ram: number, caps: number): Promise<void> {
  /* a forwarded session's payer is init itself (forward.ts): its quota is where it goes already */
  if (from === to) return;
  if (ram) await from.transferQuota(to.cap, ram);
  if (caps) {
    try {
      await from.transferCapQuota(to.cap, caps);
    } catch (e) {
      if (ram) await to.transferQuota(from.cap, ram).catch(() => {});
      throw e;
    }
  }
}

/** The donation of a new session from the client's account: a refusal names the session it was for. */
async function donate(donor: Donor, to: Client<PdSession>, ram: number, caps: number, service: string, label: string): Promise<void> {
  try {
    await move(donor.pd, to, ram, caps);
  } catch (e) {
    if (e instanceof OutOfRam || e instanceof OutOfCaps) {
      throw new (e.constructor as typeof OutOfRam)(`"${donor.name}" cannot pay ram_quota=${ram}, cap_quota=${caps} for its ${service} session "${clip(label)}": ${e.message}`);
    }
    throw e;
  }
}

export class ParentService implements Service {
  readonly provider = 'parent';

  constructor(readonly name: string, private readonly env: Env) {}

  async create(donor: Donor, args: string, label: string): Promise<RoutedSession> {
    const env = this.env;
    const { ram, caps } = resources(donor, args, label);
    /* a donor that is gone had its account returned to init already */
    const giveBack = async (r: number, c: number) => {
      if (donor.alive) await move(env.pd, donor.pd, r, c).catch(() => {});
    };
    await donate(donor, env.pd, ram, caps, this.name, label);
    let opened;
    try {
      opened = await env.session(this.name, withArg(args, 'label', label));
    } catch (e) {
      await giveBack(ram, caps);
      throw e;
    }
    const { id, cap } = opened;
    const donated = { ram, caps };
    const session: RoutedSession = {
      cap,
      upgrade: async (r, c) => {
        upgradeAmounts(donor, r, c);
        await move(donor.pd, env.pd, r, c);
        try {
          await env.upgrade(id, `ram_quota=${r}, cap_quota=${c}`);
        } catch (e) {
          await giveBack(r, c);
          throw e;
        }
        donated.ram += r;
        donated.caps += c;
      },
      close: async () => {
        await env.close(id);
        env.runtime.release(cap);
        await giveBack(donated.ram, donated.caps);
      },
    };
    return session;
  }
}

/** The error a client gets for a server's answer. */
function errorOf(a: ServerAnswer, server: string): Error {
  const reason = a.reason || `denied by "${server}"`;
  switch (a.state) {
    case SessionState.INSUFFICIENT_RAM_QUOTA: return new InsufficientRamQuota(reason);
    case SessionState.INSUFFICIENT_CAP_QUOTA: return new InsufficientCapQuota(reason);
    default: return new ServiceDenied(reason);
  }
}

const encoder = new TextEncoder();

/** A service announced by a child of init. */
export class ChildService implements Service {
  constructor(
    readonly name: string,
    readonly provider: string,
    private readonly env: Env,
    private readonly server: ServerChild,
    private readonly log: (text: string) => void,
  ) {}

  /** init's account: where a donation rests while the server has not fetched it. */
  private get init(): Client<PdSession> {
    return this.env.pd;
  }

  /**
   * Returns a donation from the server (if it got it and is still there: a server that
   * is gone returned its whole account to init already) through init to the donor (if it
   * is still there: otherwise init keeps what the donor's account would have returned).
   */
  private async giveBack(donor: Donor, fromServer: boolean, ram: number, caps: number): Promise<void> {
    const server = this.server;
    if (fromServer && server.alive) {
      try {
        await move(server.pd, this.init, ram, caps);
      } catch (e) {
        this.log(`Warning: "${server.name}" cannot return ram_quota=${ram}, cap_quota=${caps} of "${donor.name}": ${(e as Error).message}`);
        return;
      }
    }
    if (donor.alive) await move(this.init, donor.pd, ram, caps).catch(() => {});
  }

  async create(donor: Donor, args: string, label: string): Promise<RoutedSession> {
    const server = this.server;
    const serverArgs = withArg(args, 'label', label);
    if (encoder.encode(serverArgs).length > SESSION_ARGS_MAX) {
      throw new ServiceDenied(`session arguments for "${server.name}" exceed ${SESSION_ARGS_MAX} bytes with the label "${clip(label)}"`);
    }
    const { ram, caps } = resources(donor, args, label);
    /* client -> init now; init -> server when the server fetches the request */
    await donate(donor, this.init, ram, caps, this.name, label);
    let given = false;
    const req = server.served.post(ServerOp.CREATE, this.name, serverArgs, async () => {
      await move(this.init, server.pd, ram, caps);
      given = true;
    });
    /* the answer, or undefined once the client is gone (the listener goes with the wait) */
    const answer = await new Promise<Awaited<typeof req.answer> | undefined>((resolve, reject) => {
      const off = donor.onGone(() => resolve(undefined));
      req.answer.then((a) => {
        off();
        resolve(a);
      }, (e: unknown) => {
        off();
        reject(e);
      });
    });
    if (answer === undefined) {
      this.abandon(donor, req, () => given, ram, caps);
      throw new ServiceDenied(`"${donor.name}" is gone`);
    }
    if (answer.state !== SessionState.AVAILABLE) {
      await this.giveBack(donor, given, ram, caps);
      throw errorOf(answer, server.name);
    }
    return this.session(donor, req.id, answer.cap!, ram, caps, label);
  }

  /**
   * The client went away while its request was pending: a request the server never saw is
   * just returned; a session the server creates after all is closed again.
   */
  private abandon(donor: Donor, req: PostedRequest, given: () => boolean, ram: number, caps: number): void {
    if (this.server.served.withdraw(req)) {
      void this.giveBack(donor, false, ram, caps);
      return;
    }
    void req.answer.then(async (a) => {
      if (a.state !== SessionState.AVAILABLE) return this.giveBack(donor, given(), ram, caps);
      return this.session(donor, req.id, a.cap!, ram, caps, '').close();
    });
  }

  /** The session `id` (its CREATE request's id) at the server; one request on it at a time. */
  private session(donor: Donor, id: number, cap: Capability<unknown>, ram: number, caps: number, label: string): RoutedSession {
    const env = this.env;
    const server = this.server;
    const info: SessionInfo = { service: this.name, label, state: 'CAP_HANDED_OUT' };
    server.provided?.add(info);
    const donated = { ram, caps };
    let last: Promise<unknown> = Promise.resolve();
    const request = (op: ServerOp, args: string): Promise<ServerAnswer> => {
      const answer = last.then(() => server.served.post(op, this.name, args, undefined, id).answer);
      last = answer.catch(() => {});
      return answer;
    };
    return {
      cap,
      upgrade: async (r, c) => {
        upgradeAmounts(donor, r, c);
        await move(donor.pd, this.init, r, c);
        await move(this.init, server.pd, r, c).catch(async (e) => {
          await move(this.init, donor.pd, r, c).catch(() => {});
          throw e;
        });
        donated.ram += r;
        donated.caps += c;
        const a = await request(ServerOp.UPGRADE, `ram_quota=${r}, cap_quota=${c}`);
        if (a.state !== SessionState.AVAILABLE) throw new ServiceDenied(a.reason || `upgrade denied by "${server.name}"`);
      },
      close: async () => {
        server.provided?.delete(info);
        await request(ServerOp.CLOSE, '');
        env.runtime.release(cap);
        /* a server that went away instead of answering returned its account to init */
        await this.giveBack(donor, true, donated.ram, donated.caps);
      },
    };
  }
}
