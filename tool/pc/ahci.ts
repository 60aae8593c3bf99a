/*
 * An AHCI host bus adapter as QEMU's ICH9-AHCI presents it (PCI 8086:2922, class 01/06/01,
 * the HBA registers (ABAR) behind memory BAR5, legacy INTx through the PCI interrupt line),
 * following AHCI 1.3.1, with SATA disks (ATA, 512-byte or larger logical blocks, NCQ) and
 * ATAPI CD drives (2048-byte blocks, read-only) on its six ports.
 *
 * Register side: the generic host control (CAP, GHC with AE/IE/HR, IS, PI, VS, CAP2) at 0x00
 * and one 0x80-byte register set per port from 0x100. The registers are decoded at every
 * access (MmioHandler), since several have side effects: IS, PxIS and PxSERR are write-one-
 * to-clear, PxCI and PxSACT write-one-to-set doorbells, PxSCTL.DET a COMRESET, GHC.HR a reset.
 *
 * Memory side: the command list (PxCLB, 32 headers of 32 bytes), the command tables (command
 * FIS, ATAPI command, PRDT) and the received-FIS area (PxFB: DMA setup 0x00, PIO setup 0x20,
 * D2H register 0x40, set-device-bits 0x58) lie in physical RAM, which the HBA reads and writes
 * as a bus master: only with PCI command bit 2 set, only within RAM that is backed (allocated),
 * page by page. An access outside that is a host bus fatal error (PxIS.HBFS, the port halts
 * with TFD ERR), never a host exception.
 *
 * Commands run in virtual time: issuing one (PxCI) schedules its completion on the machine
 * clock after a fixed latency plus the transfer time (SATA SSD-like for disks, a fast CD drive
 * for ATAPI); the data moves and the FIS is posted at completion. A port runs its non-queued
 * commands one after the other, in slot order from the last one; queued commands (READ/WRITE
 * FPDMA QUEUED) are accepted at once with a D2H FIS that clears BSY and complete one by one
 * with set-device-bits FISes that clear their PxSACT bits. Errors (an LBA outside the disk, an
 * unsupported command, a SCSI CHECK CONDITION) set PxTFD.ERR, post the FIS with the error and
 * raise TFES; the port then halts with the failing slot still in PxCI until software clears
 * PxCMD.ST, which drops every outstanding command, as the specification's error recovery has it.
 */

import type { MachineClock, PhysicalMemory } from '../../base/src/machine.js';
import { DiskImage } from './disk.js';
import { unconnectedLine, type IoWidth, type IrqLine, type MmioHandler } from './io.js';
import { COMMAND_MEMORY, PCI_COMMAND, PCI_INTERRUPT_LINE, PCI_STATUS } from './pci.js';
import { BusMasterFunction } from './bus_master.js';
import type { TimedDevice } from './tsc.js';

export const AHCI_VENDOR = 0x8086;
export const AHCI_DEVICE = 0x2922;
export const AHCI_CLASS = 0x010601;
/** The BAR that holds the HBA registers (ABAR), and its size (QEMU's). */
export const AHCI_ABAR = 5;
export const AHCI_ABAR_SIZE = 0x1000;
export const AHCI_PORTS = 6;
export const AHCI_COMMAND_SLOTS = 32;

/* generic host control */
export const HBA_CAP = 0x00;
export const HBA_GHC = 0x04;
export const HBA_IS = 0x08;
export const HBA_PI = 0x0c;
export const HBA_VS = 0x10;
export const HBA_CAP2 = 0x24;

export const CAP_SNCQ = 1 << 30;
export const CAP_S64A = 1 << 31;
export const CAP_SAM = 1 << 18;
export const GHC_HR = 1 << 0;
export const GHC_IE = 1 << 1;
export const GHC_AE = 1 << 31;

/* port registers, relative to 0x100 + port * 0x80 */
export const PORT_BASE = 0x100;
export const PORT_SIZE = 0x80;
export const PX_CLB = 0x00;
export const PX_CLBU = 0x04;
export const PX_FB = 0x08;
export const PX_FBU = 0x0c;
export const PX_IS = 0x10;
export const PX_IE = 0x14;
export const PX_CMD = 0x18;
export const PX_TFD = 0x20;
export const PX_SIG = 0x24;
export const PX_SSTS = 0x28;
export const PX_SCTL = 0x2c;
export const PX_SERR = 0x30;
export const PX_SACT = 0x34;
export const PX_CI = 0x38;
export const PX_SNTF = 0x3c;
export const PX_FBS = 0x40;

export const IS_DHRS = 1 << 0;
export const IS_PSS = 1 << 1;
export const IS_DSS = 1 << 2;
export const IS_SDBS = 1 << 3;
export const IS_DPS = 1 << 5;
export const IS_PCS = 1 << 6;
export const IS_PRCS = 1 << 22;
export const IS_OFS = 1 << 24;
export const IS_HBFS = 1 << 29;
export const IS_TFES = 1 << 30;
/** PxIS bits software clears by writing one (PCS and PRCS mirror PxSERR instead). */
const IS_WRITE_ONE_TO_CLEAR = ~(IS_PCS | IS_PRCS) >>> 0;

export const CMD_ST = 1 << 0;
export const CMD_SUD = 1 << 1;
export const CMD_POD = 1 << 2;
export const CMD_CLO = 1 << 3;
export const CMD_FRE = 1 << 4;
export const CMD_FR = 1 << 14;
export const CMD_CR = 1 << 15;
export const CMD_ATAPI = 1 << 24;
const CMD_WRITABLE = CMD_ST | CMD_FRE | CMD_ATAPI | (1 << 25); /* + DLAE */

export const SERR_DIAG_N = 1 << 16;
export const SERR_DIAG_X = 1 << 26;

export const SIG_ATA = 0x00000101;
export const SIG_ATAPI = 0xeb140101;

/* ATA status and error bits */
export const ATA_ERR = 0x01;
export const ATA_DRQ = 0x08;
export const ATA_DSC = 0x10;
export const ATA_DRDY = 0x40;
export const ATA_BSY = 0x80;
export const ATA_ABRT = 0x04;
export const ATA_IDNF = 0x10;
export const ATA_UNC = 0x40;
const STATUS_OK = ATA_DRDY | ATA_DSC;

/* FIS types and received-FIS offsets */
export const FIS_H2D = 0x27;
export const FIS_D2H = 0x34;
export const FIS_PIO_SETUP = 0x5f;
export const FIS_SDB = 0xa1;
export const RFIS_PIO_SETUP = 0x20;
export const RFIS_D2H = 0x40;
export const RFIS_SDB = 0x58;

/* ATA commands */
export const ATA_IDENTIFY_DEVICE = 0xec;
export const ATA_IDENTIFY_PACKET_DEVICE = 0xa1;
export const ATA_PACKET = 0xa0;
export const ATA_READ_DMA = 0xc8;
export const ATA_WRITE_DMA = 0xca;
export const ATA_READ_DMA_EXT = 0x25;
export const ATA_WRITE_DMA_EXT = 0x35;
export const ATA_READ_FPDMA_QUEUED = 0x60;
export const ATA_WRITE_FPDMA_QUEUED = 0x61;
export const ATA_FLUSH_CACHE = 0xe7;
export const ATA_FLUSH_CACHE_EXT = 0xea;
export const ATA_DATA_SET_MANAGEMENT = 0x06;
export const ATA_SET_FEATURES = 0xef;
export const ATA_DEVICE_RESET = 0x08;
export const ATA_READ_LOG_EXT = 0x2f;
/** General Purpose Logging: the log directory and the NCQ Command Error log. */
export const LOG_DIRECTORY = 0x00;
export const LOG_NCQ_COMMAND_ERROR = 0x10;

/* SCSI (MMC) commands of the ATAPI drive */
export const SCSI_TEST_UNIT_READY = 0x00;
export const SCSI_REQUEST_SENSE = 0x03;
export const SCSI_INQUIRY = 0x12;
export const SCSI_START_STOP_UNIT = 0x1b;
export const SCSI_PREVENT_ALLOW_REMOVAL = 0x1e;
export const SCSI_READ_CAPACITY_10 = 0x25;
export const SCSI_READ_10 = 0x28;
export const SCSI_READ_12 = 0xa8;
export const SENSE_NONE = 0x0;
export const SENSE_NOT_READY = 0x2;
export const SENSE_ILLEGAL_REQUEST = 0x5;

/** NCQ depth the disks report (IDENTIFY word 75 + 1). */
export const NCQ_DEPTH = 32;

/** Per-command latency in virtual time: a fixed part and the transfer at a sustained rate. */
export interface Latency {
  fixedNs: number;
  bytesPerSecond: number;
}
/** A SATA SSD: 20 us per command, 500 MB/s. */
export const DISK_LATENCY: Latency = { fixedNs: 20_000, bytesPerSecond: 500_000_000 };
/** A fast CD drive: 100 us per command, 10 MB/s. */
export const CD_LATENCY: Latency = { fixedNs: 100_000, bytesPerSecond: 10_000_000 };
/** Flushing the write cache. */
export const FLUSH_NS = 50_000;

export interface AhciDrive {
  kind: 'ata' | 'atapi';
  image: DiskImage;
  /** IDENTIFY's model string (40 characters at most). */
  model?: string;
}

/** What a drive does with a command: data to the host, data from the host, or neither. */
type Direction = 'in' | 'out' | 'none';

interface CommandFis {
  command: number;
  features: number;
  lba: number;
  device: number;
  count: number;
}

/** A command as the port fetched it from its slot. */
interface Fetched {
  slot: number;
  header: { flags: number; prdtl: number; ctba: number };
  fis: CommandFis;
  acmd: Uint8Array;
  /** READ/WRITE FPDMA QUEUED. */
  queued: boolean;
  /** The NCQ tag (queued commands only). */
  tag: number;
}

interface Outcome {
  status: number;
  error: number;
  /** Data moved through the PRDs by PIO (PIO setup FIS before the final D2H) rather than DMA. */
  pio: boolean;
  /** Extra D2H register-FIS fields (an ATAPI signature on an aborted IDENTIFY DEVICE). */
  lba?: number;
  count?: number;
  /** A host-bus fatal error happened on the way (already recorded in PxIS). */
  fatal?: boolean;
}

class Port {
  clb = 0;
  clbu = 0;
  fb = 0;
  fbu = 0;
  is = 0;
  ie = 0;
  cmd = CMD_SUD | CMD_POD;
  tfd = 0x7f;
  sig = 0xffffffff;
  ssts = 0;
  sctl = 0;
  serr = 0;
  sact = 0;
  ci = 0;
  sntf = 0;
  /** Slots fetched and under way (not yet completed). */
  started = 0;
  /** The slot started last (round-robin). */
  lastSlot = AHCI_COMMAND_SLOTS - 1;
  /** The non-queued command in progress, if any. */
  busy: number | undefined;
  /** A queued command's completion: the port runs them one at a time, this one until then. */
  queuedUntil = 0;
  /** Halted after an error until software clears PxCMD.ST. */
  halted = false;
  /** Bumped when commands are dropped, so their scheduled completions do nothing. */
  generation = 0;
  /** ATAPI sense data for REQUEST SENSE: key, ASC, ASCQ. */
  sense: [number, number, number] = [SENSE_NONE, 0, 0];
  /** The drive stopped answering (DriveFaults.hangAt) until the port is reset. */
  hung = false;
  /**
   * After a queued command failed: the NCQ Command Error log page (10h). The drive has
   * aborted every outstanding queued command and completes none until the host reads the
   * log (READ LOG EXT) or resets the device.
   */
  ncqError: Uint8Array | undefined;

  constructor(readonly index: number, readonly drive: AhciDrive | undefined) {}
}

interface Scheduled {
  at: number;
  seq: number;
  port: Port;
  generation: number;
  run: () => void;
}

export interface AhciOptions {
  /** The drives on ports 0.. in order (at most six); undefined entries leave a port empty. */
  drives?: Array<AhciDrive | undefined>;
  disk?: Latency;
  cd?: Latency;
}

export class AhciController extends BusMasterFunction implements TimedDevice {
  readonly ports: Port[] = [];
  private ghc = GHC_AE;
  private is = 0;
  private line: IrqLine = unconnectedLine;
  private lineLevel = false;
  private readonly events: Scheduled[] = [];
  private seq = 0;
  /** TSC now: the clock's at register accesses, the event's while it runs. */
  private now = 0;
  private readonly diskLatency: Latency;
  private readonly cdLatency: Latency;
  /** Counters for tests and diagnostics. */
  readonly stats = { commands: 0, errors: 0, fatal: 0, bytesRead: 0, bytesWritten: 0 };

  constructor(memory: PhysicalMemory, private readonly clock: MachineClock, options: AhciOptions = {}) {
    super({ vendor: AHCI_VENDOR, device: AHCI_DEVICE, classCode: AHCI_CLASS, revision: 0x02, subsystemVendor: 0x1af4, subsystem: 0x1100, interruptPin: 1 }, memory);
    const drives = options.drives ?? [];
    if (drives.length > AHCI_PORTS) throw new RangeError(`an ICH9 AHCI has ${AHCI_PORTS} ports, ${drives.length} drives were given`);
    for (const d of drives) {
      if (d && d.kind === 'atapi' && d.image.blockSize !== 2048) throw new RangeError(`${d.image.name}: a CD has 2048-byte blocks, not ${d.image.blockSize}`);
    }
    this.diskLatency = options.disk ?? DISK_LATENCY;
    this.cdLatency = options.cd ?? CD_LATENCY;
    for (let i = 0; i < AHCI_PORTS; i++) {
      const port = new Port(i, drives[i]);
      this.ports.push(port);
      this.linkUp(port, false);
    }
    this.defineBar(AHCI_ABAR, 'memory', AHCI_ABAR_SIZE);
  }

  /** Firmware's part: the ABAR at `base`, memory decoding on, the INTx wire to `irq` on `line`. */
  assign(base: number, irq: number, line: IrqLine): void {
    this.set32(0x10 + 4 * AHCI_ABAR, base & ~0xf);
    this.set16(PCI_COMMAND, this.command | COMMAND_MEMORY);
    this.config[PCI_INTERRUPT_LINE] = irq;
    this.line = line;
    this.line.set(false);
  }

  private readonly registers: MmioHandler = {
    read: (offset, width) => this.readRegister(offset, width),
    write: (offset, width, value) => this.writeRegister(offset, width, value),
  };

  override barRegisters(index: number): MmioHandler | undefined {
    return index === AHCI_ABAR ? this.registers : undefined;
  }

  /* ------------------------------------------------------------------ registers */

  /** A load from the ABAR at `offset`. */
  readRegister(offset: number, width: IoWidth): number {
    const shift = (offset & 3) * 8;
    const dword = this.readDword(offset & ~3);
    return width === 4 && shift === 0 ? dword : (dword >>> shift) & (width === 1 ? 0xff : 0xffff);
  }

  /** A store to the ABAR at `offset`. */
  writeRegister(offset: number, width: IoWidth, value: number): void {
    this.now = Math.max(this.now, this.clock.tsc());
    const shift = (offset & 3) * 8;
    const mask = width === 4 ? 0xffffffff : ((width === 1 ? 0xff : 0xffff) << shift) >>> 0;
    this.writeDword(offset & ~3, ((value << shift) & mask) >>> 0, mask);
  }

  private readDword(offset: number): number {
    switch (offset) {
      case HBA_CAP: return this.cap();
      case HBA_GHC: return this.ghc >>> 0;
      case HBA_IS: return this.is >>> 0;
      case HBA_PI: return (1 << AHCI_PORTS) - 1;
      case HBA_VS: return 0x00010301;
      case HBA_CAP2: return 0;
    }
    const p = this.portAt(offset);
    if (!p) return 0;
    switch (offset & (PORT_SIZE - 1)) {
      case PX_CLB: return p.clb;
      case PX_CLBU: return p.clbu;
      case PX_FB: return p.fb;
      case PX_FBU: return p.fbu;
      case PX_IS: return p.is >>> 0;
      case PX_IE: return p.ie >>> 0;
      case PX_CMD: return this.portCmd(p);
      case PX_TFD: return p.tfd;
      case PX_SIG: return p.sig >>> 0;
      case PX_SSTS: return p.ssts;
      case PX_SCTL: return p.sctl;
      case PX_SERR: return p.serr >>> 0;
      case PX_SACT: return p.sact >>> 0;
      case PX_CI: return p.ci >>> 0;
      case PX_SNTF: return p.sntf;
      default: return 0;
    }
  }

  private cap(): number {
    /* NP, NCS = 32 slots, ISS = Gen 1 (1.5 Gb/s), SAM (AHCI only), SNCQ, S64A */
    return ((AHCI_PORTS - 1) | ((AHCI_COMMAND_SLOTS - 1) << 8) | (1 << 20) | CAP_SAM | CAP_SNCQ | CAP_S64A) >>> 0;
  }

  private portCmd(p: Port): number {
    let v = p.cmd & ~(CMD_FR | CMD_CR | (0x1f << 8));
    if (v & CMD_FRE) v |= CMD_FR;
    if (v & CMD_ST) v |= CMD_CR;
    if (p.busy !== undefined) v |= p.busy << 8; /* CCS */
    return v >>> 0;
  }

  private writeDword(offset: number, value: number, mask: number): void {
    const merge = (old: number): number => ((old & ~mask) | (value & mask)) >>> 0;
    switch (offset) {
      case HBA_GHC: {
        if (value & mask & GHC_HR) {
          this.hbaReset();
          return;
        }
        /* AE is read-only one (CAP.SAM) */
        this.ghc = (merge(this.ghc) & GHC_IE) | GHC_AE;
        this.updateIrq();
        return;
      }
      case HBA_IS:
        this.is &= ~(value & mask);
        this.pulseIrq();
        return;
    }
    const p = this.portAt(offset);
    if (!p) return;
    switch (offset & (PORT_SIZE - 1)) {
      /* the command list is 1 KiB aligned, the FIS area 256 bytes; with ST/FRE set they are read-only */
      case PX_CLB: if (!(p.cmd & CMD_ST)) p.clb = merge(p.clb) & ~0x3ff; return;
      case PX_CLBU: if (!(p.cmd & CMD_ST)) p.clbu = merge(p.clbu); return;
      case PX_FB: if (!(p.cmd & CMD_FRE)) p.fb = merge(p.fb) & ~0xff; return;
      case PX_FBU: if (!(p.cmd & CMD_FRE)) p.fbu = merge(p.fbu); return;
      case PX_IS:
        p.is = (p.is & ~(value & mask & IS_WRITE_ONE_TO_CLEAR)) >>> 0;
        this.updateIrq();
        return;
      case PX_IE:
        p.ie = merge(p.ie) & 0xfdc000ff;
        this.updateIrq();
        return;
      case PX_CMD: this.writeCmd(p, merge(this.portCmd(p))); return;
      case PX_SCTL: this.writeSctl(p, merge(p.sctl) & 0xfff); return;
      case PX_SERR:
        p.serr = (p.serr & ~(value & mask)) >>> 0;
        this.mirrorSerr(p);
        return;
      case PX_SACT:
        if (p.cmd & CMD_ST) p.sact = (p.sact | (value & mask)) >>> 0;
        return;
      case PX_CI:
        if (p.cmd & CMD_ST) {
          p.ci = (p.ci | (value & mask)) >>> 0;
          this.kick(p);
        }
        return;
      case PX_SNTF: p.sntf &= ~(value & mask & 0xffff); return;
    }
  }

  private portAt(offset: number): Port | undefined {
    if (offset < PORT_BASE) return undefined;
    return this.ports[Math.floor((offset - PORT_BASE) / PORT_SIZE)];
  }

  private writeCmd(p: Port, value: number): void {
    const wasStarted = (p.cmd & CMD_ST) !== 0;
    p.cmd = (value & CMD_WRITABLE) | CMD_SUD | CMD_POD;
    /* command list override: clears BSY and DRQ so that ST can be set again */
    if (value & CMD_CLO) p.tfd &= ~(ATA_BSY | ATA_DRQ);
    if (wasStarted && !(p.cmd & CMD_ST)) this.stopPort(p);
    else if (!wasStarted && p.cmd & CMD_ST) this.kick(p);
  }

  /** PxCMD.ST 1 -> 0: every outstanding command is dropped, PxCI and PxSACT clear, an error halt ends. */
  private stopPort(p: Port): void {
    p.ci = 0;
    p.sact = 0;
    p.started = 0;
    p.busy = undefined;
    p.queuedUntil = 0;
    p.halted = false;
    p.hung = false;
    p.generation++;
    p.tfd &= ~(ATA_BSY | ATA_DRQ);
  }

  private writeSctl(p: Port, value: number): void {
    const oldDet = p.sctl & 0xf;
    p.sctl = value;
    const det = value & 0xf;
    if (det === 1 && oldDet !== 1) {
      /* COMRESET on the wire: the link is down until software lets go of DET; the device resets */
      this.stopPort(p);
      p.ncqError = undefined;
      p.ssts = 0;
      p.tfd = 0x80;
      p.sig = 0xffffffff;
    } else if (det === 0 && oldDet === 1) {
      this.linkUp(p, true);
    } else if (det === 4) {
      p.ssts = 0x4;
    }
  }

  /**
   * The link comes up after power-on or a COMRESET: PxSSTS shows the device (DET 3, Gen 1,
   * IPM active), its signature arrives in the first D2H FIS. After a reset PxSERR records the
   * PhyRdy change and COMINIT (DIAG N and X, mirrored as PxIS.PRCS and PCS).
   */
  private linkUp(p: Port, reset: boolean): void {
    this.stopPort(p);
    if (!p.drive) {
      p.ssts = 0;
      p.sig = 0xffffffff;
      p.tfd = 0x7f;
      return;
    }
    p.ssts = 0x113;
    const atapi = p.drive.kind === 'atapi';
    p.sig = atapi ? SIG_ATAPI : SIG_ATA;
    p.tfd = atapi ? 0x00 : STATUS_OK;
    p.sense = [SENSE_NONE, 0, 0];
    if (!reset) return;
    p.serr |= SERR_DIAG_N | SERR_DIAG_X;
    /* the signature FIS (interrupt bit clear): LBA low 1, count 1, mid/high say ATA or ATAPI */
    this.postFis(p, RFIS_D2H, d2hFis(p.tfd & 0xff, 0, false, atapi ? 0xeb1401 : 0x000001, 1));
    this.mirrorSerr(p);
  }

  private mirrorSerr(p: Port): void {
    p.is = (p.is & ~(IS_PCS | IS_PRCS)) | (p.serr & SERR_DIAG_X ? IS_PCS : 0) | (p.serr & SERR_DIAG_N ? IS_PRCS : 0);
    this.updateIrq();
  }

  /** GHC.HR: the HBA and every port return to their power-on state and the links are reset. */
  private hbaReset(): void {
    this.ghc = GHC_AE;
    this.is = 0;
    for (const p of this.ports) {
      p.is = 0;
      p.ie = 0;
      p.cmd = CMD_SUD | CMD_POD;
      p.sctl = 0;
      p.serr = 0;
      p.sntf = 0;
      this.linkUp(p, true);
    }
    this.updateIrq();
  }

  /* ------------------------------------------------------------------ interrupts */

  private raise(p: Port, bits: number): void {
    p.is = (p.is | bits) >>> 0;
    this.updateIrq();
  }

  private updateIrq(): void {
    for (const p of this.ports) if (p.is & p.ie) this.is |= 1 << p.index;
    const intxDisabled = (this.command & 0x400) !== 0;
    const level = (this.ghc & GHC_IE) !== 0 && this.is !== 0;
    /* PCI status bit 3 shows the pending interrupt whether or not INTx is disabled */
    this.config[PCI_STATUS] = level ? this.config[PCI_STATUS]! | 0x08 : this.config[PCI_STATUS]! & ~0x08;
    this.setLine(level && !intxDisabled);
  }

  /** After software cleared IS: drop the wire, then raise it again if a port still asks, so an edge-triggered input sees it. */
  private pulseIrq(): void {
    this.setLine(false);
    this.updateIrq();
  }

  private setLine(level: boolean): void {
    if (level === this.lineLevel) return;
    this.lineLevel = level;
    this.line.set(level);
  }

  /** Whether the INTx wire is asserted. */
  get interruptAsserted(): boolean {
    return this.lineLevel;
  }

  protected override configWritten(offset: number): void {
    if (offset <= PCI_COMMAND + 1 && offset + 4 > PCI_COMMAND) this.updateIrq();
  }

  /* ------------------------------------------------------------------ time */

  sync(tsc: number): void {
    for (;;) {
      const e = this.events[0];
      if (!e || e.at > tsc) break;
      this.events.shift();
      this.now = Math.max(this.now, e.at);
      if (e.generation === e.port.generation) e.run();
    }
    this.now = Math.max(this.now, tsc);
  }

  nextEventAt(): number | undefined {
    return this.events[0]?.at;
  }

  private schedule(p: Port, at: number, run: () => void): void {
    const e: Scheduled = { at, seq: this.seq++, port: p, generation: p.generation, run };
    let i = this.events.length;
    while (i > 0 && this.events[i - 1]!.at > at) i--;
    this.events.splice(i, 0, e);
  }

  private latency(p: Port, bytes: number, extraNs = 0): number {
    const l = p.drive?.kind === 'atapi' ? this.cdLatency : this.diskLatency;
    const ns = l.fixedNs + extraNs + (bytes * 1e9) / l.bytesPerSecond;
    return Math.max(1, Math.ceil((ns * this.clock.tscHz) / 1e9));
  }

  /** A host bus fatal error: the port halts with ERR in its task file until software restarts it. */
  private fatal(p: Port): void {
    this.stats.fatal++;
    p.halted = true;
    p.tfd = (ATA_ABRT << 8) | ATA_DRDY | ATA_ERR;
    this.raise(p, IS_HBFS);
  }

  /** Writes a FIS into the port's received-FIS area (if FIS receive is on). */
  private postFis(p: Port, offset: number, fis: Uint8Array): boolean {
    if (!(p.cmd & CMD_FRE)) return true;
    const base = p.fb + p.fbu * 2 ** 32;
    if (this.writePhys(base + offset, fis)) return true;
    this.fatal(p);
    return false;
  }

  /* ------------------------------------------------------------------ command processing */

  /** Starts the next issued command of the port if it is free to. */
  private kick(p: Port): void {
    while (!p.halted && p.cmd & CMD_ST && p.busy === undefined) {
      const waiting = (p.ci & ~p.started) >>> 0;
      if (waiting === 0) return;
      /* round-robin from the slot after the last one started */
      const slot = lowestFrom(waiting, (p.lastSlot + 1) % AHCI_COMMAND_SLOTS);
      p.lastSlot = slot;
      const fetched = this.fetch(p, slot);
      if (!fetched) return; /* fatal error: halted */
      p.started |= 1 << slot;
      this.stats.commands++;
      if (fetched.queued) this.acceptQueued(p, fetched);
      else this.startCommand(p, fetched);
    }
  }

  /** Reads the slot's command header and its command table's FIS and ATAPI command. */
  private fetch(p: Port, slot: number): Fetched | undefined {
    const clb = p.clb + p.clbu * 2 ** 32;
    const h = this.readPhys(clb + slot * 32, 16);
    if (!h) return void this.fatal(p);
    const hv = new DataView(h.buffer);
    const dw0 = hv.getUint32(0, true);
    const ctba = (hv.getUint32(8, true) & ~0x7f) + hv.getUint32(12, true) * 2 ** 32;
    const t = this.readPhys(ctba, 0x50);
    if (!t) return void this.fatal(p);
    const fis: CommandFis = {
      command: t[2]!,
      features: t[3]! | (t[11]! << 8),
      lba: t[4]! + t[5]! * 0x100 + t[6]! * 0x10000 + t[8]! * 0x1000000 + t[9]! * 2 ** 32 + t[10]! * 2 ** 40,
      device: t[7]!,
      count: t[12]! | (t[13]! << 8),
    };
    const queued = t[0] === FIS_H2D && (fis.command === ATA_READ_FPDMA_QUEUED || fis.command === ATA_WRITE_FPDMA_QUEUED) && p.drive?.kind === 'ata';
    return {
      slot,
      header: { flags: dw0 & 0xffff, prdtl: dw0 >>> 16, ctba },
      fis,
      acmd: t.slice(0x40, 0x50),
      queued,
      tag: (fis.count >> 3) & 0x1f,
    };
  }

  /** A non-queued command: BSY until it completes after its latency. */
  private startCommand(p: Port, c: Fetched): void {
    p.busy = c.slot;
    p.tfd = (p.tfd & 0xff00) | ATA_BSY | (p.tfd & 0x7f & ~ATA_DRQ);
    const at = Math.max(this.now, p.queuedUntil) + this.latency(p, this.transferBytes(p, c), isFlush(c.fis.command) ? FLUSH_NS : 0);
    this.schedule(p, at, () => {
      if (this.stalls(p, c)) return; /* no answer: the command stays outstanding, BSY set */
      const outcome = this.execute(p, c);
      if (outcome.fatal) return;
      const ok = !(outcome.status & ATA_ERR);
      if (outcome.pio && ok) {
        this.postFis(p, RFIS_PIO_SETUP, pioSetupFis(outcome.status, this.headerByteCount(p, c)));
        p.is |= IS_PSS;
      }
      p.tfd = (outcome.error << 8) | outcome.status;
      if (!this.postFis(p, RFIS_D2H, d2hFis(outcome.status, outcome.error, true, outcome.lba ?? 0, outcome.count ?? 0))) return;
      p.busy = undefined;
      p.started &= ~(1 << c.slot);
      if (ok) {
        p.ci &= ~(1 << c.slot);
        this.raise(p, IS_DHRS);
      } else {
        /* the failing command stays issued; the port halts until software clears ST */
        this.stats.errors++;
        p.halted = true;
        this.raise(p, IS_DHRS | IS_TFES);
      }
      this.kick(p);
    });
  }

  /**
   * READ/WRITE FPDMA QUEUED: the drive takes the command at once (a D2H FIS without the
   * interrupt bit clears BSY and the slot's PxCI bit) and completes queued commands one by one.
   */
  private acceptQueued(p: Port, c: Fetched): void {
    p.tfd = ATA_DRDY;
    if (!this.postFis(p, RFIS_D2H, d2hFis(ATA_DRDY, 0, false, 0, 0))) return;
    p.ci &= ~(1 << c.slot);
    p.started &= ~(1 << c.slot);
    const at = Math.max(this.now, p.queuedUntil) + this.latency(p, this.transferBytes(p, c));
    p.queuedUntil = at;
    this.schedule(p, at, () => {
      /* a hung drive, or one that aborted its queue after an error, completes nothing */
      if (p.ncqError || this.stalls(p, c)) return;
      const outcome = this.execute(p, c);
      if (outcome.fatal) return;
      const ok = !(outcome.status & ATA_ERR);
      const done = ok ? 1 << c.tag : 0;
      if (!ok) p.ncqError = ncqErrorLog(c.tag, outcome, c.fis);
      p.tfd = (outcome.error << 8) | (p.tfd & (ATA_BSY | ATA_DRQ)) | (outcome.status & 0x77);
      if (!this.postFis(p, RFIS_SDB, sdbFis(outcome.status, outcome.error, done))) return;
      p.sact = (p.sact & ~done) >>> 0;
      if (ok) {
        this.raise(p, IS_SDBS);
      } else {
        this.stats.errors++;
        p.halted = true;
        this.raise(p, IS_SDBS | IS_TFES);
      }
    });
  }

  /** Whether the drive gives no answer to this command (it hung before, or the command hangs it). */
  private stalls(p: Port, c: Fetched): boolean {
    if (p.hung) return true;
    const img = p.drive?.image;
    const hangAt = img?.faults.hangAt;
    if (!img || !hangAt || p.drive?.kind !== 'ata') return false;
    const f = c.fis;
    const span = (lba: number, count: number) => DiskImage.touches(hangAt, lba, count);
    let hangs = false;
    switch (f.command) {
      case ATA_READ_DMA_EXT: case ATA_WRITE_DMA_EXT: hangs = span(f.lba, f.count || 0x10000); break;
      case ATA_READ_FPDMA_QUEUED: case ATA_WRITE_FPDMA_QUEUED: hangs = span(f.lba, f.features || 0x10000); break;
    }
    if (hangs) p.hung = true;
    return hangs;
  }

  /** The bytes a command will move (for its latency). */
  private transferBytes(p: Port, c: Fetched): number {
    const drive = p.drive;
    if (!drive) return 0;
    const bs = drive.image.blockSize;
    const f = c.fis;
    switch (f.command) {
      case ATA_READ_DMA_EXT: case ATA_WRITE_DMA_EXT: return (f.count || 0x10000) * bs;
      case ATA_READ_DMA: case ATA_WRITE_DMA: return ((f.count & 0xff) || 0x100) * bs;
      case ATA_READ_FPDMA_QUEUED: case ATA_WRITE_FPDMA_QUEUED: return (f.features || 0x10000) * bs;
      case ATA_IDENTIFY_DEVICE: case ATA_IDENTIFY_PACKET_DEVICE: return 512;
      case ATA_PACKET: {
        const a = c.acmd;
        if (a[0] === SCSI_READ_10) return ((a[7]! << 8) | a[8]!) * bs;
        if (a[0] === SCSI_READ_12) return (((a[6]! << 24) | (a[7]! << 16) | (a[8]! << 8) | a[9]!) >>> 0) * bs;
        return 0;
      }
      default: return 0;
    }
  }

  private headerByteCount(p: Port, c: Fetched): number {
    const clb = p.clb + p.clbu * 2 ** 32;
    const v = this.readPhys(clb + c.slot * 32 + 4, 4);
    return v ? new DataView(v.buffer).getUint32(0, true) : 0;
  }

  /** Runs a command on the port's drive; the data moves through the command's PRDs. */
  private execute(p: Port, c: Fetched): Outcome {
    const drive = p.drive;
    if (!drive) return fail(ATA_ABRT);
    if (!this.setByteCount(p, c, 0)) return { status: 0, error: 0, pio: false, fatal: true };
    return drive.kind === 'ata' ? this.executeAta(p, drive, c) : this.executeAtapi(p, drive, c);
  }

  private executeAta(p: Port, drive: AhciDrive, c: Fetched): Outcome {
    const f = c.fis;
    const img = drive.image;
    const bs = img.blockSize;
    const dma = (read: boolean, lba: number, count: number): Outcome => {
      if (!img.contains(lba, count)) return fail(ATA_IDNF);
      if (read && DiskImage.touches(img.faults.unreadable, lba, count)) {
        const bad = img.faults.unreadable!.filter((b) => b >= lba && b < lba + count);
        return { ...fail(ATA_UNC), lba: Math.min(...bad) };
      }
      if (read) return this.toHost(p, c, img.read(lba, count), false);
      if (img.readOnly) return fail(ATA_ABRT);
      const data = this.fromHost(p, c, count * bs);
      if (data === 'fatal') return { status: 0, error: 0, pio: false, fatal: true };
      if (!data) return this.overflow(p);
      img.write(lba, data);
      this.stats.bytesWritten += data.length;
      return success(false);
    };
    switch (f.command) {
      case ATA_IDENTIFY_DEVICE:
        return this.toHost(p, c, identifyDevice(drive, p.index), true);
      case ATA_IDENTIFY_PACKET_DEVICE:
        return fail(ATA_ABRT);
      case ATA_READ_DMA_EXT: return dma(true, f.lba, f.count || 0x10000);
      case ATA_WRITE_DMA_EXT: return dma(false, f.lba, f.count || 0x10000);
      case ATA_READ_DMA: return dma(true, f.lba & 0x0fffffff, (f.count & 0xff) || 0x100);
      case ATA_WRITE_DMA: return dma(false, f.lba & 0x0fffffff, (f.count & 0xff) || 0x100);
      case ATA_READ_FPDMA_QUEUED: return dma(true, f.lba, f.features || 0x10000);
      case ATA_WRITE_FPDMA_QUEUED: return dma(false, f.lba, f.features || 0x10000);
      case ATA_FLUSH_CACHE:
      case ATA_FLUSH_CACHE_EXT:
        img.flush();
        return success(false);
      case ATA_DATA_SET_MANAGEMENT: {
        if (!(f.features & 1) || img.readOnly) return fail(ATA_ABRT); /* only TRIM */
        const blocks = f.count || 0x10000;
        const list = this.fromHost(p, c, blocks * 512);
        if (list === 'fatal') return { status: 0, error: 0, pio: false, fatal: true };
        if (!list) return this.overflow(p);
        const v = new DataView(list.buffer, list.byteOffset, list.length);
        const ranges: Array<[number, number]> = [];
        for (let o = 0; o < list.length; o += 8) {
          const lba = v.getUint32(o, true) + (v.getUint16(o + 4, true) * 2 ** 32);
          const n = v.getUint16(o + 6, true);
          if (n === 0) continue;
          if (!img.contains(lba, n)) return fail(ATA_IDNF);
          ranges.push([lba, n]);
        }
        for (const [lba, n] of ranges) img.zero(lba, n);
        return success(false);
      }
      case ATA_SET_FEATURES:
        return success(false);
      case ATA_READ_LOG_EXT: {
        /* one page of the log directory or of the NCQ Command Error log, by PIO */
        const address = f.lba & 0xff;
        const page = (f.lba >>> 8) & 0xffff;
        if (f.count !== 1 || page !== 0 || (address !== LOG_DIRECTORY && address !== LOG_NCQ_COMMAND_ERROR)) return fail(ATA_ABRT);
        let data: Uint8Array;
        if (address === LOG_DIRECTORY) {
          data = new Uint8Array(512);
          data[0] = 1; /* general purpose logging version 1 */
          data[LOG_NCQ_COMMAND_ERROR * 2] = 1; /* one page of log 10h */
        } else {
          /* reading it ends the NCQ error state */
          data = p.ncqError ?? ncqErrorLog(0, undefined, undefined);
          p.ncqError = undefined;
        }
        return this.toHost(p, c, data, true);
      }
      default:
        return fail(ATA_ABRT);
    }
  }

  private executeAtapi(p: Port, drive: AhciDrive, c: Fetched): Outcome {
    const f = c.fis;
    switch (f.command) {
      case ATA_IDENTIFY_PACKET_DEVICE:
        return this.toHost(p, c, identifyPacketDevice(drive, p.index), true);
      case ATA_IDENTIFY_DEVICE:
        /* a packet device aborts IDENTIFY DEVICE and shows its signature */
        return { status: ATA_DRDY | ATA_ERR, error: ATA_ABRT, pio: false, lba: 0xeb1401, count: 1 };
      case ATA_DEVICE_RESET:
        p.sense = [SENSE_NONE, 0, 0];
        return { status: 0, error: 0, pio: false, lba: 0xeb1401, count: 1 };
      case ATA_SET_FEATURES:
        return success(false);
      case ATA_PACKET:
        return this.scsi(p, drive, c, (f.features & 1) === 0);
      default:
        return fail(ATA_ABRT);
    }
  }

  /** An MMC command of the CD drive; `pio`: the data phase is PIO (PACKET without the DMA bit). */
  private scsi(p: Port, drive: AhciDrive, c: Fetched, pio: boolean): Outcome {
    const a = c.acmd;
    const img = drive.image;
    const check = (key: number, asc: number, ascq = 0): Outcome => {
      p.sense = [key, asc, ascq];
      return { status: ATA_DRDY | ATA_ERR, error: (key << 4) | (key === SENSE_ILLEGAL_REQUEST ? ATA_ABRT : 0), pio: false };
    };
    const good = (data?: Uint8Array, allocation = Infinity): Outcome => {
      p.sense = [SENSE_NONE, 0, 0];
      if (!data) return success(false);
      return this.toHost(p, c, data.subarray(0, Math.min(data.length, allocation)), pio);
    };
    const read = (lba: number, count: number): Outcome => {
      if (!img.contains(lba, count)) return check(SENSE_ILLEGAL_REQUEST, 0x21); /* LBA out of range */
      return good(img.read(lba, count));
    };
    switch (a[0]) {
      case SCSI_TEST_UNIT_READY:
      case SCSI_START_STOP_UNIT:
      case SCSI_PREVENT_ALLOW_REMOVAL:
        return good();
      case SCSI_REQUEST_SENSE: {
        const s = new Uint8Array(18);
        s[0] = 0x70;
        [s[2], s[12], s[13]] = p.sense;
        s[7] = 10;
        const out = this.toHost(p, c, s.subarray(0, Math.min(18, a[4]!)), pio);
        p.sense = [SENSE_NONE, 0, 0];
        return out;
      }
      case SCSI_INQUIRY: {
        const s = new Uint8Array(36);
        s[0] = 0x05; /* CD/DVD */
        s[1] = 0x80; /* removable */
        s[2] = 0x05; /* SPC-3 */
        s[3] = 0x32; /* response data format 2, HiSup */
        s[4] = 31;
        ascii(s, 8, 'GENODETS', 8);
        ascii(s, 16, drive.model ?? 'Emulated CD-ROM', 16);
        ascii(s, 32, '1.0', 4);
        return good(s, (a[3]! << 8) | a[4]!);
      }
      case SCSI_READ_CAPACITY_10: {
        const s = new Uint8Array(8);
        const v = new DataView(s.buffer);
        v.setUint32(0, img.blockCount - 1);
        v.setUint32(4, img.blockSize);
        return good(s);
      }
      case SCSI_READ_10:
        return read(((a[2]! << 24) | (a[3]! << 16) | (a[4]! << 8) | a[5]!) >>> 0, (a[7]! << 8) | a[8]!);
      case SCSI_READ_12:
        return read(((a[2]! << 24) | (a[3]! << 16) | (a[4]! << 8) | a[5]!) >>> 0, ((a[6]! << 24) | (a[7]! << 16) | (a[8]! << 8) | a[9]!) >>> 0);
      default:
        return check(SENSE_ILLEGAL_REQUEST, 0x20); /* invalid command operation code */
    }
  }

  /**
   * Moves `data` to the host through the PRDs, records the count in the header's PRDBC and
   * raises DPS for PRDs with their interrupt bit. More data than the PRDs hold is an overflow.
   */
  private toHost(p: Port, c: Fetched, data: Uint8Array, pio: boolean): Outcome {
    let done = 0;
    const prds = this.prds(p, c);
    if (!prds) return { status: 0, error: 0, pio: false, fatal: true };
    let dps = false;
    for (const prd of prds) {
      if (done >= data.length) break;
      const n = Math.min(prd.bytes, data.length - done);
      if (!this.writePhys(prd.addr, data.subarray(done, done + n))) {
        this.fatal(p);
        return { status: 0, error: 0, pio: false, fatal: true };
      }
      done += n;
      if (prd.interrupt) dps = true;
    }
    if (!this.setByteCount(p, c, done)) return { status: 0, error: 0, pio: false, fatal: true };
    this.stats.bytesRead += done;
    if (dps) p.is |= IS_DPS;
    if (done < data.length) return this.overflow(p);
    return success(pio);
  }

  /** `bytes` from the host through the PRDs; undefined if the PRDs hold fewer, 'fatal' on a bus error. */
  private fromHost(p: Port, c: Fetched, bytes: number): Uint8Array | undefined | 'fatal' {
    const out = new Uint8Array(bytes);
    const prds = this.prds(p, c);
    if (!prds) return 'fatal';
    let done = 0;
    let dps = false;
    for (const prd of prds) {
      if (done >= bytes) break;
      const n = Math.min(prd.bytes, bytes - done);
      const chunk = this.readPhys(prd.addr, n);
      if (!chunk) {
        this.fatal(p);
        return 'fatal';
      }
      out.set(chunk, done);
      done += n;
      if (prd.interrupt) dps = true;
    }
    if (!this.setByteCount(p, c, done)) return 'fatal';
    if (dps) p.is |= IS_DPS;
    return done < bytes ? undefined : out;
  }

  /** The PRDs don't match the transfer: overflow, and the command ends in error. */
  private overflow(p: Port): Outcome {
    p.is |= IS_OFS;
    return fail(ATA_ABRT);
  }

  private prds(p: Port, c: Fetched): Array<{ addr: number; bytes: number; interrupt: boolean }> | undefined {
    const n = c.header.prdtl;
    if (n === 0) return [];
    const raw = this.readPhys(c.header.ctba + 0x80, n * 16);
    if (!raw) {
      this.fatal(p);
      return undefined;
    }
    const v = new DataView(raw.buffer);
    const list = [];
    for (let i = 0; i < n; i++) {
      const dw3 = v.getUint32(i * 16 + 12, true);
      list.push({
        addr: (v.getUint32(i * 16, true) & ~1) + v.getUint32(i * 16 + 4, true) * 2 ** 32,
        bytes: (dw3 & 0x3fffff) + 1,
        interrupt: (dw3 & 0x80000000) !== 0,
      });
    }
    return list;
  }

  /** PRDBC of the slot's command header. */
  private setByteCount(p: Port, c: Fetched, bytes: number): boolean {
    const clb = p.clb + p.clbu * 2 ** 32;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, bytes, true);
    if (this.writePhys(clb + c.slot * 32 + 4, b)) return true;
    this.fatal(p);
    return false;
  }
}

/* ------------------------------------------------------------------ FIS and IDENTIFY data */

/**
 * The NCQ Command Error log page (ACS-3 9.13): the failing command's tag, status, error,
 * LBA and count; NQ (byte 0 bit 7) when no queued command failed; the last byte makes the
 * page's sum 0 modulo 256.
 */
function ncqErrorLog(tag: number, outcome: Outcome | undefined, fis: CommandFis | undefined): Uint8Array {
  const page = new Uint8Array(512);
  if (outcome && fis) {
    const lba = outcome.lba ?? fis.lba;
    page[0] = tag & 0x1f;
    page[2] = outcome.status;
    page[3] = outcome.error;
    page[4] = lba & 0xff;
    page[5] = (lba >>> 8) & 0xff;
    page[6] = (lba >>> 16) & 0xff;
    page[7] = 0x40;
    page[8] = Math.floor(lba / 0x1000000) & 0xff;
    page[9] = Math.floor(lba / 2 ** 32) & 0xff;
    page[10] = Math.floor(lba / 2 ** 40) & 0xff;
    page[12] = fis.features & 0xff;
    page[13] = (fis.features >>> 8) & 0xff;
  } else {
    page[0] = 0x80; /* NQ: no queued command failed */
  }
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += page[i]!;
  page[511] = (256 - (sum & 0xff)) & 0xff;
  return page;
}

function success(pio: boolean): Outcome {
  return { status: STATUS_OK, error: 0, pio };
}

function fail(error: number): Outcome {
  return { status: ATA_DRDY | ATA_DSC | ATA_ERR, error, pio: false };
}

function isFlush(command: number): boolean {
  return command === ATA_FLUSH_CACHE || command === ATA_FLUSH_CACHE_EXT;
}

/** The lowest set bit of `mask` at or after `from`, wrapping around. */
function lowestFrom(mask: number, from: number): number {
  for (let i = 0; i < 32; i++) {
    const s = (from + i) % 32;
    if (mask & (1 << s)) return s;
  }
  return 0;
}

export function d2hFis(status: number, error: number, interrupt: boolean, lba: number, count: number): Uint8Array {
  const f = new Uint8Array(20);
  f[0] = FIS_D2H;
  f[1] = interrupt ? 0x40 : 0;
  f[2] = status;
  f[3] = error;
  f[4] = lba & 0xff;
  f[5] = (lba >>> 8) & 0xff;
  f[6] = (lba >>> 16) & 0xff;
  f[12] = count & 0xff;
  f[13] = (count >>> 8) & 0xff;
  return f;
}

function pioSetupFis(endStatus: number, bytes: number): Uint8Array {
  const f = new Uint8Array(20);
  f[0] = FIS_PIO_SETUP;
  f[1] = 0x40 | 0x20; /* interrupt, device to host */
  f[2] = ATA_DRDY | ATA_DSC | ATA_DRQ;
  f[15] = endStatus;
  f[16] = bytes & 0xff;
  f[17] = (bytes >>> 8) & 0xff;
  return f;
}

function sdbFis(status: number, error: number, sactive: number): Uint8Array {
  const f = new Uint8Array(8);
  f[0] = FIS_SDB;
  f[1] = 0x40;
  f[2] = status & 0x77;
  f[3] = error;
  new DataView(f.buffer).setUint32(4, sactive >>> 0, true);
  return f;
}

/** ATA string: two characters per word, the first in the high byte, padded with spaces. */
function ataString(words: Uint16Array, first: number, count: number, text: string): void {
  const s = text.padEnd(count * 2, ' ').slice(0, count * 2);
  for (let i = 0; i < count; i++) words[first + i] = (s.charCodeAt(2 * i) << 8) | s.charCodeAt(2 * i + 1);
}

function ascii(bytes: Uint8Array, at: number, text: string, length: number): void {
  const s = text.padEnd(length, ' ').slice(0, length);
  for (let i = 0; i < length; i++) bytes[at + i] = s.charCodeAt(i) & 0x7f;
}

/** Word 255: signature 0xA5 and a checksum that makes all 512 bytes sum to zero. */
function checksum(words: Uint16Array): Uint8Array {
  words[255] = 0x00a5;
  const bytes = new Uint8Array(words.buffer);
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += bytes[i]!;
  bytes[511] = (-sum) & 0xff;
  return bytes;
}

/** IDENTIFY DEVICE of a SATA disk: LBA48, DMA, NCQ, FLUSH CACHE EXT, TRIM, its logical block size. */
export function identifyDevice(drive: AhciDrive, port: number): Uint8Array {
  const w = new Uint16Array(256);
  const img = drive.image;
  const sectors = img.blockCount;
  w[0] = 0x0040; /* fixed device */
  const cylinders = Math.min(16383, Math.floor(sectors / (16 * 63)));
  w[1] = cylinders;
  w[3] = 16;
  w[6] = 63;
  ataString(w, 10, 10, `GTS-AHCI-${port}`);
  ataString(w, 23, 4, '1.0');
  ataString(w, 27, 20, drive.model ?? 'genode-ts AHCI disk');
  w[47] = 0x8010;
  w[49] = 0x0300; /* LBA, DMA */
  w[53] = 0x0006; /* words 64-70 and 88 valid */
  const lba28 = Math.min(sectors, 0x0fffffff);
  w[60] = lba28 & 0xffff;
  w[61] = lba28 >>> 16;
  w[63] = 0x0007;
  w[64] = 0x0003;
  w[69] = 0x4020; /* deterministic read after TRIM, zeroes */
  w[75] = NCQ_DEPTH - 1;
  w[76] = 0x0102; /* NCQ, SATA Gen 1 */
  w[80] = 0x01f0; /* ATA/ATAPI-4 to ACS-? */
  w[82] = 0x4000;
  w[83] = 0x7400; /* FLUSH CACHE EXT, FLUSH CACHE, LBA48 */
  w[84] = 0x4020; /* General Purpose Logging */
  w[85] = 0x4000;
  w[86] = 0x3400;
  w[87] = 0x4020; /* General Purpose Logging enabled */
  w[88] = 0x203f; /* UDMA 0-5, mode 5 */
  w[100] = sectors & 0xffff;
  w[101] = Math.floor(sectors / 0x10000) & 0xffff;
  w[102] = Math.floor(sectors / 2 ** 32) & 0xffff;
  w[103] = 0;
  w[105] = 1; /* one 512-byte block of DSM ranges per command */
  if (img.blockSize === 512) {
    w[106] = 0x4000;
  } else {
    /* logical sectors longer than 256 words: their size in words 117-118 */
    w[106] = 0x4000 | 0x1000;
    const words = img.blockSize / 2;
    w[117] = words & 0xffff;
    w[118] = words >>> 16;
  }
  w[169] = 0x0001; /* TRIM */
  w[209] = 0x4000; /* logical block 0 at offset 0 of its physical block */
  w[217] = 0x0001; /* non-rotating */
  return checksum(w);
}

/** IDENTIFY PACKET DEVICE of a CD-ROM drive with 12-byte packets. */
export function identifyPacketDevice(drive: AhciDrive, port: number): Uint8Array {
  const w = new Uint16Array(256);
  w[0] = 0x85c0; /* ATAPI, CD-ROM, removable, DRQ within 50 us, 12-byte packets */
  ataString(w, 10, 10, `GTS-ATAPI-${port}`);
  ataString(w, 23, 4, '1.0');
  ataString(w, 27, 20, drive.model ?? 'genode-ts ATAPI CD-ROM');
  w[49] = 0x0300;
  w[53] = 0x0006;
  w[63] = 0x0007;
  w[64] = 0x0003;
  w[80] = 0x01f0;
  w[88] = 0x203f;
  return checksum(w);
}
