/*
 * The ROM service a loaded subsystem gets (Genode's loader Local_rom_service): a request
 * is answered from the session's committed ROM modules by the label's last element, else
 * from the loader's parent if the loader's policy for this client allows that module
 * (<parent-rom name="..."/>); anything else is denied. A committed module's ROM session
 * is signalled when the client commits a new version.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { InsufficientCapQuota, ServiceDenied } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { labelLastElement, parseArgs, resourcesOf } from '../../../../base/src/session/args.js';
import { RomSession } from '../../../../base/src/session/rom/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import type { Donor, RoutedSession, Service } from '../../init/service.js';
import { ParentService } from '../../init/service.js';
import type { RomModules } from './rom_modules.js';

class ModuleRomSession implements RomSession {
  sighCap: Capability<SignalContext> | undefined;
  seen: Capability<unknown> | undefined;

  constructor(private readonly env: Env, private readonly modules: RomModules, readonly name: string) {}

  dataspace = async () => {
    const v = this.modules.lookup(this.name)!;
    this.seen = v.ds;
    return v.ds;
  };

  update = async () => this.modules.lookup(this.name)?.ds === this.seen;

  sigh = async (cap: Capability<SignalContext>) => {
    if (this.sighCap) this.env.ep.release(this.sighCap);
    this.sighCap = cap;
  };
}

export class LoaderRomService implements Service {
  readonly name = 'ROM';
  readonly provider = 'loader';
  private readonly sessions = new Set<ModuleRomSession>();
  private readonly parent: ParentService;

  constructor(private readonly env: Env, private readonly modules: RomModules, private readonly parentRoms: Set<string>) {
    this.parent = new ParentService('ROM', env);
    modules.onCommit = (name) => {
      for (const s of this.sessions) if (s.name === name && s.sighCap) void env.submit(s.sighCap);
    };
  }

  async create(donor: Donor, args: string, label: string): Promise<RoutedSession> {
    const name = labelLastElement(label);
    if (!this.modules.has(name)) {
      if (this.parentRoms.has(name)) return this.parent.create(donor, args, label);
      throw new ServiceDenied(`ROM "${clip(name)}" of "${clip(donor.name)}": neither a committed ROM module nor a <parent-rom> of the loader's policy`);
    }
    const env = this.env;
    /* the module is paid already; the session object and its capability are paid by the subsystem's donation */
    const { ramQuota: ram, capQuota: caps } = resourcesOf(parseArgs(args), `ROM session "${clip(label)}"`);
    if (caps < 1) throw new InsufficientCapQuota(`ROM session "${clip(label)}": cap_quota=${caps} does not cover its capability`);
    await donor.pd.transferQuota(env.pd.cap, ram);
    try {
      await donor.pd.transferCapQuota(env.pd.cap, caps);
    } catch (e) {
      await env.pd.transferQuota(donor.pd.cap, ram).catch(() => {});
      throw e;
    }
    const given = { ram, caps };
    const s = new ModuleRomSession(env, this.modules, name);
    const cap = await env.ep.manage(RomSession, s);
    this.sessions.add(s);
    return {
      cap,
      upgrade: async (r, c) => {
        /* nothing to grow: an upgrade is taken and returned with the rest */
        await donor.pd.transferQuota(env.pd.cap, r);
        await donor.pd.transferCapQuota(env.pd.cap, c).catch(async (e: unknown) => {
          await env.pd.transferQuota(donor.pd.cap, r).catch(() => {});
          throw e;
        });
        given.ram += r;
        given.caps += c;
      },
      close: async () => {
        this.sessions.delete(s);
        await env.ep.dissolve(s);
        if (s.sighCap) env.ep.release(s.sighCap);
        /* a donor that is gone had its account returned to the loader already */
        if (!donor.alive) return;
        await env.pd.transferQuota(donor.pd.cap, given.ram);
        await env.pd.transferCapQuota(donor.pd.cap, given.caps);
      },
    };
  }
}
