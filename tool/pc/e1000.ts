/*
 * An Intel 82540EM Gigabit Ethernet controller ("e1000", PCI 8086:100e, class 02/00/00) as
 * QEMU presents it: the registers behind memory BAR0 (128 KiB), INTx through the PCI
 * interrupt line, following the PCI/PCI-X Family of Gigabit Ethernet Controllers Software
 * Developer's Manual (8254x). What is there:
 *
 * - CTRL (RST resets the registers, SLU), STATUS (LU, FD, 1000 Mb/s), EERD reads of the
 *   EEPROM (64 words: the MAC in words 0-2, checksum word 0x3f so the sum is 0xBABA), MDIC
 *   answering ready (PHY registers read as the link's state).
 * - Interrupts: ICR (read clears), ICS (software-set causes), IMS (set mask bits), IMC (clear
 *   mask bits); causes TXDW, TXQE, LSC, RXO, RXT0. The INTx wire is high while ICR & IMS != 0.
 * - Receive: RCTL (EN, UPE, MPE, BAM, BSIZE/BSEX, SECRC), the legacy descriptor ring
 *   RDBAL/RDBAH/RDLEN/RDH/RDT in physical memory, the address filter (RAL/RAH 16 entries with
 *   AV, the 4096-bit multicast table MTA with MO=00, broadcast by BAM, UPE/MPE promiscuous).
 *   A frame that passes is written into the buffer of the descriptor at RDH with its FCS
 *   unless SECRC strips it, the descriptor gets DD and EOP, RDH advances and RXT0 is raised.
 *   No free descriptor (RDH == RDT): the frame is dropped, counted in MPC, RXO raised. Frames
 *   larger than one buffer are dropped too (no long-packet chaining: LPE is not supported).
 * - Transmit: TCTL (EN, PSP pads short frames to 60 bytes), the legacy descriptor ring
 *   TDBAL/TDBAH/TDLEN/TDH/TDT. Descriptors from TDH to TDT are gathered into a frame until
 *   EOP; the frame leaves after its time on a 1 Gb/s wire, RS descriptors get DD, TXDW and
 *   (when the ring is empty) TXQE are raised. Extended descriptors (DEXT) and frames larger
 *   than 1514 bytes (without FCS) are skipped (completed without being sent, counted).
 * - Statistics: GPRC, GPTC, MPC, TPR, TPT (clear on read).
 * Descriptor rings and buffers are read and written as a bus master: only with PCI command bit
 * 2 set and only within RAM; a ring access outside RAM stops the ring (the card does nothing
 * more with it until it is set up again), never a host exception.
 */

import type { MachineClock, PhysicalMemory } from '../../base/src/machine.js';
import { ethernetFcs, type EthernetPeer, type EthernetPort } from './ethernet.js';
import { unconnectedLine, type IoWidth, type IrqLine, type MmioHandler } from './io.js';
import { COMMAND_MEMORY, PCI_COMMAND, PCI_INTERRUPT_LINE } from './pci.js';
import { BusMasterFunction } from './bus_master.js';
import type { TimedDevice } from './tsc.js';

export const E1000_VENDOR = 0x8086;
export const E1000_DEVICE = 0x100e;
export const E1000_CLASS = 0x020000;
export const E1000_BAR0_SIZE = 0x20000;

/* registers */
export const CTRL = 0x0000;
export const STATUS = 0x0008;
export const EECD = 0x0010;
export const EERD = 0x0014;
export const CTRL_EXT = 0x0018;
export const MDIC = 0x0020;
export const ICR = 0x00c0;
export const ITR = 0x00c4;
export const ICS = 0x00c8;
export const IMS = 0x00d0;
export const IMC = 0x00d8;
export const RCTL = 0x0100;
export const TCTL = 0x0400;
export const TIPG = 0x0410;
export const RDBAL = 0x2800;
export const RDBAH = 0x2804;
export const RDLEN = 0x2808;
export const RDH = 0x2810;
export const RDT = 0x2818;
export const RDTR = 0x2820;
export const TDBAL = 0x3800;
export const TDBAH = 0x3804;
export const TDLEN = 0x3808;
export const TDH = 0x3810;
export const TDT = 0x3818;
export const MPC = 0x4010;
export const GPRC = 0x4074;
export const GPTC = 0x4080;
export const TPR = 0x40d0;
export const TPT = 0x40d4;
export const MTA = 0x5200;
export const RAL0 = 0x5400;
export const RAH0 = 0x5404;

export const CTRL_SLU = 1 << 6;
export const CTRL_RST = 1 << 26;
export const STATUS_FD = 1 << 0;
export const STATUS_LU = 1 << 1;
export const STATUS_SPEED_1000 = 2 << 6;
export const EERD_START = 1 << 0;
export const EERD_DONE = 1 << 4;
export const MDIC_READY = 1 << 28;

export const ICR_TXDW = 1 << 0;
export const ICR_TXQE = 1 << 1;
export const ICR_LSC = 1 << 2;
export const ICR_RXO = 1 << 6;
export const ICR_RXT0 = 1 << 7;
/** Cause bits the card knows (others written to ICS/IMS are ignored). */
const ICR_KNOWN = 0x1ffff;

export const RCTL_EN = 1 << 1;
export const RCTL_UPE = 1 << 3;
export const RCTL_MPE = 1 << 4;
export const RCTL_BAM = 1 << 15;
export const RCTL_BSEX = 1 << 25;
export const RCTL_SECRC = 1 << 26;
export const TCTL_EN = 1 << 1;
export const TCTL_PSP = 1 << 3;
export const RAH_AV = 1 << 31;

/* descriptors (16 bytes each) */
export const DESC_SIZE = 16;
export const RXD_STAT_DD = 1 << 0;
export const RXD_STAT_EOP = 1 << 1;
export const TXD_CMD_EOP = 1 << 0;
export const TXD_CMD_IFCS = 1 << 1;
export const TXD_CMD_RS = 1 << 3;
export const TXD_CMD_DEXT = 1 << 5;
export const TXD_STAT_DD = 1 << 0;

export const EEPROM_WORDS = 64;
export const RECEIVE_ADDRESSES = 16;
const MAX_FRAME = 1514;
const MIN_FRAME = 60;

/** Nanoseconds a frame takes on the wire: preamble, FCS, gap and 8 ns per byte at 1 Gb/s. */
function wireNs(bytes: number): number {
  return (Math.max(bytes, MIN_FRAME) + 4 + 8 + 12) * 8;
}

/** Signal propagation on a short cable. */
const PROPAGATION_NS = 50;
/** Fixed latency from the tail doorbell to the card's fetching the descriptors. */
const FETCH_NS = 1000;

interface Scheduled {
  at: number;
  seq: number;
  run: () => void;
}

export interface E1000Options {
  /** The MAC address in the EEPROM (QEMU's default 52:54:00:12:34:56). */
  mac?: Uint8Array;
}

export const DEFAULT_MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);

export class E1000 extends BusMasterFunction implements TimedDevice, EthernetPort {
  readonly mac: Uint8Array;
  readonly eeprom = new Uint16Array(EEPROM_WORDS);
  private regs = new Map<number, number>();
  private readonly mta = new Uint32Array(128);
  private readonly ra = new Uint32Array(RECEIVE_ADDRESSES * 2);
  private line: IrqLine = unconnectedLine;
  private peer: EthernetPeer | undefined;
  private events: Scheduled[] = [];
  private seq = 0;
  private now = 0;
  /** Bumped by a reset or a ring set-up, so scheduled work of the old state does nothing. */
  private generation = 0;
  private txBusy = false;
  private lastArrival = 0;
  private txRingBroken = false;
  private rxRingBroken = false;
  readonly stats = { sent: 0, received: 0, missed: 0, filtered: 0, txSkipped: 0, busErrors: 0 };

  constructor(memory: PhysicalMemory, readonly clock: MachineClock, options: E1000Options = {}) {
    super({ vendor: E1000_VENDOR, device: E1000_DEVICE, classCode: E1000_CLASS, revision: 0x03, subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 1 }, memory);
    this.mac = (options.mac ?? DEFAULT_MAC).slice();
    if (this.mac.length !== 6) throw new RangeError(`a MAC address has 6 bytes, not ${this.mac.length}`);
    for (let i = 0; i < 3; i++) this.eeprom[i] = this.mac[2 * i] | (this.mac[2 * i + 1] << 8);
    this.eeprom[0x0a] = 0x4408; // initialization control word 1 (QEMU's)
    this.eeprom[0x0d] = E1000_DEVICE;
    this.eeprom[0x0e] = E1000_VENDOR;
    let sum = 0;
    for (let i = 0; i < EEPROM_WORDS - 1; i++) sum = (sum + this.eeprom[i]) & 0xffff;
    this.eeprom[EEPROM_WORDS - 1] = (0xbaba - sum) & 0xffff;
    this.defineBar(0, 'memory', E1000_BAR0_SIZE);
    this.reset();
  }

  /** Firmware's part: BAR0 at `base`, memory decoding on, the INTx wire to `irq` on `line`. */
  assign(base: number, irq: number, line: IrqLine): void {
    this.set32(0x10, base & ~0xf);
    this.set16(PCI_COMMAND, this.command | COMMAND_MEMORY);
    this.config[PCI_INTERRUPT_LINE] = irq;
    this.line = line;
    this.line.set(false);
  }

  /** The power-on / CTRL.RST state: the MAC from the EEPROM in RAL0/RAH0, everything else off. */
  private reset(): void {
    this.regs = new Map();
    this.mta.fill(0);
    this.ra.fill(0);
    this.ra[0] = (this.mac[0] | (this.mac[1] << 8) | (this.mac[2] << 16) | (this.mac[3] << 24)) >>> 0;
    this.ra[1] = (this.mac[4] | (this.mac[5] << 8) | RAH_AV) >>> 0;
    this.regs.set(CTRL, CTRL_SLU);
    this.regs.set(TIPG, 0x0060200a);
    this.events = [];
    this.generation++;
    this.txBusy = false;
    this.txRingBroken = false;
    this.rxRingBroken = false;
    this.updateIrq();
  }

  private readonly registers: MmioHandler = {
    read: (offset, width) => this.readRegister(offset, width),
    write: (offset, width, value) => this.writeRegister(offset, width, value),
  };

  override barRegisters(index: number): MmioHandler | undefined {
    return index === 0 ? this.registers : undefined;
  }

  /* ------------------------------------------------------------------ link */

  get carrier(): boolean {
    return true;
  }

  /** Link up: a cable to a peer with a carrier, and set-link-up in CTRL. */
  get linkUp(): boolean {
    return this.peer !== undefined && this.peer.carrier && (this.reg(CTRL) & CTRL_SLU) !== 0;
  }

  /** What the card's cable leads to (undefined: unplugged). */
  get connectedTo(): EthernetPeer | undefined {
    return this.peer;
  }

  connect(peer: EthernetPeer | undefined): void {
    const before = this.linkUp;
    this.peer = peer;
    if (this.linkUp !== before) this.raise(ICR_LSC);
  }

  /* ------------------------------------------------------------------ registers */

  private reg(offset: number): number {
    return this.regs.get(offset) ?? 0;
  }

  readRegister(offset: number, width: IoWidth): number {
    const shift = (offset & 3) * 8;
    const dword = this.readDword(offset & ~3);
    return width === 4 && shift === 0 ? dword : (dword >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  writeRegister(offset: number, width: IoWidth, value: number): void {
    this.now = Math.max(this.now, this.clock.tsc());
    const shift = (offset & 3) * 8;
    const mask = width === 4 ? 0xffffffff : ((width === 1 ? 0xff : 0xffff) << shift) >>> 0;
    const at = offset & ~3;
    const merged = ((this.peekDword(at) & ~mask) | ((value << shift) & mask)) >>> 0;
    this.writeDword(at, merged);
  }

  /** A register's value without read side effects (for partial writes). */
  private peekDword(offset: number): number {
    if (offset >= MTA && offset < MTA + 512) return this.mta[(offset - MTA) >> 2];
    if (offset >= RAL0 && offset < RAL0 + RECEIVE_ADDRESSES * 8) return this.ra[(offset - RAL0) >> 2];
    return this.reg(offset);
  }

  private readDword(offset: number): number {
    switch (offset) {
      case STATUS:
        return (STATUS_FD | STATUS_SPEED_1000 | (this.linkUp ? STATUS_LU : 0)) >>> 0;
      case ICR: {
        /* read to clear */
        const v = this.reg(ICR);
        this.regs.set(ICR, 0);
        this.updateIrq();
        return v;
      }
      case ICS: return this.reg(ICR);
      case IMS: return this.reg(IMS);
      case IMC: return 0;
      case MPC: case GPRC: case GPTC: case TPR: case TPT: {
        const v = this.reg(offset);
        this.regs.set(offset, 0);
        return v;
      }
      default:
        return this.peekDword(offset);
    }
  }

  private writeDword(offset: number, v: number): void {
    if (offset >= MTA && offset < MTA + 512) {
      this.mta[(offset - MTA) >> 2] = v;
      return;
    }
    if (offset >= RAL0 && offset < RAL0 + RECEIVE_ADDRESSES * 8) {
      this.ra[(offset - RAL0) >> 2] = v;
      return;
    }
    switch (offset) {
      case CTRL: {
        if (v & CTRL_RST) {
          this.reset();
          return;
        }
        const before = this.linkUp;
        this.regs.set(CTRL, v);
        if (this.linkUp !== before) this.raise(ICR_LSC);
        return;
      }
      case STATUS: case ICR: case MPC: case GPRC: case GPTC: case TPR: case TPT:
        return; // read-only (ICR: the 8254x clears bits written as one; drivers read it instead)
      case EERD: {
        /* the read completes at once: DONE with the word */
        if (!(v & EERD_START)) {
          this.regs.set(EERD, v & ~EERD_DONE);
          return;
        }
        const addr = (v >>> 8) & 0xff;
        const word = addr < EEPROM_WORDS ? this.eeprom[addr] : 0xffff;
        this.regs.set(EERD, ((word << 16) | (addr << 8) | EERD_DONE) >>> 0);
        return;
      }
      case MDIC: {
        /* PHY access completes at once; reads give the PHY status (link) in register 1, else 0 */
        const phyReg = (v >>> 16) & 0x1f;
        const read = ((v >>> 26) & 3) === 2;
        const data = read ? (phyReg === 1 ? 0x796d & (this.linkUp ? 0xffff : ~0x0004) : 0) : v & 0xffff;
        this.regs.set(MDIC, ((v & 0x03ff0000) | MDIC_READY | data) >>> 0);
        return;
      }
      case ICS:
        this.raise(v & ICR_KNOWN);
        return;
      case IMS:
        this.regs.set(IMS, (this.reg(IMS) | (v & ICR_KNOWN)) >>> 0);
        this.updateIrq();
        return;
      case IMC:
        this.regs.set(IMS, (this.reg(IMS) & ~v) >>> 0);
        this.updateIrq();
        return;
      case RDBAL: case RDBAH: case RDLEN:
        this.regs.set(offset, offset === RDLEN ? v & 0xfff80 : offset === RDBAL ? v & ~0xf : v);
        this.rxRingBroken = false;
        return;
      case RDH: case RDT:
        this.regs.set(offset, v & 0xffff);
        return;
      case TDBAL: case TDBAH: case TDLEN:
        this.regs.set(offset, offset === TDLEN ? v & 0xfff80 : offset === TDBAL ? v & ~0xf : v);
        this.txRingBroken = false;
        return;
      case TDH:
        this.regs.set(TDH, v & 0xffff);
        return;
      case TDT:
        this.regs.set(TDT, v & 0xffff);
        this.kickTx();
        return;
      case TCTL:
        this.regs.set(TCTL, v);
        this.kickTx();
        return;
      default:
        this.regs.set(offset, v);
    }
  }

  /* ------------------------------------------------------------------ interrupts */

  private raise(causes: number): void {
    this.regs.set(ICR, (this.reg(ICR) | causes) >>> 0);
    this.updateIrq();
  }

  private updateIrq(): void {
    this.line.set((this.reg(ICR) & this.reg(IMS)) !== 0);
  }

  /** Whether the INTx wire is high now (for tests). */
  get irqPending(): boolean {
    return (this.reg(ICR) & this.reg(IMS)) !== 0;
  }

  /* ------------------------------------------------------------------ time */

  sync(tsc: number): void {
    for (;;) {
      const e = this.events[0];
      if (!e || e.at > tsc) break;
      this.events.shift();
      this.now = Math.max(this.now, e.at);
      e.run();
    }
    this.now = Math.max(this.now, tsc);
  }

  nextEventAt(): number | undefined {
    return this.events[0]?.at;
  }

  private schedule(at: number, run: () => void): void {
    const generation = this.generation;
    const e: Scheduled = { at, seq: this.seq++, run: () => { if (generation === this.generation) run(); } };
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.at > at) i--;
    this.events.splice(i, 0, e);
  }

  private ticks(ns: number): number {
    return Math.max(1, Math.ceil((ns * this.clock.tscHz) / 1e9));
  }

  private ringBase(lo: number, hi: number): number {
    return this.reg(hi) * 2 ** 32 + this.reg(lo);
  }

  /* ------------------------------------------------------------------ transmit */

  private kickTx(): void {
    if (this.txBusy || !(this.reg(TCTL) & TCTL_EN) || this.txRingBroken) return;
    if (this.reg(TDH) === this.reg(TDT)) return;
    this.txBusy = true;
    this.schedule(this.now + this.ticks(FETCH_NS), () => this.transmitOne());
  }

  /** Gathers the next frame from TDH, sends it and completes its descriptors after its wire time. */
  private transmitOne(): void {
    this.txBusy = false;
    if (!(this.reg(TCTL) & TCTL_EN) || this.txRingBroken) return;
    const count = this.reg(TDLEN) / DESC_SIZE;
    const base = this.ringBase(TDBAL, TDBAH);
    if (count === 0) return;
    let head = this.reg(TDH);
    const tail = this.reg(TDT);
    if (head >= count || tail >= count) {
      this.txRingBroken = true;
      this.stats.busErrors++;
      return;
    }
    const parts: Uint8Array[] = [];
    const done: number[] = [];
    let bytes = 0;
    let eop = false;
    let skip = false;
    while (head !== tail && !eop) {
      const d = this.readPhys(base + head * DESC_SIZE, DESC_SIZE);
      if (!d) {
        this.txRingBroken = true;
        this.stats.busErrors++;
        return;
      }
      const v = new DataView(d.buffer);
      const addr = v.getUint32(0, true) + v.getUint32(4, true) * 2 ** 32;
      const len = v.getUint16(8, true);
      const cmd = d[11];
      if (cmd & TXD_CMD_DEXT) skip = true;
      else if (!skip && len > 0) {
        if (bytes + len > MAX_FRAME) skip = true;
        else {
          const data = this.readPhys(addr, len);
          if (!data) {
            skip = true;
            this.stats.busErrors++;
          } else {
            parts.push(data);
            bytes += len;
          }
        }
      }
      done.push(head);
      eop = (cmd & TXD_CMD_EOP) !== 0 || (cmd & TXD_CMD_DEXT) !== 0;
      head = (head + 1) % count;
    }
    if (!eop) return; // the rest of the frame is not there yet: wait for the next TDT write
    let frame = new Uint8Array(bytes);
    let at = 0;
    for (const p of parts) {
      frame.set(p, at);
      at += p.length;
    }
    if (skip || bytes < 14) {
      this.stats.txSkipped++;
      frame = new Uint8Array(0);
    } else if (bytes < MIN_FRAME && this.reg(TCTL) & TCTL_PSP) {
      const padded = new Uint8Array(MIN_FRAME);
      padded.set(frame);
      frame = padded;
    }
    const leaves = this.now + this.ticks(wireNs(frame.length));
    this.txBusy = true;
    this.schedule(leaves, () => {
      this.txBusy = false;
      if (frame.length > 0) {
        if (this.linkUp) this.peer!.receive(frame, this.now);
        this.stats.sent++;
        this.regs.set(GPTC, this.reg(GPTC) + 1);
        this.regs.set(TPT, this.reg(TPT) + 1);
      }
      for (const i of done) {
        const stat = new Uint8Array(1);
        const descAt = base + i * DESC_SIZE;
        const cmd = this.readPhys(descAt + 11, 1);
        if (cmd && cmd[0] & TXD_CMD_RS) {
          stat[0] = TXD_STAT_DD;
          this.writePhys(descAt + 12, stat);
        }
      }
      this.regs.set(TDH, head);
      this.raise(ICR_TXDW | (head === this.reg(TDT) ? ICR_TXQE : 0));
      this.kickTx();
    });
  }

  /* ------------------------------------------------------------------ receive */

  /** A frame from the wire, sent at the peer's TSC `tsc`: taken once it arrived here. */
  receive(frame: Uint8Array, tsc: number): void {
    const copy = frame.slice();
    /* the sender accounted for the frame's time on the wire; frames arrive in the order sent */
    this.lastArrival = Math.max(this.now, tsc, this.lastArrival) + this.ticks(PROPAGATION_NS);
    this.schedule(this.lastArrival, () => this.accept(copy));
    this.clock.scheduleChanged?.();
  }

  /** Whether the address filter passes a frame to `dst`. */
  accepts(dst: Uint8Array): boolean {
    const rctl = this.reg(RCTL);
    const multicast = (dst[0] & 1) !== 0;
    if (multicast) {
      if (dst.every((b) => b === 0xff)) return (rctl & RCTL_BAM) !== 0 || (rctl & RCTL_MPE) !== 0;
      if (rctl & RCTL_MPE) return true;
      const hash = ((dst[4] >> 4) | (dst[5] << 4)) & 0xfff;
      return (this.mta[hash >> 5] & (1 << (hash & 31))) !== 0;
    }
    if (rctl & RCTL_UPE) return true;
    const lo = (dst[0] | (dst[1] << 8) | (dst[2] << 16) | (dst[3] << 24)) >>> 0;
    const hi = dst[4] | (dst[5] << 8);
    for (let i = 0; i < RECEIVE_ADDRESSES; i++) {
      const rah = this.ra[2 * i + 1];
      if (rah & RAH_AV && this.ra[2 * i] === lo && (rah & 0xffff) === hi) return true;
    }
    return false;
  }

  private bufferSize(): number {
    const bsize = (this.reg(RCTL) >>> 16) & 3;
    const sizes = this.reg(RCTL) & RCTL_BSEX ? [0, 16384, 8192, 4096] : [2048, 1024, 512, 256];
    return sizes[bsize] || 2048;
  }

  private accept(frame: Uint8Array): void {
    const rctl = this.reg(RCTL);
    if (!(rctl & RCTL_EN) || !this.linkUp || this.rxRingBroken || frame.length < 14) return;
    if (!this.accepts(frame.subarray(0, 6))) {
      this.stats.filtered++;
      return;
    }
    const count = this.reg(RDLEN) / DESC_SIZE;
    const head = this.reg(RDH);
    if (count === 0 || head === this.reg(RDT) || head >= count) {
      this.stats.missed++;
      this.regs.set(MPC, this.reg(MPC) + 1);
      this.raise(ICR_RXO);
      return;
    }
    let data = frame;
    if (!(rctl & RCTL_SECRC)) {
      data = new Uint8Array(frame.length + 4);
      data.set(frame);
      new DataView(data.buffer).setUint32(frame.length, ethernetFcs(frame), true);
    }
    if (data.length > this.bufferSize()) {
      this.stats.missed++;
      return;
    }
    const descAt = this.ringBase(RDBAL, RDBAH) + head * DESC_SIZE;
    const d = this.readPhys(descAt, DESC_SIZE);
    if (!d) {
      this.rxRingBroken = true;
      this.stats.busErrors++;
      return;
    }
    const v = new DataView(d.buffer);
    const addr = v.getUint32(0, true) + v.getUint32(4, true) * 2 ** 32;
    if (!this.writePhys(addr, data)) {
      this.stats.busErrors++;
      return;
    }
    v.setUint16(8, data.length, true);
    v.setUint16(10, 0, true);
    d[12] = RXD_STAT_DD | RXD_STAT_EOP;
    d[13] = 0;
    v.setUint16(14, 0, true);
    this.writePhys(descAt + 8, d.subarray(8));
    this.regs.set(RDH, (head + 1) % count);
    this.stats.received++;
    this.regs.set(GPRC, this.reg(GPRC) + 1);
    this.regs.set(TPR, this.reg(TPR) + 1);
    this.raise(ICR_RXT0);
  }
}
