/*
 * PCI configuration mechanism #1 through an IO_PORT session for 0xCF8-0xCFF: the function
 * and register go to the address port 0xCF8, the data moves through the window at 0xCFC,
 * where an access of width w at 0xCFC + k reaches register byte (reg & 0xFC) + k. The two
 * steps of an access must not interleave with another one, hence the lock.
 */
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { Mutex } from '../../../../base/src/util/mutex.js';

export const PCI_CONFIG_PORT_BASE = 0xcf8;
export const PCI_CONFIG_PORT_COUNT = 8;
const ADDRESS = 0xcf8;
const DATA = 0xcfc;

export interface PciAddress {
  bus: number;
  dev: number;
  fn: number;
}

function address({ bus, dev, fn }: PciAddress, reg: number): number {
  if (bus < 0 || bus > 255 || dev < 0 || dev > 31 || fn < 0 || fn > 7 || reg < 0 || reg > 255) {
    throw new RangeError(`bad PCI configuration address ${bus}:${dev}.${fn} register 0x${reg.toString(16)}`);
  }
  return (0x8000_0000 | (bus << 16) | (dev << 11) | (fn << 8) | (reg & 0xfc)) >>> 0;
}

export class PciConfigSpace {
  private readonly lock = new Mutex();

  constructor(private readonly io: IoPortSession) {}

  private async access<R>(at: PciAddress, reg: number, fn: (data: number) => Promise<R>): Promise<R> {
    const a = address(at, reg);
    return this.lock.guard(async () => {
      await this.io.outl(ADDRESS, a);
      return fn(DATA + (reg & 3));
    });
  }

  read32(at: PciAddress, reg: number): Promise<number> {
    return this.access(at, reg & ~3, async (port) => (await this.io.inl(port)) >>> 0);
  }

  read16(at: PciAddress, reg: number): Promise<number> {
    return this.access(at, reg & ~1, (port) => this.io.inw(port));
  }

  read8(at: PciAddress, reg: number): Promise<number> {
    return this.access(at, reg, (port) => this.io.inb(port));
  }

  write32(at: PciAddress, reg: number, value: number): Promise<void> {
    return this.access(at, reg & ~3, (port) => this.io.outl(port, value >>> 0));
  }

  write16(at: PciAddress, reg: number, value: number): Promise<void> {
    return this.access(at, reg & ~1, (port) => this.io.outw(port, value & 0xffff));
  }

  write8(at: PciAddress, reg: number, value: number): Promise<void> {
    return this.access(at, reg, (port) => this.io.outb(port, value & 0xff));
  }
}
