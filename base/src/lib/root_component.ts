/*
 * The server side of a service (Genode's Root_component): creates a session per request,
 * paid from exactly the quota the client donated. The session object itself is allocated
 * from the session's own sliced heap, and the session capability is paid from the donated
 * capabilities, so a client can never make the server spend the server's own memory.
 */
import type { Capability } from '../capability.js';
import { InsufficientCapQuota, InsufficientRamQuota, OutOfCaps, OutOfRam } from '../errors.js';
import type { InterfaceClass, Server } from '../rpc/interface.js';
import { parseArgs, resourcesOf, stringArg, type ArgValue } from '../session/args.js';
import type { Root } from '../session/root/session.js';
import type { Env } from './env.js';
import { SessionQuota, SlicedHeap, type HeapBlock } from './heap.js';
import { RootProxy } from './root_proxy.js';

export interface SessionContext {
  readonly label: string;
  readonly args: Map<string, ArgValue>;
  readonly quota: SessionQuota;
  /** Allocations for this session's state, charged to its quota and freed on close. */
  readonly heap: SlicedHeap;
}

interface Entry<S> {
  session: S;
  ctx: SessionContext;
  block: HeapBlock;
}

export abstract class RootComponent<S extends object> implements Root {
  private readonly entries = new Map<S, Entry<S>>();

  /** Bytes the session object occupies (Genode: sizeof(Session_component)), allocated from the donation. */
  protected sessionSize = 4096;

  constructor(protected readonly env: Env, protected readonly iface: InterfaceClass<S>, readonly serviceName: string) {}

  protected abstract createSession(ctx: SessionContext): Promise<S | Server<S>>;
  protected async destroySession(_session: S, _ctx: SessionContext): Promise<void> {}

  /** Makes the service known to the parent, whose requests reach `session`, `upgrade` and `close`. */
  async announce(): Promise<void> {
    await RootProxy.of(this.env).announce(this.serviceName, this);
  }

  get sessionCount(): number {
    return this.entries.size;
  }

  session = async (argsText: string): Promise<Capability<unknown>> => {
    const args = parseArgs(argsText);
    const label = stringArg(args, 'label');
    const what = `${this.serviceName} session "${label}"`;
    /* the amounts come from the parent's request: refused before any account is touched */
    const { ramQuota, capQuota } = resourcesOf(args, what);
    const quota = new SessionQuota(this.env, ramQuota, capQuota, what);
    const heap = new SlicedHeap(quota.allocator, this.env, what);
    const ctx: SessionContext = { label, args, quota, heap };
    let block: HeapBlock | undefined;
    let session: S | undefined;
    try {
      quota.caps.withdraw(1); // the session capability
      block = await heap.alloc(this.sessionSize);
      session = (await this.createSession(ctx)) as S;
      const cap = await this.env.ep.manage(this.iface, session);
      this.entries.set(session, { session, ctx, block });
      return cap;
    } catch (e) {
      if (session) await this.destroySession(session, ctx).catch(() => {});
      await heap.freeAll();
      if (e instanceof OutOfRam) throw new InsufficientRamQuota(`${what}: ram_quota=${ramQuota} does not cover it (${e.message})`);
      if (e instanceof OutOfCaps) throw new InsufficientCapQuota(`${what}: cap_quota=${capQuota} does not cover it (${e.message})`);
      throw e;
    }
  };

  private entryOf(cap: Capability<unknown>): Entry<S> | undefined {
    const s = this.env.ep.lookup(cap, this.iface);
    return s ? this.entries.get(s) : undefined;
  }

  upgrade = async (cap: Capability<unknown>, argsText: string): Promise<void> => {
    const e = this.entryOf(cap);
    if (!e) return;
    const { ramQuota, capQuota } = resourcesOf(parseArgs(argsText), `upgrade of ${this.serviceName} session "${e.ctx.label}"`);
    /* both or neither: a refused caps upgrade must not leave the RAM upgrade behind */
    e.ctx.quota.ram.upgrade(ramQuota);
    try {
      e.ctx.quota.caps.upgrade(capQuota);
    } catch (err) {
      e.ctx.quota.ram.limit -= ramQuota;
      throw err;
    }
  };

  close = async (cap: Capability<unknown>): Promise<void> => {
    const e = this.entryOf(cap);
    if (!e) return;
    this.entries.delete(e.session);
    await this.env.ep.dissolve(e.session);
    await this.destroySession(e.session, e.ctx);
    await e.ctx.heap.freeAll();
  };
}
