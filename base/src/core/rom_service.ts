/* Core's ROM service: boot modules, looked up by the last element of the session label. */
import type { Capability } from '../capability.js';
import { ServiceDenied } from '../errors.js';
import { encodeBinary } from '../lib/binary.js';
import { labelLastElement } from '../session/args.js';
import { Dataspace } from '../session/dataspace/session.js';
import type { RomSession } from '../session/rom/session.js';
import { RomSession as RomIface } from '../session/rom/session.js';
import type { SignalContext } from '../session/signal/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';
import { DataspaceComponent } from './dataspace_component.js';

class RomSessionComponent implements RomSession {
  constructor(private readonly dsCap: Capability<Dataspace>, private readonly release: (cap: Capability<unknown>) => void) {}
  dataspace = async () => this.dsCap;
  /* boot modules never change */
  update = async () => true;
  /* so no signal is ever due: the handler is not kept */
  sigh = async (sigh: Capability<SignalContext>) => this.release(sigh);
}

export class RomService extends CoreService {
  readonly name = 'ROM';
  readonly ramNeeded = 4096;
  readonly capsNeeded = 1;
  /** One dataspace per module, filled once and shared read-only by all sessions. */
  private readonly dataspaces = new Map<string, Capability<Dataspace>>();

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  private async moduleDataspace(name: string): Promise<Capability<Dataspace> | undefined> {
    const have = this.dataspaces.get(name);
    if (have) return have;
    const binary = this.ctx.modules.binary(name);
    const content = binary ? encodeBinary(binary.name) : this.ctx.modules.dataModule(name);
    if (!content) return undefined;
    const size = Math.max(4096, Math.ceil(content.length / 4096) * 4096);
    const phys = this.ctx.phys.alloc(size, 4096);
    if (phys === undefined) throw new ServiceDenied(`core is out of memory for ROM module "${name}"`);
    this.ctx.platform.allocRam(phys, size).set(content);
    const ds = new DataspaceComponent(phys, content.length, false, undefined);
    const cap = await this.ctx.ep.manage(Dataspace, ds);
    this.dataspaces.set(name, cap);
    return cap;
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const name = labelLastElement(req.label);
    const ds = await this.moduleDataspace(name);
    if (!ds) throw new ServiceDenied(`no ROM module named "${name}" (label "${req.label}")`);
    const session = new RomSessionComponent(ds, (cap) => this.ctx.ep.release(cap));
    const cap = await this.ctx.ep.manage(RomIface, session);
    return { cap, destroy: () => this.ctx.ep.dissolve(session) };
  }
}
