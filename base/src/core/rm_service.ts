/* Core's RM service: managed region maps, each paid from the session's donated quota. */
import type { Capability } from '../capability.js';
import { BadArgument } from '../errors.js';
import { QuotaGuard, withdrawBoth } from '../lib/quota_guard.js';
import { Dataspace } from '../session/dataspace/session.js';
import { RegionMap } from '../session/region_map/session.js';
import { RmSession } from '../session/rm/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';
import { ManagedDataspace, RegionMapComponent } from './region_map_component.js';

/** What one managed region map costs core. */
const RM_RAM = 4096;
const RM_CAPS = 2;
const MAX_SIZE = 0x4000_0000;

class RmSessionComponent implements RmSession {
  private readonly maps = new Set<RegionMapComponent>();

  constructor(private readonly ctx: CoreContext, private readonly ram: QuotaGuard, private readonly caps: QuotaGuard) {}

  create = async (size: number): Promise<Capability<RegionMap>> => {
    if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_SIZE || size % 4096 !== 0) {
      throw new BadArgument(`RM: a region map must be a positive multiple of 4096 bytes up to ${MAX_SIZE}, not ${size}`);
    }
    withdrawBoth(this.ram, RM_RAM, this.caps, RM_CAPS);
    const rm = new RegionMapComponent(this.ctx.ep, undefined, (sigh) => this.ctx.platform.submitSignal(sigh, 1), 0, size);
    const ds = new ManagedDataspace(rm, size);
    rm.managed = { ds, cap: await this.ctx.ep.manage(Dataspace, ds) };
    this.maps.add(rm);
    return this.ctx.ep.manage(RegionMap, rm);
  };

  destroy = async (cap: Capability<RegionMap>): Promise<void> => {
    const rm = this.ctx.ep.local(cap, RegionMapComponent);
    if (!rm || !this.maps.has(rm)) return;
    await this.remove(rm);
  };

  private async remove(rm: RegionMapComponent): Promise<void> {
    this.maps.delete(rm);
    rm.destroy();
    await this.ctx.ep.dissolve(rm.managed!.ds);
    await this.ctx.ep.dissolve(rm);
    this.ram.replenish(RM_RAM);
    this.caps.replenish(RM_CAPS);
  }

  async destroyAll(): Promise<void> {
    for (const rm of [...this.maps]) await this.remove(rm);
  }
}

export class RmService extends CoreService {
  readonly name = 'RM';
  readonly ramNeeded = 4096;
  readonly capsNeeded = 1;

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const ram = new QuotaGuard(req.ram - this.ramNeeded, 'RAM', `RM session "${req.label}"`);
    const caps = new QuotaGuard(req.caps - this.capsNeeded, 'caps', `RM session "${req.label}"`);
    const session = new RmSessionComponent(this.ctx, ram, caps);
    const cap = await this.ctx.ep.manage(RmSession, session);
    return {
      cap,
      upgrade: (r, c) => {
        ram.upgrade(r);
        caps.upgrade(c);
      },
      destroy: async () => {
        await session.destroyAll();
        await this.ctx.ep.dissolve(session);
      },
    };
  }
}
