/*
 * A device acquired through a Platform session. Its resources are sessions of core's
 * IO_MEM, IO_PORT and IRQ services, opened here on first request (core hands each range
 * to one holder only) and paid from the client's Platform-session quota; releasing the
 * device closes them.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, ServiceDenied } from '../../../../base/src/errors.js';
import { Connection, type SessionInterface } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionQuota } from '../../../../base/src/lib/heap.js';
import type { ArgValue } from '../../../../base/src/session/args.js';
import { IoMemSession } from '../../../../base/src/session/io_mem/session.js';
import { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { IrqSession } from '../../../../base/src/session/irq/session.js';
import type { DeviceDescription } from '../../session/platform/devices.js';
import type { IoMemResource, IoPortResource, PlatformDevice, PlatformDeviceInfo } from '../../session/platform/session.js';

const PAGE = 4096;

export class PlatformDeviceComponent implements PlatformDevice {
  private readonly opened = new Map<string, Connection<unknown>>();

  constructor(private readonly env: Env, readonly desc: DeviceDescription, private readonly quota: SessionQuota) {}

  info = async (): Promise<PlatformDeviceInfo> => {
    const d = this.desc;
    return {
      name: d.name, vendor: d.vendor, device: d.device, classCode: d.classCode, revision: d.revision,
      subVendor: d.subVendor, subDevice: d.subDevice,
      ioMemCount: d.ioMem.length, ioPortCount: d.ioPorts.length, irqCount: d.irqs.length,
    };
  };

  ioMem = async (index: number): Promise<IoMemResource> => {
    const r = this.desc.ioMem.find((m) => m.index === index);
    if (!r) throw new BadArgument(`device ${this.desc.name} has no memory resource ${index} (it has ${this.desc.ioMem.length})`);
    const c = await this.open(`io_mem ${index}`, IoMemSession, { base: r.base, size: r.size });
    return { session: c.cap, offset: r.base % PAGE, size: r.size };
  };

  ioPort = async (index: number): Promise<IoPortResource> => {
    const r = this.desc.ioPorts.find((p) => p.index === index);
    if (!r) throw new BadArgument(`device ${this.desc.name} has no port resource ${index} (it has ${this.desc.ioPorts.length})`);
    const c = await this.open(`io_port ${index}`, IoPortSession, { io_port_base: r.base, io_port_size: r.size });
    return { session: c.cap, base: r.base, size: r.size };
  };

  irq = async (index: number): Promise<Capability<IrqSession>> => {
    const r = this.desc.irqs.find((i) => i.index === index);
    if (!r) throw new BadArgument(`device ${this.desc.name} has no interrupt ${index} (it has ${this.desc.irqs.length})`);
    return (await this.open(`irq ${index}`, IrqSession, { irq: r.number })).cap;
  };

  /** Opens a core session for a resource once, charging its quota to the client's session. */
  private async open<T>(key: string, iface: SessionInterface<T>, args: Record<string, ArgValue>): Promise<Connection<T>> {
    const known = this.opened.get(key);
    if (known) return known as Connection<T>;
    this.quota.ram.withdraw(iface.RAM_QUOTA);
    try {
      this.quota.caps.withdraw(iface.CAP_QUOTA);
    } catch (e) {
      this.quota.ram.replenish(iface.RAM_QUOTA);
      throw e;
    }
    try {
      const c = await Connection.open(this.env, iface, { label: this.desc.name, args, retries: 0 });
      this.opened.set(key, c as Connection<unknown>);
      return c;
    } catch (e) {
      this.quota.ram.replenish(iface.RAM_QUOTA);
      this.quota.caps.replenish(iface.CAP_QUOTA);
      if (e instanceof ServiceDenied) throw e;
      throw new ServiceDenied(`device ${this.desc.name}, ${key}: ${(e as Error).message}`);
    }
  }

  /** Closes every resource session and returns their quota. */
  async release(): Promise<void> {
    for (const c of this.opened.values()) {
      await c.close();
      this.quota.ram.replenish(c.iface.RAM_QUOTA);
      this.quota.caps.replenish(c.iface.CAP_QUOTA);
    }
    this.opened.clear();
  }
}
