/*
 * Connection helpers (Genode's Connection<SESSION>): open a session at the parent with the
 * label and the quota to donate, upgrade it, and close it again. Opening retries with more
 * quota when the server answers InsufficientRamQuota / InsufficientCapQuota, and
 * `retryWithUpgrade` does the same for OutOfRam / OutOfCaps raised by session functions.
 */
import type { Capability } from '../capability.js';
import { InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam } from '../errors.js';
import type { InterfaceClass } from '../rpc/interface.js';
import { formatArgs, parseArgs, type ArgValue } from '../session/args.js';
import type { Client, Env } from './env.js';
import { Mutex } from '../util/mutex.js';

/** A session interface class with Genode's static session constants. */
export type SessionInterface<T> = InterfaceClass<T> & {
  readonly service: string;
  readonly RAM_QUOTA: number;
  readonly CAP_QUOTA: number;
};

export interface ConnectionOptions {
  label?: string;
  /** The service name to ask for, if not the interface's own (e.g. a second instance). */
  service?: string;
  ramQuota?: number;
  capQuota?: number;
  /** Further session arguments, e.g. { size: 4096 }. */
  args?: Record<string, ArgValue>;
  /** How often to retry with doubled quota when the server wants more. */
  retries?: number;
}

export class Connection<T> {
  private closed = false;

  private constructor(
    readonly env: Env,
    readonly iface: SessionInterface<T>,
    readonly id: number,
    readonly cap: Capability<T>,
    readonly session: Client<T>,
    public ramQuota: number,
    public capQuota: number,
  ) {}

  static async open<T>(env: Env, iface: SessionInterface<T>, opts: ConnectionOptions = {}): Promise<Connection<T>> {
    let ram = opts.ramQuota ?? iface.RAM_QUOTA;
    let caps = opts.capQuota ?? iface.CAP_QUOTA;
    for (let attempt = 0; ; attempt++) {
      const args = new Map<string, ArgValue>([['label', opts.label ?? ''], ['ram_quota', ram], ['cap_quota', caps]]);
      for (const [k, v] of Object.entries(opts.args ?? {})) args.set(k, v);
      try {
        const { id, cap } = await env.session<T>(opts.service ?? iface.service, formatArgs(args));
        return new Connection(env, iface, id, cap, env.rpc(iface, cap), ram, caps);
      } catch (e) {
        if (attempt >= (opts.retries ?? 8)) throw e;
        if (e instanceof InsufficientRamQuota) ram *= 2;
        else if (e instanceof InsufficientCapQuota) caps *= 2;
        else throw e;
      }
    }
  }

  /** Donates more quota to the server for this session. */
  async upgrade(ram: number, caps = 0): Promise<void> {
    const args = new Map<string, ArgValue>();
    if (ram) args.set('ram_quota', ram);
    if (caps) args.set('cap_quota', caps);
    /* one request per session at a time: concurrent upgrades queue */
    const wait = this.upgrading.acquire();
    if (wait) await wait;
    try {
      await this.env.upgrade(this.id, formatArgs(args));
    } finally {
      this.upgrading.release();
    }
    this.ramQuota += ram;
    this.capQuota += caps;
  }

  private readonly upgrading = new Mutex();

  /** Runs `fn`, upgrading the session on OutOfRam / OutOfCaps and retrying (Genode's retry_with_upgrade). */
  async retryWithUpgrade<R>(fn: () => Promise<R>, ram = 8 * 1024, caps = 2, attempts = 8): Promise<R> {
    for (let i = 0; ; i++) {
      try {
        return await fn();
      } catch (e) {
        if (i >= attempts) throw e;
        if (e instanceof OutOfRam) await this.upgrade(ram, 0);
        else if (e instanceof OutOfCaps) await this.upgrade(0, caps);
        else throw e;
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.env.close(this.id);
    this.env.runtime.release(this.cap);
  }
}

/** Parses args and returns the named values, for servers' convenience. */
export { parseArgs };
