/* Core's IO_MEM service: a device-memory range as a dataspace, held by one session at a time. */
import { ServiceDenied } from '../errors.js';
import { numberArg } from '../session/args.js';
import { Dataspace } from '../session/dataspace/session.js';
import { IoMemSession } from '../session/io_mem/session.js';
import type { CoreContext } from './context.js';
import { CoreService, type CoreSession, type CoreSessionRequest } from './core_service.js';
import { DataspaceComponent } from './dataspace_component.js';

const PAGE = 4096;

export class IoMemService extends CoreService {
  readonly name = 'IO_MEM';
  readonly ramNeeded = 4096;
  readonly capsNeeded = 2;
  private readonly granted = new Map<DataspaceComponent, string>();

  constructor(private readonly ctx: CoreContext) {
    super();
  }

  protected async create(req: CoreSessionRequest): Promise<CoreSession> {
    const base = numberArg(req.args, 'base', -1);
    const size = numberArg(req.args, 'size', 0);
    const start = Math.floor(base / PAGE) * PAGE;
    const bytes = Math.ceil((base + size - start) / PAGE) * PAGE;
    if (base < 0 || size <= 0 || !this.ctx.platform.isDeviceMemory?.(start, bytes)) {
      throw new ServiceDenied(`IO_MEM session "${req.label}": [0x${Math.max(base, 0).toString(16)}, +${size}) is not device memory`);
    }
    for (const [ds, label] of this.granted) {
      if (start < ds.phys + ds.bytes && ds.phys < start + bytes) {
        throw new ServiceDenied(`IO_MEM session "${req.label}": 0x${start.toString(16)}+${bytes} is already held by "${label}"`);
      }
    }
    const ds = new DataspaceComponent(start, bytes, true, undefined);
    this.granted.set(ds, req.label);
    const dsCap = await this.ctx.ep.manage(Dataspace, ds);
    const session: IoMemSession = { dataspace: async () => dsCap };
    const cap = await this.ctx.ep.manage(IoMemSession, session);
    return {
      cap,
      destroy: async () => {
        this.granted.delete(ds);
        ds.detachAll();
        this.ctx.platform.revokePhys(ds.phys, ds.bytes);
        await this.ctx.ep.dissolve(ds);
        await this.ctx.ep.dissolve(session);
      },
    };
  }
}
