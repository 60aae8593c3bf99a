/*
 * The emulated PC: RAM, TSC, the 8259 pair, the PIT, the i8042 with keyboard and mouse, the
 * PCI bus with host bridge, ISA bridge, standard VGA and an ICH9 AHCI controller (SATA disks,
 * an ATAPI CD), and COM1, wired as on a real board.
 *
 * It implements the Machine contract a kernel runs on. Construction is deterministic and
 * leaves the devices as a minimal firmware would (PCI BARs assigned, PIC vectors 0x08/0x70
 * with every line masked, PIT idle); nothing ever resets it: reset requests from the guest
 * (i8042 0xFE, 0xCF9) are reported through `onReset` and left to the owner.
 *
 * I/O ports: 0x20/0x21 0xA0/0xA1 PIC, 0x4D0/0x4D1 ELCR, 0x40-0x43 PIT, 0x61 port B,
 * 0x60/0x64 i8042, 0x1CE/0x1CF VBE, 0x3C0-0x3DF VGA, 0x3F8-0x3FF COM1, 0xCF8-0xCFF PCI,
 * 0xC000-0xC0FF AC'97 mixer, 0xC100-0xC13F AC'97 bus master.
 * IRQs: 0 PIT, 1 keyboard, 2 cascade, 4 COM1, 5 AC'97 (slot 7, PIRQC), 9 second e1000 (slot 6, PIRQB), 10 first e1000
 * (slot 5, PIRQA), 11 AHCI (INTA of slot 4, PIRQD), 12 mouse.
 * Unclaimed ports read as all ones. MMIO: the framebuffer BAR as plain memory (`mmio`), the
 * AHCI's ABAR as registers decoded at each access (`mmioRead`/`mmioWrite`).
 */

import type { InterruptLine, IoWidth, Machine, MmioRegion } from '../../base/src/machine.js';
import { I8042, DEFAULT_CONFIG } from './i8042.js';
import { AhciController, type AhciDrive } from './ahci.js';
import type { DiskImage } from './disk.js';
import { E1000 } from './e1000.js';
import { Ac97, NABM_SIZE, NAM_SIZE } from './ac97.js';
import { AudioFanout } from './audio_sink.js';
import { allOnes, type PortHandler } from './io.js';
import { HostBridge, IsaBridge, PciBus } from './pci.js';
import { PicPair } from './pic.js';
import { Pit } from './pit.js';
import { Ps2Keyboard } from './ps2_keyboard.js';
import { Ps2Mouse } from './ps2_mouse.js';
import { DEFAULT_RAM_BYTES, Ram } from './ram.js';
import { DEFAULT_TSC_HZ, Tsc } from './tsc.js';
import { COM1_BASE, COM1_IRQ, Uart16550 } from './uart.js';
import { DEFAULT_VRAM_BYTES, StdVga } from './vga.js';

export interface PcOptions {
  /** Machine name reported through Machine.name (default 'pc'). */
  name?: string;
  /** Physical RAM size in bytes, a multiple of 4 KiB below the PCI hole (default 64 MiB). */
  ramBytes?: number;
  /** TSC frequency in Hz (default 2 GHz). */
  tscHz?: number;
  /** VGA memory size, a power of two of at least 1 MiB (default 16 MiB). */
  vramBytes?: number;
  /** Physical address the firmware gives the VGA framebuffer BAR (default 0xFD000000). */
  framebufferBase?: number;
  /** The i8042 config byte at power-on (default 0x45: keyboard IRQ, system flag, translation). */
  i8042Config?: number;
  /**
   * Device memory (the VGA's VRAM) in a SharedArrayBuffer, so that a host kernel running
   * components in other threads (linux) can map it into them (default false).
   */
  sharedDeviceMemory?: boolean;
  /**
   * RAM in SharedArrayBuffers (per allocated range), so that a host kernel (linux) can back
   * its components' dataspaces with the machine's RAM and its devices DMA into them (default false).
   */
  sharedRam?: boolean;
  /** SATA disks on the AHCI's ports 0.. in order. */
  disks?: DiskImage[];
  /** The ATAPI CD drive's medium (2048-byte blocks), on the port after the disks. */
  cdrom?: DiskImage;
  /** Physical address the firmware gives the AHCI's ABAR (BAR5) (default 0xFEBF0000). */
  ahciBase?: number;
  /** Intel 82540EM (e1000) network cards, at most two (none by default). */
  nics?: number;
  /** Connects the cards' ports once they exist (tool/run's --nic wiring). */
  wireNics?: (cards: E1000[]) => void;
  /** An Intel ICH AC'97 sound card (00:07.0, IRQ 5) (none by default). */
  audio?: boolean;
}

export const PCI_HOLE_START = 0xe0000000;
export const DEFAULT_FRAMEBUFFER_BASE = 0xfd000000;
export const DEFAULT_AHCI_BASE = 0xfebf0000;

/** PCI slots as QEMU's i440FX machine uses them. */
export const HOST_BRIDGE_SLOT = 0;
export const ISA_BRIDGE_SLOT = 1;
export const VGA_SLOT = 2;
/** Slot 3 is where QEMU's default NIC goes; the AHCI comes next. */
export const AHCI_SLOT = 4;
/** The e1000 cards (QEMU would put the first in slot 3, but INTA there shares the AHCI's IRQ 11). */
export const NIC_SLOTS = [5, 6];
/** BAR0 (128 KiB) of each card. */
export const NIC_BASES = [0xfebc0000, 0xfeba0000];
/** The cards' MAC addresses: QEMU's default, then counting up. */
/** The AC'97 sound card, its INTA (PIRQC) routed to IRQ 5, and its port BARs (mixer, bus master). */
export const AUDIO_SLOT = 7;
export const AUDIO_IRQ = 5;
export const AUDIO_NAM_BASE = 0xc000;
export const AUDIO_NABM_BASE = 0xc100;
export const NIC_MACS = [Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56), Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x57)];

interface PortEntry {
  handler: PortHandler;
  /** Decodes 16/32-bit accesses itself; otherwise wide accesses are split into bytes. */
  wide: boolean;
}

export class Pc implements Machine {
  readonly name: string;
  readonly memory: Ram;
  readonly clock: Tsc;
  readonly pic = new PicPair();
  readonly interrupts: InterruptLine = this.pic;
  readonly pit: Pit;
  readonly keyboard = new Ps2Keyboard();
  readonly mouse = new Ps2Mouse();
  readonly i8042: I8042;
  readonly pci = new PciBus();
  readonly hostBridge = new HostBridge();
  readonly isaBridge = new IsaBridge();
  readonly vga: StdVga;
  /** COM1. */
  readonly uart: Uart16550;
  /** The AHCI host bus adapter (00:04.0). */
  readonly ahci: AhciController;
  /** The e1000 network cards (00:05.0, 00:06.0), as many as asked for. */
  readonly nics: E1000[] = [];
  /** The AC'97 sound card (00:07.0), if asked for. */
  readonly audio: Ac97 | undefined;
  /** Where the sound card's output goes (tool/run --audio-out, the live display). */
  readonly audioOut = new AudioFanout();

  private readonly ports = new Map<number, PortEntry>();
  private readonly resetListeners: Array<(source: string) => void> = [];

  constructor(options: PcOptions = {}) {
    this.name = options.name ?? 'pc';
    const ramBytes = options.ramBytes ?? DEFAULT_RAM_BYTES;
    if (ramBytes > PCI_HOLE_START) throw new RangeError(`RAM above the PCI hole (0x${PCI_HOLE_START.toString(16)}) is not supported`);
    this.memory = new Ram(ramBytes, options.sharedRam ?? false);
    this.clock = new Tsc(options.tscHz ?? DEFAULT_TSC_HZ);

    this.pit = new Pit(this.clock, this.pic.line(0));
    this.i8042 = new I8042(this.keyboard, this.mouse, this.pic.line(1), this.pic.line(12), options.i8042Config ?? DEFAULT_CONFIG);
    this.uart = new Uart16550(COM1_BASE, this.pic.line(COM1_IRQ), this.clock);
    this.vga = new StdVga(options.vramBytes ?? DEFAULT_VRAM_BYTES, this.clock, options.sharedDeviceMemory);
    this.clock.attach(this.pit);
    this.clock.attach(this.uart);

    this.pci.add(HOST_BRIDGE_SLOT, 0, this.hostBridge);
    this.pci.add(ISA_BRIDGE_SLOT, 0, this.isaBridge);
    this.pci.add(VGA_SLOT, 0, this.vga);
    this.vga.assignFramebuffer(options.framebufferBase ?? DEFAULT_FRAMEBUFFER_BASE);

    const drives: AhciDrive[] = (options.disks ?? []).map((image) => ({ kind: 'ata', image }));
    if (options.cdrom) drives.push({ kind: 'atapi', image: options.cdrom });
    this.ahci = new AhciController(this.memory, this.clock, { drives });
    this.pci.add(AHCI_SLOT, 0, this.ahci);
    const ahciIrq = this.isaBridge.irqFor(AHCI_SLOT, 1)!;
    this.ahci.assign(options.ahciBase ?? DEFAULT_AHCI_BASE, ahciIrq, this.pic.line(ahciIrq));
    this.clock.attach(this.ahci);

    const nics = options.nics ?? 0;
    if (!Number.isInteger(nics) || nics < 0 || nics > NIC_SLOTS.length) throw new RangeError(`the PC takes 0..${NIC_SLOTS.length} network cards, not ${nics}`);
    /* a BIOS giving each card a line of its own: PIRQB (the second card's INTA) to IRQ 9 */
    if (nics > 1) this.isaBridge.config[IsaBridge.PIRQ_ROUTE + 1] = 9;
    for (let i = 0; i < nics; i++) {
      const card = new E1000(this.memory, this.clock, { mac: NIC_MACS[i] });
      this.pci.add(NIC_SLOTS[i], 0, card);
      const irq = this.isaBridge.irqFor(NIC_SLOTS[i], 1)!;
      card.assign(NIC_BASES[i], irq, this.pic.line(irq));
      this.clock.attach(card);
      this.nics.push(card);
    }
    options.wireNics?.(this.nics);

    if (options.audio) {
      const card = new Ac97(this.memory, this.clock);
      this.pci.add(AUDIO_SLOT, 0, card);
      /* a BIOS giving the card a line of its own: PIRQC (INTA of slot 7) to IRQ 5 */
      this.isaBridge.config[IsaBridge.PIRQ_ROUTE + 2] = AUDIO_IRQ;
      const irq = this.isaBridge.irqFor(AUDIO_SLOT, 1)!;
      card.assign(AUDIO_NAM_BASE, AUDIO_NABM_BASE, irq, this.pic.line(irq));
      card.connect(this.audioOut);
      this.clock.attach(card);
      this.claim(card.namPorts, range(AUDIO_NAM_BASE, NAM_SIZE), true);
      this.claim(card.nabmPorts, range(AUDIO_NABM_BASE, NABM_SIZE), true);
      this.audio = card;
    }

    this.claim(this.pic, [0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1]);
    this.claim(this.pit, [0x40, 0x41, 0x42, 0x43, 0x61]);
    this.claim(this.i8042, [0x60, 0x64]);
    this.claim(this.vga, [0x1ce, 0x1cf], true);
    this.claim(this.vga, range(0x3c0, 0x20));
    this.claim(this.uart, range(COM1_BASE, 8));
    this.claim(this.pci, range(0xcf8, 8), true);

    this.i8042.onReset(() => this.requestReset('i8042'));
    this.pci.onReset(() => this.requestReset('pci-reset-control'));
  }

  /** The guest asked for a CPU/machine reset; `source` says through which device. */
  onReset(listener: (source: string) => void): void {
    this.resetListeners.push(listener);
  }

  /** Claim I/O ports for a device (for devices added by other parts of the framework). */
  claim(handler: PortHandler, ports: Iterable<number>, wide = false): void {
    for (const port of ports) {
      if (this.ports.has(port)) throw new Error(`I/O port 0x${port.toString(16)} is already claimed`);
      this.ports.set(port, { handler, wide });
    }
  }

  inPort(port: number, width: IoWidth): number {
    port &= 0xffff;
    const entry = this.ports.get(port);
    if (entry?.wide) return entry.handler.inPort(port, width) >>> 0;
    if (width === 1) return entry ? entry.handler.inPort(port, 1) & 0xff : 0xff;
    // An 8-bit device answers a wider access byte by byte, lowest port first.
    let value = 0;
    for (let i = width - 1; i >= 0; i--) value = value * 256 + this.inPort(port + i, 1);
    return value >>> 0;
  }

  outPort(port: number, width: IoWidth, value: number): void {
    port &= 0xffff;
    value >>>= 0;
    const entry = this.ports.get(port);
    if (entry?.wide) {
      entry.handler.outPort(port, width, width === 4 ? value : value & allOnes(width));
      return;
    }
    if (width === 1) {
      entry?.handler.outPort(port, 1, value & 0xff);
      return;
    }
    for (let i = 0; i < width; i++) this.outPort(port + i, 1, (value >>> (8 * i)) & 0xff);
  }

  mmio(base: number, size: number): MmioRegion | undefined {
    if (!(size > 0) || base < 0) return undefined;
    if (base < this.memory.size) return undefined; // RAM is not device memory
    return this.pci.findMemory(base, size);
  }

  /** A load from device registers at `address` (outside RAM); all ones where nothing decodes it. */
  mmioRead(address: number, width: IoWidth): number {
    const target = this.pci.findRegisters(address, width);
    return target ? target.handler.read(target.offset, width) >>> 0 : allOnes(width);
  }

  /** Whether [base, base+size) lies in one BAR whose registers are decoded at each access (the ABAR). */
  mmioRegisters(base: number, size: number): boolean {
    if (!Number.isSafeInteger(base) || !Number.isSafeInteger(size) || size <= 0 || base < this.memory.size) return false;
    return this.pci.findRegisters(base, size) !== undefined;
  }

  /** A store to device registers at `address`; dropped where nothing decodes it. */
  mmioWrite(address: number, width: IoWidth, value: number): void {
    const target = this.pci.findRegisters(address, width);
    target?.handler.write(target.offset, width, value >>> 0);
  }

  private requestReset(source: string): void {
    for (const listener of this.resetListeners) listener(source);
  }
}

function range(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}
