import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import * as E from '../../tool/pc/e1000.js';
import { EthernetWire, ethernetFcs } from '../../tool/pc/ethernet.js';
import { NIC_BASES, NIC_MACS, NIC_SLOTS } from '../../tool/pc/pc.js';

/* driver memory: rings at 8 MiB, buffers from 17 MiB (per card: + 2 MiB each) */
const RINGS = 0x800000;
const BUFS = 0x1100000;
const SLOTS = 8;

function cfg(pc: Pc, slot: number, offset: number, value?: number): number {
  pc.outPort(0xcf8, 4, 0x80000000 | (slot << 11) | (offset & 0xfc));
  if (value !== undefined) pc.outPort(0xcfc, 4, value);
  return pc.inPort(0xcfc, 4);
}

/** The steps a driver takes on card `i`: bus master on, rings set up, rx and tx enabled. */
class Card {
  readonly base: number;
  readonly rxRing: number;
  readonly txRing: number;
  readonly rxBufs: number;
  readonly txBufs: number;
  tdt = 0;
  constructor(readonly pc: Pc, readonly i: number, rctl = E.RCTL_EN | E.RCTL_BAM | E.RCTL_SECRC) {
    this.base = NIC_BASES[i];
    const off = i * 0x200000;
    this.rxRing = RINGS + off;
    this.txRing = RINGS + off + 0x1000;
    this.rxBufs = BUFS + off;
    this.txBufs = BUFS + off + 0x100000;
    pc.memory.back(RINGS + off, 0x2000);
    pc.memory.back(BUFS + off, 0x200000);
    cfg(pc, NIC_SLOTS[i], 4, 0x6);
    this.w(E.RDBAL, this.rxRing);
    this.w(E.RDLEN, SLOTS * 16);
    for (let s = 0; s < SLOTS; s++) pc.memory.write32(this.rxRing + s * 16, this.rxBufs + s * 2048);
    this.w(E.RDH, 0);
    this.w(E.RDT, SLOTS - 1);
    this.w(E.TDBAL, this.txRing);
    this.w(E.TDLEN, SLOTS * 16);
    this.w(E.TDH, 0);
    this.w(E.TDT, 0);
    this.w(E.IMS, E.ICR_RXT0 | E.ICR_TXDW | E.ICR_LSC);
    this.w(E.RCTL, rctl);
    this.w(E.TCTL, E.TCTL_EN | E.TCTL_PSP);
  }
  r(reg: number): number { return this.pc.mmioRead(this.base + reg, 4); }
  w(reg: number, v: number): void { this.pc.mmioWrite(this.base + reg, 4, v); }
  send(frame: Uint8Array): void {
    const s = this.tdt;
    this.pc.memory.view(this.txBufs + s * 2048, frame.length).set(frame);
    const d = this.txRing + s * 16;
    this.pc.memory.write32(d, this.txBufs + s * 2048);
    this.pc.memory.write32(d + 4, 0);
    this.pc.memory.write16(d + 8, frame.length);
    this.pc.memory.write8(d + 11, E.TXD_CMD_EOP | E.TXD_CMD_IFCS | E.TXD_CMD_RS);
    this.pc.memory.write8(d + 12, 0);
    this.tdt = (s + 1) % SLOTS;
    this.w(E.TDT, this.tdt);
  }
  /** The frame in rx slot `s`, if the card filled it. */
  received(s: number): Uint8Array | undefined {
    const d = this.rxRing + s * 16;
    if (!(this.pc.memory.read8(d + 12) & E.RXD_STAT_DD)) return undefined;
    return this.pc.memory.view(this.rxBufs + s * 2048, this.pc.memory.read16(d + 8)).slice();
  }
}

function run(pc: Pc): void {
  for (let n = 0; n < 1000; n++) {
    const at = pc.clock.nextEventAt();
    if (at === undefined) return;
    pc.clock.advanceTo(at);
  }
}

function frame(dst: Uint8Array, src: Uint8Array, size: number, fill = 0x5a): Uint8Array {
  const f = new Uint8Array(size).fill(fill);
  f.set(dst, 0);
  f.set(src, 6);
  f[12] = 0x88;
  f[13] = 0xb5;
  return f;
}

test('PCI identity, BAR0 and the EEPROM MAC with a valid checksum', (t) => {
  const pc = new Pc({ nics: 2 });
  t.is(cfg(pc, NIC_SLOTS[0], 0), 0x100e8086);
  t.is(cfg(pc, NIC_SLOTS[0], 8) >>> 8, 0x020000);
  t.is(cfg(pc, NIC_SLOTS[0], 0x10), NIC_BASES[0]);
  t.is(cfg(pc, NIC_SLOTS[0], 0x3c) & 0xff, 10);
  t.is(cfg(pc, NIC_SLOTS[1], 0x3c) & 0xff, 9);
  const c = new Card(pc, 0);
  const words: number[] = [];
  let sum = 0;
  for (let a = 0; a < 64; a++) {
    c.w(E.EERD, (a << 8) | E.EERD_START);
    const v = c.r(E.EERD);
    t.truthy(v & E.EERD_DONE);
    words.push(v >>> 16);
    sum = (sum + (v >>> 16)) & 0xffff;
  }
  t.is(sum, 0xbaba);
  t.deepEqual([...words.slice(0, 3).flatMap((w) => [w & 0xff, w >> 8])], [...NIC_MACS[0]]);
  t.is(c.r(E.RAL0), 0x12005452);
  t.is(c.r(E.RAH0) >>> 0, (0x5634 | E.RAH_AV) >>> 0);
});

test('link state follows the cable; LSC raises the interrupt; ICR clears on read', (t) => {
  const pc = new Pc({ nics: 2 });
  const a = new Card(pc, 0);
  t.is(a.r(E.STATUS) & E.STATUS_LU, 0);
  const wire = new EthernetWire(pc.nics[0], pc.nics[1]);
  t.truthy(a.r(E.STATUS) & E.STATUS_LU);
  t.true(pc.nics[0].irqPending);
  t.truthy(a.r(E.ICR) & E.ICR_LSC);
  t.is(a.r(E.ICR), 0);
  t.false(pc.nics[0].irqPending);
  wire.cut();
  t.is(a.r(E.STATUS) & E.STATUS_LU, 0);
  t.truthy(a.r(E.ICR) & E.ICR_LSC);
  /* IMC masks: a cause stays in ICR without raising the wire */
  a.w(E.IMC, 0xffffffff);
  a.w(E.ICS, E.ICR_TXDW);
  t.false(pc.nics[0].irqPending);
  t.is(a.r(E.ICR), E.ICR_TXDW);
});

test('frames go from one card through the wire into the other card\'s rx ring, byte for byte', (t) => {
  const pc = new Pc({ nics: 2, wireNics: (c) => { new EthernetWire(c[0], c[1]); } });
  const a = new Card(pc, 0);
  const b = new Card(pc, 1);
  const sizes = [1514, 60, 300, 14];
  const sent = sizes.map((n, i) => frame(NIC_MACS[1], NIC_MACS[0], n, i + 1));
  for (const f of sent) a.send(f);
  run(pc);
  t.is(a.r(E.TDH), 4);
  t.truthy(pc.memory.read8(a.txRing + 3 * 16 + 12) & E.TXD_STAT_DD);
  t.truthy(a.r(E.ICR) & E.ICR_TXDW);
  t.is(b.r(E.RDH), 4);
  t.truthy(b.r(E.ICR) & E.ICR_RXT0);
  for (let i = 0; i < 4; i++) {
    const want = sent[i].length < 60 ? Uint8Array.from({ length: 60 }, (_, k) => sent[i][k] ?? 0) : sent[i];
    t.deepEqual(b.received(i), want, `frame ${i}`);
  }
  t.is(b.r(E.GPRC), 4);
  t.is(b.r(E.GPRC), 0);
  t.is(a.r(E.GPTC), 4);
});

test('the address filter: other unicast dropped unless UPE, multicast by MTA or MPE, broadcast by BAM', (t) => {
  const pc = new Pc({ nics: 2, wireNics: (c) => { new EthernetWire(c[0], c[1]); } });
  const a = new Card(pc, 0);
  const b = new Card(pc, 1, E.RCTL_EN | E.RCTL_SECRC);
  const other = Uint8Array.of(0x02, 0, 0, 0, 0, 9);
  const mcast = Uint8Array.of(0x01, 0, 0x5e, 0, 0, 0x42);
  const bcast = new Uint8Array(6).fill(0xff);
  a.send(frame(other, NIC_MACS[0], 100));
  a.send(frame(mcast, NIC_MACS[0], 100));
  a.send(frame(bcast, NIC_MACS[0], 100));
  run(pc);
  t.is(b.r(E.RDH), 0);
  t.is(pc.nics[1].stats.filtered, 3);
  const hash = ((mcast[4] >> 4) | (mcast[5] << 4)) & 0xfff;
  b.w(E.MTA + (hash >> 5) * 4, 1 << (hash & 31));
  b.w(E.RCTL, E.RCTL_EN | E.RCTL_SECRC | E.RCTL_BAM);
  a.send(frame(other, NIC_MACS[0], 100));
  a.send(frame(mcast, NIC_MACS[0], 100));
  a.send(frame(bcast, NIC_MACS[0], 100));
  run(pc);
  t.is(b.r(E.RDH), 2);
  b.w(E.RCTL, E.RCTL_EN | E.RCTL_SECRC | E.RCTL_UPE);
  a.send(frame(other, NIC_MACS[0], 100));
  run(pc);
  t.is(b.r(E.RDH), 3);
  t.deepEqual(b.received(2)!.subarray(0, 6), other);
});

test('without SECRC the FCS is appended; a full rx ring drops and counts the frame (RXO, MPC)', (t) => {
  const pc = new Pc({ nics: 2, wireNics: (c) => { new EthernetWire(c[0], c[1]); } });
  const a = new Card(pc, 0);
  const b = new Card(pc, 1, E.RCTL_EN | E.RCTL_BAM);
  const f = frame(NIC_MACS[1], NIC_MACS[0], 200);
  for (let i = 0; i < SLOTS - 1; i++) a.send(f);
  run(pc);
  a.send(f);
  run(pc);
  const got = b.received(0)!;
  t.is(got.length, 204);
  t.is(new DataView(got.buffer).getUint32(200, true), ethernetFcs(f));
  /* RDT = SLOTS-1: seven descriptors for the driver's eight frames */
  t.is(b.r(E.RDH), SLOTS - 1);
  t.is(b.r(E.MPC), 1);
  t.truthy(b.r(E.ICR) & E.ICR_RXO);
});

test('hostile descriptors: oversized frames and rings outside RAM are contained', (t) => {
  const pc = new Pc({ nics: 2, wireNics: (c) => { new EthernetWire(c[0], c[1]); } });
  const a = new Card(pc, 0);
  const b = new Card(pc, 1);
  /* a frame of 3 descriptors of 1000 bytes: larger than 1514, skipped */
  for (let s = 0; s < 3; s++) {
    const d = a.txRing + s * 16;
    pc.memory.write32(d, a.txBufs);
    pc.memory.write16(d + 8, 1000);
    pc.memory.write8(d + 11, (s === 2 ? E.TXD_CMD_EOP : 0) | E.TXD_CMD_RS);
  }
  a.tdt = 3;
  a.w(E.TDT, 3);
  run(pc);
  t.is(a.r(E.TDH), 3);
  t.is(pc.nics[0].stats.txSkipped, 1);
  t.is(b.r(E.RDH), 0);
  /* a tx ring beyond RAM: the ring stops, nothing throws */
  a.w(E.TDBAL, 0xf0000000);
  a.w(E.TDH, 0);
  a.w(E.TDT, 1);
  t.notThrows(() => run(pc));
  t.is(pc.nics[0].stats.busErrors, 1);
  /* a huge tail index */
  a.w(E.TDBAL, a.txRing);
  a.w(E.TDT, 0xffff);
  t.notThrows(() => run(pc));
  /* reset: everything off, the MAC back */
  a.w(E.CTRL, E.CTRL_RST);
  t.is(a.r(E.RCTL), 0);
  t.is(a.r(E.TDT), 0);
  t.is(a.r(E.RAL0), 0x12005452);
});
