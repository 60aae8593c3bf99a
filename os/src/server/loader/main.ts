/*
 * loader (Genode's os/src/server/loader, removed from Genode in 2024): serves Loader
 * sessions; each session may start one subsystem from the ROM modules its client
 * committed, with the quota its client donated. Which of the loader's own ROMs (binaries
 * above all) a client's subsystem may use is the loader's policy:
 *   <config verbose="no">             <!-- yes: check the loader's account after the last session -->
 *     <policy label_prefix="launcher"> <parent-rom name="test-exit"/> </policy>
 *     <default-policy/>                 <!-- a session without parent ROMs -->
 *   </config>
 * A session no policy matches is denied. Binaries come from the loader's parent only: a
 * committed module is data (a config, say), as this system has no loadable code format.
 */
import { BadArgument, InsufficientCapQuota, InsufficientRamQuota, ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { Capability } from '../../../../base/src/capability.js';
import type { Quota } from '../../../../base/src/session/pd/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import { Mutex } from '../../../../base/src/util/mutex.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog, type Log } from '../../lib/log.js';
import { SessionPolicies } from '../../lib/session_policy.js';
import { InitChild } from '../../init/child.js';
import type { Service } from '../../init/service.js';
import type { Rect } from '../../session/framebuffer/session.js';
import { LoaderSession, RomModuleDoesNotExist, ViewDoesNotExist } from '../../session/loader/session.js';
import { NitpickerSession, type NitpickerView } from '../../session/nitpicker/session.js';
import { checkModuleName, RomModules } from './rom_modules.js';
import { LoaderRomService } from './rom_service.js';
import { Subsystem } from './subsystem.js';
import { ViewPlacement, VirtualNitpickerService } from './virtual_nitpicker.js';

/** Coordinates a view may have: far beyond any screen, far below overflow. */
const COORD_MAX = 1 << 20;

function checkRect(r: Rect, what: string): void {
  const ok = [r.x, r.y, r.w, r.h].every((v) => Number.isInteger(v) && Math.abs(v) <= COORD_MAX) && r.w >= 0 && r.h >= 0;
  if (!ok) throw new BadArgument(`${what}: rectangle ${clip(`${r.x},${r.y} ${r.w}x${r.h}`)} is out of range (sizes from 0, coordinates within ${COORD_MAX})`);
}

class LoaderSessionComponent implements LoaderSession {
  private readonly what: string;
  readonly modules: RomModules;
  private readonly placement = new ViewPlacement();
  private ramLimit = 0;
  private capLimit = 0;
  private subsystem: Subsystem | undefined;
  private faultSighCap: Capability<SignalContext> | undefined;
  /** What `start` took from the session quota for the subsystem. */
  private paid = { ram: 0, caps: 0 };

  constructor(private readonly env: Env, private readonly ctx: SessionContext, private readonly parentRoms: Set<string>, private readonly log: (text: string) => void) {
    this.what = `Loader session "${clip(ctx.label)}"`;
    this.modules = new RomModules(env, ctx.quota, this.what);
  }

  allocRomModule = (name: string, size: number) => this.modules.alloc(name, size);

  commitRomModule = (name: string) => this.modules.commit(name);

  /** What start has for the subsystem: the session's rest minus what the child's PD, CPU and ROM cost the loader. */
  private available(): { ram: number; caps: number } {
    const cost = InitChild.ENV_SESSIONS_COST;
    return { ram: Math.max(0, this.ctx.quota.ram.avail - cost.ram), caps: Math.max(0, this.ctx.quota.caps.avail - cost.caps) };
  }

  ramQuota = async (bytes: number) => {
    if (!Number.isInteger(bytes) || bytes < 1) throw new BadArgument(`${this.what}: ram_quota ${clip(String(bytes))} is not a positive number of bytes`);
    const avail = this.available().ram;
    if (bytes > avail) throw new InsufficientRamQuota(`${this.what}: ram_quota ${bytes} exceeds what the session has left for a subsystem (${avail} bytes)`);
    this.ramLimit = bytes;
  };

  capQuota = async (caps: number) => {
    if (!Number.isInteger(caps) || caps < 1) throw new BadArgument(`${this.what}: cap_quota ${clip(String(caps))} is not a positive number of caps`);
    const avail = this.available().caps;
    if (caps > avail) throw new InsufficientCapQuota(`${this.what}: cap_quota ${caps} exceeds what the session has left for a subsystem (${avail} caps)`);
    this.capLimit = caps;
  };

  constrainGeometry = async (width: number, height: number) => {
    const max = NitpickerSession.MAX_BUFFER_SIDE;
    if (![width, height].every((v) => Number.isInteger(v) && v >= 1 && v <= max)) {
      throw new BadArgument(`${this.what}: constrain_geometry ${clip(`${width}x${height}`)}: sides must be from 1 to ${max}`);
    }
    this.placement.maxSize = { width, height };
  };

  parentView = async (view: Capability<NitpickerView>) => {
    /* for views the subsystem creates from now on (Genode: call it before start) */
    if (this.placement.parent) this.env.ep.release(this.placement.parent);
    this.placement.parent = view;
  };

  viewReadySigh = async (sigh: Capability<SignalContext>) => {
    if (this.placement.viewReadySigh) this.env.ep.release(this.placement.viewReadySigh);
    this.placement.viewReadySigh = sigh;
  };

  faultSigh = async (sigh: Capability<SignalContext>) => {
    if (this.faultSighCap) this.env.ep.release(this.faultSighCap);
    this.faultSighCap = sigh;
    if (this.subsystem) this.subsystem.faultSigh = sigh;
  };

  /* start and the session's destruction one after the other: a close during a start waits for it */
  private readonly starting = new Mutex();

  start = (binary: string, label: string) => this.starting.guard(() => this.startSubsystem(binary, label));

  private async startSubsystem(binary: string, label: string): Promise<void> {
    if (this.closed) throw new ServiceDenied(`${this.what}: the session is closed`);
    const what = `${this.what}: start "${clip(binary)}"`;
    if (this.subsystem) throw new BadArgument(`${what}: the session's subsystem is started already`);
    checkModuleName(binary, what);
    if (label !== '') checkModuleName(label, `${what}: label`);
    if (!this.parentRoms.has(binary)) {
      const why = this.modules.has(binary) ? 'is a committed module, and those are data, not binaries' : 'is no <parent-rom> of the loader\'s policy for this session';
      throw new RomModuleDoesNotExist(`${what}: the binary ${why}`);
    }
    const avail = this.available();
    const ram = this.ramLimit ? this.ramLimit : avail.ram;
    const caps = this.capLimit ? this.capLimit : avail.caps;
    if (ram > avail.ram || ram < 1) throw new InsufficientRamQuota(`${what}: the subsystem's ${ram} bytes exceed what the session has left (${avail.ram})`);
    if (caps > avail.caps || caps < 1) throw new InsufficientCapQuota(`${what}: the subsystem's ${caps} caps exceed what the session has left (${avail.caps})`);
    const cost = InitChild.ENV_SESSIONS_COST;
    this.ctx.quota.ram.withdraw(ram + cost.ram);
    this.ctx.quota.caps.withdraw(caps + cost.caps);
    this.paid = { ram: ram + cost.ram, caps: caps + cost.caps };
    const name = this.ctx.label === '' ? (label || binary) : label === '' ? this.ctx.label : `${this.ctx.label} -> ${label}`;
    const rom = new LoaderRomService(this.env, this.modules, this.parentRoms);
    const services = new Map<string, Service>([['ROM', rom], ['Nitpicker', new VirtualNitpickerService(this.env, this.placement, this.log)]]);
    const sub = new Subsystem(this.env, name, binary, ram, caps, services, this.log);
    sub.faultSigh = this.faultSighCap;
    this.subsystem = sub;
    try {
      await sub.start();
    } catch (e) {
      await this.stop();
      throw new ServiceDenied(`${what}: ${describeError(e)}`);
    }
    this.log(`${this.what}: started "${clip(name)}" (binary "${clip(binary)}", ram ${ram}, caps ${caps})`);
  }

  viewGeometry = async (r: Rect, offsetX: number, offsetY: number) => {
    checkRect(r, `${this.what}: view_geometry`);
    checkRect({ x: offsetX, y: offsetY, w: 0, h: 0 }, `${this.what}: view_geometry offset`);
    const proxy = this.placement.proxy;
    if (!proxy?.asked) throw new ViewDoesNotExist(`${this.what}: view_geometry: the subsystem has no view yet`);
    this.placement.geometry = { r, x: offsetX, y: offsetY };
    await proxy.place();
  };

  viewSize = async () => {
    const asked = this.placement.proxy?.asked;
    if (!asked) throw new ViewDoesNotExist(`${this.what}: view_size: the subsystem has no view yet`);
    return { width: asked.w, height: asked.h };
  };

  /** Ends the subsystem and gives its quota back to the session. */
  private async stop(): Promise<void> {
    const sub = this.subsystem;
    this.subsystem = undefined;
    if (sub) await sub.destroy();
    this.ctx.quota.ram.replenish(this.paid.ram);
    this.ctx.quota.caps.replenish(this.paid.caps);
    this.paid = { ram: 0, caps: 0 };
  }

  private closed = false;

  async destroy(): Promise<void> {
    this.closed = true;
    await this.starting.guard(() => this.stop());
    await this.modules.destroy();
    if (this.placement.viewReadySigh) this.env.ep.release(this.placement.viewReadySigh);
    if (this.placement.parent) this.env.ep.release(this.placement.parent);
    if (this.faultSighCap) this.env.ep.release(this.faultSighCap);
  }
}

class LoaderRoot extends RootComponent<LoaderSession> {
  /** With verbose="yes": what the loader's own account used before any session, to check nothing stays behind. */
  private baseline: Quota | undefined;

  constructor(env: Env, private readonly policies: SessionPolicies<Set<string>>, private readonly log: (text: string) => void) {
    super(env, LoaderSession, 'Loader');
  }

  async watchQuota(): Promise<void> {
    this.baseline = await this.env.pd.quota();
    /* checked once the root freed the session's own block too, after destroySession */
    const close = this.close;
    this.close = async (cap) => {
      await close(cap);
      await this.checkQuota();
    };
  }

  private async checkQuota(): Promise<void> {
    const b = this.baseline;
    if (!b || this.sessionCount > 0) return;
    const q = await this.env.pd.quota();
    if (q.ramUsed === b.ramUsed && q.capUsed === b.capUsed) this.log('all sessions closed: the loader uses what it used before the first');
    else this.log(`Error: all sessions closed, but the loader uses ram ${q.ramUsed} (before: ${b.ramUsed}), caps ${q.capUsed} (before: ${b.capUsed})`);
  }

  protected async createSession(ctx: SessionContext): Promise<LoaderSession> {
    const parentRoms = this.policies.select(ctx.label);
    if (!parentRoms) throw new ServiceDenied(`Loader session "${clip(ctx.label)}": no policy of the loader matches its label`);
    return new LoaderSessionComponent(this.env, ctx, parentRoms, this.log);
  }

  protected override async destroySession(session: LoaderSession): Promise<void> {
    await (session as LoaderSessionComponent).destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log: Log = await openLog(env);
  const write = (text: string) => void log(text);
  let policies: SessionPolicies<Set<string>>;
  let verbose: boolean;
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of loader');
    verbose = c.boolAttr('verbose');
    policies = SessionPolicies.parse(c, (n) => {
      const roms = new Set<string>();
      for (const r of n.children('parent-rom')) {
        const name = r.attr('name');
        checkModuleName(name, `<parent-rom> at ${r.position}`);
        roms.add(name);
      }
      return roms;
    });
  } catch (e) {
    await log(`Error: ${describeError(e)}`);
    return env.exit(1);
  }
  const root = new LoaderRoot(env, policies, write);
  await root.announce();
  if (verbose) await root.watchQuota();
}
