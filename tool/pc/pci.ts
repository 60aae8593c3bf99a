/*
 * PCI configuration mechanism #1 (address register 0xCF8, data window 0xCFC-0xCFF) with one
 * bus of functions, the PIIX reset-control register at 0xCF9, and the two chipset functions
 * every PC has: the i440FX host bridge (00:00.0) and the PIIX3 PCI-to-ISA bridge (00:01.0).
 *
 * A function's configuration space is 256 bytes plus a per-byte mask of writable bits and
 * of write-one-to-clear bits. BARs are nothing more than such masks: a BAR of size S keeps its
 * type bits and only the address bits above S-1 writable, so writing 0xFFFFFFFF and reading
 * back yields ~(S-1) | type, which is exactly what BAR sizing expects.
 */

import type { MmioRegion } from '../../base/src/machine.js';
import { allOnes, type IoWidth, type MmioHandler, type PortHandler } from './io.js';

// Header type 0 offsets
export const PCI_VENDOR_ID = 0x00;
export const PCI_DEVICE_ID = 0x02;
export const PCI_COMMAND = 0x04;
export const PCI_STATUS = 0x06;
export const PCI_REVISION = 0x08;
export const PCI_CLASS_PROG = 0x09;
export const PCI_HEADER_TYPE = 0x0e;
export const PCI_BAR0 = 0x10;
export const PCI_SUBSYSTEM_VENDOR_ID = 0x2c;
export const PCI_SUBSYSTEM_ID = 0x2e;
export const PCI_INTERRUPT_LINE = 0x3c;
export const PCI_INTERRUPT_PIN = 0x3d;

export const COMMAND_IO = 0x0001;
export const COMMAND_MEMORY = 0x0002;
export const COMMAND_BUS_MASTER = 0x0004;
/** Writable command bits: I/O, memory, bus master, parity, SERR, INTx disable. */
const COMMAND_WRITABLE = 0x0547;
/** Status bits cleared by writing 1: master data parity error and the error flags 11-15. */
const STATUS_WRITE_ONE_TO_CLEAR = 0xf900;

export interface PciIdentity {
  vendor: number;
  device: number;
  /** base class << 16 | subclass << 8 | programming interface */
  classCode: number;
  revision?: number;
  /** bit 7 = multifunction */
  headerType?: number;
  subsystemVendor?: number;
  subsystem?: number;
  /** 0 = none, 1-4 = INTA-INTD */
  interruptPin?: number;
}

export interface PciBar {
  kind: 'memory' | 'io';
  size: number;
  prefetchable: boolean;
}

/** One PCI function: its configuration space and its BARs. Devices subclass it. */
export class PciFunction {
  readonly config = new Uint8Array(256);
  private readonly writable = new Uint8Array(256);
  private readonly writeOneToClear = new Uint8Array(256);
  readonly bars: Array<PciBar | undefined> = [];

  constructor(identity: PciIdentity) {
    this.set16(PCI_VENDOR_ID, identity.vendor);
    this.set16(PCI_DEVICE_ID, identity.device);
    this.set32(PCI_REVISION, (identity.classCode << 8) | (identity.revision ?? 0));
    this.config[PCI_HEADER_TYPE] = identity.headerType ?? 0;
    this.set16(PCI_SUBSYSTEM_VENDOR_ID, identity.subsystemVendor ?? 0);
    this.set16(PCI_SUBSYSTEM_ID, identity.subsystem ?? 0);
    this.config[PCI_INTERRUPT_PIN] = identity.interruptPin ?? 0;
    this.allowWrites(PCI_COMMAND, 2, COMMAND_WRITABLE);
    this.writeOneToClear[PCI_STATUS] = STATUS_WRITE_ONE_TO_CLEAR & 0xff;
    this.writeOneToClear[PCI_STATUS + 1] = STATUS_WRITE_ONE_TO_CLEAR >> 8;
    this.allowWrites(0x0c, 2, 0xffff); // cache line size, latency timer
    this.allowWrites(PCI_INTERRUPT_LINE, 1, 0xff);
  }

  get vendor(): number { return this.get16(PCI_VENDOR_ID); }
  get command(): number { return this.get16(PCI_COMMAND); }

  /** Declare BAR `index` (0-5). Sizes are powers of two: at least 16 bytes of memory or 4 ports. */
  defineBar(index: number, kind: 'memory' | 'io', size: number, prefetchable = false): void {
    const minimum = kind === 'memory' ? 16 : 4;
    if (size < minimum || (size & (size - 1)) !== 0) throw new RangeError(`BAR size ${size} is not a power of two >= ${minimum}`);
    this.bars[index] = { kind, size, prefetchable };
    const offset = PCI_BAR0 + 4 * index;
    const typeBits = kind === 'io' ? 0x1 : prefetchable ? 0x8 : 0x0;
    this.set32(offset, typeBits);
    const addressBits = kind === 'io' ? 0xfffffffc : 0xfffffff0;
    this.allowWrites(offset, 4, ~(size - 1) & addressBits);
  }

  /** The address BAR `index` is programmed to (type bits removed). */
  barAddress(index: number): number {
    const value = this.get32(PCI_BAR0 + 4 * index);
    return (this.bars[index]?.kind === 'io' ? value & ~0x3 : value & ~0xf) >>> 0;
  }

  /** The memory behind a memory BAR, for MMIO lookups; undefined if the BAR has no plain memory. */
  barMemory(_index: number): Uint8Array | undefined {
    return undefined;
  }

  /** The registers behind a memory BAR that decodes accesses itself (an MMIO register file). */
  barRegisters(_index: number): MmioHandler | undefined {
    return undefined;
  }

  read(offset: number, width: IoWidth): number {
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 256 + (offset + i < 256 ? this.config[offset + i] : 0);
    return value >>> 0;
  }

  write(offset: number, width: IoWidth, value: number): void {
    for (let i = 0; i < width && offset + i < 256; i++) {
      const at = offset + i;
      const byte = (value >>> (8 * i)) & 0xff;
      const mask = this.writable[at];
      this.config[at] = ((this.config[at] & ~mask) | (byte & mask)) & ~(byte & this.writeOneToClear[at]);
    }
    this.configWritten(offset, width);
  }

  /** Hook for devices that react to configuration writes. */
  protected configWritten(_offset: number, _width: IoWidth): void {}

  /** Let the guest change the bits of `mask` in the `width` bytes at `offset`. */
  protected allowWrites(offset: number, width: number, mask: number): void {
    for (let i = 0; i < width; i++) this.writable[offset + i] = (mask >>> (8 * i)) & 0xff;
  }

  get16(offset: number): number { return this.config[offset] | (this.config[offset + 1] << 8); }
  get32(offset: number): number { return (this.get16(offset) | (this.get16(offset + 2) << 16)) >>> 0; }
  /** Direct stores, bypassing the write masks (for the device itself and for firmware set-up). */
  set16(offset: number, value: number): void {
    this.config[offset] = value & 0xff;
    this.config[offset + 1] = (value >> 8) & 0xff;
  }
  set32(offset: number, value: number): void {
    this.set16(offset, value & 0xffff);
    this.set16(offset + 2, value >>> 16);
  }
}

/** Intel 440FX host bridge. */
export class HostBridge extends PciFunction {
  constructor() {
    super({ vendor: 0x8086, device: 0x1237, classCode: 0x060000, revision: 0x02 });
    this.set16(PCI_COMMAND, COMMAND_MEMORY | COMMAND_BUS_MASTER);
  }
}

/** PIIX3 PCI-to-ISA bridge, holder of the PIRQ A-D -> ISA IRQ routing (config bytes 0x60-0x63). */
export class IsaBridge extends PciFunction {
  static readonly PIRQ_ROUTE = 0x60;

  constructor() {
    super({ vendor: 0x8086, device: 0x7000, classCode: 0x060100, headerType: 0x80 });
    this.set16(PCI_COMMAND, COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER);
    this.allowWrites(IsaBridge.PIRQ_ROUTE, 4, 0x8f8f8f8f);
    // The routing a BIOS programs: PIRQA/B -> IRQ 10, PIRQC/D -> IRQ 11.
    this.set32(IsaBridge.PIRQ_ROUTE, 0x0b0b0a0a);
  }

  /** ISA IRQ that INTx `pin` (1-4) of the device in `slot` reaches, or undefined if not routed. */
  irqFor(slot: number, pin: number): number | undefined {
    if (pin < 1 || pin > 4) return undefined;
    const pirq = (pin - 1 + slot - 1) & 3;
    const route = this.config[IsaBridge.PIRQ_ROUTE + pirq];
    return route & 0x80 ? undefined : route & 0x0f;
  }
}

const ADDRESS_ENABLE = 0x80000000;

/** Bus 0 and the configuration-mechanism-#1 ports. */
export class PciBus implements PortHandler {
  /** The 0xCF8 address register as last written (bits 1:0 read as 0). */
  address = 0;
  /** PIIX reset control (0xCF9): bit 1 hard reset, bit 2 = go, bit 3 full reset. */
  resetControl = 0;
  private readonly functions = new Map<number, PciFunction>();
  private readonly resetListeners: Array<() => void> = [];

  /** Plug `fn` in as 00:`slot`.`functionNumber`. */
  add(slot: number, functionNumber: number, fn: PciFunction): void {
    const key = (slot << 3) | functionNumber;
    if (slot < 0 || slot > 31 || functionNumber < 0 || functionNumber > 7) throw new RangeError(`bad PCI address 00:${slot}.${functionNumber}`);
    if (this.functions.has(key)) throw new Error(`PCI slot 00:${slot}.${functionNumber} is taken`);
    this.functions.set(key, fn);
  }

  at(bus: number, slot: number, functionNumber: number): PciFunction | undefined {
    return bus === 0 ? this.functions.get((slot << 3) | functionNumber) : undefined;
  }

  /** All functions with their addresses (slot, function). */
  *entries(): IterableIterator<{ slot: number; functionNumber: number; fn: PciFunction }> {
    for (const [key, fn] of this.functions) yield { slot: key >> 3, functionNumber: key & 7, fn };
  }

  /** Software asked for a machine reset through 0xCF9. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** The device memory decoded at [base, base+size), if one enabled memory BAR covers all of it. */
  findMemory(base: number, size: number): MmioRegion | undefined {
    for (const fn of this.functions.values()) {
      if (!(fn.command & COMMAND_MEMORY)) continue;
      for (let index = 0; index < fn.bars.length; index++) {
        const bar = fn.bars[index];
        if (bar?.kind !== 'memory') continue;
        const start = fn.barAddress(index);
        if (start === 0 || base < start || base + size > start + bar.size) continue;
        const memory = fn.barMemory(index);
        if (!memory) continue;
        const from = base - start;
        return { base, size, bytes: memory.subarray(from, from + size) };
      }
    }
    return undefined;
  }

  /** The register file decoding [address, address+width) and the offset of address in its BAR. */
  findRegisters(address: number, width: number): { handler: MmioHandler; offset: number } | undefined {
    for (const fn of this.functions.values()) {
      if (!(fn.command & COMMAND_MEMORY)) continue;
      for (let index = 0; index < fn.bars.length; index++) {
        const bar = fn.bars[index];
        if (bar?.kind !== 'memory') continue;
        const start = fn.barAddress(index);
        if (start === 0 || address < start || address + width > start + bar.size) continue;
        const handler = fn.barRegisters(index);
        if (handler) return { handler, offset: address - start };
      }
    }
    return undefined;
  }

  inPort(port: number, width: IoWidth): number {
    if (port === 0xcf8 && width === 4) return this.address;
    if (port === 0xcf9 && width === 1) return this.resetControl;
    if (port >= 0xcfc && port <= 0xcff) {
      const target = this.target(port);
      return target ? target.fn.read(target.offset, width) : allOnes(width);
    }
    return allOnes(width);
  }

  outPort(port: number, width: IoWidth, value: number): void {
    if (port === 0xcf8 && width === 4) {
      this.address = (value & ~0x3) >>> 0;
    } else if (port === 0xcf9 && width === 1) {
      const go = (value & 0x04) !== 0;
      this.resetControl = value & 0x0a; // bit 2 is a trigger, not state
      if (go) for (const listener of this.resetListeners) listener();
    } else if (port >= 0xcfc && port <= 0xcff) {
      const target = this.target(port);
      target?.fn.write(target.offset, width, value);
    }
  }

  /** The function and register byte an access at `port` in the data window addresses. */
  private target(port: number): { fn: PciFunction; offset: number } | undefined {
    if (!(this.address & ADDRESS_ENABLE)) return undefined;
    const bus = (this.address >>> 16) & 0xff;
    const slot = (this.address >>> 11) & 0x1f;
    const functionNumber = (this.address >>> 8) & 0x7;
    const fn = this.at(bus, slot, functionNumber);
    return fn ? { fn, offset: (this.address & 0xfc) + (port - 0xcfc) } : undefined;
  }
}
