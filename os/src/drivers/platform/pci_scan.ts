/*
 * PCI enumeration: every function of every bus reachable from bus 0 (behind PCI-to-PCI
 * bridges too), with its identity, its BARs sized the standard way (write all ones, read
 * back, restore; decoding off meanwhile) and its legacy interrupt line as the firmware
 * set it up.
 */
import type { DeviceDescription, IoMemRange, IoPortRange } from '../../session/platform/devices.js';
import { pciName } from '../../session/platform/devices.js';
import type { PciAddress, PciConfigSpace } from './pci_config.js';

export const PCI_COMMAND = 0x04;
export const COMMAND_IO = 0x1;
export const COMMAND_MEMORY = 0x2;
export const COMMAND_BUS_MASTER = 0x4;
const PCI_CLASS_REVISION = 0x08;
const PCI_HEADER_TYPE = 0x0e;
const PCI_BAR0 = 0x10;
const PCI_SECONDARY_BUS = 0x19;
const PCI_SUBSYSTEM_VENDOR = 0x2c;
const PCI_SUBSYSTEM = 0x2e;
const PCI_INTERRUPT_LINE = 0x3c;
const PCI_INTERRUPT_PIN = 0x3d;
const CLASS_PCI_BRIDGE = 0x0604;

interface Bars {
  ioMem: IoMemRange[];
  ioPorts: IoPortRange[];
}

export class PciScanner {
  private readonly visited = new Set<number>();

  constructor(private readonly cfg: PciConfigSpace) {}

  async scan(): Promise<DeviceDescription[]> {
    const out: DeviceDescription[] = [];
    await this.scanBus(0, out);
    return out;
  }

  private async scanBus(bus: number, out: DeviceDescription[]): Promise<void> {
    if (this.visited.has(bus)) return; // a misconfigured bridge must not loop us
    this.visited.add(bus);
    for (let dev = 0; dev < 32; dev++) {
      const headerType = await this.probe({ bus, dev, fn: 0 });
      if (headerType === undefined) continue;
      const functions = headerType & 0x80 ? 8 : 1;
      for (let fn = 0; fn < functions; fn++) {
        const at = { bus, dev, fn };
        const ht = fn === 0 ? headerType : await this.probe(at);
        if (ht === undefined) continue;
        const d = await this.describe(at, ht & 0x7f);
        out.push(d);
        if (d.classCode >>> 8 === CLASS_PCI_BRIDGE && (ht & 0x7f) === 1) {
          const secondary = await this.cfg.read8(at, PCI_SECONDARY_BUS);
          if (secondary !== 0) await this.scanBus(secondary, out);
        }
      }
    }
  }

  /** The header type of a present function; undefined where the bus reads all ones. */
  private async probe(at: PciAddress): Promise<number | undefined> {
    if ((await this.cfg.read16(at, 0)) === 0xffff) return undefined;
    return this.cfg.read8(at, PCI_HEADER_TYPE);
  }

  private async describe(at: PciAddress, layout: number): Promise<DeviceDescription> {
    const ids = await this.cfg.read32(at, 0);
    const classRev = await this.cfg.read32(at, PCI_CLASS_REVISION);
    const plain = layout === 0;
    const pin = await this.cfg.read8(at, PCI_INTERRUPT_PIN);
    const line = await this.cfg.read8(at, PCI_INTERRUPT_LINE);
    const { ioMem, ioPorts } = await this.sizeBars(at, plain ? 6 : layout === 1 ? 2 : 0);
    return {
      name: pciName(at.bus, at.dev, at.fn),
      ...at,
      vendor: ids & 0xffff,
      device: ids >>> 16,
      classCode: classRev >>> 8,
      revision: classRev & 0xff,
      subVendor: plain ? await this.cfg.read16(at, PCI_SUBSYSTEM_VENDOR) : 0,
      subDevice: plain ? await this.cfg.read16(at, PCI_SUBSYSTEM) : 0,
      ioMem,
      ioPorts,
      /* the line the firmware routed INTx to; 0xff or above 15 means not connected */
      irqs: pin !== 0 && line < 16 ? [{ index: 0, number: line }] : [],
    };
  }

  private async sizeBars(at: PciAddress, count: number): Promise<Bars> {
    const bars: Bars = { ioMem: [], ioPorts: [] };
    if (count === 0) return bars;
    const command = await this.cfg.read16(at, PCI_COMMAND);
    await this.cfg.write16(at, PCI_COMMAND, command & ~(COMMAND_IO | COMMAND_MEMORY));
    try {
      for (let i = 0; i < count; i++) {
        const reg = PCI_BAR0 + 4 * i;
        const original = await this.cfg.read32(at, reg);
        const mask = await this.sizeRegister(at, reg, original);
        if (mask === 0) continue; // not implemented
        if (original & 1) {
          /* I/O: a device decoding only 16 address bits reads back zeros above them */
          const m = (mask & 0xfffffffc) | (mask >>> 16 === 0 ? 0xffff0000 : 0);
          const base = original & 0xfffffffc;
          if (base !== 0) bars.ioPorts.push({ index: bars.ioPorts.length, base, size: (~m + 1) >>> 0 });
          continue;
        }
        const bar = i;
        const is64 = ((original >> 1) & 3) === 2;
        let base = (original & 0xfffffff0) >>> 0;
        let size = (~(mask & 0xfffffff0) + 1) >>> 0;
        if (is64 && i + 1 < count) {
          i++;
          const high = await this.cfg.read32(at, reg + 4);
          const highMask = await this.sizeRegister(at, reg + 4, high);
          base += high * 2 ** 32;
          if (size === 0) size = ((~highMask + 1) >>> 0) * 2 ** 32;
        }
        if (base !== 0) bars.ioMem.push({ index: bars.ioMem.length, base, size, prefetchable: (original & 8) !== 0, pciBar: bar });
      }
    } finally {
      await this.cfg.write16(at, PCI_COMMAND, command);
    }
    return bars;
  }

  /** Writes all ones to a BAR register, reads what sticks, and restores it. */
  private async sizeRegister(at: PciAddress, reg: number, original: number): Promise<number> {
    await this.cfg.write32(at, reg, 0xffffffff);
    const mask = await this.cfg.read32(at, reg);
    await this.cfg.write32(at, reg, original);
    return mask;
  }
}
