/*
 * The "config" ROM init serves a child from the <config> node of its start entry. The
 * dataspace is paid from the quota the child donated for the ROM session; a reload with a
 * changed <config> gives the session a new version and signals the child.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { Env } from '../../../base/src/lib/env.js';
import { pageRound } from '../../../base/src/lib/heap.js';
import type { Dataspace } from '../../../base/src/session/dataspace/session.js';
import { RomSession } from '../../../base/src/session/rom/session.js';
import type { SignalContext } from '../../../base/src/session/signal/session.js';
import { numberArg, parseArgs } from '../../../base/src/session/args.js';
import { InsufficientRamQuota } from '../../../base/src/errors.js';
import type { Donor, RoutedSession, Service } from './service.js';

const encoder = new TextEncoder();

class ConfigRomSession implements RomSession {
  ds: Capability<Dataspace> | undefined;
  size = 0;
  sighCap: Capability<SignalContext> | undefined;
  /** Bumped on each new version, so `update` can tell a client its dataspace is stale. */
  version = 0;
  seen = 0;

  dataspace = async () => {
    this.seen = this.version;
    return this.ds!;
  };
  update = async () => this.seen === this.version;
  sigh = async (cap: Capability<SignalContext>) => {
    if (this.sighCap) this.release?.(this.sighCap);
    this.sighCap = cap;
    if (this.seen !== this.version) this.onStale?.(cap);
  };
  /** Signals a handler registered after a change it has not fetched yet. */
  onStale?: (cap: Capability<SignalContext>) => void;
  /** Drops a capability the client gave (the entrypoint's release). */
  release?: (cap: Capability<unknown>) => void;
}

export class ConfigRomService implements Service {
  readonly name = 'ROM';
  readonly provider = 'init';
  private readonly sessions = new Set<ConfigRomSession>();

  constructor(private readonly env: Env, private content: string) {}

  private async fill(s: ConfigRomSession): Promise<void> {
    const bytes = encoder.encode(this.content);
    const size = pageRound(bytes.length + 1);
    const old = s.ds;
    s.ds = await this.env.pd.alloc(size);
    s.size = size;
    const at = await this.env.attach(s.ds);
    this.env.view(at, size).set(bytes);
    await this.env.rm.detach(at);
    s.version++;
    if (old) await this.freeDs(old);
  }

  private async freeDs(ds: Capability<Dataspace>): Promise<void> {
    await this.env.pd.free(ds);
    this.env.runtime.release(ds);
  }

  async create(donor: Donor, args: string): Promise<RoutedSession> {
    const env = this.env;
    const a = parseArgs(args);
    const ram = numberArg(a, 'ram_quota');
    const caps = numberArg(a, 'cap_quota');
    const needed = pageRound(encoder.encode(this.content).length + 1);
    if (ram < needed) throw new InsufficientRamQuota(`config ROM of "${donor.name}" needs ram_quota=${needed}, got ${ram}`);
    await donor.pd.transferQuota(env.pd.cap, ram);
    await donor.pd.transferCapQuota(env.pd.cap, caps);
    const s = new ConfigRomSession();
    s.onStale = (c) => void env.submit(c);
    s.release = (c) => env.ep.release(c);
    await this.fill(s);
    const cap = await env.ep.manage(RomSession, s);
    this.sessions.add(s);
    return {
      cap,
      upgrade: async () => {},
      close: async () => {
        this.sessions.delete(s);
        await env.ep.dissolve(s);
        if (s.sighCap) env.ep.release(s.sighCap);
        if (s.ds) await this.freeDs(s.ds);
        /* a donor that is gone had its account returned to init already */
        if (!donor.alive) return;
        await env.pd.transferQuota(donor.pd.cap, ram);
        await env.pd.transferCapQuota(donor.pd.cap, caps);
      },
    };
  }

  /** A reload changed the <config>: new versions for every session, and a signal. */
  async change(content: string): Promise<void> {
    if (content === this.content) return;
    this.content = content;
    for (const s of this.sessions) {
      await this.fill(s);
      if (s.sighCap) await this.env.submit(s.sighCap);
    }
  }
}
