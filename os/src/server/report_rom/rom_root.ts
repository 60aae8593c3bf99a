/*
 * report_rom's ROM service: a client gets the module its policy names
 * (`<policy label="..." report="..."/>`, Genode's session-policy matching), empty until a
 * report arrives. Each session has its own copy of the current content in a dataspace
 * paid from the session's quota (a too small quota makes `dataspace` fail with OutOfRam,
 * and the client upgrades); a change of the module signals the session's handler.
 */
import { Capability } from '../../../../base/src/capability.js';
import { ServiceDenied } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { pageRound } from '../../../../base/src/lib/heap.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { RomSession } from '../../../../base/src/session/rom/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import type { Log } from '../../lib/log.js';
import type { SessionPolicies } from '../../lib/session_policy.js';
import type { ModuleReader, RomModule, RomRegistry } from './rom_registry.js';

class RomSessionComponent implements RomSession, ModuleReader {
  private ds: { cap: Capability<Dataspace>; size: number } | undefined;
  private sighCap: Capability<SignalContext> | undefined;
  /** The module version the client fetched last. */
  private seen = -1;

  constructor(private readonly env: Env, private readonly ctx: SessionContext, readonly module: RomModule) {}

  dataspace = async () => {
    await this.freeDs();
    const content = this.module.content;
    this.seen = this.module.version;
    /* an empty module has no dataspace, as an empty module of core's */
    if (content.length === 0) return Capability.invalid<Dataspace>();
    const size = pageRound(content.length + 1);
    const cap = await this.ctx.quota.allocator.alloc(size);
    this.ds = { cap, size };
    const at = await this.env.attach(cap);
    try {
      const view = this.env.view(at, size);
      view.set(content);
      view.fill(0, content.length);
    } finally {
      await this.env.rm.detach(at);
    }
    return cap;
  };

  update = async () => this.seen === this.module.version;

  sigh = async (cap: Capability<SignalContext>) => {
    if (this.sighCap) this.env.ep.release(this.sighCap);
    this.sighCap = cap;
    if (this.seen !== this.module.version) void this.env.submit(cap);
  };

  changed(): void {
    if (this.sighCap) void this.env.submit(this.sighCap);
  }

  async freeDs(): Promise<void> {
    if (!this.ds) return;
    const { cap, size } = this.ds;
    this.ds = undefined;
    await this.ctx.quota.allocator.free(cap, size);
    this.env.runtime.release(cap);
  }

  async destroy(): Promise<void> {
    if (this.sighCap) this.env.ep.release(this.sighCap);
    this.sighCap = undefined;
    await this.freeDs();
  }
}

export class ReportRomRoot extends RootComponent<RomSession> {
  constructor(env: Env, private readonly registry: RomRegistry, private readonly policies: SessionPolicies<string>, private readonly log: Log) {
    super(env, RomSession, 'ROM');
  }

  protected async createSession(ctx: SessionContext): Promise<RomSession> {
    const report = this.policies.select(ctx.label);
    if (report === undefined) {
      void this.log(`denied ROM session "${clip(ctx.label)}": no policy matches its label`);
      throw new ServiceDenied(`no policy for ROM session "${clip(ctx.label)}"`);
    }
    const s = new RomSessionComponent(this.env, ctx, this.registry.lookup(report));
    s.module.readers.add(s);
    return s;
  }

  protected override async destroySession(session: RomSession): Promise<void> {
    const s = session as RomSessionComponent;
    s.module.readers.delete(s);
    this.registry.release(s.module);
    await s.destroy();
  }
}
