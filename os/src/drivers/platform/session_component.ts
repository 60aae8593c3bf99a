/*
 * A Platform session: the devices its policy permits, the report describing them, and
 * the devices it holds. A device belongs to one session at a time; acquiring it turns on
 * its decoding and bus mastering, releasing it turns bus mastering off again.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, ServiceDenied } from '../../../../base/src/errors.js';
import { pageRound } from '../../../../base/src/lib/heap.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionContext } from '../../../../base/src/lib/root_component.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { formatDevices, type DeviceDescription } from '../../session/platform/devices.js';
import { DMA_BUFFER_MAX, PlatformDevice, type PlatformSession } from '../../session/platform/session.js';
import { PlatformDeviceComponent } from './device_component.js';
import type { PciConfigSpace } from './pci_config.js';
import { COMMAND_BUS_MASTER, COMMAND_IO, COMMAND_MEMORY, PCI_COMMAND } from './pci_scan.js';

/** Which session holds which device, shared by all sessions of the driver. */
export type DeviceOwners = Map<string, PlatformSessionComponent>;

const encoder = new TextEncoder();

export class PlatformSessionComponent implements PlatformSession {
  private readonly held = new Map<string, { component: PlatformDeviceComponent; cap: Capability<PlatformDevice> }>();
  /** This session's DMA buffers by bus address (core names a dataspace's address to its owner, this driver). */
  private readonly dma = new Map<number, { ds: Capability<Dataspace>; bytes: number }>();

  private constructor(
    private readonly env: Env,
    private readonly ctx: SessionContext,
    private readonly permitted: DeviceDescription[],
    private readonly report: SessionDataspace,
    private readonly owners: DeviceOwners,
    private readonly cfg: PciConfigSpace,
  ) {}

  static async create(env: Env, ctx: SessionContext, permitted: DeviceDescription[], owners: DeviceOwners, cfg: PciConfigSpace): Promise<PlatformSessionComponent> {
    const text = encoder.encode(formatDevices(permitted));
    const report = await SessionDataspace.create(env, ctx.quota, text.length + 1);
    report.bytes.set(text);
    return new PlatformSessionComponent(env, ctx, permitted, report, owners, cfg);
  }

  get label(): string {
    return this.ctx.label;
  }

  devices = async () => this.report.ds;

  acquireDevice = async (name: string): Promise<Capability<PlatformDevice>> => {
    const d = this.permitted.find((x) => x.name === name);
    if (!d) throw new ServiceDenied(`"${this.label}" may not use device ${name}`);
    return this.acquire(d);
  };

  acquireSingleDevice = async (): Promise<Capability<PlatformDevice>> => {
    const d = this.permitted.find((x) => this.held.has(x.name) || !this.owners.has(x.name));
    if (!d) throw new ServiceDenied(`"${this.label}" has no device left to acquire`);
    return this.acquire(d);
  };

  releaseDevice = async (cap: Capability<PlatformDevice>): Promise<void> => {
    const c = this.env.ep.lookup(cap, PlatformDevice) as PlatformDeviceComponent | undefined;
    if (c && this.held.get(c.desc.name)?.component === c) await this.release(c.desc.name);
  };

  allocDmaBuffer = async (size: number, cache: number): Promise<Capability<Dataspace>> => {
    if (!Number.isSafeInteger(size) || size <= 0 || size > DMA_BUFFER_MAX) {
      throw new BadArgument(`"${this.label}": DMA buffer of ${size} bytes (1 to ${DMA_BUFFER_MAX})`);
    }
    if (cache !== 0 && cache !== 1 && cache !== 2) throw new BadArgument(`"${this.label}": DMA buffer cache attribute ${cache} (CACHED 0, WRITE_COMBINED 1, UNCACHED 2)`);
    const bytes = pageRound(size);
    const ds = await this.ctx.quota.allocator.alloc(bytes);
    const addr = await this.env.pd.dmaAddr(ds);
    if (addr === 0) {
      await this.ctx.quota.allocator.free(ds, bytes);
      throw new ServiceDenied(`"${this.label}": core named no bus address for the DMA buffer`);
    }
    this.dma.set(addr, { ds, bytes });
    return ds;
  };

  freeDmaBuffer = async (ds: Capability<Dataspace>): Promise<void> => {
    const addr = await this.env.pd.dmaAddr(ds);
    const b = this.dma.get(addr);
    if (!b) return;
    this.dma.delete(addr);
    await this.ctx.quota.allocator.free(b.ds, b.bytes);
    this.env.runtime.release(b.ds);
  };

  dmaAddr = async (ds: Capability<Dataspace>): Promise<number> => {
    const addr = await this.env.pd.dmaAddr(ds);
    return this.dma.has(addr) ? addr : 0;
  };

  private async acquire(d: DeviceDescription): Promise<Capability<PlatformDevice>> {
    const mine = this.held.get(d.name);
    if (mine) return mine.cap;
    const owner = this.owners.get(d.name);
    if (owner) throw new ServiceDenied(`device ${d.name} is in use by "${owner.label}"`);
    this.ctx.quota.caps.withdraw(1); // the device's capability
    const component = new PlatformDeviceComponent(this.env, d, this.ctx.quota);
    let cap: Capability<PlatformDevice>;
    try {
      cap = await this.env.ep.manage(PlatformDevice, component);
    } catch (e) {
      this.ctx.quota.caps.replenish(1);
      throw e;
    }
    this.owners.set(d.name, this);
    this.held.set(d.name, { component, cap });
    const command = await this.cfg.read16(d, PCI_COMMAND);
    const decode = (d.ioPorts.length ? COMMAND_IO : 0) | (d.ioMem.length ? COMMAND_MEMORY : 0);
    await this.cfg.write16(d, PCI_COMMAND, command | decode | COMMAND_BUS_MASTER);
    return cap;
  }

  private async release(name: string): Promise<void> {
    const h = this.held.get(name)!;
    this.held.delete(name);
    this.owners.delete(name);
    await h.component.release();
    await this.env.ep.dissolve(h.component);
    this.ctx.quota.caps.replenish(1);
    const d = h.component.desc;
    await this.cfg.write16(d, PCI_COMMAND, (await this.cfg.read16(d, PCI_COMMAND)) & ~COMMAND_BUS_MASTER);
  }

  async destroy(): Promise<void> {
    for (const name of [...this.held.keys()]) await this.release(name);
    for (const [addr, b] of [...this.dma]) {
      this.dma.delete(addr);
      await this.ctx.quota.allocator.free(b.ds, b.bytes);
      this.env.runtime.release(b.ds);
    }
    await this.report.destroy();
  }
}
