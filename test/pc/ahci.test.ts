import test from 'ava';
import { Pc, DiskImage, DEFAULT_AHCI_BASE, AHCI_SLOT } from '../../tool/pc/index.js';
import {
  ATA_FLUSH_CACHE_EXT, ATA_IDENTIFY_DEVICE, ATA_IDENTIFY_PACKET_DEVICE, ATA_PACKET, ATA_READ_DMA_EXT, ATA_READ_FPDMA_QUEUED,
  ATA_WRITE_DMA_EXT, ATA_WRITE_FPDMA_QUEUED, ATA_DATA_SET_MANAGEMENT, CMD_FRE, CMD_ST, CMD_CR, CMD_FR, GHC_HR, GHC_IE, HBA_CAP, HBA_GHC, HBA_IS, HBA_PI, HBA_VS,
  IS_DHRS, IS_HBFS, IS_PSS, IS_SDBS, IS_TFES, IS_PCS, PX_CI, PX_CLB, PX_CMD, PX_FB, PX_IE, PX_IS, PX_SACT, PX_SCTL, PX_SERR, PX_SIG, PX_SSTS, PX_TFD,
  ATA_READ_LOG_EXT, LOG_NCQ_COMMAND_ERROR,
  SCSI_INQUIRY, SCSI_READ_10, SCSI_READ_12, SCSI_READ_CAPACITY_10, SCSI_REQUEST_SENSE, SCSI_TEST_UNIT_READY, SIG_ATA, SIG_ATAPI,
} from '../../tool/pc/ahci.js';
import { initPics } from './helpers.js';
import type { DriveFaults } from '../../tool/pc/disk.js';

const ABAR = DEFAULT_AHCI_BASE;
/* driver memory: 1 MiB at 16 MiB (command lists, FIS areas, tables), data buffers at 20 MiB */
const STRUCTS = 0x1000000;
const DATA = 0x1400000;

function cfgRead(pc: Pc, offset: number): number {
  pc.outPort(0xcf8, 4, 0x80000000 | (AHCI_SLOT << 11) | (offset & 0xfc));
  return pc.inPort(0xcfc, 4);
}
function cfgWrite(pc: Pc, offset: number, value: number): void {
  pc.outPort(0xcf8, 4, 0x80000000 | (AHCI_SLOT << 11) | (offset & 0xfc));
  pc.outPort(0xcfc, 4, value);
}

/** Pattern bytes for a disk: block b holds b in its first 4 bytes, the rest a function of the offset. */
function patterned(blocks: number, blockSize = 512, seed = 1): Uint8Array {
  const bytes = new Uint8Array(blocks * blockSize);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + seed + (i >> 9)) & 0xff;
  const v = new DataView(bytes.buffer);
  for (let b = 0; b < blocks; b++) v.setUint32(b * blockSize, b, true);
  return bytes;
}

interface Issue {
  command: number;
  lba?: number;
  count?: number;
  features?: number;
  write?: boolean;
  atapi?: number[];
  prds?: Array<[addr: number, bytes: number, interrupt?: boolean]>;
}

/** What a driver does, step by step, through the registers and its memory. */
class Driver {
  constructor(readonly pc: Pc) {
    /* the platform driver enables bus mastering when it hands out the device */
    cfgWrite(pc, 0x04, cfgRead(pc, 0x04) | 0x6);
    pc.memory.back(STRUCTS, 0x100000);
    pc.memory.back(DATA, 0x100000);
  }

  r(offset: number): number { return this.pc.mmioRead(ABAR + offset, 4); }
  w(offset: number, value: number): void { this.pc.mmioWrite(ABAR + offset, 4, value); }
  pr(port: number, reg: number): number { return this.r(0x100 + port * 0x80 + reg); }
  pw(port: number, reg: number, value: number): void { this.w(0x100 + port * 0x80 + reg, value); }

  clb(port: number): number { return STRUCTS + port * 0x10000; }
  fb(port: number): number { return this.clb(port) + 0x400; }
  table(port: number, slot: number): number { return this.clb(port) + 0x1000 + slot * 0x100; }

  /** As Genode's Port::reinit and init: stop, reset the link, set up memory, FIS receive, interrupts, start. */
  initPort(port: number): void {
    this.pw(port, PX_CMD, this.pr(port, PX_CMD) & ~CMD_ST);
    this.pw(port, PX_CMD, this.pr(port, PX_CMD) & ~CMD_FRE);
    this.pw(port, PX_SCTL, (this.pr(port, PX_SCTL) & ~0xf) | 1);
    this.pw(port, PX_SCTL, this.pr(port, PX_SCTL) & ~0xf);
    this.pw(port, PX_CLB, this.clb(port));
    this.pw(port, PX_FB, this.fb(port));
    this.pw(port, PX_SCTL, this.pr(port, PX_SCTL) | 0x300);
    this.pw(port, PX_CMD, this.pr(port, PX_CMD) | CMD_FRE | 0x6);
    this.pw(port, PX_SERR, this.pr(port, PX_SERR));
    this.pw(port, PX_IE, ~0);
    this.pw(port, PX_IS, this.pr(port, PX_IS));
    this.w(HBA_IS, this.r(HBA_IS));
    this.pw(port, PX_CMD, this.pr(port, PX_CMD) | CMD_ST);
  }

  /** Fills the slot's command header and table. */
  prepare(port: number, slot: number, c: Issue): void {
    const m = this.pc.memory;
    const table = this.table(port, slot);
    m.view(table, 0x100).fill(0);
    const prds = c.prds ?? [];
    const header = this.clb(port) + slot * 32;
    m.write32(header, 5 | (c.atapi ? 1 << 5 : 0) | (c.write ? 1 << 6 : 0) | (prds.length << 16));
    m.write32(header + 4, 0xdead); /* PRDBC: the HBA must overwrite it */
    m.write32(header + 8, table);
    m.write32(header + 12, 0);
    const lba = c.lba ?? 0;
    m.write8(table, 0x27);
    m.write8(table + 1, 0x80);
    m.write8(table + 2, c.command);
    m.write8(table + 3, (c.features ?? 0) & 0xff);
    m.write8(table + 4, lba & 0xff);
    m.write8(table + 5, (lba >>> 8) & 0xff);
    m.write8(table + 6, (lba >>> 16) & 0xff);
    m.write8(table + 7, 0x40);
    m.write8(table + 8, (lba >>> 24) & 0xff);
    m.write8(table + 11, ((c.features ?? 0) >> 8) & 0xff);
    m.write8(table + 12, (c.count ?? 0) & 0xff);
    m.write8(table + 13, ((c.count ?? 0) >> 8) & 0xff);
    (c.atapi ?? []).forEach((b, i) => m.write8(table + 0x40 + i, b));
    prds.forEach(([addr, bytes, irq], i) => {
      m.write32(table + 0x80 + i * 16, addr);
      m.write32(table + 0x84 + i * 16, 0);
      m.write32(table + 0x8c + i * 16, (bytes - 1) | (irq ? 0x80000000 : 0));
    });
  }

  issue(port: number, slot: number, c: Issue): void {
    this.prepare(port, slot, c);
    this.pw(port, PX_CI, 1 << slot);
  }

  prdbc(port: number, slot: number): number { return this.pc.memory.read32(this.clb(port) + slot * 32 + 4); }

  /** Lets virtual time run to the device's events until `done` holds (or nothing is scheduled). */
  runUntil(done: () => boolean): void {
    for (let i = 0; i < 1000 && !done(); i++) {
      const at = this.pc.clock.nextEventAt();
      if (at === undefined) return;
      this.pc.clock.advanceTo(at);
    }
  }

  /** Issues and waits for PxCI to clear or an error. */
  run(port: number, slot: number, c: Issue): void {
    this.issue(port, slot, c);
    this.runUntil(() => !(this.pr(port, PX_CI) & (1 << slot)) || (this.pr(port, PX_IS) & (IS_TFES | IS_HBFS)) !== 0);
  }

  ack(port: number): void {
    this.pw(port, PX_IS, this.pr(port, PX_IS));
    this.w(HBA_IS, this.r(HBA_IS));
  }

  bytes(addr: number, length: number): Uint8Array { return this.pc.memory.view(addr, length).slice(); }
}

function machine(options: { disks?: number[]; cdrom?: number; faults?: DriveFaults } = { disks: [2048], cdrom: 64 }) {
  const disks = (options.disks ?? []).map((blocks, i) => new DiskImage(patterned(blocks, 512, i + 1), { name: `disk${i}`, faults: i === 0 ? options.faults : undefined }));
  const cdrom = options.cdrom ? new DiskImage(patterned(options.cdrom, 2048, 9), { blockSize: 2048, readOnly: true, name: 'cd' }) : undefined;
  const pc = new Pc({ disks, cdrom });
  return { pc, disks, cdrom, d: new Driver(pc) };
}

/** Genode's Ata::String: swap the bytes of each word, trim. */
function ataString(identify: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(identify[offset + (i ^ 1)]!);
  return s.trim();
}

test('PCI identity: 8086:2922, class 01/06/01, ABAR in BAR5 (4 KiB), INTA on IRQ 11', (t) => {
  const { pc } = machine();
  t.is(cfgRead(pc, 0x00), 0x29228086);
  t.is(cfgRead(pc, 0x08) >>> 8, 0x010601);
  t.is(cfgRead(pc, 0x24), DEFAULT_AHCI_BASE);
  t.is(cfgRead(pc, 0x3c) & 0xffff, 0x010b); /* pin INTA, line 11 */
  cfgWrite(pc, 0x24, 0xffffffff);
  t.is(cfgRead(pc, 0x24), 0xfffff000);
  cfgWrite(pc, 0x24, DEFAULT_AHCI_BASE);
  for (const bar of [0x10, 0x14, 0x18, 0x1c, 0x20]) t.is(cfgRead(pc, bar), 0);
  /* the ABAR is registers, not plain memory */
  t.is(pc.mmio(DEFAULT_AHCI_BASE, 0x1000), undefined);
});

test('HBA registers: CAP (6 ports, 32 slots, NCQ, 64-bit), PI, VS 1.3.1, GHC.AE; unmapped reads are all ones', (t) => {
  const { d, pc } = machine();
  const cap = d.r(HBA_CAP);
  t.is(cap & 0x1f, 5);
  t.is((cap >> 8) & 0x1f, 31);
  t.truthy(cap & (1 << 30));
  t.truthy(cap & (1 << 31));
  t.is(d.r(HBA_PI), 0x3f);
  t.is(d.r(HBA_VS), 0x00010301);
  t.is(d.r(HBA_GHC) >>> 31, 1);
  t.is(pc.mmioRead(ABAR + 0x10, 2), 0x0301);
  t.is(pc.mmioRead(ABAR + 0x2000, 4), 0xffffffff);
});

test('ports: signatures ATA 0x101 and ATAPI 0xEB140101, SSTS DET 3 / Gen 1 / IPM active; an empty port shows no device', (t) => {
  const { d } = machine({ disks: [64, 64], cdrom: 16 });
  t.is(d.pr(0, PX_SIG), SIG_ATA);
  t.is(d.pr(1, PX_SIG), SIG_ATA);
  t.is(d.pr(2, PX_SIG), SIG_ATAPI);
  t.is(d.pr(0, PX_SSTS), 0x113);
  t.is(d.pr(2, PX_SSTS), 0x113);
  t.is(d.pr(3, PX_SSTS), 0);
  t.is(d.pr(3, PX_SIG), 0xffffffff);
  t.is(d.pr(0, PX_TFD) & 0x88, 0);
});

test('GHC.HR resets the HBA: self-clearing, IE off, ports stopped, the link reset recorded in PxSERR and PxIS.PCS', (t) => {
  const { d } = machine();
  d.initPort(0);
  d.w(HBA_GHC, GHC_IE);
  t.truthy(d.pr(0, PX_CMD) & CMD_CR);
  d.w(HBA_GHC, d.r(HBA_GHC) | GHC_HR);
  t.is(d.r(HBA_GHC), 0x80000000);
  t.is(d.pr(0, PX_CMD) & (CMD_ST | CMD_CR | CMD_FRE | CMD_FR), 0);
  t.is(d.pr(0, PX_SSTS), 0x113);
  t.is(d.pr(0, PX_SIG), SIG_ATA);
  t.truthy(d.pr(0, PX_SERR) & (1 << 26));
  t.truthy(d.pr(0, PX_IS) & IS_PCS);
  /* PCS mirrors SERR.X: writing it to PxIS does not clear it, clearing SERR does */
  d.pw(0, PX_IS, IS_PCS);
  t.truthy(d.pr(0, PX_IS) & IS_PCS);
  d.pw(0, PX_SERR, d.pr(0, PX_SERR));
  t.is(d.pr(0, PX_IS), 0);
});

test('IDENTIFY DEVICE: sector count, logical block size, NCQ depth, strings, checksum; PIO setup and D2H FIS, PRDBC', (t) => {
  const { d } = machine({ disks: [300000] });
  d.initPort(0);
  d.issue(0, 0, { command: ATA_IDENTIFY_DEVICE, prds: [[DATA, 0x1000]] });
  t.is(d.pr(0, PX_CI), 1);
  t.truthy(d.pr(0, PX_TFD) & 0x80); /* BSY until it completes in virtual time */
  d.runUntil(() => d.pr(0, PX_CI) === 0);
  t.is(d.pr(0, PX_CI), 0);
  t.is(d.pr(0, PX_IS) & (IS_PSS | IS_DHRS), IS_PSS | IS_DHRS);
  t.is(d.pr(0, PX_TFD), 0x50);
  t.is(d.prdbc(0, 0), 512);
  const id = d.bytes(DATA, 512);
  const v = new DataView(id.buffer);
  t.is(Number(v.getBigUint64(0xc8, true)), 300000);
  t.is(v.getUint16(0x96, true) & 0x1f, 31);
  t.truthy(v.getUint16(0x98, true) & 0x100);
  t.is(v.getUint16(0xd4, true) & 0x1000, 0); /* 512-byte logical blocks */
  t.is(ataString(id, 0x36, 40), 'genode-ts AHCI disk');
  t.is(ataString(id, 0x14, 20), 'GTS-AHCI-0');
  t.is(id.reduce((s, b) => s + b, 0) & 0xff, 0);
  t.is(id[510], 0xa5);
  const fis = d.bytes(d.fb(0), 0x60);
  t.is(fis[0x20], 0x5f); /* PIO setup */
  t.is(fis[0x40], 0x34); /* D2H register */
  t.is(fis[0x42], 0x50);
});

test('IDENTIFY DEVICE of a 4 KiB-sector disk reports the longer logical block in words 117-118', (t) => {
  const pc = new Pc({ disks: [DiskImage.blank(100, { blockSize: 4096 })] });
  const d = new Driver(pc);
  d.initPort(0);
  d.run(0, 0, { command: ATA_IDENTIFY_DEVICE, prds: [[DATA, 512]] });
  const v = new DataView(d.bytes(DATA, 512).buffer);
  t.truthy(v.getUint16(0xd4, true) & 0x1000);
  t.is(v.getUint32(0xea, true), 2048);
  t.is(Number(v.getBigUint64(0xc8, true)), 100);
});

test('WRITE DMA EXT then READ DMA EXT of 7 sectors through several PRDs; the disk holds the data, PRDBC counts it', (t) => {
  const { d, disks } = machine();
  d.initPort(0);
  const data = patterned(7, 512, 77);
  d.pc.memory.view(DATA, 512).set(data.subarray(0, 512));
  d.pc.memory.view(DATA + 0x10000, 1024).set(data.subarray(512, 1536));
  d.pc.memory.view(DATA + 0x20000, 2048).set(data.subarray(1536, 3584));
  d.run(0, 3, { command: ATA_WRITE_DMA_EXT, lba: 100, count: 7, write: true, prds: [[DATA, 512], [DATA + 0x10000, 1024], [DATA + 0x20000, 2048]] });
  t.is(d.pr(0, PX_CI), 0);
  t.is(d.prdbc(0, 3), 3584);
  t.deepEqual(disks[0]!.read(100, 7), data);
  t.is(disks[0]!.dirtyBlocks, 7);
  t.deepEqual(disks[0]!.takeDirty(), [{ first: 100, count: 7 }]);
  d.ack(0);
  /* read it back, scattered differently */
  d.run(0, 4, { command: ATA_READ_DMA_EXT, lba: 99, count: 9, prds: [[DATA + 0x30000, 3000], [DATA + 0x40000, 1608]] });
  t.is(d.pr(0, PX_IS) & IS_DHRS, IS_DHRS);
  t.is(d.prdbc(0, 4), 4608);
  const back = new Uint8Array(4608);
  back.set(d.bytes(DATA + 0x30000, 3000));
  back.set(d.bytes(DATA + 0x40000, 1608), 3000);
  t.deepEqual(back, disks[0]!.read(99, 9).slice());
  t.deepEqual(back.subarray(512, 512 + 3584), data);
});

test('completion takes a deterministic latency in virtual time: 20 us plus the transfer at 500 MB/s', (t) => {
  const { d, pc } = machine();
  d.initPort(0);
  const start = pc.clock.tsc();
  d.issue(0, 0, { command: ATA_READ_DMA_EXT, lba: 0, count: 8, prds: [[DATA, 4096]] });
  /* 20 us + 4096 B / 500 MB/s = 28.192 us = 56384 cycles at 2 GHz */
  t.is(pc.clock.nextEventAt(), start + 56384);
  pc.clock.advanceTo(start + 56383);
  t.is(d.pr(0, PX_CI), 1);
  pc.clock.advanceTo(start + 56384);
  t.is(d.pr(0, PX_CI), 0);
});

test('NCQ: four queued reads and writes in slots with PxSACT; CI clears on acceptance, SDB FISes clear SACT one by one', (t) => {
  const { d, disks } = machine();
  d.initPort(0);
  const newData = patterned(4, 512, 200);
  d.pc.memory.view(DATA + 0x80000, 2048).set(newData);
  const slots = [0, 1, 2, 5];
  for (const slot of slots) {
    const write = slot === 5;
    d.prepare(0, slot, {
      command: write ? ATA_WRITE_FPDMA_QUEUED : ATA_READ_FPDMA_QUEUED, lba: 10 * slot, features: 4, count: slot << 3, write,
      prds: [[write ? DATA + 0x80000 : DATA + slot * 0x1000, 2048]],
    });
    d.pw(0, PX_SACT, 1 << slot);
    d.pw(0, PX_CI, 1 << slot);
  }
  t.is(d.pr(0, PX_CI), 0); /* the drive took them all */
  t.is(d.pr(0, PX_SACT), 0b100111);
  t.is(d.pr(0, PX_IS) & IS_DHRS, 0); /* acceptance FISes have no interrupt bit */
  const seen: number[] = [];
  d.runUntil(() => {
    const sact = d.pr(0, PX_SACT);
    if (d.pr(0, PX_IS) & IS_SDBS) {
      seen.push(sact);
      d.ack(0);
    }
    return sact === 0;
  });
  t.deepEqual(seen, [0b100110, 0b100100, 0b100000, 0]);
  for (const slot of [0, 1, 2]) t.deepEqual(d.bytes(DATA + slot * 0x1000, 2048), disks[0]!.read(10 * slot, 4).slice());
  t.deepEqual(disks[0]!.read(50, 4), newData);
  const sdb = d.bytes(d.fb(0) + 0x58, 8);
  t.is(sdb[0], 0xa1);
  t.is(new DataView(sdb.buffer).getUint32(4, true), 1 << 5);
});

test('an LBA beyond the disk: TFD ERR with IDNF, TFES; the port halts with the slot in PxCI until ST is cleared', (t) => {
  const { d } = machine({ disks: [100] });
  d.initPort(0);
  d.run(0, 2, { command: ATA_READ_DMA_EXT, lba: 98, count: 4, prds: [[DATA, 2048]] });
  t.is(d.pr(0, PX_TFD), 0x1051);
  t.truthy(d.pr(0, PX_IS) & IS_TFES);
  t.is(d.pr(0, PX_CI), 1 << 2);
  t.is(d.bytes(d.fb(0) + 0x40, 4)[3], 0x10);
  /* halted: a further command does not run */
  d.issue(0, 3, { command: ATA_READ_DMA_EXT, lba: 0, count: 1, prds: [[DATA, 512]] });
  d.runUntil(() => false);
  t.is(d.pr(0, PX_CI), (1 << 2) | (1 << 3));
  /* recovery: clear ST (drops everything), acknowledge, start again */
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) & ~CMD_ST);
  t.is(d.pr(0, PX_CI), 0);
  t.is(d.pr(0, PX_CMD) & CMD_CR, 0);
  d.ack(0);
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) | CMD_ST);
  d.run(0, 0, { command: ATA_READ_DMA_EXT, lba: 99, count: 1, prds: [[DATA, 512]] });
  t.is(d.pr(0, PX_CI), 0);
  t.is(d.pr(0, PX_TFD), 0x50);
});

test('the interrupt reaches the PIC on IRQ 11 when GHC.IE is set, and goes away once PxIS and IS are cleared', (t) => {
  const { d, pc } = machine();
  initPics(pc);
  d.initPort(0);
  d.run(0, 0, { command: ATA_READ_DMA_EXT, lba: 0, count: 1, prds: [[DATA, 512]] });
  t.false(pc.ahci.interruptAsserted); /* GHC.IE is off */
  t.is(d.r(HBA_IS), 1);
  d.w(HBA_GHC, d.r(HBA_GHC) | GHC_IE);
  t.true(pc.ahci.interruptAsserted);
  t.true(pc.pic.intr);
  t.is(pc.pic.acknowledge(), 11);
  t.truthy(cfgRead(pc, 0x04) & (0x08 << 16)); /* PCI status: interrupt pending */
  /* clearing IS alone re-asserts while the port still has its status */
  d.w(HBA_IS, 1);
  t.is(d.r(HBA_IS), 1);
  d.pw(0, PX_IS, d.pr(0, PX_IS));
  d.w(HBA_IS, 1);
  t.is(d.r(HBA_IS), 0);
  t.false(pc.ahci.interruptAsserted);
  pc.outPort(0xa0, 1, 0x20);
  pc.outPort(0x20, 1, 0x20);
  /* a second command interrupts again */
  d.run(0, 1, { command: ATA_READ_DMA_EXT, lba: 1, count: 1, prds: [[DATA, 512]] });
  t.true(pc.pic.intr);
  t.is(pc.pic.acknowledge(), 11);
});

test('a PRD outside RAM, in unbacked RAM or without bus mastering: host bus fatal error, TFD ERR, no exception', (t) => {
  const { d, pc } = machine();
  d.initPort(0);
  d.run(0, 0, { command: ATA_READ_DMA_EXT, lba: 0, count: 1, prds: [[0x7fff0000, 512]] });
  t.truthy(d.pr(0, PX_IS) & IS_HBFS);
  t.truthy(d.pr(0, PX_TFD) & 0x01);
  t.is(d.pr(0, PX_CI), 1);
  t.is(pc.ahci.stats.fatal, 1);
  /* recover and try memory nobody allocated */
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) & ~CMD_ST);
  d.ack(0);
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) | CMD_ST);
  d.run(0, 0, { command: ATA_WRITE_DMA_EXT, lba: 0, count: 1, write: true, prds: [[0x3000000, 512]] });
  t.truthy(d.pr(0, PX_IS) & IS_HBFS);
  /* bus mastering off: the HBA cannot even fetch the command */
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) & ~CMD_ST);
  d.ack(0);
  cfgWrite(pc, 0x04, cfgRead(pc, 0x04) & ~0x4);
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) | CMD_ST);
  d.run(0, 0, { command: ATA_READ_DMA_EXT, lba: 0, count: 1, prds: [[DATA, 512]] });
  t.truthy(d.pr(0, PX_IS) & IS_HBFS);
  t.is(pc.ahci.stats.fatal, 3);
});

test('FLUSH CACHE EXT calls the image\'s flush hook; DATA SET MANAGEMENT (TRIM) zeroes the ranges', (t) => {
  const { d, disks } = machine();
  let flushes = 0;
  disks[0]!.onFlush = () => flushes++;
  d.initPort(0);
  d.run(0, 0, { command: ATA_FLUSH_CACHE_EXT });
  t.is(flushes, 1);
  t.is(d.pr(0, PX_TFD), 0x50);
  const ranges = new DataView(d.pc.memory.view(DATA, 512).buffer, d.pc.memory.view(DATA, 512).byteOffset, 512);
  new Uint8Array(ranges.buffer, ranges.byteOffset, 512).fill(0);
  ranges.setUint32(0, 20, true);
  ranges.setUint16(6, 3, true);
  ranges.setUint32(8, 40, true);
  ranges.setUint16(14, 1, true);
  d.run(0, 1, { command: ATA_DATA_SET_MANAGEMENT, features: 1, count: 1, write: true, prds: [[DATA, 512]] });
  t.is(d.pr(0, PX_CI), 0);
  t.true(disks[0]!.read(20, 3).every((b) => b === 0));
  t.true(disks[0]!.read(40, 1).every((b) => b === 0));
  t.false(disks[0]!.read(23, 1).every((b) => b === 0));
});

test('ATAPI: IDENTIFY PACKET DEVICE, TEST UNIT READY, INQUIRY, READ CAPACITY, READ(10) and READ(12) of 2048-byte blocks', (t) => {
  const { d, cdrom } = machine({ disks: [64], cdrom: 40 });
  const p = 1;
  d.initPort(p);
  d.pw(p, PX_CMD, d.pr(p, PX_CMD) | (1 << 24));
  d.run(p, 0, { command: ATA_IDENTIFY_DEVICE, prds: [[DATA, 512]] });
  t.truthy(d.pr(p, PX_IS) & IS_TFES); /* a packet device aborts IDENTIFY DEVICE */
  t.deepEqual([...d.bytes(d.fb(p) + 0x45, 2)], [0x14, 0xeb]);
  d.pw(p, PX_CMD, d.pr(p, PX_CMD) & ~CMD_ST);
  d.ack(p);
  d.pw(p, PX_CMD, d.pr(p, PX_CMD) | CMD_ST);
  d.run(p, 0, { command: ATA_IDENTIFY_PACKET_DEVICE, prds: [[DATA, 512]] });
  const id = d.bytes(DATA, 512);
  t.is(new DataView(id.buffer).getUint16(0, true), 0x85c0);
  t.is(ataString(id, 0x36, 40), 'genode-ts ATAPI CD-ROM');
  d.ack(p);
  /* TEST UNIT READY: no data, a D2H FIS with DRDY and no error (Genode's check) */
  d.run(p, 0, { command: ATA_PACKET, atapi: [SCSI_TEST_UNIT_READY] });
  t.truthy(d.pr(p, PX_IS) & IS_DHRS);
  const fis = d.bytes(d.fb(p) + 0x40, 4);
  t.truthy(fis[2]! & 0x40);
  t.is(fis[3], 0);
  d.ack(p);
  d.run(p, 0, { command: ATA_PACKET, atapi: [SCSI_INQUIRY, 0, 0, 0, 36], prds: [[DATA, 0x1000]] });
  t.is(d.bytes(DATA, 1)[0], 0x05);
  t.is(d.prdbc(p, 0), 36);
  d.ack(p);
  d.run(p, 0, { command: ATA_PACKET, lba: 0xffff00, atapi: [SCSI_READ_CAPACITY_10], prds: [[DATA, 0x1000]] });
  const cap = new DataView(d.bytes(DATA, 8).buffer);
  t.is(cap.getUint32(0), 39);
  t.is(cap.getUint32(4), 2048);
  d.ack(p);
  /* READ(10) of blocks 5-7 by DMA into two PRDs */
  d.run(p, 0, { command: ATA_PACKET, features: 1, atapi: [SCSI_READ_10, 0, 0, 0, 0, 5, 0, 0, 3], prds: [[DATA, 4096], [DATA + 0x10000, 2048]] });
  t.is(d.pr(p, PX_CI), 0);
  t.is(d.prdbc(p, 0), 6144);
  t.deepEqual(d.bytes(DATA, 4096), cdrom!.read(5, 2).slice());
  t.deepEqual(d.bytes(DATA + 0x10000, 2048), cdrom!.read(7, 1).slice());
  d.ack(p);
  d.run(p, 0, { command: ATA_PACKET, atapi: [SCSI_READ_12, 0, 0, 0, 0, 39, 0, 0, 0, 1], prds: [[DATA, 2048]] });
  t.deepEqual(d.bytes(DATA, 2048), cdrom!.read(39, 1).slice());
});

test('ATAPI errors: READ(10) beyond the medium is a CHECK CONDITION (ILLEGAL REQUEST, LBA out of range), REQUEST SENSE tells', (t) => {
  const { d } = machine({ disks: [], cdrom: 10 });
  d.initPort(0);
  d.run(0, 0, { command: ATA_PACKET, atapi: [SCSI_READ_10, 0, 0, 0, 0, 9, 0, 0, 2], prds: [[DATA, 4096]] });
  t.truthy(d.pr(0, PX_IS) & IS_TFES);
  t.is(d.pr(0, PX_TFD), 0x5441); /* CHECK CONDITION: sense key 5 in the error's high nibble, ABRT */
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) & ~CMD_ST);
  d.ack(0);
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) | CMD_ST);
  d.run(0, 0, { command: ATA_PACKET, atapi: [SCSI_REQUEST_SENSE, 0, 0, 0, 18], prds: [[DATA, 0x1000]] });
  const sense = d.bytes(DATA, 18);
  t.is(sense[0], 0x70);
  t.is(sense[2], 5);
  t.is(sense[12], 0x21);
  t.is(d.prdbc(0, 0), 18);
  /* an unknown operation code */
  d.ack(0);
  d.run(0, 0, { command: ATA_PACKET, atapi: [0xbb] });
  t.truthy(d.pr(0, PX_IS) & IS_TFES);
});

test('the same commands complete at the same virtual times in every run', (t) => {
  const run = (): number[] => {
    const { d, pc } = machine();
    d.initPort(0);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      d.run(0, i, { command: ATA_READ_DMA_EXT, lba: i * 8, count: 8 * (i + 1), prds: [[DATA, 0x8000]] });
      times.push(pc.clock.tsc());
      d.ack(0);
    }
    return times;
  };
  t.deepEqual(run(), run());
});

test('a write to a read-only disk is aborted and leaves the image alone', (t) => {
  const image = new DiskImage(patterned(16), { readOnly: true });
  const pc = new Pc({ disks: [image] });
  const d = new Driver(pc);
  d.initPort(0);
  const before = image.bytes.slice();
  d.run(0, 0, { command: ATA_WRITE_DMA_EXT, lba: 0, count: 1, write: true, prds: [[DATA, 512]] });
  t.is(d.pr(0, PX_TFD), 0x0451);
  t.truthy(d.pr(0, PX_IS) & IS_TFES);
  t.deepEqual(image.bytes, before);
});

test('--disk: a host file\'s changed blocks go back to it on FLUSH CACHE EXT and at the end of the run; the next run reads them', async (t) => {
  const { HostDiskFile } = await import('../../tool/runner/host_disk.js');
  const { mkdtempSync, writeFileSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'ahci-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'disk.img');
  const original = patterned(64);
  writeFileSync(path, original);
  t.is(HostDiskFile.problem(path, 'disk'), undefined);
  const file = new HostDiskFile(path, 'disk');

  /* run 1: write blocks 3-4, flush; write block 10, no flush: the end of the run writes it */
  const pc = new Pc({ disks: [file.open()] });
  const d = new Driver(pc);
  d.initPort(0);
  const first = patterned(2, 512, 99);
  pc.memory.view(DATA, 1024).set(first);
  d.run(0, 0, { command: ATA_WRITE_DMA_EXT, lba: 3, count: 2, write: true, prds: [[DATA, 1024]] });
  t.deepEqual(new Uint8Array(readFileSync(path)), original); /* not yet flushed */
  d.run(0, 1, { command: ATA_FLUSH_CACHE_EXT });
  const afterFlush = new Uint8Array(readFileSync(path));
  t.deepEqual(afterFlush.subarray(3 * 512, 5 * 512), first);
  t.deepEqual(afterFlush.subarray(0, 3 * 512), original.subarray(0, 3 * 512));
  const second = patterned(1, 512, 42);
  pc.memory.view(DATA, 512).set(second);
  d.run(0, 2, { command: ATA_WRITE_DMA_EXT, lba: 10, count: 1, write: true, prds: [[DATA, 512]] });
  t.is(file.close(), 1);
  const afterRun = new Uint8Array(readFileSync(path));
  t.deepEqual(afterRun.subarray(10 * 512, 11 * 512), second);
  t.is(afterRun.length, original.length);

  /* run 2: a new machine reads what run 1 left */
  const pc2 = new Pc({ disks: [file.open()] });
  const d2 = new Driver(pc2);
  d2.initPort(0);
  d2.run(0, 0, { command: ATA_READ_DMA_EXT, lba: 3, count: 8, prds: [[DATA, 4096]] });
  const read = d2.bytes(DATA, 4096);
  t.deepEqual(read.subarray(0, 1024), first);
  t.deepEqual(read.subarray(7 * 512, 8 * 512), second);
  t.is(file.close(), 0);
});

test('--disk and --cdrom refuse a missing, empty or ill-sized file with a clear message', async (t) => {
  const { HostDiskFile } = await import('../../tool/runner/host_disk.js');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'ahci-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.is(HostDiskFile.problem(join(dir, 'nope.img'), 'disk'), `--disk ${join(dir, 'nope.img')}: no such file`);
  writeFileSync(join(dir, 'empty.img'), new Uint8Array(0));
  t.regex(HostDiskFile.problem(join(dir, 'empty.img'), 'cdrom')!, /the file is empty/);
  writeFileSync(join(dir, 'odd.img'), new Uint8Array(1000));
  t.regex(HostDiskFile.problem(join(dir, 'odd.img'), 'disk')!, /not a multiple of 512/);
  t.is(HostDiskFile.problem(join(dir, 'odd.img'), 'cdrom'), undefined); /* a CD image is padded to 2048 */
  t.regex(HostDiskFile.problem(dir, 'disk')!, /not a regular file/);
});

test('ATAPI bring-up as Genode\'s driver does it: START UNIT, REQUEST SENSE, TEST UNIT READY (DHRS, DRDY, no error), READ CAPACITY', (t) => {
  const { d } = machine({ disks: [], cdrom: 300 });
  d.initPort(0);
  t.is(d.pr(0, PX_SIG), SIG_ATAPI);
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) | (1 << 24)); /* Cmd::Atapi */
  const any = IS_DHRS | IS_PSS | (1 << 2);
  /* Genode's tables keep one PRD (PRDTL 1) even for commands without data: address 0, one byte */
  d.issue(0, 0, { command: ATA_PACKET, atapi: [0x1b], prds: [[0, 1]] });
  d.runUntil(() => (d.pr(0, PX_IS) & any) !== 0);
  t.truthy(d.pr(0, PX_IS) & any);
  d.ack(0);
  d.issue(0, 0, { command: ATA_PACKET, atapi: [SCSI_REQUEST_SENSE, 0, 0, 0, 18], prds: [[DATA, 0x1000]] });
  d.runUntil(() => (d.pr(0, PX_IS) & any) !== 0);
  t.is(d.bytes(DATA, 3)[2], 0); /* no sense */
  d.ack(0);
  d.issue(0, 0, { command: ATA_PACKET, atapi: [SCSI_TEST_UNIT_READY], prds: [[0, 1]] });
  d.runUntil(() => (d.pr(0, PX_IS) & IS_DHRS) !== 0);
  d.ack(0);
  const devFis = d.bytes(d.fb(0) + 0x40, 4);
  t.truthy(devFis[2]! & 0x40);
  t.is(devFis[3], 0);
  d.issue(0, 0, { command: ATA_PACKET, lba: 0xffff00, atapi: [SCSI_READ_CAPACITY_10], prds: [[DATA, 0x1000]] });
  d.runUntil(() => (d.pr(0, PX_IS) & any) !== 0);
  const v = new DataView(d.bytes(DATA, 8).buffer);
  t.is(v.getUint32(0) + 1, 300);
  t.is(v.getUint32(4), 2048);
  t.is(d.pr(0, PX_CI), 0);
});

test('NCQ error: the failing tag stays in PxSACT, the queue is aborted, READ LOG EXT 10h names the tag and ends the error state', (t) => {
  const { d } = machine({ disks: [2048], faults: { unreadable: [42] } });
  d.initPort(0);
  /* slot 3 reads 8 blocks at 40 (block 42 is bad); slots 0 and 7 read elsewhere, 7 after the bad one */
  for (const [slot, lba] of [[0, 0], [3, 40], [7, 100]] as const) {
    d.prepare(0, slot, { command: ATA_READ_FPDMA_QUEUED, lba, features: 8, count: slot << 3, prds: [[DATA + slot * 0x1000, 4096]] });
    d.pw(0, PX_SACT, 1 << slot);
    d.pw(0, PX_CI, 1 << slot);
  }
  d.runUntil(() => (d.pr(0, PX_IS) & IS_TFES) !== 0);
  t.truthy(d.pr(0, PX_IS) & IS_TFES);
  t.is(d.pr(0, PX_TFD) >> 8, 0x40); /* UNC */
  t.is(d.pr(0, PX_SACT), (1 << 3) | (1 << 7)); /* slot 0 done; the failing and the aborted one stay */
  /* nothing more completes: the drive aborted its queue */
  d.runUntil(() => false);
  t.is(d.pr(0, PX_SACT), (1 << 3) | (1 << 7));
  /* the host's recovery: ST off (drops the commands), errors cleared, ST on, READ LOG EXT */
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) & ~CMD_ST);
  t.is(d.pr(0, PX_SACT), 0);
  d.pw(0, PX_SERR, ~0);
  d.ack(0);
  d.pw(0, PX_CMD, d.pr(0, PX_CMD) | CMD_ST);
  d.run(0, 0, { command: ATA_READ_LOG_EXT, lba: LOG_NCQ_COMMAND_ERROR, count: 1, prds: [[DATA + 0x10000, 512]] });
  t.is(d.pr(0, PX_CI), 0);
  t.is(d.pr(0, PX_IS) & IS_TFES, 0);
  const page = d.bytes(DATA + 0x10000, 512);
  t.is(page[0], 3); /* the tag, NQ clear */
  t.is(page[2]! & 0x01, 0x01); /* ERR in the status */
  t.is(page[3], 0x40);
  t.is(page[4]! | (page[5]! << 8) | (page[6]! << 16), 42);
  t.is(page.reduce((a, b) => a + b, 0) % 256, 0);
  t.is(d.prdbc(0, 0), 512);
  /* read again: the error state is over, the log says NQ */
  d.ack(0);
  d.run(0, 1, { command: ATA_READ_LOG_EXT, lba: LOG_NCQ_COMMAND_ERROR, count: 1, prds: [[DATA + 0x10000, 512]] });
  t.is(d.bytes(DATA + 0x10000, 1)[0], 0x80);
  /* queued commands complete again */
  d.ack(0);
  d.prepare(0, 7, { command: ATA_READ_FPDMA_QUEUED, lba: 100, features: 8, count: 7 << 3, prds: [[DATA + 0x7000, 4096]] });
  d.pw(0, PX_SACT, 1 << 7);
  d.pw(0, PX_CI, 1 << 7);
  d.runUntil(() => d.pr(0, PX_SACT) === 0);
  t.is(d.pr(0, PX_SACT), 0);
  /* an unknown log is aborted */
  d.ack(0);
  d.run(0, 2, { command: ATA_READ_LOG_EXT, lba: 0x30, count: 1, prds: [[DATA + 0x10000, 512]] });
  t.truthy(d.pr(0, PX_IS) & IS_TFES);
});

test('fault injection: a command touching a hangAt block gets no answer, nor does any after it, until the port is reset', (t) => {
  const { d } = machine({ disks: [2048], faults: { hangAt: [64] } });
  d.initPort(0);
  d.run(0, 0, { command: ATA_READ_DMA_EXT, lba: 0, count: 1, prds: [[DATA, 512]] });
  t.is(d.pr(0, PX_CI), 0);
  d.ack(0);
  d.issue(0, 1, { command: ATA_READ_DMA_EXT, lba: 60, count: 8, prds: [[DATA, 4096]] });
  d.runUntil(() => false);
  t.is(d.pr(0, PX_CI), 1 << 1);
  t.truthy(d.pr(0, PX_TFD) & 0x80); /* BSY */
  t.is(d.pr(0, PX_IS), 0);
  /* COMRESET: the link comes back, the drive answers again */
  d.initPort(0);
  t.is(d.pr(0, PX_CI), 0);
  d.run(0, 2, { command: ATA_READ_DMA_EXT, lba: 0, count: 1, prds: [[DATA, 512]] });
  t.is(d.pr(0, PX_CI), 0);
  t.is(d.pr(0, PX_IS) & IS_TFES, 0);
});
